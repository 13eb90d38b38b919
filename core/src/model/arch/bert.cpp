#include "model/arch/bert.h"

#include <cmath>

namespace attrscope {

namespace nn = torch::nn;

namespace {
nn::LayerNorm makeNorm(const ModelConfig& c) {
    return nn::LayerNorm(nn::LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps));
}
}  // namespace

BertSelfAttentionImpl::BertSelfAttentionImpl(const ModelConfig& c) {
    query = register_module("query", nn::Linear(c.hiddenSize, c.hiddenSize));
    key = register_module("key", nn::Linear(c.hiddenSize, c.hiddenSize));
    value = register_module("value", nn::Linear(c.hiddenSize, c.hiddenSize));
}

BertDenseNormImpl::BertDenseNormImpl(const ModelConfig& c, int in) {
    dense = register_module("dense", nn::Linear(in, c.hiddenSize));
    LayerNorm = register_module("LayerNorm", makeNorm(c));
}

BertAttentionImpl::BertAttentionImpl(const ModelConfig& c) {
    self = register_module("self", BertSelfAttention(c));
    output = register_module("output", BertDenseNorm(c, c.hiddenSize));
}

BertIntermediateImpl::BertIntermediateImpl(const ModelConfig& c) {
    dense = register_module("dense", nn::Linear(c.hiddenSize, c.intermediateSize));
}

BertLayerImpl::BertLayerImpl(const ModelConfig& c) {
    attention = register_module("attention", BertAttention(c));
    intermediate = register_module("intermediate", BertIntermediate(c));
    output = register_module("output", BertDenseNorm(c, c.intermediateSize));
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const ModelConfig& c) {
    word_embeddings = register_module("word_embeddings", nn::Embedding(c.vocabSize, c.hiddenSize));
    position_embeddings = register_module("position_embeddings",
                                          nn::Embedding(c.maxPositionEmbeddings, c.hiddenSize));
    token_type_embeddings =
        register_module("token_type_embeddings", nn::Embedding(c.typeVocabSize, c.hiddenSize));
    LayerNorm = register_module("LayerNorm", makeNorm(c));
}

BertEncoderImpl::BertEncoderImpl(const ModelConfig& c) {
    layer = register_module("layer", nn::ModuleList());
    for (int i = 0; i < c.numLayers; ++i) layer->push_back(BertLayer(c));
}

BertPoolerImpl::BertPoolerImpl(const ModelConfig& c) {
    dense = register_module("dense", nn::Linear(c.hiddenSize, c.hiddenSize));
}

BertModelImpl::BertModelImpl(const ModelConfig& c) {
    embeddings = register_module("embeddings", BertEmbeddings(c));
    encoder = register_module("encoder", BertEncoder(c));
    pooler = register_module("pooler", BertPooler(c));
}

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const ModelConfig& c)
    : config(c) {
    bert = register_module("bert", BertModel(c));
    classifier = register_module("classifier", nn::Linear(c.hiddenSize, c.numLabels()));
}

BertLayer BertForSequenceClassificationImpl::layerModule(int l) const {
    return bert->encoder->layer->ptr<BertLayerImpl>(static_cast<size_t>(l));
}

at::Tensor BertForSequenceClassificationImpl::activation(const at::Tensor& x) const {
    if (config.hiddenAct == "relu") return at::relu(x);
    if (config.hiddenAct == "gelu_new" || config.hiddenAct == "gelu_pytorch_tanh")
        return at::gelu(x, "tanh");
    return at::gelu(x);  // exact erf form, as BERT and the official code
}

at::Tensor BertForSequenceClassificationImpl::splitHeads(const at::Tensor& x) const {
    const int64_t H = config.numHeads;
    // reshape, not view: x may be a column slice of the fused QKV output.
    return x.reshape({x.size(0), x.size(1), H, config.headDim()}).transpose(1, 2);
}

at::Tensor BertForSequenceClassificationImpl::mergeHeads(const at::Tensor& x) const {
    return x.transpose(1, 2).reshape({x.size(0), x.size(2), config.hiddenSize});
}

at::Tensor BertForSequenceClassificationImpl::embed(const at::Tensor& ids,
                                                    const at::Tensor& segments, bool train) const {
    const auto& e = bert->embeddings;
    auto positions = at::arange(ids.size(1), ids.options()).unsqueeze(0);
    auto x = at::embedding(e->word_embeddings->weight, ids) +
             at::embedding(e->position_embeddings->weight, positions) +
             at::embedding(e->token_type_embeddings->weight, segments);
    x = at::layer_norm(x, {config.hiddenSize}, e->LayerNorm->weight, e->LayerNorm->bias,
                       config.layerNormEps);
    return at::dropout(x, config.hiddenDropout, train);
}

at::Tensor BertForSequenceClassificationImpl::values(int l, const at::Tensor& h) const {
    const auto& a = layerModule(l)->attention->self;
    return splitHeads(at::linear(h, a->value->weight, a->value->bias));
}

