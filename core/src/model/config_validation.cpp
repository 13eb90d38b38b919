#include "config_validation.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "io/torch_checkpoint_reader.h"

namespace attrscope {

namespace {

// Caps well above every released BERT-family model, low enough that a hostile config.json
// cannot ask for more memory than a checkpoint could fill.
constexpr int kMaxVocab = 1 << 21;  // XLM-R: 250002
constexpr int kMaxHidden = 16384;
constexpr int kMaxLayers = 256;
constexpr int kMaxIntermediate = 65536;
constexpr int kMaxPositions = 65536;
constexpr int kMaxTypeVocab = 1024;
constexpr int kMaxLabels = 100000;
constexpr int64_t kMaxParameters = int64_t(4) << 30;  // 16 GiB of float32

std::string shapeText(const std::vector<int64_t>& s) {
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

Status range(const std::string& source, const char* key, int64_t value, int64_t lo, int64_t hi) {
    if (value >= lo && value <= hi) return Status::success();
    return Status::error(source + ": " + key + " is " + std::to_string(value) + ", expected " +
                         std::to_string(lo) + ".." + std::to_string(hi));
}

Status probability(const std::string& source, const char* key, double p) {
    if (p >= 0.0 && p <= 1.0) return Status::success();  // also refuses NaN
    return Status::error(source + ": " + key + " must be a probability in [0, 1], not " +
                         std::to_string(p));
}

}  // namespace

Status validateModelConfig(const ModelConfig& c, const std::string& source) {
    const std::pair<const char*, std::pair<int64_t, int64_t>> checks[] = {
        {"vocab_size", {c.vocabSize, kMaxVocab}},
        {"hidden_size", {c.hiddenSize, kMaxHidden}},
        {"num_hidden_layers", {c.numLayers, kMaxLayers}},
        {"num_attention_heads", {c.numHeads, kMaxHidden}},
        {"intermediate_size", {c.intermediateSize, kMaxIntermediate}},
        {"max_position_embeddings", {c.maxPositionEmbeddings, kMaxPositions}},
        {"number of labels (id2label)", {c.numLabels(), kMaxLabels}}};
    for (const auto& [key, v] : checks)
        if (auto s = range(source, key, v.first, 1, v.second); !s) return s;
    // Families that read no token types (DistilBERT, DeBERTa-v3) may have none.
    if (auto s = range(source, "type_vocab_size", c.typeVocabSize, c.usesTokenTypes() ? 1 : 0,
                       kMaxTypeVocab);
        !s)
        return s;
    if (c.hiddenSize % c.numHeads != 0)
        return Status::error(source + ": hidden_size " + std::to_string(c.hiddenSize) +
                             " is not divisible by num_attention_heads " +
                             std::to_string(c.numHeads));
    if (auto s = range(source, "pad_token_id", c.padTokenId, 0, c.vocabSize - 1); !s) return s;
    if (auto s = probability(source, "hidden_dropout_prob", c.hiddenDropout); !s) return s;
    if (auto s = probability(source, "attention_probs_dropout_prob", c.attentionDropout); !s)
        return s;
    if (!(c.layerNormEps > 0.0 && c.layerNormEps <= 1.0))
        return Status::error(source + ": layer_norm_eps must be a small positive number");
    for (size_t i = 0; i < c.id2label.size(); ++i)
        if (c.id2label[i].empty())
            return Status::error(source + ": id2label has no name for class " + std::to_string(i) +
                                 " (keys must be 0.." + std::to_string(c.id2label.size() - 1) +
                                 ", each once)");
    const int64_t h = c.hiddenSize;
    const int64_t perLayer = 4 * h * h + 2 * h * c.intermediateSize;
    const int64_t params = (int64_t(c.vocabSize) + c.maxPositionEmbeddings + c.typeVocabSize) * h +
                           int64_t(c.numLayers) * perLayer + h * h + h * c.numLabels();
    if (params > kMaxParameters)
        return Status::error(source + ": the configured model has " + std::to_string(params) +
                             " parameters, more than the " + std::to_string(kMaxParameters) +
                             " AttrScope accepts");
    return Status::success();
}

namespace {

// name → shape from the safetensors header alone (the tensor bytes are not read).
Expected<std::map<std::string, std::vector<int64_t>>> safetensorsShapes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char len[8];
    if (!in.read(reinterpret_cast<char*>(len), 8))
        return Status::error(path + ": file too short for a safetensors header (truncated?)");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | len[i];
    if (headerLen < 2 || headerLen > (100u << 20))
        return Status::error(path + ": invalid header length " + std::to_string(headerLen) +
                             " (truncated or not safetensors)");
    std::string header(headerLen, '\0');
    if (!in.read(&header[0], static_cast<std::streamsize>(headerLen)))
        return Status::error(path + ": header truncated");
    auto j = nlohmann::json::parse(header, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Status::error(path + ": header is not a JSON object");
    std::map<std::string, std::vector<int64_t>> shapes;
    for (auto& [name, value] : j.items()) {
        if (name == "__metadata__" || !value.is_object()) continue;
        auto sh = value.find("shape");
        if (sh == value.end() || !sh->is_array()) continue;  // the full reader reports it
        std::vector<int64_t> s;
        for (const auto& d : *sh)
            s.push_back(d.is_number_integer() ? d.get<int64_t>() : -1);
        shapes[name] = s;
    }
    return shapes;
}

// "bert.encoder.layer.3.output.dense.weight" → 3; -1 for other names.
// The layer of "encoder.layer.N." (BERT, RoBERTa, ELECTRA, DeBERTa) or "transformer.layer.N."
// (DistilBERT) keys; -1 for others (ALBERT shares its layers in groups).
int layerIndex(const std::string& key) {
    size_t pos = std::string::npos;
    for (const std::string marker : {"encoder.layer.", "transformer.layer."})
        if (const size_t at = key.find(marker); at != std::string::npos) {
            pos = at + marker.size();
            break;
        }
    if (pos == std::string::npos) return -1;
    int index = 0, digits = 0;
    while (pos < key.size() && key[pos] >= '0' && key[pos] <= '9' && digits < 6)
        index = index * 10 + (key[pos++] - '0'), ++digits;
    return digits ? index : -1;
}

}  // namespace

Status checkCheckpointShapes(const ModelConfig& c, const std::string& path) {
    std::map<std::string, std::vector<int64_t>> shapes;
    const bool safetensors = path.size() >= 12 && path.rfind(".safetensors") == path.size() - 12;
    if (safetensors) {
        auto s = safetensorsShapes(path);
        if (!s) return s.status();
        shapes = std::move(s.value());
    } else {
        auto tensors = readTorchCheckpoint(path);
        if (!tensors) return tensors.status();
        for (const auto& t : *tensors) shapes[t.name] = t.shape;
    }
    const int64_t h = c.hiddenSize, e = c.embeddingDim(), in = c.intermediateSize;
    // Names without the base-model prefix ("bert.", "roberta.", …; bare checkpoints have none).
    // The embeddings come first: a wrong vocab_size must be refused before it is allocated.
    const std::map<std::string, std::vector<int64_t>> expected = {
        {"embeddings.word_embeddings.weight", {c.vocabSize, e}},
        {"embeddings.position_embeddings.weight", {c.maxPositionEmbeddings, e}},
        {"embeddings.token_type_embeddings.weight", {c.typeVocabSize, e}},
        {"classifier.weight", {c.numLabels(), h}}};
    const std::map<std::string, std::vector<int64_t>> perLayer = {
        {"attention.self.query.weight", {h, h}},
        {"attention.self.key.weight", {h, h}},
        {"attention.self.value.weight", {h, h}},
        {"attention.self.query_proj.weight", {h, h}},
        {"attention.self.key_proj.weight", {h, h}},
        {"attention.self.value_proj.weight", {h, h}},
        {"intermediate.dense.weight", {in, h}},
        {"output.dense.weight", {h, in}},
        {"attention.q_lin.weight", {h, h}},  // DistilBERT
        {"attention.k_lin.weight", {h, h}},
        {"attention.v_lin.weight", {h, h}},
        {"ffn.lin1.weight", {in, h}},
        {"ffn.lin2.weight", {h, in}}};
    for (const auto& [name, shape] : shapes) {
        std::string key = name;
        for (const char* base : {"bert.", "roberta.", "distilbert.", "electra.", "albert.",
                                 "deberta."})
            if (key.rfind(base, 0) == 0) {
                key = key.substr(std::char_traits<char>::length(base));
                break;
            }
        std::vector<int64_t> want;
        if (auto it = expected.find(key); it != expected.end()) want = it->second;
        const int layer = layerIndex(key);
        if (layer >= c.numLayers)
            return Status::error(path + ": the checkpoint has layer " + std::to_string(layer) +
                                 " ('" + name + "') but config.json says " +
                                 (c.modelType == "distilbert" ? "n_layers " : "num_hidden_layers ") +
                                 std::to_string(c.numLayers));
        if (layer >= 0) {
            for (const std::string stack : {"encoder.layer.", "transformer.layer."}) {
                const std::string prefix = stack + std::to_string(layer) + ".";
                if (key.compare(0, prefix.size(), prefix) == 0)
                    if (auto it = perLayer.find(key.substr(prefix.size())); it != perLayer.end())
                        want = it->second;
            }
        }
        if (!want.empty() && shape != want)
            return Status::error(path + ": tensor '" + name + "' has shape " + shapeText(shape) +
                                 " but config.json implies " + shapeText(want));
    }
    return Status::success();
}

}  // namespace attrscope
