// The official code's computation, kept as a reference (spec §6.1): the input padded to 128 with
// a −10000 key mask, a fresh clean forward per target layer with the parameters requiring grad,
// every layer below t recomputed for every chunk of steps, the left rule. Slow on purpose: the
// benchmark measures the engine against it and tests check that both give the same maps.

#include <torch/csrc/autograd/autograd.h>

#include <chrono>
#include <cstring>

#include "attention_path.h"
#include "attrscope/attribution/official_style.h"

namespace attrscope {

Expected<AttributionResult> attributeOfficialStyle(Model& model, const Encoding& input,
                                                   int steps, int chunk, int paddedLength) {
    auto& impl = ModelAccess::impl(model);
    if (!impl.hasClassifier)
        return Status::error("this checkpoint has no classification head");
    if (auto s = checkEncoding(impl, input); !s)
        return s;
    const int n = input.size();
    if (steps < 1 || chunk < 1)
        return Status::error("steps and chunk must be positive");
    if (paddedLength < n || paddedLength > impl.config.maxPositionEmbeddings)
        return Status::error("padded length must be between the input length and the model's "
                             "maximum positions");
    auto& net = *impl.net;
    const int N = paddedLength, L = net.numLayers();
    AttributionResult result;
    result.encoding = input;
    result.options.steps = steps;
    result.options.rule = Rule::Left;
    result.options.chunkSize = chunk;
    result.numLayers = L;
    result.numHeads = impl.config.numHeads;
    result.device = impl.device.str();
    result.modelPath = impl.directory;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        for (auto& p : net.parameters())
            p.set_requires_grad(true);
        std::vector<int64_t> ids(N, impl.config.padTokenId), segs(N, 0);
        std::vector<float> mask(N, -10000.0f);
        for (int i = 0; i < n; ++i) {
            ids[i] = input.inputIds[i];
            segs[i] = input.segmentIds[i];
            mask[i] = 0.0f;
        }
        auto idT = at::tensor(ids).view({1, N}).to(impl.device);
        auto segT = at::tensor(segs).view({1, N}).to(impl.device);
        auto keyMask = at::tensor(mask).view({1, 1, 1, N}).to(impl.floatOptions());
        for (int t = 0; t < L; ++t) {
            // A fresh clean forward per target layer, graph recorded (parameters require grad).
            ++impl.forwardPasses;
            auto clean = net.forward(idT, segT, keyMask, {}, true, false);
            auto A = clean.attention[static_cast<size_t>(t)].detach();
            const int target = static_cast<int>(clean.logits.argmax(-1).item<int64_t>());
            if (t == 0) {
                result.prediction = makePrediction(impl.config, clean.logits[0].detach());
                result.target = target;
                result.targetLabel = impl.config.id2label.at(static_cast<size_t>(target));
            }
            auto step = A * (1.0 / steps);
            at::Tensor total;
            for (int s = 0; s < steps; s += chunk) {
                const int c = std::min(chunk, steps - s);
                auto k = at::arange(s, s + c, impl.floatOptions()).view({c, 1, 1, 1});
                auto X = (step * k).detach().requires_grad_(true);
                auto h = net.embed(idT, segT);
                for (int l = 0; l < L; ++l) {  // layers below t recomputed for every chunk
                    LayerHooks hooks;
                    hooks.keyMask = &keyMask;
                    if (l == t)
                        hooks.replaceProbs = &X;
                    h = net.layer(l, h, hooks);
                }
                auto p = at::softmax(net.classify(h.select(1, 0)), -1).select(1, target);
                auto g = torch::autograd::grad({p.sum()}, {X})[0].sum(0);
                total = total.defined() ? total + g : g;
            }
            auto attr = (total * step[0]).narrow(1, 0, n).narrow(2, 0, n).detach();
            LayerAttribution la;
            la.layer = t;
            la.attribution = toFloatArray(attr);
            result.layers.push_back(std::move(la));
        }
    } catch (const std::exception& e) {
        for (auto& p : net.parameters())
            p.set_requires_grad(false);
        return Status::error(std::string("official-style attribution failed: ") + e.what());
    }
    for (auto& p : net.parameters())
        p.set_requires_grad(false);
    result.timings.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.timings.cleanForwards = L;
    return result;
}

}  // namespace attrscope
