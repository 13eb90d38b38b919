#pragma once
// BERT's basic tokenizer (cleaning, whitespace, CJK, punctuation, lower-casing with NFD accent
// stripping) followed by greedy longest-match WordPiece, and pair encoding with longest-first
// truncation, matching the official pytorch_pretrained_bert / HF BertTokenizer behaviour.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/text/encoding.h"
#include "attrscope/status.h"
#include "attrscope/text/text_tokenizer.h"
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

// As a TextTokenizer (the EncodeOptions overload) it runs the same vocabulary and settings through
// the WordPiece pipeline, which also fills offsets, word ids and the special-token mask.
class Tokenizer : public TextTokenizer {
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

    Expected<Encoding> encode(const std::string& textA, const std::optional<std::string>& textB,
                              const EncodeOptions& options) const override;
    int64_t vocabSize() const override { return vocab_.size(); }
    int64_t tokenToId(const std::string& token) const override { return vocab_.id(token); }
    std::string idToToken(int64_t id) const override;
    std::string description() const override;

    // The basic tokenizer alone (words and punctuation, before WordPiece). Fails on invalid UTF-8.
    Expected<std::vector<std::string>> basicTokenize(const std::string& text) const;
    // Greedy longest-match-first WordPiece of one basic token.
    std::vector<std::string> wordPiece(const std::string& word) const;

private:
    Vocabulary vocab_;
    TokenizerSettings settings_;
    std::shared_ptr<const TextTokenizer> pipeline_;  // null when [CLS]/[SEP] are missing
};

}  // namespace attrscope
