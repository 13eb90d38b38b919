#include "attrscope/model/model_config.h"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>

#include "config_validation.h"
#include "io/checked_file.h"
#include "io/file_util.h"

namespace attrscope {

using nlohmann::json;

namespace {

// Reads an optional integer field ≥ minimum; records the first problem in `error`.
int readInt(const json& j, const char* key, int fallback, std::string& error, int minimum = 1) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < minimum || it->get<int64_t>() > (1 << 30)) {
        if (error.empty())
            error = std::string("field '") + key +
                    (minimum == 1 ? "' must be a positive integer"
                                  : "' must be an integer ≥ " + std::to_string(minimum));
        return fallback;
    }
    return it->get<int>();
}

bool readBool(const json& j, const char* key, bool fallback) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const char* const kFamilies[] = {"bert",     "roberta", "xlm-roberta", "distilbert",
                                 "electra",  "albert",  "deberta-v2"};

// model_type values we know and cannot explain, with the reason shown to the user.
std::string refusalReason(const std::string& type) {
    static const char* const encoderDecoder[] = {"t5", "mt5", "bart", "mbart", "pegasus",
                                                 "marian", "led", "prophetnet", "encoder-decoder",
                                                 "fsmt", "blenderbot", "m2m_100", "nllb-moe",
                                                 "longt5", "umt5", "whisper"};
    static const char* const decoderOnly[] = {"gpt2", "gpt_neo", "gpt_neox", "gptj", "llama",
                                              "mistral", "mixtral", "qwen2", "phi", "phi3",
                                              "gemma", "gemma2", "opt", "bloom", "falcon",
                                              "ctrl", "openai-gpt", "xglm", "codegen", "olmo"};
    for (const char* t : encoderDecoder)
        if (type == t) return "an encoder-decoder model";
    for (const char* t : decoderOnly)
        if (type == t) return "a decoder-only model";
    if (type == "modernbert") return "ModernBERT (alternating local attention, rotary positions)";
    if (type == "deberta") return "DeBERTa v1 (only deberta-v2, which covers DeBERTa-v3, is)";
    return "";
}

// HF's per-family defaults for keys a config.json may omit.
void applyFamilyDefaults(ModelConfig& c) {
    const std::string& t = c.modelType;
    if (t == "roberta" || t == "xlm-roberta") {
        c.vocabSize = t == "roberta" ? 50265 : 30522;
        c.padTokenId = 1;
    } else if (t == "distilbert") {
        c.numLayers = 6;
        c.typeVocabSize = 0;
    } else if (t == "electra") {
        c.embeddingSize = 128;
        c.hiddenSize = 256;
        c.numHeads = 4;
        c.intermediateSize = 1024;
    } else if (t == "albert") {
        c.vocabSize = 30000;
        c.embeddingSize = 128;
        c.hiddenSize = 4096;
        c.numHeads = 64;
        c.intermediateSize = 16384;
        c.hiddenAct = "gelu_new";
        c.hiddenDropout = c.attentionDropout = 0.0;
    } else if (t == "deberta-v2") {
        c.vocabSize = 128100;
        c.hiddenSize = 1536;
        c.numLayers = 24;
        c.numHeads = 24;
        c.intermediateSize = 6144;
        c.typeVocabSize = 0;
        c.layerNormEps = 1e-7;
    }
}

Status checkActivation(const std::string& act, const char* key, const std::string& source) {
    if (act == "gelu" || act == "gelu_new" || act == "relu" || act == "gelu_pytorch_tanh")
        return Status::success();
    return Status::error(source + ": " + key + " '" + act +
                         "' is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu)");
}

