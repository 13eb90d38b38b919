#pragma once
// The tokenizer interface of every checkpoint format (tokenizer.json, vocab.txt, vocab.json +
// merges.txt, SentencePiece .model), and the factory that picks the file a model folder uses.

#include <memory>
#include <optional>
#include <string>

#include "attrscope/status.h"
#include "attrscope/text/encoding.h"

namespace attrscope {

enum class TruncationStrategy { LongestFirst, OnlyFirst, OnlySecond, DoNotTruncate };

// "longest_first", "only_first", "only_second", "do_not_truncate".
std::string truncationName(TruncationStrategy s);
Expected<TruncationStrategy> parseTruncation(const std::string& name);

struct EncodeOptions {
    // Including specials; 0 means the tokenizer's model max length (no limit when it has none).
    int maxLength = 0;
    TruncationStrategy truncation = TruncationStrategy::LongestFirst;
};

class TextTokenizer {
public:
    virtual ~TextTokenizer() = default;

    // The family's template around A (and B when given, even if empty), truncated to the
    // maximum length. Fails on invalid UTF-8 or when the specials alone exceed the length.
    virtual Expected<Encoding> encode(const std::string& textA,
                                      const std::optional<std::string>& textB,
                                      const EncodeOptions& options) const = 0;

    virtual int64_t vocabSize() const = 0;
    virtual int64_t tokenToId(const std::string& token) const = 0;  // -1 when absent
    virtual std::string idToToken(int64_t id) const = 0;            // empty when out of range
    // One line, e.g. "byte-level BPE from vocab.json + merges.txt (RoBERTa template)".
    virtual std::string description() const = 0;

    // The file the tokenizer was built from (tokenizer.json, vocab.txt, …).
    const std::string& sourceFile() const { return sourceFile_; }
    // tokenizer_config.json's model_max_length (0 when absent or HF's "unlimited" 1e30).
    int modelMaxLength() const { return modelMaxLength_; }
    // Why a preferred file of the folder was passed over (empty when none was), e.g.
    // "tokenizer.json not used (normalizer 'Nmt' is not supported)".
    const std::string& loadNote() const { return loadNote_; }
    void setLoadNote(std::string note) { loadNote_ = std::move(note); }

protected:
    std::string sourceFile_;
    int modelMaxLength_ = 0;
    std::string loadNote_;
};

// A model folder (tokenizer.json first, then vocab.json + merges.txt, SentencePiece .model,
// vocab.txt, in Hugging Face's precedence) or a single tokenizer file; tokenizer_config.json,
// special_tokens_map.json, added_tokens.json and config.json beside it set the family's
// conventions. Unsupported components fail with a message naming them; in a folder, a
// tokenizer.json that fails falls back to the folder's slow files (see loadNote()).
Expected<std::shared_ptr<TextTokenizer>> loadTokenizer(const std::string& folderOrFile);

}  // namespace attrscope
