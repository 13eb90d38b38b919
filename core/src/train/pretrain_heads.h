#pragma once
// The pre-training heads of BertForMaskedLM / BertForPreTraining: the masked-LM head
// (cls.predictions.*), written with the encoder as a Hugging Face folder, and read back when a
// run continues from such a folder (`--init-from`: continued, in-domain pre-training).

#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <nlohmann/json.hpp>
#include <string>

#include "attrscope/model/weight_dtype.h"
#include "attrscope/status.h"
#include "model/model_impl.h"

namespace attrscope {

// cls.predictions.*: transform (dense, GELU, LayerNorm), then the decoder tied to the word
// embeddings, plus an output bias.
struct MaskedLmHeadImpl : torch::nn::Module {
    MaskedLmHeadImpl(int hidden, int vocab, double eps);
    // h [M, d] at the masked positions → logits [M, V].
    at::Tensor forward(const at::Tensor& h, const at::Tensor& wordEmbeddings);
    torch::nn::Linear dense{nullptr};
    torch::nn::LayerNorm LayerNorm{nullptr};
    at::Tensor bias;
};
TORCH_MODULE(MaskedLmHead);

// Writes the encoder (the pooler only with a pair head), the masked-LM head and the pair head
// (cls.seq_relationship.*) as an HF folder, then `log` as pretraining_log.json.
Status saveMaskedLm(const Model& model, MaskedLmHead& head, torch::nn::Linear* pairHead,
                    const std::string& outDir, WeightDtype dtype, const nlohmann::json& log);

// Copies the heads saved in `folder`'s model.safetensors into `head` and `pairHead` (may be
// null). A head the folder lacks keeps its fresh weights and is named in `fresh`.
Status loadPretrainedHeads(const std::string& folder, MaskedLmHead& head,
                           torch::nn::Linear* pairHead, std::vector<std::string>& fresh);

}  // namespace attrscope
