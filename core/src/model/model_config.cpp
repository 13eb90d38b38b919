#include "attrscope/model/model_config.h"

#include <nlohmann/json.hpp>

#include "config_validation.h"
#include "io/checked_file.h"
#include "io/file_util.h"

namespace attrscope {

using nlohmann::json;

namespace {

// Reads an optional positive integer field; records the first problem in `error`.
int readInt(const json& j, const char* key, int fallback, std::string& error) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() <= 0 || it->get<int64_t>() > (1 << 30)) {
        if (error.empty()) error = std::string("field '") + key + "' must be a positive integer";
        return fallback;
    }
    return it->get<int>();
}

}  // namespace

Expected<ModelConfig> ModelConfig::fromFile(const std::string& path) {
    auto text = readFile(path, "model config", kMaxSmallJsonBytes);
    if (!text) return text.status();
    auto config = fromJson(*text, path);
    if (config)
        if (auto s = validateModelConfig(*config, path); !s) return s;
    return config;
}

Expected<ModelConfig> ModelConfig::fromJson(const std::string& text, const std::string& source) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Status::error(source + ": invalid JSON (expected a BertConfig object)");

    ModelConfig c;
    std::string err;
    c.vocabSize = readInt(j, "vocab_size", c.vocabSize, err);
    c.hiddenSize = readInt(j, "hidden_size", c.hiddenSize, err);
    c.numLayers = readInt(j, "num_hidden_layers", c.numLayers, err);
    c.numHeads = readInt(j, "num_attention_heads", c.numHeads, err);
    c.intermediateSize = readInt(j, "intermediate_size", c.intermediateSize, err);
    c.maxPositionEmbeddings = readInt(j, "max_position_embeddings", c.maxPositionEmbeddings, err);
    c.typeVocabSize = readInt(j, "type_vocab_size", c.typeVocabSize, err);
    if (!err.empty()) return Status::error(source + ": " + err);

    if (auto it = j.find("model_type"); it != j.end() && it->is_string()) {
        const std::string type = it->get<std::string>();
        if (type != "bert")
            return Status::error(source + ": model_type '" + type +
                                 "' is not supported (AttrScope reads BERT checkpoints)");
    }
    if (auto it = j.find("layer_norm_eps"); it != j.end()) {
        if (!it->is_number() || !(it->get<double>() > 0.0) || it->get<double>() > 1.0)
            return Status::error(source + ": layer_norm_eps must be a small positive number");
        c.layerNormEps = it->get<double>();
    }
    if (auto it = j.find("hidden_act"); it != j.end()) {
        if (!it->is_string()) return Status::error(source + ": hidden_act must be a string");
        c.hiddenAct = it->get<std::string>();
        if (c.hiddenAct != "gelu" && c.hiddenAct != "gelu_new" && c.hiddenAct != "relu" &&
            c.hiddenAct != "gelu_pytorch_tanh")
            return Status::error(source + ": hidden_act '" + c.hiddenAct +
                                 "' is not supported (gelu, gelu_new, relu)");
    }
    if (auto it = j.find("hidden_dropout_prob"); it != j.end() && it->is_number())
        c.hiddenDropout = it->get<double>();
    if (auto it = j.find("attention_probs_dropout_prob"); it != j.end() && it->is_number())
        c.attentionDropout = it->get<double>();
    if (auto it = j.find("pad_token_id"); it != j.end() && it->is_number_integer())
        c.padTokenId = it->get<int>();
    if (c.hiddenSize % c.numHeads != 0)
        return Status::error(source + ": hidden_size " + std::to_string(c.hiddenSize) +
                             " is not divisible by num_attention_heads " +
                             std::to_string(c.numHeads));

    // Labels: id2label wins; else num_labels generic names; else HF's default of 2.
    int numLabels = 2;
    if (auto it = j.find("num_labels"); it != j.end() && it->is_number_integer())
        numLabels = it->get<int>();
    if (auto it = j.find("id2label"); it != j.end() && it->is_object() && !it->empty()) {
        std::vector<std::string> names(it->size());
        for (auto& [key, value] : it->items()) {
            size_t pos = 0;
            long index = -1;
            try {
                index = std::stol(key, &pos);
            } catch (...) {
                pos = 0;
            }
            if (pos != key.size() || index < 0 || index >= static_cast<long>(names.size()) ||
                !value.is_string())
                return Status::error(source + ": id2label must map 0.." +
                                     std::to_string(names.size() - 1) + " to label names");
            names[static_cast<size_t>(index)] = value.get<std::string>();
        }
        c.id2label = std::move(names);
    } else {
        if (numLabels < 1 || numLabels > 100000)
            return Status::error(source + ": num_labels must be positive");
        for (int i = 0; i < numLabels; ++i) c.id2label.push_back("LABEL_" + std::to_string(i));
    }
    return c;
}

std::string ModelConfig::toJson() const {
    json j;
    j["architectures"] = {"BertForSequenceClassification"};
    j["model_type"] = "bert";
    j["vocab_size"] = vocabSize;
    j["hidden_size"] = hiddenSize;
    j["num_hidden_layers"] = numLayers;
    j["num_attention_heads"] = numHeads;
    j["intermediate_size"] = intermediateSize;
    j["max_position_embeddings"] = maxPositionEmbeddings;
    j["type_vocab_size"] = typeVocabSize;
    j["layer_norm_eps"] = layerNormEps;
    j["hidden_act"] = hiddenAct;
    j["hidden_dropout_prob"] = hiddenDropout;
    j["attention_probs_dropout_prob"] = attentionDropout;
    j["pad_token_id"] = padTokenId;
    j["num_labels"] = numLabels();
    json id2l = json::object(), l2id = json::object();
    for (size_t i = 0; i < id2label.size(); ++i) {
        id2l[std::to_string(i)] = id2label[i];
        l2id[id2label[i]] = i;
    }
    j["id2label"] = id2l;
    j["label2id"] = l2id;
    j["initializer_range"] = 0.02;
    return j.dump(2) + "\n";
}

}  // namespace attrscope