// DeBERTa-v2/v3 attention settings; refuses the variants this engine does not implement.
Status readDeberta(const json& j, ModelConfig& c, const std::string& source, std::string& err) {
    c.relativeAttention = readBool(j, "relative_attention", false);
    c.positionBiasedInput = readBool(j, "position_biased_input", true);
    c.positionBuckets = readInt(j, "position_buckets", -1, err, -1);
    c.maxRelativePositions = readInt(j, "max_relative_positions", -1, err, -1);
    if (c.maxRelativePositions < 1) c.maxRelativePositions = c.maxPositionEmbeddings;
    if (auto it = j.find("pos_att_type"); it != j.end() && !it->is_null()) {
        std::vector<std::string> kinds;
        if (it->is_string()) {  // old configs: "p2c|c2p"
            std::string s = it->get<std::string>();
            for (size_t a = 0, b; a <= s.size(); a = b + 1) {
                b = s.find('|', a);
                if (b == std::string::npos) b = s.size();
                kinds.push_back(s.substr(a, b - a));
            }
        } else if (it->is_array()) {
            for (const auto& k : *it)
                if (k.is_string()) kinds.push_back(k.get<std::string>());
        }
        for (const auto& k : kinds) {
            if (k == "c2p")
                c.c2p = true;
            else if (k == "p2c")
                c.p2c = true;
            else if (!k.empty())
                return Status::error(source + ": pos_att_type '" + k +
                                     "' is not supported (c2p, p2c)");
        }
    }
    if (auto it = j.find("norm_rel_ebd"); it != j.end() && it->is_string())
        c.normRelEmbedding = it->get<std::string>().find("layer_norm") != std::string::npos;
    if (auto it = j.find("pooler_hidden_act"); it != j.end() && it->is_string())
        c.poolerHiddenAct = it->get<std::string>();
    if (auto s = checkActivation(c.poolerHiddenAct, "pooler_hidden_act", source); !s) return s;
    if (readInt(j, "pooler_hidden_size", c.hiddenSize, err) != c.hiddenSize)
        return Status::error(source + ": pooler_hidden_size must equal hidden_size");
    if (c.relativeAttention && (c.c2p || c.p2c) && !readBool(j, "share_att_key", false))
        return Status::error(source + ": DeBERTa with share_att_key false (DeBERTa-v2 "
                             "xlarge/xxlarge style) is not supported; DeBERTa-v3 checkpoints are");
    if (readInt(j, "conv_kernel_size", 0, err, 0) > 0)
        return Status::error(source + ": DeBERTa's convolution layer (conv_kernel_size) is not "
                             "supported; DeBERTa-v3 checkpoints are");
    return Status::success();
}

}  // namespace

bool ModelConfig::usesTokenTypes() const {
    if (modelType == "roberta" || modelType == "xlm-roberta" || modelType == "distilbert")
        return false;
    return typeVocabSize > 0;
}

int ModelConfig::positionOffset() const {
    return modelType == "roberta" || modelType == "xlm-roberta" ? padTokenId + 1 : 0;
}

int ModelConfig::maxSequenceLength() const {
    if (modelType == "deberta-v2" && !positionBiasedInput) return maxPositionEmbeddings;
    return maxPositionEmbeddings - positionOffset();
}

std::string ModelConfig::problemTypeName() const {
    switch (problemType) {
        case ProblemType::MultiLabel: return "multi_label_classification";
        case ProblemType::Regression: return "regression";
        default: return "single_label_classification";
    }
}

