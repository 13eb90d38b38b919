#include "model/arch/encoder.h"

#include <cmath>

namespace attrscope {

// Defined in the family files (one per architecture).
EncoderClassifier makeBert(const ModelConfig& c);
EncoderClassifier makeRoberta(const ModelConfig& c);
EncoderClassifier makeDistilBert(const ModelConfig& c);
EncoderClassifier makeElectra(const ModelConfig& c);
EncoderClassifier makeAlbert(const ModelConfig& c);
EncoderClassifier makeDebertaV2(const ModelConfig& c);

Expected<EncoderClassifier> makeEncoderClassifier(const ModelConfig& c) {
    const std::string& t = c.modelType;
    if (t == "bert") return makeBert(c);
    if (t == "roberta" || t == "xlm-roberta") return makeRoberta(c);
    if (t == "distilbert") return makeDistilBert(c);
    if (t == "electra") return makeElectra(c);
    if (t == "albert") return makeAlbert(c);
    if (t == "deberta-v2") return makeDebertaV2(c);
    return Status::error("model_type '" + t + "' is not supported (" +
                         ModelConfig::supportedFamilies() + ")");
}

at::Tensor classScores(const ModelConfig& config, const at::Tensor& logits) {
    if (config.problemType == ProblemType::MultiLabel) return at::sigmoid(logits);
    if (config.problemType == ProblemType::Regression) return logits;
    return at::softmax(logits, -1);
}

at::Tensor applyActivation(const std::string& name, const at::Tensor& x) {
    if (name == "relu") return at::relu(x);
    if (name == "tanh") return at::tanh(x);
    if (name == "gelu_new" || name == "gelu_pytorch_tanh") return at::gelu(x, "tanh");
    return at::gelu(x);  // exact erf form, as BERT and the official code
}

at::Tensor EncoderClassifierImpl::activation(const at::Tensor& x) const {
    return applyActivation(config.hiddenAct, x);
}

at::Tensor EncoderClassifierImpl::splitHeads(const at::Tensor& x) const {
    const int64_t H = config.numHeads;
    // reshape, not view: x may be a column slice of the fused QKV output.
    return x.reshape({x.size(0), x.size(1), H, config.headDim()}).transpose(1, 2);
}

at::Tensor EncoderClassifierImpl::mergeHeads(const at::Tensor& x) const {
    return x.transpose(1, 2).reshape({x.size(0), x.size(2), config.hiddenSize});
}

at::Tensor EncoderClassifierImpl::scores(int /*l*/, const at::Tensor& q,
                                         const at::Tensor& k) const {
    return at::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(config.headDim()));
}

at::Tensor EncoderClassifierImpl::values(int l, const at::Tensor& h) const {
    const auto w = layerWeights(l);
    return splitHeads(at::linear(h, w.valueWeight, w.valueBias));
}

at::Tensor EncoderClassifierImpl::attentionProbs(int l, const at::Tensor& h,
                                                 const at::Tensor& keyMask) const {
    const auto w = layerWeights(l);
    auto q = splitHeads(at::linear(h, w.queryWeight, w.queryBias));
    auto k = splitHeads(at::linear(h, w.keyWeight, w.keyBias));
    auto s = scores(l, q, k);
    if (keyMask.defined()) s = s + keyMask;
    return at::softmax(s, -1);
}

at::Tensor EncoderClassifierImpl::finishLayer(int l, const at::Tensor& probs, const at::Tensor& v,
                                              const at::Tensor& residual, bool train) const {
    const auto w = layerWeights(l);
    const double eps = config.layerNormEps;
    auto ctx = mergeHeads(at::matmul(probs, v));
    auto x = at::dropout(at::linear(ctx, w.outputWeight, w.outputBias), config.hiddenDropout,
                         train);
    x = at::layer_norm(x + residual, {config.hiddenSize}, w.attentionNormWeight,
                       w.attentionNormBias, eps);
    auto inter = activation(at::linear(x, w.ffnInWeight, w.ffnInBias));
    auto y = at::dropout(at::linear(inter, w.ffnOutWeight, w.ffnOutBias), config.hiddenDropout,
                         train);
    return at::layer_norm(y + x, {config.hiddenSize}, w.outputNormWeight, w.outputNormBias, eps);
}

