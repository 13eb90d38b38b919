#pragma once
// The fields of a Hugging Face config.json that the engine uses, for every supported family
// (bert, roberta, xlm-roberta, distilbert, electra, albert, deberta-v2), read with each family's
// own key names and defaults.

#include <string>
#include <vector>

#include "attrscope/status.h"

namespace attrscope {

// What the classifier's outputs mean, and so what attribution explains (config "problem_type").
enum class ProblemType {
    SingleLabel,  // F = softmax probability of the target class
    MultiLabel,   // F = sigmoid of the target label's logit
    Regression,   // F = the output itself
};

struct ModelConfig {
    std::string modelType = "bert";  // the family, as config.json's model_type
    ProblemType problemType = ProblemType::SingleLabel;
    int vocabSize = 30522;
    int hiddenSize = 768;
    int numLayers = 12;
    int numHeads = 12;
    int intermediateSize = 3072;
    int maxPositionEmbeddings = 512;
    int typeVocabSize = 2;
    double layerNormEps = 1e-12;
    std::string hiddenAct = "gelu";  // gelu (erf), gelu_new (tanh), relu
    double hiddenDropout = 0.1;     // used only when training
    double attentionDropout = 0.1;  // used only when training
    int padTokenId = 0;
    std::vector<std::string> id2label;  // size = number of labels

    // Family-specific (ignored by the others).
    int embeddingSize = 0;        // electra, albert, deberta: factorised embeddings (0 = hidden)
    int numHiddenGroups = 1;      // albert: distinct layer weight sets
    bool sinusoidalPositions = false;  // distilbert: positions are fixed sinusoids
    bool relativeAttention = false;    // deberta-v2 disentangled attention ...
    bool positionBiasedInput = true;   // ... absolute positions added to the embeddings
    bool c2p = false, p2c = false;     // ... pos_att_type terms
    int positionBuckets = -1;          // ... log buckets (≤ 0: none)
    int maxRelativePositions = -1;     // ... −1: max_position_embeddings
    bool normRelEmbedding = false;     // ... norm_rel_ebd "layer_norm"
    std::string poolerHiddenAct = "gelu";  // deberta's ContextPooler activation

    int numLabels() const { return static_cast<int>(id2label.size()); }
    int headDim() const { return hiddenSize / numHeads; }
    int embeddingDim() const { return embeddingSize > 0 ? embeddingSize : hiddenSize; }
    // Whether the model reads token type ids (RoBERTa adds its single type-0 row itself).
    bool usesTokenTypes() const;
    // First absolute position id: RoBERTa/XLM-R count from pad_token_id + 1.
    int positionOffset() const;
    // The longest input the position table allows.
    int maxSequenceLength() const;
    std::string problemTypeName() const;  // the config.json spelling
    // "bert, roberta, ..." for messages.
    static std::string supportedFamilies();

    static Expected<ModelConfig> fromFile(const std::string& path);
    static Expected<ModelConfig> fromJson(const std::string& text, const std::string& sourceName);
    std::string toJson() const;  // HF-compatible config.json text
};

}  // namespace attrscope
