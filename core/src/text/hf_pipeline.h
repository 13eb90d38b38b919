#pragma once
// The stages of a Hugging Face "fast" tokenizer (normalizer, pre-tokenizer, model, template),
// operating on text that remembers, per code point, the original bytes it came from. Internal to
// attrscope_text; tokenizer.json, vocab.txt and vocab.json + merges.txt are all built from these.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "attrscope/status.h"
#include "attrscope/text/text_tokenizer.h"

namespace attrscope::hf {

struct Span {
    int begin = 0, end = 0;  // byte offsets into the original text
};

// Normalised text: chars[i] came from the original bytes spans[i].
struct AlignedText {
    std::u32string chars;
    std::vector<Span> spans;

    static AlignedText fromOriginal(const std::u32string& decoded);
    void push(char32_t c, Span s) {
        chars.push_back(c);
        spans.push_back(s);
    }
    AlignedText slice(size_t begin, size_t end) const;
    bool empty() const { return chars.empty(); }
    size_t size() const { return chars.size(); }
    std::string utf8() const;
};

struct Token {
    int64_t id = 0;
    std::string value;
    Span offsets;
    int word = -1;
};

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual void normalize(AlignedText& text) const = 0;
};

// Pre-tokenizers turn each piece into pieces (and may rewrite characters, as ByteLevel does).
class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    virtual void split(std::vector<AlignedText>& pieces, bool firstOfText) const = 0;
};

class TokenModel {
public:
    virtual ~TokenModel() = default;
    virtual void tokenize(const AlignedText& piece, std::vector<Token>& out) const = 0;
    virtual int64_t tokenToId(const std::string& token) const = 0;
    virtual std::string idToToken(int64_t id) const = 0;
    virtual int64_t size() const = 0;
};

struct AddedToken {
    std::string content;
    int64_t id = -1;
    bool special = false, lstrip = false, rstrip = false, normalized = false, singleWord = false;
};

using AddedPatterns = std::vector<std::pair<std::u32string, const AddedToken*>>;
struct AddedSplit {
    size_t begin = 0, end = 0;
    const AddedToken* token = nullptr;  // null for text between added tokens
};
// Splits text at the added tokens' occurrences (leftmost-longest, then single_word, lstrip and
// rstrip as the Rust AddedVocabulary does). Empty text gives one empty split.
std::vector<AddedSplit> splitOnAddedTokens(const std::u32string& text,
                                           const AddedPatterns& patterns);

// A post-processor as a template: sequence items (0 = A, 1 = B) and special tokens.
struct TemplateItem {
    int sequence = -1;  // -1: the special token `special`
    std::string special;
    int typeId = 0;
};
struct SpecialTokenIds {
    std::vector<int64_t> ids;
    std::vector<std::string> tokens;
};
struct PostTemplate {
    bool present = false;
    std::vector<TemplateItem> single, pair;
    std::map<std::string, SpecialTokenIds> specials;
    size_t specialCount(bool pair) const;
};

// How pairs are cut: the Rust core's LongestFirst (A gets ⌊budget/2⌋) or the slow Python
// tokenizers' one-piece-at-a-time loop (ties cut B).
enum class PairCut { Fast, Slow };

struct Pipeline {
    std::vector<std::unique_ptr<Normalizer>> normalizers;
    std::vector<std::unique_ptr<PreTokenizer>> preTokenizers;
    std::unique_ptr<TokenModel> model;
    PostTemplate post;
    std::vector<AddedToken> added;
    PairCut pairCut = PairCut::Fast;
    bool hasTokenTypeIds = true;
    bool tokensFromIds = false;  // slow tokenizers print vocabulary strings, not matched text
};

// Shared truncation and template assembly (also used by the SentencePiece tokenizer).
struct Sequences {
    std::vector<Token> a, b;
    bool hasB = false;
};
Expected<Encoding> assemble(Sequences seq, const PostTemplate& post, PairCut cut,
                            const EncodeOptions& options, int maxLength);

// A tokenizer that assembles pieces already cut (encodePieces, piece_encoding.h) exactly as its
// encode() assembles the pieces of a text.
class SequenceEncoder {
public:
    virtual ~SequenceEncoder() = default;
    virtual Expected<Encoding> encodeSequences(Sequences seq,
                                               const EncodeOptions& options) const = 0;
};

class PipelineTokenizer : public TextTokenizer, public SequenceEncoder {
public:
    PipelineTokenizer(Pipeline pipeline, std::string source, std::string description,
                      int modelMaxLength, int defaultMaxLength = 0);

    Expected<Encoding> encode(const std::string& textA, const std::optional<std::string>& textB,
                              const EncodeOptions& options) const override;
    int64_t vocabSize() const override;
    int64_t tokenToId(const std::string& token) const override;
    std::string idToToken(int64_t id) const override;
    std::string description() const override { return description_; }
    Expected<Encoding> encodeSequences(Sequences seq, const EncodeOptions& options) const override;

    // One text through added-token matching, normalizer, pre-tokenizer and model (no template).
    Expected<std::vector<Token>> tokenizeText(const std::string& text, const char* what) const;

private:
    void normalize(AlignedText& text) const;
    Pipeline p_;
    std::string description_;
    int defaultMaxLength_ = 0;
    std::unordered_map<int64_t, const AddedToken*> addedById_;
    std::unordered_map<std::string, int64_t> addedByContent_;
    AddedPatterns rawPatterns_, normalizedPatterns_;
};

// ---- components (hf_components.cpp, hf_models.cpp) ----
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
Expected<SplitBehavior> parseBehavior(const std::string& name);
// Splits one piece at the [begin, end) char ranges (sorted, disjoint) per the behaviour.
void splitAt(const AlignedText& piece, const std::vector<std::pair<size_t, size_t>>& matches,
             SplitBehavior behavior, std::vector<AlignedText>& out);

// dropUnassigned: Python's unicodedata counts unassigned code points as controls (the slow
// tokenizers drop them); the Rust core keeps them.
std::unique_ptr<Normalizer> bertNormalizer(bool cleanText, bool chineseChars, bool stripAccents,
                                           bool lowercase, bool dropUnassigned);
std::unique_ptr<PreTokenizer> bertPreTokenizer();
std::unique_ptr<PreTokenizer> byteLevelPreTokenizer(bool addPrefixSpace, bool useRegex);
std::unique_ptr<TokenModel> wordPieceModel(std::vector<std::string> vocab, std::string unk,
                                           std::string prefix, size_t maxChars);
struct BpeSettings {
    std::optional<std::string> unk;
    std::string continuingPrefix, endOfWordSuffix;
    bool fuseUnk = false, byteFallback = false, ignoreMerges = false;
};
Expected<std::unique_ptr<TokenModel>> bpeModel(
    std::unordered_map<std::string, int64_t> vocab,
    const std::vector<std::pair<std::string, std::string>>& merges, BpeSettings settings);
struct UnigramPiece {
    std::string piece;
    double score = 0;
};
Expected<std::unique_ptr<TokenModel>> unigramModel(std::vector<UnigramPiece> vocab,
                                                   std::optional<int64_t> unkId, bool byteFallback);

}  // namespace attrscope::hf
