#pragma once
// A loaded Transformer encoder classifier (bert, roberta, xlm-roberta, distilbert, electra,
// albert, deberta-v2): config, tokenizer and validated weights from a Hugging Face checkpoint
// folder. The torch model lives behind a pimpl so that this header (and the UI) never sees torch.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/text/encoding.h"
#include "attrscope/float_array.h"
#include "attrscope/model/model_config.h"
#include "attrscope/status.h"
#include "attrscope/text/tokenizer.h"

namespace attrscope {

struct Prediction {
    std::vector<float> logits;
    std::vector<float> probs;
    int predicted = -1;
    std::string predictedLabel;
    FloatArray attention;  // [L][H][n][n], post-softmax; empty when not requested
};

// Multiplies head h of layer l's attention probabilities by mask[l*H + h] (0 prunes the head).
struct HeadMask {
    int numLayers = 0;
    int numHeads = 0;
    std::vector<float> values;
    static HeadMask ones(int layers, int heads);
    bool isAllOnes() const;
    float& at(int layer, int head) { return values[static_cast<size_t>(layer * numHeads + head)]; }
    float at(int layer, int head) const { return values[static_cast<size_t>(layer * numHeads + head)]; }
};

class Model {
public:
    struct Impl;

    // Reads config.json, the tokenizer files and model.safetensors or pytorch_model.bin from
    // dir, validating every tensor against the config. A vocab.txt folder gets BERT's WordPiece
    // tokenizer (the official code's); any other folder its own tokenizer files (loadTokenizer),
    // or, when they are missing or unsupported, none and a warning (token ids still work).
    static Expected<std::shared_ptr<Model>> load(const std::string& dir);
    // A model with random weights (tests, benchmarks): no files needed. The vocabulary is a small
    // synthetic one unless vocab is given.
    static Expected<std::shared_ptr<Model>> random(const ModelConfig& config, uint64_t seed,
                                                   std::optional<Vocabulary> vocab = std::nullopt);
    ~Model();

    const ModelConfig& config() const;
    // The WordPiece tokenizer of vocab.txt folders; an empty one when hasTokenizer() is false.
    // Training, vocabulary tools and trigger insertion need it.
    const Tokenizer& tokenizer() const;
    bool hasTokenizer() const;
    // Whether encode() can read text: a WordPiece tokenizer or another family's tokenizer files.
    bool canEncodeText() const;
    // One line, e.g. "byte-level BPE from vocab.json + merges.txt (RoBERTa template)".
    std::string tokenizerDescription() const;
    int64_t tokenizerVocabSize() const;  // 0 without a tokenizer
    std::string idToToken(int64_t id) const;  // empty when out of range or without a tokenizer
    const std::string& directory() const;  // empty for random models
    const std::string& weightsFile() const;
    bool hasClassifier() const;
    // Things worth telling the user that did not stop loading (ignored keys, no classifier, ...).
    const std::vector<std::string>& warnings() const;

    // Default maximum input length: 128, capped by max_position_embeddings.
    int defaultMaxLength() const;
    // The family's template around A (and B), truncated longest-first to maxLength (0: the
    // default). Fails without a tokenizer (canEncodeText()) and on invalid input.
    Expected<Encoding> encode(const std::string& textA, const std::optional<std::string>& textB,
                              int maxLength = 0) const;
    // An input given as token ids, specials included (and token type ids; empty = all 0), for
    // predict and attribute without a tokenizer. Tokens are the vocabulary strings where the
    // model has a vocabulary, else "#<id>"; a pair is recognised by type id 1 only.
    Expected<Encoding> encodeIds(const std::vector<int64_t>& ids,
                                 const std::vector<int64_t>& typeIds = {}) const;

    // Clean forward of one unpadded input.
    Expected<Prediction> predict(const Encoding& input, bool withAttention = true,
                                 const HeadMask* mask = nullptr) const;
    // The attention maps [L][H][n][n] of one unpadded input: also for an encoder without a
    // classification head (a pre-trained masked-LM checkpoint), which predict() refuses.
    Expected<FloatArray> attention(const Encoding& input) const;
    // Forward of many inputs at once (padded internally with a key mask); no attention maps.
    Expected<std::vector<Prediction>> predictBatch(const std::vector<Encoding>& inputs,
                                                   const HeadMask* mask = nullptr) const;

    // Diagnostics: full forward passes run so far (clean passes and batched evaluations, not
    // the attribution's suffix passes). Tests count the clean passes of a run with it.
    uint64_t forwardPasses() const;

    // "cpu" or "cuda" / "cuda:N". Not while a job is running on this model.
    Status setDevice(const std::string& device);
    std::string device() const;
    static std::vector<std::string> availableDevices();

    // Writes config.json, the tokenizer files and model.safetensors into dir.
    Status save(const std::string& dir) const;

private:
    friend struct ModelAccess;  // the engine's torch files (model_impl.h), nothing outside core
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Sets the intra-op thread count once at start-up (0 = one per core).
void setThreadCount(int threads);
int threadCount();

}  // namespace attrscope
