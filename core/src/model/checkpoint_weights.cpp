#include "model/checkpoint_weights.h"

#include <cstring>
#include <map>

#include "io/safetensors_file.h"
#include "io/torch_checkpoint_reader.h"

namespace attrscope {

// Both file formats are reduced to (name, dtype, shape, bytes) records.

namespace {

struct WeightRecord {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;
    size_t size = 0;
};

std::string shapeText(const std::vector<int64_t>& s) {
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

Expected<at::Tensor> toFloatTensor(const WeightRecord& r, const std::string& file) {
    at::ScalarType type;
    if (r.dtype == "F32")
        type = at::kFloat;
    else if (r.dtype == "F16")
        type = at::kHalf;
    else if (r.dtype == "BF16")
        type = at::kBFloat16;
    else if (r.dtype == "F64")
        type = at::kDouble;
    else
        return Status::error(file + ": tensor '" + r.name + "' has dtype " + r.dtype +
                             " (expected F32, F16 or BF16)");
    // Copy into an aligned buffer first: offsets inside a file need not be aligned.
    auto t = at::empty(r.shape, at::TensorOptions().dtype(type));
    if (static_cast<size_t>(t.nbytes()) != r.size)
        return Status::error(file + ": tensor '" + r.name + "' has an inconsistent byte size");
    if (r.size)
        std::memcpy(t.data_ptr(), r.data, r.size);
    return t.to(at::kFloat);
}

// The attribute name of the base model in a family's *ForSequenceClassification.
std::string basePrefix(const std::string& family) {
    if (family == "roberta" || family == "xlm-roberta")
        return "roberta.";
    if (family == "deberta-v2")
        return "deberta.";
    return family + ".";
}

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

// HF key → our parameter name. Returns "" for keys we knowingly ignore.
std::string canonicalKey(std::string key, const std::string& family) {
    auto endsWith = [&](const std::string& s) {
        return key.size() >= s.size() && key.compare(key.size() - s.size(), s.size(), s) == 0;
    };
    if (endsWith("position_ids") || startsWith(key, "cls."))
        return "";
    // Old TF-converted checkpoints name LayerNorm parameters gamma/beta.
    if (endsWith("LayerNorm.gamma"))
        key = key.substr(0, key.size() - 5) + "weight";
    if (endsWith("LayerNorm.beta"))
        key = key.substr(0, key.size() - 4) + "bias";
    // A bare base-model checkpoint (BertModel, RobertaModel, ...) has no prefix.
    const bool barePooler = startsWith(key, "pooler.") && (family == "bert" || family == "albert");
    if (startsWith(key, "embeddings.") || startsWith(key, "encoder.") ||
        startsWith(key, "transformer.") || startsWith(key, "embeddings_project.") || barePooler)
        return basePrefix(family) + key;
    return key;
}

// Parameters of the classification head (and pooler), which a bare checkpoint lacks.
bool isHeadKey(const std::string& key) {
    return startsWith(key, "classifier.") || startsWith(key, "pre_classifier.") ||
           startsWith(key, "pooler.") || key.find(".pooler.") != std::string::npos;
}

// Refuses a config.json that implies far more parameters than the weights file holds before
// anything is allocated (a wrong or hostile config must not allocate without bound).
Status checkConfigAgainstFile(const ModelConfig& c, const std::vector<WeightRecord>& records,
                              const std::string& file) {
    double stored = 0;
    for (const auto& r : records) {
        double n = 1;
        for (int64_t d : r.shape)
            n *= double(d);
        stored += n;
    }
    const double E = c.embeddingDim(), H = c.hiddenSize, I = c.intermediateSize;
    const double sets = c.modelType == "albert" ? c.numHiddenGroups : c.numLayers;
    const double implied = (double(c.vocabSize) + c.maxPositionEmbeddings + c.typeVocabSize) * E +
                           sets * (4 * H * H + 2 * H * I) + H * (H + c.numLabels());
    if (implied > 2.0 * stored + 1e6)
        return Status::error(file + ": config.json implies about " +
                             std::to_string(int64_t(implied)) + " parameters but the file holds " +
                             std::to_string(int64_t(stored)) +
                             " (does config.json belong to these weights?)");
    return Status::success();
}

// Validates the records against the config, builds the family's network and copies them in.
Status assignWeights(Model::Impl& impl, const std::vector<WeightRecord>& records,
                     const std::string& file) {
    if (auto s = checkConfigAgainstFile(impl.config, records, file); !s)
        return s;
    auto net = makeEncoderClassifier(impl.config);
    if (!net)
        return net.status();
    impl.net = *net;
    auto params = impl.net->named_parameters(/*recurse=*/true);
    std::map<std::string, bool> seen;
    std::vector<std::string> ignored;
    for (const auto& r : records) {
        const std::string key = canonicalKey(r.name, impl.config.modelType);
        if (key.empty())
            continue;
        at::Tensor* target = params.find(key);
        if (!target) {
            ignored.push_back(r.name);
            continue;
        }
        if (seen.count(key))
            return Status::error(file + ": tensor '" + key + "' appears twice");
        if (target->sizes().vec() != r.shape)
            return Status::error(file + ": tensor '" + r.name + "' has shape " +
                                 shapeText(r.shape) + " but config.json implies " +
                                 shapeText(target->sizes().vec()));
        auto t = toFloatTensor(r, file);
        if (!t)
            return t.status();
        if (!at::isfinite(*t).all().item<bool>())
            return Status::error(file + ": tensor '" + r.name + "' contains NaN or infinity");
        at::NoGradGuard noGrad;
        target->copy_(*t);
        seen[key] = true;
    }
    std::vector<std::string> missing;
    bool classifierMissing = false, poolerMissing = false;
    for (const auto& item : params) {
        if (seen.count(item.key()))
            continue;
        if (item.key().find("pooler") != std::string::npos)
            poolerMissing = true;
        else if (isHeadKey(item.key()))
            classifierMissing = true;
        else
            missing.push_back(item.key());
    }
    if (!missing.empty())
        return Status::error(
            file + ": missing tensor '" + missing.front() + "'" +
            (missing.size() > 1 ? " and " + std::to_string(missing.size() - 1) + " more"
                                : std::string()) +
            " (is this a " + impl.config.modelType + " checkpoint matching config.json?)");
    impl.hasPooler = !poolerMissing;
    if (classifierMissing || poolerMissing) {
        impl.hasClassifier = false;
        impl.warnings.push_back(
            "no classification head in the checkpoint (a bare base model): attention can be "
            "shown, but predictions and attribution need a fine-tuned classifier");
    }
    if (!ignored.empty())
        impl.warnings.push_back("ignored " + std::to_string(ignored.size()) +
                                " unexpected tensor(s), e.g. '" + ignored.front() + "'");
    return Status::success();
}

}  // namespace

Status loadSafetensors(Model::Impl& impl, const std::string& path) {
    auto file = SafetensorsFile::open(path);
    if (!file)
        return file.status();
    std::vector<WeightRecord> records;
    for (const auto& e : file->entries())
        records.push_back({e.name, e.dtype, e.shape, file->data(e), size_t(e.end - e.begin)});
    return assignWeights(impl, records, path);
}

Status loadTorchBin(Model::Impl& impl, const std::string& path) {
    auto tensors = readTorchCheckpoint(path);
    if (!tensors)
        return tensors.status();
    std::vector<WeightRecord> records;
    for (const auto& t : *tensors)
        records.push_back({t.name, t.dtype, t.shape, t.bytes.data(), t.bytes.size()});
    return assignWeights(impl, records, path);
}

}  // namespace attrscope
