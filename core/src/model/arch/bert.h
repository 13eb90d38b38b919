#pragma once
// BertForSequenceClassification in LibTorch. Module names equal the Hugging Face checkpoint keys
// (bert.encoder.layer.3.attention.self.query.weight, ...), so loading is a name lookup.
// The forward is split into embed / layer / classify so the attribution engine can start at a
// cached hidden state, substitute one layer's attention probabilities and compute only [CLS]
// where nothing else is read.

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <mutex>
#include <vector>

#include "attrscope/model/model_config.h"

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
    explicit BertModelImpl(const ModelConfig& c);
    BertEmbeddings embeddings{nullptr};
    BertEncoder encoder{nullptr};
    BertPooler pooler{nullptr};
};
TORCH_MODULE(BertModel);

// What one layer's forward should do besides the ordinary computation.
struct LayerHooks {
    // Used in place of softmax(QKᵀ/√d + mask): [B or 1, H, q, n] where q = n, or 1 with clsOnly.
    const at::Tensor* replaceProbs = nullptr;
    at::Tensor* recordProbs = nullptr;    // receives the post-softmax probabilities
    const at::Tensor* keyMask = nullptr;  // additive [B, 1, 1, n] (−10000 on padding) or null
    const at::Tensor* headMask = nullptr; // multiplicative [H] on the probabilities, or null
    bool clsOnly = false;  // compute only query row 0; the output is [B, 1, d]
    bool train = false;    // dropout on
};

struct BertForSequenceClassificationImpl : torch::nn::Module {
    explicit BertForSequenceClassificationImpl(const ModelConfig& c);

    ModelConfig config;
    BertModel bert{nullptr};
    torch::nn::Linear classifier{nullptr};

    int numLayers() const { return config.numLayers; }
    BertLayer layerModule(int l) const;

    // ids, segments: [B, n] int64 → [B, n, d]
    at::Tensor embed(const at::Tensor& ids, const at::Tensor& segments, bool train = false) const;
    // One encoder layer on h [B or 1, n, d].
    at::Tensor layer(int l, const at::Tensor& h, const LayerHooks& hooks) const;
    // The value projection of layer l split into heads: [B, H, n, dh].
    at::Tensor values(int l, const at::Tensor& h) const;
    // Everything of layer l after the attention probabilities: context = probs·V, output
    // projection, residual with h, LayerNorm, FFN. probs [B, H, q, n], V [1|B, H, n, dh],
    // residual h [1|B, q, d].
    at::Tensor finishLayer(int l, const at::Tensor& probs, const at::Tensor& v,
                           const at::Tensor& residual, bool train = false) const;
    // Pooler + classifier on the final [CLS] vectors [B, d] → logits [B, C].
    at::Tensor classify(const at::Tensor& cls, bool train = false) const;

    struct Output {
        at::Tensor logits;                 // [B, C]
        std::vector<at::Tensor> attention; // per layer [B, H, n, n] when recorded
        std::vector<at::Tensor> hidden;    // per layer input [B, n, d] when recorded
    };
    // headMask: [L, H] multiplicative, or undefined.
    Output forward(const at::Tensor& ids, const at::Tensor& segments, const at::Tensor& keyMask,
                   const at::Tensor& headMask, bool recordAttention, bool recordHidden,
                   bool train = false) const;

private:
    // Q, K and V projections concatenated into one weight per layer, so inference runs one large
    // GEMM instead of three. Rebuilt whenever a source tensor changes (its version counter moves),
    // so training and weight loading never see stale copies.
    struct FusedProjection {
        at::Tensor qkvWeight, qkvBias;  // [3d, d], [3d]
        at::Tensor kvWeight, kvBias;    // views of the K and V rows
        int64_t version = -1;
    };
    FusedProjection fused(int l) const;  // a copy: tensors are shared, the cache may change
    mutable std::mutex fusedMutex_;        // inference may run on several threads at once
    mutable std::vector<FusedProjection> fused_;

    at::Tensor activation(const at::Tensor& x) const;
    at::Tensor splitHeads(const at::Tensor& x) const;  // [B, n, d] → [B, H, n, dh]
    at::Tensor mergeHeads(const at::Tensor& x) const;  // [B, H, n, dh] → [B, n, d]
};
TORCH_MODULE(BertForSequenceClassification);

}  // namespace attrscope