std::string ModelConfig::supportedFamilies() {
    std::string s = "supported model_type values: ";
    for (size_t i = 0; i < std::size(kFamilies); ++i) s += (i ? ", " : "") + std::string(kFamilies[i]);
    return s;
}

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
        return Status::error(source + ": invalid JSON (expected a model config object)");

    ModelConfig c;
    if (auto it = j.find("model_type"); it != j.end() && it->is_string()) {
        c.modelType = it->get<std::string>();
        if (c.modelType == "xlm_roberta") c.modelType = "xlm-roberta";
        if (c.modelType == "deberta_v2") c.modelType = "deberta-v2";
    }
    if (std::find(std::begin(kFamilies), std::end(kFamilies), c.modelType) == std::end(kFamilies)) {
        const std::string why = refusalReason(c.modelType);
        return Status::error(source + ": model_type '" + c.modelType + "' is not supported" +
                             (why.empty() ? "" : " (" + why + ")") + "; " + supportedFamilies());
    }
    if (auto it = j.find("architectures"); it != j.end() && it->is_array())
        for (const auto& a : *it) {
            if (!a.is_string()) continue;
            const std::string arch = a.get<std::string>();
            for (const char* head : {"ForTokenClassification", "ForQuestionAnswering",
                                     "ForMultipleChoice", "ForCausalLM",
                                     "ForConditionalGeneration"})
                if (arch.find(head) != std::string::npos)
                    return Status::error(source + ": architecture " + arch +
                                         " is not supported (AttrScope explains sequence "
                                         "classifiers: *ForSequenceClassification)");
        }
    applyFamilyDefaults(c);
    const bool distil = c.modelType == "distilbert";
    std::string err;
    // DistilBERT names its fields differently.
    c.vocabSize = readInt(j, "vocab_size", c.vocabSize, err);
    c.hiddenSize = readInt(j, distil ? "dim" : "hidden_size", c.hiddenSize, err);
    c.numLayers = readInt(j, distil ? "n_layers" : "num_hidden_layers", c.numLayers, err);
    c.numHeads = readInt(j, distil ? "n_heads" : "num_attention_heads", c.numHeads, err);
    c.intermediateSize =
        readInt(j, distil ? "hidden_dim" : "intermediate_size", c.intermediateSize, err);
    c.maxPositionEmbeddings = readInt(j, "max_position_embeddings", c.maxPositionEmbeddings, err);
    if (!distil) c.typeVocabSize = readInt(j, "type_vocab_size", c.typeVocabSize, err, 0);
    if (c.modelType == "electra" || c.modelType == "albert" || c.modelType == "deberta-v2")
        c.embeddingSize = readInt(j, "embedding_size", c.embeddingSize, err);
    if (c.modelType == "albert") {
        c.numHiddenGroups = readInt(j, "num_hidden_groups", 1, err);
        if (readInt(j, "inner_group_num", 1, err) != 1)
            return Status::error(source + ": ALBERT with inner_group_num ≠ 1 is not supported");
        if (c.numLayers % c.numHiddenGroups != 0)
            return Status::error(source + ": num_hidden_layers must be a multiple of "
                                          "num_hidden_groups");
    }
    if (distil) c.sinusoidalPositions = readBool(j, "sinusoidal_pos_embds", false);
    if (!err.empty()) return Status::error(source + ": " + err);
    if (c.typeVocabSize < 1 && c.modelType != "deberta-v2" && !distil)
        return Status::error(source + ": field 'type_vocab_size' must be a positive integer");

    if (auto it = j.find("layer_norm_eps"); it != j.end() && !distil) {
        if (!it->is_number() || !(it->get<double>() > 0.0) || it->get<double>() > 1.0)
            return Status::error(source + ": layer_norm_eps must be a small positive number");
        c.layerNormEps = it->get<double>();
    }
    const char* actKey = distil ? "activation" : "hidden_act";
    if (auto it = j.find(actKey); it != j.end()) {
        if (!it->is_string()) return Status::error(source + ": " + actKey + " must be a string");
        c.hiddenAct = it->get<std::string>();
        if (auto s = checkActivation(c.hiddenAct, actKey, source); !s) return s;
    }
    const char* dropKey = distil ? "dropout" : "hidden_dropout_prob";
    const char* attDropKey = distil ? "attention_dropout" : "attention_probs_dropout_prob";
    if (auto it = j.find(dropKey); it != j.end() && it->is_number())
        c.hiddenDropout = it->get<double>();
    if (auto it = j.find(attDropKey); it != j.end() && it->is_number())
        c.attentionDropout = it->get<double>();
    if (auto it = j.find("pad_token_id"); it != j.end() && it->is_number_integer())
        c.padTokenId = it->get<int>();
    if (c.hiddenSize % c.numHeads != 0)
        return Status::error(source + ": hidden_size " + std::to_string(c.hiddenSize) +
                             " is not divisible by num_attention_heads " +
                             std::to_string(c.numHeads));
    if (c.modelType == "deberta-v2")
        if (auto s = readDeberta(j, c, source, err); !s) return s;
    if (!err.empty()) return Status::error(source + ": " + err);
    if (c.maxSequenceLength() < 2)
        return Status::error(source + ": max_position_embeddings is too small for any input");

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
    // problem_type; HF treats one label without a problem_type as regression.
    if (auto it = j.find("problem_type"); it != j.end() && !it->is_null()) {
        const std::string p = it->is_string() ? it->get<std::string>() : "";
        if (p == "single_label_classification")
            c.problemType = ProblemType::SingleLabel;
        else if (p == "multi_label_classification")
            c.problemType = ProblemType::MultiLabel;
        else if (p == "regression")
            c.problemType = ProblemType::Regression;
        else
            return Status::error(source + ": problem_type '" + p + "' is not supported "
                                 "(single_label_classification, multi_label_classification, "
                                 "regression)");
    } else if (c.numLabels() == 1) {
        c.problemType = ProblemType::Regression;
    }
    return c;
}

