#pragma once
// BertForSequenceClassification in LibTorch. Module names equal the Hugging Face checkpoint keys
// (bert.encoder.layer.3.attention.self.query.weight, ...), so loading is a name lookup. The layer
// computation is the family-neutral one of encoder.h; RoBERTa and ELECTRA reuse these modules.

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "model/arch/encoder.h"

namespace attrscope {

struct BertSelfAttentionImpl : torch::nn::Module {
    explicit BertSelfAttentionImpl(const ModelConfig& c);
    torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
};
TORCH_MODULE(BertSelfAttention);

struct BertDenseNormImpl : torch::nn::Module {  // BertSelfOutput and BertOutput
    BertDenseNormImpl(const ModelConfig& c, int in);
    torch::nn::Linear dense{nullptr};
    torch::nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(BertDenseNorm);

struct BertAttentionImpl : torch::nn::Module {
    explicit BertAttentionImpl(const ModelConfig& c);
    BertSelfAttention self{nullptr};
    BertDenseNorm output{nullptr};
};
TORCH_MODULE(BertAttention);

struct BertIntermediateImpl : torch::nn::Module {
    explicit BertIntermediateImpl(const ModelConfig& c);
    torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertIntermediate);

struct BertLayerImpl : torch::nn::Module {
    explicit BertLayerImpl(const ModelConfig& c);
    BertAttention attention{nullptr};
    BertIntermediate intermediate{nullptr};
    BertDenseNorm output{nullptr};
};
TORCH_MODULE(BertLayer);

struct BertEmbeddingsImpl : torch::nn::Module {
    explicit BertEmbeddingsImpl(const ModelConfig& c);
    torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr},
        token_type_embeddings{nullptr};
    torch::nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(BertEmbeddings);

struct BertEncoderImpl : torch::nn::Module {
    explicit BertEncoderImpl(const ModelConfig& c);
    torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(BertEncoder);

struct BertPoolerImpl : torch::nn::Module {
    explicit BertPoolerImpl(const ModelConfig& c);
    torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertPooler);

struct BertModelImpl : torch::nn::Module {
    explicit BertModelImpl(const ModelConfig& c, bool withPooler = true);
    BertEmbeddings embeddings{nullptr};
    BertEncoder encoder{nullptr};
    BertPooler pooler{nullptr};
};
TORCH_MODULE(BertModel);

struct BertForSequenceClassificationImpl : EncoderClassifierImpl {
    explicit BertForSequenceClassificationImpl(const ModelConfig& c);

    BertModel bert{nullptr};
    torch::nn::Linear classifier{nullptr};

    BertLayer layerModule(int l) const;

    at::Tensor embed(const at::Tensor& ids, const at::Tensor& segments,
                     bool train = false) const override;
    // Pooler + classifier on the final [CLS] vectors [B, d] → logits [B, C].
    at::Tensor classify(const at::Tensor& cls, bool train = false) const override;

protected:
    LayerWeights layerWeights(int l) const override;
};
TORCH_MODULE(BertForSequenceClassification);

// The tensors of one BERT-named layer (shared with RoBERTa and ELECTRA, which reuse its names).
LayerWeights bertLayerWeights(const BertLayerImpl& layer);
// word + position + token type embeddings, then LayerNorm over the embedding width.
at::Tensor bertEmbeddings(const BertEmbeddingsImpl& e, const ModelConfig& c, const at::Tensor& ids,
                          const at::Tensor& positions, const at::Tensor& segments, bool train);

}  // namespace attrscope