at::Tensor BertForSequenceClassificationImpl::finishLayer(int l, const at::Tensor& probs,
                                                          const at::Tensor& v,
                                                          const at::Tensor& residual,
                                                          bool train) const {
    const auto m = layerModule(l);
    auto ctx = mergeHeads(at::matmul(probs, v));
    const auto& so = m->attention->output;
    auto x = at::dropout(at::linear(ctx, so->dense->weight, so->dense->bias), config.hiddenDropout,
                         train);
    x = at::layer_norm(x + residual, {config.hiddenSize}, so->LayerNorm->weight,
                       so->LayerNorm->bias, config.layerNormEps);
    auto inter = activation(
        at::linear(x, m->intermediate->dense->weight, m->intermediate->dense->bias));
    const auto& o = m->output;
    auto y = at::dropout(at::linear(inter, o->dense->weight, o->dense->bias), config.hiddenDropout,
                         train);
    return at::layer_norm(y + x, {config.hiddenSize}, o->LayerNorm->weight, o->LayerNorm->bias,
                          config.layerNormEps);
}

BertForSequenceClassificationImpl::FusedProjection BertForSequenceClassificationImpl::fused(
    int l) const {
    std::lock_guard<std::mutex> lock(fusedMutex_);
    if (fused_.size() != static_cast<size_t>(config.numLayers))
        fused_.assign(static_cast<size_t>(config.numLayers), FusedProjection());
    const auto& a = layerModule(l)->attention->self;
    const at::Tensor* parts[] = {&a->query->weight, &a->key->weight, &a->value->weight,
                                 &a->query->bias,   &a->key->bias,   &a->value->bias};
    int64_t version = 0;
    for (const auto* t : parts) version += static_cast<int64_t>(t->_version());
    auto& f = fused_[static_cast<size_t>(l)];
    if (f.version != version || !f.qkvWeight.defined() ||
        f.qkvWeight.device() != a->query->weight.device()) {
        at::NoGradGuard noGrad;
        const int64_t d = config.hiddenSize;
        f.qkvWeight = at::cat({a->query->weight, a->key->weight, a->value->weight}, 0);
        f.qkvBias = at::cat({a->query->bias, a->key->bias, a->value->bias}, 0);
        f.kvWeight = f.qkvWeight.narrow(0, d, 2 * d);
        f.kvBias = f.qkvBias.narrow(0, d, 2 * d);
        f.version = version;
    }
    return f;
}

at::Tensor BertForSequenceClassificationImpl::layer(int l, const at::Tensor& h,
                                                    const LayerHooks& hooks) const {
    const auto& a = layerModule(l)->attention->self;
    at::Tensor queryInput = hooks.clsOnly ? h.narrow(1, 0, 1) : h;
    // Fused projections only where no parameter gradient is wanted (they are copies).
    const bool useFused = !hooks.train && !a->query->weight.requires_grad();
    const int64_t d = config.hiddenSize;
    at::Tensor q, k, v;
    if (hooks.replaceProbs) {
        v = splitHeads(at::linear(h, a->value->weight, a->value->bias));
    } else if (useFused && !hooks.clsOnly) {
        const auto f = fused(l);
        auto qkv = at::linear(h, f.qkvWeight, f.qkvBias);
        q = splitHeads(qkv.narrow(2, 0, d));
        k = splitHeads(qkv.narrow(2, d, d));
        v = splitHeads(qkv.narrow(2, 2 * d, d));
    } else if (useFused) {
        const auto f = fused(l);
        auto kv = at::linear(h, f.kvWeight, f.kvBias);
        k = splitHeads(kv.narrow(2, 0, d));
        v = splitHeads(kv.narrow(2, d, d));
        q = splitHeads(at::linear(queryInput, a->query->weight, a->query->bias));
    } else {
        q = splitHeads(at::linear(queryInput, a->query->weight, a->query->bias));
        k = splitHeads(at::linear(h, a->key->weight, a->key->bias));
        v = splitHeads(at::linear(h, a->value->weight, a->value->bias));
    }
    at::Tensor probs;
    if (hooks.replaceProbs) {
        probs = *hooks.replaceProbs;  // Q and K are not needed at all
    } else {
        auto scores = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(config.headDim()));
        if (hooks.keyMask) scores = scores + *hooks.keyMask;
        probs = at::softmax(scores, -1);
        if (hooks.recordProbs) *hooks.recordProbs = probs;
        probs = at::dropout(probs, config.attentionDropout, hooks.train);
    }
    if (hooks.headMask) probs = probs * hooks.headMask->view({1, -1, 1, 1});
    return finishLayer(l, probs, v, queryInput, hooks.train);
}

at::Tensor BertForSequenceClassificationImpl::classify(const at::Tensor& cls, bool train) const {
    const auto& p = bert->pooler->dense;
    auto pooled = at::tanh(at::linear(cls, p->weight, p->bias));
    pooled = at::dropout(pooled, config.hiddenDropout, train);
    return at::linear(pooled, classifier->weight, classifier->bias);
}

BertForSequenceClassificationImpl::Output BertForSequenceClassificationImpl::forward(
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
