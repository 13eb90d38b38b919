#include "attribution/suffix_bf16.h"

#include <cmath>

namespace attrscope {

namespace {

at::Tensor bf16(const at::Tensor& t) { return t.detach().to(at::kBFloat16).contiguous(); }

}  // namespace

Bf16Suffix::Bf16Suffix(const BertForSequenceClassificationImpl& net, int first) : net_(net) {
    at::NoGradGuard noGrad;
    layers_.resize(static_cast<size_t>(net.numLayers()));
    for (int l = first; l < net.numLayers(); ++l) {
        const auto m = net.layerModule(l);
        const auto& s = m->attention->self;
        layers_[static_cast<size_t>(l)] = {bf16(s->query->weight), bf16(s->key->weight),
                                           bf16(s->value->weight),
                                           bf16(m->attention->output->dense->weight),
                                           bf16(m->intermediate->dense->weight),
                                           bf16(m->output->dense->weight)};
    }
    pooler_ = bf16(net.bert->pooler->dense->weight);
    classifier_ = bf16(net.classifier->weight);
}

// x·Wᵀ in bf16, the bias added in float32.
at::Tensor Bf16Suffix::linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) const {
    return at::linear(x.to(at::kBFloat16), w).to(at::kFloat) + b;
}

at::Tensor Bf16Suffix::finish(int l, const at::Tensor& probs, const at::Tensor& v,
                              const at::Tensor& residual) const {
    const auto& c = net_.config;
    const auto m = net_.layerModule(l);
    const auto& w = layers_[static_cast<size_t>(l)];
    // The attention products are ~2n²d of the layer's ~24nd² FLOPs: kept in float32, where the
    // probabilities (and their gradients, the integrand) lose nothing.
    auto ctx = at::matmul(probs, v);
    ctx = ctx.transpose(1, 2).reshape({ctx.size(0), ctx.size(2), c.hiddenSize});
    const auto& so = m->attention->output;
    auto x = at::layer_norm(linear(ctx, w.o, so->dense->bias) + residual, {c.hiddenSize},
                            so->LayerNorm->weight, so->LayerNorm->bias, c.layerNormEps);
    auto inter = linear(x, w.i, m->intermediate->dense->bias);
    if (c.hiddenAct == "relu")
        inter = at::relu(inter);
    else if (c.hiddenAct == "gelu_new" || c.hiddenAct == "gelu_pytorch_tanh")
        inter = at::gelu(inter, "tanh");
    else
        inter = at::gelu(inter);
    const auto& o = m->output;
    return at::layer_norm(linear(inter, w.out, o->dense->bias) + x, {c.hiddenSize},
                          o->LayerNorm->weight, o->LayerNorm->bias, c.layerNormEps);
}

at::Tensor Bf16Suffix::layer(int l, const at::Tensor& h, bool clsOnly) const {
    const auto& c = net_.config;
    const auto& s = net_.layerModule(l)->attention->self;
    const auto& w = layers_[static_cast<size_t>(l)];
    const int64_t H = c.numHeads, dh = c.headDim();
    auto split = [&](const at::Tensor& t) {
        return t.reshape({t.size(0), t.size(1), H, dh}).transpose(1, 2);
    };
    const at::Tensor hq = clsOnly ? h.narrow(1, 0, 1) : h;
    auto q = split(linear(hq, w.q, s->query->bias));
    auto k = split(linear(h, w.k, s->key->bias));
    auto v = split(linear(h, w.v, s->value->bias));
    auto scores = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(dh));
    return finish(l, at::softmax(scores, -1), v, hq);
}

at::Tensor Bf16Suffix::logits(int t, const at::Tensor& X, const at::Tensor& values,
                              const at::Tensor& residual) const {
    const int L = net_.numLayers();
    at::Tensor h = finish(t, X, values, residual);
    for (int l = t + 1; l < L; ++l) h = layer(l, h, l == L - 1);
    const auto& p = net_.bert->pooler->dense;
    auto pooled = at::tanh(linear(h.select(1, 0), pooler_, p->bias));
    return linear(pooled, classifier_, net_.classifier->bias);
}

}  // namespace attrscope
