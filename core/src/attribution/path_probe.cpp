#include "attrscope/attribution/path_probe.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <string>

#include "attention_path.h"

namespace attrscope {

Expected<std::vector<std::vector<double>>> classProbabilitiesAlongPath(
    Model& model, const Encoding& input, int layer, const std::vector<double>& alphas) {
    auto& impl = ModelAccess::impl(model);
    if (alphas.empty())
        return std::vector<std::vector<double>>{};
    try {
        auto ctx = layerContext(impl, input, layer);
        if (!ctx)
            return ctx.status();
        at::NoGradGuard noGrad;
        auto a = at::tensor(alphas).to(ctx->attention.options()).view({-1, 1, 1, 1});
        auto p = classScores(impl.config, suffixLogits(*impl.net, layer, a * ctx->attention, ctx->values, ctx->hidden))
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
    auto& impl = ModelAccess::impl(model);
    if (target < 0 || target >= impl.config.numLabels())
        return Status::error("target class out of range");
    if (alphas.empty())
        return std::vector<double>{};
    try {
        auto ctx = layerContext(impl, input, layer);
        if (!ctx)
            return ctx.status();
        // α is the leaf: each batch row depends on its own α only, so the gradient of the sum
        // is the per-point slope.
        auto a = at::tensor(alphas).to(ctx->attention.options()).requires_grad_(true);
        at::Tensor g;
        {
            c10::AutoGradMode grad(true);
            auto X = a.view({-1, 1, 1, 1}) * ctx->attention;
            auto p = classScores(impl.config, suffixLogits(*impl.net, layer, X, ctx->values, ctx->hidden)).select(1, target);
            g = torch::autograd::grad({p.sum()}, {a})[0];
        }
        auto c = g.detach().to(at::kCPU, at::kDouble).contiguous();
        return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    } catch (const std::exception& e) {
        return Status::error(std::string("path slope failed: ") + e.what());
    }
}

}  // namespace attrscope
