#pragma once
// BERT's basic tokenizer (cleaning, whitespace, CJK, punctuation, lower-casing with NFD accent
// stripping) followed by greedy longest-match WordPiece, and pair encoding with longest-first
// truncation, matching the official pytorch_pretrained_bert / HF BertTokenizer behaviour.

#include <optional>
#include <string>
#include <vector>

#include "attrscope/text/encoding.h"
#include "attrscope/status.h"
#include "attrscope/text/vocabulary.h"

namespace attrscope {

struct TokenizerSettings {
    bool doLowerCase = true;
    std::optional<bool> stripAccents;  // unset: follows doLowerCase (HF semantics)
    bool tokenizeChineseChars = true;

    // tokenizer_config.json; a missing file gives the defaults above.
    static Expected<TokenizerSettings> fromFile(const std::string& path);
    std::string toJson() const;
};

class Tokenizer {
public:
    Tokenizer(Vocabulary vocab, TokenizerSettings settings);

    const Vocabulary& vocabulary() const { return vocab_; }
    const TokenizerSettings& settings() const { return settings_; }

    // Word pieces of one text (no specials). Fails on invalid UTF-8.
    Expected<std::vector<std::string>> tokenize(const std::string& text) const;

    // [CLS] A [SEP] (B [SEP]) truncated longest-first to maxLength (including specials).
    // An empty or absent textB means a single sentence. Empty A, invalid UTF-8, or maxLength too
    // small for the specials are errors.
    // As in the official code, a non-empty B that yields no word pieces (e.g. only whitespace)
    // still reserves 3 specials for truncation but adds no B segment (isPair is then false).
    // Errors read "text A is empty", "text B is not valid UTF-8 (byte 17)" (0-based offset),
    // "maximum length 2 is too small: ...".
    Expected<Encoding> encode(const std::string& textA, const std::optional<std::string>& textB,
                              int maxLength) const;

    // The basic tokenizer alone (words and punctuation, before WordPiece). Fails on invalid UTF-8.
    Expected<std::vector<std::string>> basicTokenize(const std::string& text) const;
    // Greedy longest-match-first WordPiece of one basic token.
    std::vector<std::string> wordPiece(const std::string& word) const;

private:
    Vocabulary vocab_;
    TokenizerSettings settings_;
};

}  // namespace attrscope
