#include "attrscope/path_probe.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <string>

#include "model_impl.h"

namespace attrscope {

namespace {

// Layer t's clean attention [1, H, n, n], input hidden state [1, n, d] and values [1, H, n, dh].
struct PathContext {
    at::Tensor attention, hidden, values;
};

Expected<PathContext> pathContext(Model::Impl& impl, const Encoding& input, int layer) {
    if (!impl.hasClassifier)
        return Status::error("this checkpoint has no classification head");
    if (layer < 0 || layer >= impl.config.numLayers)
        return Status::error("layer " + std::to_string(layer) + " is out of range");
    if (auto s = checkEncoding(impl, input); !s)
        return s;
    at::NoGradGuard noGrad;
    auto out = impl.net->forward(impl.ids(input), impl.segments(input), {}, {}, true, true);
    PathContext c{
        out.attention[static_cast<size_t>(layer)], out.hidden[static_cast<size_t>(layer)], {}};
    c.values = impl.net->values(layer, c.hidden);
    return c;
}

// Logits [B, C] of the network from layer t on, with X [B, H, n, n] as t's attention
// (the same suffix as the attribution engine's).
at::Tensor suffixLogits(const BertForSequenceClassificationImpl& net, int t, const at::Tensor& X,
                        const PathContext& c) {
    const int L = net.numLayers();
    at::Tensor h = net.finishLayer(t, X, c.values, c.hidden);
    for (int l = t + 1; l < L; ++l) {
        LayerHooks hooks;
        hooks.clsOnly = (l == L - 1);  // only [CLS] of the last layer reaches the classifier
        h = net.layer(l, h, hooks);
    }
    return net.classify(h.select(1, 0));
}

}  // namespace

Expected<std::vector<std::vector<double>>> classProbabilitiesAlongPath(
    Model& model, const Encoding& input, int layer, const std::vector<double>& alphas) {
    auto& impl = model.impl();
    if (alphas.empty())
        return std::vector<std::vector<double>>{};
    try {
        auto ctx = pathContext(impl, input, layer);
        if (!ctx)
            return ctx.status();
        at::NoGradGuard noGrad;
        auto a = at::tensor(alphas).to(ctx->attention.options()).view({-1, 1, 1, 1});
        auto p = at::softmax(suffixLogits(*impl.net, layer, a * ctx->attention, *ctx), -1)
                     .to(at::kCPU, at::kDouble)
                     .contiguous();
        const int64_t C = p.size(1);
        const double* d = p.data_ptr<double>();
        std::vector<std::vector<double>> out(alphas.size());
        for (size_t k = 0; k < out.size(); ++k)
            out[k].assign(d + static_cast<int64_t>(k) * C, d + static_cast<int64_t>(k + 1) * C);
        return out;
    } catch (const std::exception& e) {
        return Status::error(std::string("path evaluation failed: ") + e.what());
    }
}

Expected<std::vector<double>> targetSlopeAlongPath(Model& model, const Encoding& input, int layer,
                                                   const std::vector<double>& alphas, int target) {
    auto& impl = model.impl();
    if (target < 0 || target >= impl.config.numLabels())
        return Status::error("target class out of range");
    if (alphas.empty())
        return std::vector<double>{};
    try {
        auto ctx = pathContext(impl, input, layer);
        if (!ctx)
            return ctx.status();
        // α is the leaf: each batch row depends on its own α only, so the gradient of the sum
        // is the per-point slope.
        auto a = at::tensor(alphas).to(ctx->attention.options()).requires_grad_(true);
        at::Tensor g;
        {
            c10::AutoGradMode grad(true);
            auto X = a.view({-1, 1, 1, 1}) * ctx->attention;
            auto p = at::softmax(suffixLogits(*impl.net, layer, X, *ctx), -1).select(1, target);
            g = torch::autograd::grad({p.sum()}, {a})[0];
        }
        auto c = g.detach().to(at::kCPU, at::kDouble).contiguous();
        return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    } catch (const std::exception& e) {
        return Status::error(std::string("path slope failed: ") + e.what());
    }
}

}  // namespace attrscope
