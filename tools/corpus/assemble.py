#!/usr/bin/env python3
"""Assembles the pre-training corpus from the unpacked sources (see build-corpus.sh).

Each source's paragraphs are cut at sentence ends into lines of at most --max-words words
(a sentence longer than that stays whole), filtered to running text, de-duplicated across all
sources in the order of sources.SOURCES (a line already seen, case and punctuation ignored, is
dropped), and checked against the evaluation text: a line equal to an SST-2 dev or SICK TEST
sentence, or containing one of six words or more, is dropped. Writes corpus.txt (one line per
line), corpus.tsv (the same as a glue-single file for `attrscope-cli --format glue-single`) and
counts.json. Words are whitespace-separated tokens with at least one letter or digit.
"""

import argparse
import hashlib
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sources  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
TOKEN = re.compile(r"[a-z0-9]+")
NGRAM = 6


def words(text):
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def lines_of(paragraph, max_words):
    line, count = [], 0
    for sentence in SENTENCE_END.split(paragraph):
        n = words(sentence)
        if line and count + n > max_words:
            yield " ".join(line)
            line, count = [], 0
        line.append(sentence)
        count += n
    if line:
        yield " ".join(line)


def is_running_text(line):
    """At least three words, mostly letters, not a heading or a code fragment."""
    if words(line) < 3:
        return False
    letters = sum(c.isalpha() for c in line)
    if letters < 0.65 * len(line.replace(" ", "")):
        return False
    if sum(c.isupper() for c in line) > 0.5 * letters:
        return False
    return not any(s in line for s in ("{", "}", "==", "::", "=>", "->", "$_"))


def key(line):
    return hashlib.blake2b(" ".join(TOKEN.findall(line.lower())).encode(), digest_size=8).digest()


class Forbidden:
    """SST-2 dev and SICK TEST sentences: exact matches, and containment for ≥ NGRAM tokens."""

    def __init__(self, sentences):
        self.exact, self.long = set(), {}
        for s in sentences:
            tokens = TOKEN.findall(s.lower())
            if not tokens:
                continue
            self.exact.add(" ".join(tokens))
            if len(tokens) >= NGRAM:
                self.long.setdefault(tuple(tokens[:NGRAM]), []).append(tokens)
        self.count = len(self.exact)

    def hit(self, line):
        tokens = TOKEN.findall(line.lower())
        if " ".join(tokens) in self.exact:
            return True
        for i in range(len(tokens) - NGRAM + 1):
            for s in self.long.get(tuple(tokens[i:i + NGRAM]), ()):
                if tokens[i:i + len(s)] == s:
                    return True
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="folder the .deb packages were unpacked into")
    ap.add_argument("--npm", required=True, help="node_modules folder of the npm sources")
    ap.add_argument("--data", required=True, help="the project's datasets (shared/data)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-words", type=int, default=60)
    ap.add_argument("--only", default="", help="comma-separated source names (default: all)")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    os.makedirs(args.out, exist_ok=True)

    forbidden = Forbidden(sources.forbidden_sentences(args.data))
    seen, counts = set(), []
    text_path, tsv_path = os.path.join(args.out, "corpus.txt"), os.path.join(args.out, "corpus.tsv")
    with open(text_path + ".part", "w", encoding="utf-8") as text, \
            open(tsv_path + ".part", "w", encoding="utf-8") as tsv:
        tsv.write("sentence\tlabel\n")
        for name, reader, where, package, licence in sources.SOURCES:
            if only and name not in only:
                continue
            start = time.time()
            folder = {"npm": args.npm, "deb": args.root, "data": args.data}[where]
            c = {"source": name, "package": package, "licence": licence, "lines": 0, "words": 0,
                 "words_before_dedup": 0, "duplicate_lines": 0, "filtered_lines": 0,
                 "evaluation_lines_dropped": 0}
            for paragraph in reader(folder):
                for line in lines_of(sources.clean(paragraph.replace("\t", " ")), args.max_words):
                    if not is_running_text(line):
                        c["filtered_lines"] += 1
                        continue
                    n = words(line)
                    c["words_before_dedup"] += n
                    k = key(line)
                    if k in seen:
                        c["duplicate_lines"] += 1
                        continue
                    seen.add(k)
                    if forbidden.hit(line):
                        c["evaluation_lines_dropped"] += 1
                        continue
                    text.write(line + "\n")
                    tsv.write(line + "\t0\n")
                    c["lines"] += 1
                    c["words"] += n
            c["seconds"] = round(time.time() - start, 1)
            counts.append(c)
            print("%-20s %9d words %8d lines (%d duplicates, %d evaluation lines dropped) %.0f s"
                  % (name, c["words"], c["lines"], c["duplicate_lines"],
                     c["evaluation_lines_dropped"], c["seconds"]), file=sys.stderr, flush=True)
    os.replace(text_path + ".part", text_path)
    os.replace(tsv_path + ".part", tsv_path)
    total = {"words": sum(c["words"] for c in counts), "lines": sum(c["lines"] for c in counts),
             "forbidden_sentences": forbidden.count}
    with open(os.path.join(args.out, "counts.json"), "w", encoding="utf-8") as f:
        json.dump({"sources": counts, "total": total}, f, indent=1)
        f.write("\n")
    print("total %d words, %d lines" % (total["words"], total["lines"]), file=sys.stderr)


if __name__ == "__main__":
    main()
