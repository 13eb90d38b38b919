#!/usr/bin/env python3
"""Share of ordinary words a WordPiece vocabulary splits, on a file of sentences.

   split_rate.py VOCAB.txt SENTENCES.txt [--cased]

Tokenises as BERT's basic tokenizer does for plain text (lower-casing, accents stripped, every
punctuation character its own token) and then greedy longest-match-first WordPiece, as the
app's Tokenizer. Ordinary words are tokens made of letters only (an apostrophe inside counts as
punctuation, as in BERT). Prints the rate and every split word with its pieces.
"""

import argparse
import sys
import unicodedata


def basic_tokens(text, lower):
    if lower:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out, word = [], ""
    for c in text:
        if c.isspace():
            if word:
                out.append(word)
            word = ""
        elif unicodedata.category(c).startswith("P") or c in "$+<=>^`|~":
            if word:
                out.append(word)
            out.append(c)
            word = ""
        else:
            word += c
    if word:
        out.append(word)
    return out


def word_pieces(word, vocab):
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = ("##" if start else "") + word[start:end]
            if piece in vocab:
                break
            end -= 1
        if end == start:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("vocab")
    ap.add_argument("sentences")
    ap.add_argument("--cased", action="store_true")
    args = ap.parse_args()
    vocab = set(open(args.vocab, encoding="utf-8").read().split("\n"))
    words = split = 0
    examples = []
    for line in open(args.sentences, encoding="utf-8"):
        for token in basic_tokens(line.strip(), not args.cased):
            if not token.isalpha():
                continue
            words += 1
            pieces = word_pieces(token, vocab)
            if len(pieces) > 1 or pieces == ["[UNK]"]:
                split += 1
                examples.append(token + " → " + " ".join(pieces))
    print("%d of %d ordinary words split (%.1f %%)" % (split, words, 100.0 * split / max(words, 1)))
    for e in examples:
        print("  " + e)


if __name__ == "__main__":
    sys.exit(main())
