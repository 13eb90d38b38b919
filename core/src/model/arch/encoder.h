#pragma once
// The family-neutral encoder classifier every architecture implements (bert.cpp, roberta.cpp,
// distilbert.cpp, electra.cpp, albert.cpp, deberta_v2.cpp). All supported families are
// post-LayerNorm encoders whose head reads the first token only, so one layer computation serves
// them all: a family supplies its module tree (named as the Hugging Face keys), its embeddings,
// its head, the tensors of each layer, and (DeBERTa) extra attention-score terms.
// The forward is split into embed / layer / classify so the attribution engine can start at a
// cached hidden state, substitute one layer's attention probabilities and compute only the first
// token where nothing else is read.

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <memory>
#include <mutex>
#include <vector>

#include "attrscope/model/model_config.h"
#include "attrscope/status.h"

namespace attrscope {

// What one layer's forward should do besides the ordinary computation.
struct LayerHooks {
    // Used in place of the attention probabilities: [B or 1, H, q, n] where q = n, or 1 with
    // clsOnly.
    const at::Tensor* replaceProbs = nullptr;
    at::Tensor* recordProbs = nullptr;    // receives the post-softmax probabilities
    const at::Tensor* keyMask = nullptr;  // additive [B, 1, 1, n] (−10000 on padding) or null
    const at::Tensor* headMask = nullptr; // multiplicative [H] on the probabilities, or null
    bool clsOnly = false;  // compute only query row 0; the output is [B, 1, d]
    bool train = false;    // dropout on
};

// The parameters of one post-LN layer, whatever the family calls them (handles, not copies).
struct LayerWeights {
    at::Tensor queryWeight, queryBias, keyWeight, keyBias, valueWeight, valueBias;
    at::Tensor outputWeight, outputBias, attentionNormWeight, attentionNormBias;
    at::Tensor ffnInWeight, ffnInBias, ffnOutWeight, ffnOutBias, outputNormWeight,
        outputNormBias;
};

struct EncoderOutput {
    at::Tensor logits;                 // [B, C]
    std::vector<at::Tensor> attention; // per layer [B, H, n, n] when recorded
    std::vector<at::Tensor> hidden;    // per layer input [B, n, d] when recorded
};

class EncoderClassifierImpl : public torch::nn::Module {
public:
    using Output = EncoderOutput;
    explicit EncoderClassifierImpl(const ModelConfig& c) : config(c) {}

    ModelConfig config;

    int numLayers() const { return config.numLayers; }

    // ids, segments: [B, n] int64 → [B, n, d]. Families without token types ignore segments.
    virtual at::Tensor embed(const at::Tensor& ids, const at::Tensor& segments,
                             bool train = false) const = 0;
    // The head on the final first-token vectors [B, d] → logits [B, C].
    virtual at::Tensor classify(const at::Tensor& cls, bool train = false) const = 0;

    // One encoder layer (one application for ALBERT) on h [B or 1, n, d].
    at::Tensor layer(int l, const at::Tensor& h, const LayerHooks& hooks) const;
    // The value projection of layer l split into heads: [B, H, n, dh].
    at::Tensor values(int l, const at::Tensor& h) const;
    // Layer l's post-softmax attention probabilities on h [B, n, d]: [B, H, n, n]
    // (keyMask additive [B, 1, 1, n] or undefined). Differentiable.
    at::Tensor attentionProbs(int l, const at::Tensor& h, const at::Tensor& keyMask) const;
    // Everything of layer l after the attention probabilities: context = probs·V, output
    // projection, residual with h, LayerNorm, FFN. probs [B, H, q, n], V [1|B, H, n, dh],
    // residual h [1|B, q, d].
    at::Tensor finishLayer(int l, const at::Tensor& probs, const at::Tensor& v,
                           const at::Tensor& residual, bool train = false) const;

    // headMask: [L, H] multiplicative, or undefined.
    Output forward(const at::Tensor& ids, const at::Tensor& segments, const at::Tensor& keyMask,
                   const at::Tensor& headMask, bool recordAttention, bool recordHidden,
                   bool train = false) const;

protected:
    // The tensors of layer l; ALBERT returns its shared group's for every application.
    virtual LayerWeights layerWeights(int l) const = 0;
    // Which distinct weight set layer l uses (the fused-projection cache is per set).
    virtual int weightGroup(int l) const { return l; }
    virtual int numWeightGroups() const { return config.numLayers; }
    // Pre-softmax scores of layer l from q [B, H, q, dh] (query rows 0..q-1) and k [B, H, n, dh].
    // Default: q·kᵀ/√dh. DeBERTa adds its relative-position terms.
    virtual at::Tensor scores(int l, const at::Tensor& q, const at::Tensor& k) const;

    at::Tensor activation(const at::Tensor& x) const;
    at::Tensor splitHeads(const at::Tensor& x) const;  // [B, n, d] → [B, H, n, dh]
    at::Tensor mergeHeads(const at::Tensor& x) const;  // [B, H, n, dh] → [B, n, d]

private:
    // Q, K and V projections concatenated into one weight per weight set, so inference runs one
    // large GEMM instead of three. Rebuilt whenever a source tensor changes (its version counter
    // moves), so training and weight loading never see stale copies.
    struct FusedProjection {
        at::Tensor qkvWeight, qkvBias;  // [3d, d], [3d]
        at::Tensor kvWeight, kvBias;    // views of the K and V rows
        int64_t version = -1;
    };
    FusedProjection fused(int l, const LayerWeights& w) const;  // a copy: the cache may change
    mutable std::mutex fusedMutex_;  // inference may run on several threads at once
    mutable std::vector<FusedProjection> fused_;
};

using EncoderClassifier = std::shared_ptr<EncoderClassifierImpl>;

// The model of config.modelType with freshly initialised parameters; fails for an unknown family.
Expected<EncoderClassifier> makeEncoderClassifier(const ModelConfig& config);

// The quantity attributed, per class: softmax (single-label), sigmoid (multi-label) or the raw
// output (regression) of logits [B, C].
at::Tensor classScores(const ModelConfig& config, const at::Tensor& logits);

// The activations named in configs: gelu (erf), gelu_new / gelu_pytorch_tanh (tanh form), relu.
at::Tensor applyActivation(const std::string& name, const at::Tensor& x);

}  // namespace attrscope