EncoderClassifierImpl::FusedProjection EncoderClassifierImpl::fused(int l,
                                                                    const LayerWeights& w) const {
    std::lock_guard<std::mutex> lock(fusedMutex_);
    if (fused_.size() != static_cast<size_t>(numWeightGroups()))
        fused_.assign(static_cast<size_t>(numWeightGroups()), FusedProjection());
    const at::Tensor* parts[] = {&w.queryWeight, &w.keyWeight, &w.valueWeight,
                                 &w.queryBias,   &w.keyBias,   &w.valueBias};
    int64_t version = 0;
    for (const auto* t : parts) version += static_cast<int64_t>(t->_version());
    auto& f = fused_[static_cast<size_t>(weightGroup(l))];
    if (f.version != version || !f.qkvWeight.defined() ||
        f.qkvWeight.device() != w.queryWeight.device()) {
        at::NoGradGuard noGrad;
        const int64_t d = config.hiddenSize;
        f.qkvWeight = at::cat({w.queryWeight, w.keyWeight, w.valueWeight}, 0);
        f.qkvBias = at::cat({w.queryBias, w.keyBias, w.valueBias}, 0);
        f.kvWeight = f.qkvWeight.narrow(0, d, 2 * d);
        f.kvBias = f.qkvBias.narrow(0, d, 2 * d);
        f.version = version;
    }
    return f;
}

at::Tensor EncoderClassifierImpl::layer(int l, const at::Tensor& h,
                                        const LayerHooks& hooks) const {
    const auto w = layerWeights(l);
    at::Tensor queryInput = hooks.clsOnly ? h.narrow(1, 0, 1) : h;
    // Fused projections only where no parameter gradient is wanted (they are copies).
    const bool useFused = !hooks.train && !w.queryWeight.requires_grad();
    const int64_t d = config.hiddenSize;
    at::Tensor q, k, v;
    if (hooks.replaceProbs) {
        v = splitHeads(at::linear(h, w.valueWeight, w.valueBias));
    } else if (useFused && !hooks.clsOnly) {
        const auto f = fused(l, w);
        auto qkv = at::linear(h, f.qkvWeight, f.qkvBias);
        q = splitHeads(qkv.narrow(2, 0, d));
        k = splitHeads(qkv.narrow(2, d, d));
        v = splitHeads(qkv.narrow(2, 2 * d, d));
    } else if (useFused) {
        const auto f = fused(l, w);
        auto kv = at::linear(h, f.kvWeight, f.kvBias);
        k = splitHeads(kv.narrow(2, 0, d));
        v = splitHeads(kv.narrow(2, d, d));
        q = splitHeads(at::linear(queryInput, w.queryWeight, w.queryBias));
    } else {
        q = splitHeads(at::linear(queryInput, w.queryWeight, w.queryBias));
        k = splitHeads(at::linear(h, w.keyWeight, w.keyBias));
        v = splitHeads(at::linear(h, w.valueWeight, w.valueBias));
    }
    at::Tensor probs;
    if (hooks.replaceProbs) {
        probs = *hooks.replaceProbs;  // Q and K are not needed at all
    } else {
        auto s = scores(l, q, k);
        if (hooks.keyMask) s = s + *hooks.keyMask;
        probs = at::softmax(s, -1);
        if (hooks.recordProbs) *hooks.recordProbs = probs;
        probs = at::dropout(probs, config.attentionDropout, hooks.train);
    }
    if (hooks.headMask) probs = probs * hooks.headMask->view({1, -1, 1, 1});
    return finishLayer(l, probs, v, queryInput, hooks.train);
}

EncoderClassifierImpl::Output EncoderClassifierImpl::forward(
    const at::Tensor& ids, const at::Tensor& segments, const at::Tensor& keyMask,
    const at::Tensor& headMask, bool recordAttention, bool recordHidden, bool train) const {
    Output out;
    auto h = embed(ids, segments, train);
    for (int l = 0; l < config.numLayers; ++l) {
        if (recordHidden) out.hidden.push_back(h);
        LayerHooks hooks;
        at::Tensor probs, mask;
        if (recordAttention) hooks.recordProbs = &probs;
        if (keyMask.defined()) hooks.keyMask = &keyMask;
        if (headMask.defined()) {
            mask = headMask[l];
            hooks.headMask = &mask;
        }
        hooks.train = train;
        h = layer(l, h, hooks);
        if (recordAttention) out.attention.push_back(probs);
    }
    out.logits = classify(h.select(1, 0), train);
    return out;
}

}  // namespace attrscope