std::string ModelConfig::toJson() const {
    static const std::pair<const char*, const char*> kArchitectures[] = {
        {"bert", "BertForSequenceClassification"},
        {"roberta", "RobertaForSequenceClassification"},
        {"xlm-roberta", "XLMRobertaForSequenceClassification"},
        {"distilbert", "DistilBertForSequenceClassification"},
        {"electra", "ElectraForSequenceClassification"},
        {"albert", "AlbertForSequenceClassification"},
        {"deberta-v2", "DebertaV2ForSequenceClassification"}};
    json j;
    for (const auto& [type, arch] : kArchitectures)
        if (modelType == type) j["architectures"] = {arch};
    j["model_type"] = modelType;
    j["vocab_size"] = vocabSize;
    j["max_position_embeddings"] = maxPositionEmbeddings;
    j["pad_token_id"] = padTokenId;
    if (modelType == "distilbert") {
        j["dim"] = hiddenSize;
        j["n_layers"] = numLayers;
        j["n_heads"] = numHeads;
        j["hidden_dim"] = intermediateSize;
        j["activation"] = hiddenAct;
        j["dropout"] = hiddenDropout;
        j["attention_dropout"] = attentionDropout;
        j["sinusoidal_pos_embds"] = sinusoidalPositions;
    } else {
        j["hidden_size"] = hiddenSize;
        j["num_hidden_layers"] = numLayers;
        j["num_attention_heads"] = numHeads;
        j["intermediate_size"] = intermediateSize;
        j["type_vocab_size"] = typeVocabSize;
        j["layer_norm_eps"] = layerNormEps;
        j["hidden_act"] = hiddenAct;
        j["hidden_dropout_prob"] = hiddenDropout;
        j["attention_probs_dropout_prob"] = attentionDropout;
    }
    if (embeddingSize > 0) j["embedding_size"] = embeddingSize;
    if (modelType == "albert") {
        j["num_hidden_groups"] = numHiddenGroups;
        j["inner_group_num"] = 1;
    }
    if (modelType == "deberta-v2") {
        j["relative_attention"] = relativeAttention;
        j["position_biased_input"] = positionBiasedInput;
        json kinds = json::array();
        if (p2c) kinds.push_back("p2c");
        if (c2p) kinds.push_back("c2p");
        j["pos_att_type"] = kinds;
        j["position_buckets"] = positionBuckets;
        j["max_relative_positions"] = maxRelativePositions;
        j["norm_rel_ebd"] = normRelEmbedding ? "layer_norm" : "none";
        j["share_att_key"] = true;
        j["pooler_hidden_act"] = poolerHiddenAct;
        j["pooler_hidden_size"] = hiddenSize;
    }
    j["problem_type"] = problemTypeName();
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
