#pragma once
// The fields of a Hugging Face BertConfig that the engine uses (config.json).

#include <string>
#include <vector>

#include "attrscope/status.h"

namespace attrscope {

struct ModelConfig {
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

    int numLabels() const { return static_cast<int>(id2label.size()); }
    int headDim() const { return hiddenSize / numHeads; }

    static Expected<ModelConfig> fromFile(const std::string& path);
    static Expected<ModelConfig> fromJson(const std::string& text, const std::string& sourceName);
    std::string toJson() const;  // HF-compatible config.json text
};

}  // namespace attrscope
