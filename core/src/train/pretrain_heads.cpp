#include "pretrain_heads.h"

#include <cstring>
#include <map>

#include "io/file_util.h"
#include "io/safetensors_file.h"
#include "model/checkpoint_writer.h"

namespace attrscope {

MaskedLmHeadImpl::MaskedLmHeadImpl(int hidden, int vocab, double eps) {
    dense = register_module("dense", torch::nn::Linear(hidden, hidden));
    LayerNorm = register_module(
        "LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden}).eps(eps)));
    bias = register_parameter("bias", at::zeros({vocab}));
}

at::Tensor MaskedLmHeadImpl::forward(const at::Tensor& h, const at::Tensor& wordEmbeddings) {
    // float32 into LayerNorm: with bf16 products the dense output is bfloat16.
    return at::linear(LayerNorm(at::gelu(dense(h)).to(at::kFloat)), wordEmbeddings, bias);
}

namespace {

// The Hugging Face key of each head parameter.
std::vector<std::pair<std::string, at::Tensor>> headKeys(MaskedLmHead& head,
                                                         torch::nn::Linear* pairHead) {
    std::vector<std::pair<std::string, at::Tensor>> keys;
    for (const auto& item : head->named_parameters())
        keys.emplace_back(item.key() == "bias" ? "cls.predictions.bias"
                                               : "cls.predictions.transform." + item.key(),
                          item.value());
    if (pairHead)
        for (const auto& item : (*pairHead)->named_parameters())
            keys.emplace_back("cls.seq_relationship." + item.key(), item.value());
    return keys;
}

}  // namespace

Status saveMaskedLm(const Model& model, MaskedLmHead& head, torch::nn::Linear* pairHead,
                    const std::string& outDir, WeightDtype dtype, const nlohmann::json& log) {
    const Model::Impl& impl = ModelAccess::impl(model);
    std::vector<SafetensorsTensor> tensors;
    for (const auto& item : impl.net->named_parameters()) {
        const std::string& k = item.key();
        if ((k.rfind("bert.pooler.", 0) == 0 && !pairHead) || k.rfind("classifier.", 0) == 0)
            continue;
        tensors.push_back(float32Safetensor(k, item.value()));
    }
    for (const auto& [key, value] : headKeys(head, pairHead))
        tensors.push_back(float32Safetensor(key, value));
    nlohmann::json config = nlohmann::json::parse(impl.config.toJson());
    config["architectures"] = {pairHead ? "BertForPreTraining" : "BertForMaskedLM"};
    config.erase("id2label");
    config.erase("label2id");
    config.erase("num_labels");
    if (auto s = writeCheckpointAs(impl, outDir, std::move(tensors), config.dump(2) + "\n", dtype);
        !s)
        return s;
    return writeFileAtomically(joinPath(outDir, "pretraining_log.json"), log.dump(1) + "\n");
}

Status loadPretrainedHeads(const std::string& folder, MaskedLmHead& head,
                           torch::nn::Linear* pairHead, std::vector<std::string>& fresh) {
    const std::string path = joinPath(folder, "model.safetensors");
    auto file = SafetensorsFile::open(path);
    if (!file)
        return file.status();
    std::map<std::string, const SafetensorsEntry*> byName;
    for (const auto& e : file->entries())
        byName[e.name] = &e;
    static const std::map<std::string, at::ScalarType> kFloat = {
        {"F32", at::kFloat}, {"F16", at::kHalf}, {"BF16", at::kBFloat16}, {"F64", at::kDouble}};
    at::NoGradGuard noGrad;
    for (auto& [key, target] : headKeys(head, pairHead)) {
        auto it = byName.find(key);
        if (it == byName.end()) {
            fresh.push_back(key);
            continue;
        }
        const SafetensorsEntry& e = *it->second;
        auto type = kFloat.find(e.dtype);
        if (type == kFloat.end())
            return Status::error(path + ": " + key + " is " + e.dtype + ", not a float type");
        if (!target.sizes().equals(e.shape))
            return Status::error(path + ": " + key + " has another shape than this model's");
        // The file checked e.end - e.begin against dtype and shape when it was opened.
        at::Tensor saved = at::empty(e.shape, at::TensorOptions().dtype(type->second));
        std::memcpy(saved.data_ptr(), file->data(e), e.end - e.begin);
        target.copy_(saved.to(target.device(), at::kFloat));
    }
    return Status::success();
}

}  // namespace attrscope
