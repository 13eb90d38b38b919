#include "attrscope/attribution/gradient_attention.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <cstring>

#include "attention_path.h"
#include "attrscope/attribution/attribution.h"

namespace attrscope {

namespace {

FloatArray toArray(const at::Tensor& t) {
    auto c = t.detach().to(at::kCPU, at::kFloat).contiguous();
    FloatArray a(c.sizes().vec());
    if (c.numel()) std::memcpy(a.data.data(), c.data_ptr<float>(), c.nbytes());
    return a;
}

}  // namespace

Expected<GradientAttentionResult> gradientWeightedAttention(
    Model& model, const Encoding& input, const GradientAttentionOptions& options) {
    auto& impl = ModelAccess::impl(model);
    if (!impl.hasClassifier) return Status::error("this checkpoint has no classification head");
    if (auto s = checkEncoding(impl, input); !s) return s;
    try {
        const auto& net = *impl.net;
        c10::AutoGradMode grad(true);
        // The embedding output is the leaf, so every layer's recorded probabilities are nodes
        // of the graph: one backward gives ∂F/∂A_l of every layer, the layers above each one
        // recomputing from it (as in the AttAttr path).
        at::Tensor h = net.embed(impl.ids(input), impl.segments(input)).detach().requires_grad_(true);
        std::vector<at::Tensor> attention;
        for (int l = 0; l < net.numLayers(); ++l) {
            LayerHooks hooks;
            at::Tensor probs;
            hooks.recordProbs = &probs;
            h = net.layer(l, h, hooks);
            attention.push_back(probs);
        }
        const auto logits = net.classify(h.select(1, 0))[0];
        auto target = resolveTarget(options.target, impl.config, logits.argmax().item<int>());
        if (!target) return target.status();
        auto f = options.logit ? logits[*target] : at::softmax(logits, -1)[*target];
        auto grads = torch::autograd::grad({f}, attention, {}, false, false, true);

        at::NoGradGuard noGrad;
        const int64_t n = input.size();
        std::vector<at::Tensor> g, bar, rel;
        at::Tensor R = at::eye(n, impl.floatOptions());
        for (size_t l = 0; l < attention.size(); ++l) {
            at::Tensor gl = grads[l].defined() ? grads[l][0] : at::zeros_like(attention[l][0]);
            at::Tensor a = (gl * attention[l][0]).clamp_min(0.0).mean(0);  // [n, n]
            R = R + at::matmul(a, R);
            g.push_back(gl);
            bar.push_back(a);
            rel.push_back(R);
        }
        GradientAttentionResult r;
        r.target = *target;
        r.f = f.item<double>();
        r.gradients = toArray(at::stack(g, 0));
        r.perLayer = toArray(at::stack(bar, 0));
        r.relevance = toArray(at::stack(rel, 0));
        return r;
    } catch (const std::exception& e) {
        return Status::error(std::string("gradient-weighted attention failed: ") + e.what());
    }
}

}  // namespace attrscope
