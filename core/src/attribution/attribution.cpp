#include "attrscope/attribution/attribution.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>

#include "attention_path.h"
#include "attribution/suffix_bf16.h"
#include "model/finite_check.h"

namespace attrscope {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Activation floats kept for the backward pass per Riemann point and per suffix layer (q, k, v,
// context, the two residual streams, FFN input/activation, scores and probabilities).
double bytesPerStep(const ModelConfig& c, int n, int suffixLayers) {
    const double perLayer = double(n) * (10.0 * c.hiddenSize + 3.0 * c.intermediateSize) +
                            3.0 * c.numHeads * double(n) * n;
    return 4.0 * perLayer * std::max(1, suffixLayers);
}

// Relative cost of one step of target layer t: the layers it runs through.
double layerCost(int t, int L) { return double(L - t); }

}  // namespace

FloatArray toFloatArray(const at::Tensor& t) {
    auto c = t.detach().to(at::kCPU, at::kFloat).contiguous();
    FloatArray a(c.sizes().vec());
    if (c.numel()) std::memcpy(a.data.data(), c.data_ptr<float>(), c.nbytes());
    return a;
}

const LayerAttribution* AttributionResult::layer(int index) const {
    for (const auto& l : layers)
        if (l.layer == index) return &l;
    return nullptr;
}

FloatArray AttributionResult::attributionArray() const {
    const int64_t n = encoding.size();
    FloatArray all({numLayers, numHeads, n, n});
    for (const auto& l : layers)
        std::copy(l.attribution.data.begin(), l.attribution.data.end(),
                  all.block({l.layer}));
    return all;
}

Expected<int> resolveTarget(const std::string& target, const ModelConfig& config, int predicted) {
    const std::string t = lower(target);
    if (t.empty() || t == "predicted" || t == "pred") return predicted;
    const bool numeric = std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); });
    if (numeric) {
        if (t.size() > 6 || std::stoi(t) >= config.numLabels())
            return Status::error("target class " + target + " is out of range (the model has " +
                                 std::to_string(config.numLabels()) + " classes)");
        return std::stoi(t);
    }
    for (int i = 0; i < config.numLabels(); ++i)
        if (lower(config.id2label[static_cast<size_t>(i)]) == t) return i;
    std::string names;
    for (const auto& l : config.id2label) names += (names.empty() ? "" : ", ") + l;
    return Status::error("unknown target label '" + target + "' (the model's classes: " + names +
                         ")");
}

at::Tensor suffixLogits(const EncoderClassifierImpl& net, int t, const at::Tensor& X,
                        const at::Tensor& values, const at::Tensor& residual) {
    const int L = net.numLayers();
    at::Tensor h = net.finishLayer(t, X, values, residual);
    for (int l = t + 1; l < L; ++l) {
        LayerHooks hooks;
        hooks.clsOnly = (l == L - 1);  // only [CLS] of the last layer reaches the classifier
        h = net.layer(l, h, hooks);
    }
    return net.classify(h.select(1, 0));
}

Expected<LayerContext> layerContext(Model::Impl& impl, const Encoding& input, int layer) {
    if (!impl.hasClassifier)
        return Status::error("this checkpoint has no classification head");
    if (layer < 0 || layer >= impl.config.numLayers)
        return Status::error("layer " + std::to_string(layer) + " is out of range");
    if (auto s = checkEncoding(impl, input); !s) return s;
    at::NoGradGuard noGrad;
    ++impl.forwardPasses;
    auto out = impl.net->forward(impl.ids(input), impl.segments(input), {}, {}, true, true);
    LayerContext c{out.attention[static_cast<size_t>(layer)], out.hidden[static_cast<size_t>(layer)],
                   {}};
    c.values = impl.net->values(layer, c.hidden);
    return c;
}

namespace {

// F along the suffix, one per row of X: the target's softmax probability, sigmoid or output
// (by the problem type).
at::Tensor suffixProbs(const EncoderClassifierImpl& net, int t, const at::Tensor& X,
                       const at::Tensor& v, const at::Tensor& residual, int target) {
    return classScores(net.config, suffixLogits(net, t, X, v, residual)).select(1, target);
}

}  // namespace

Expected<std::vector<double>> evaluatePath(Model& model, const Encoding& input, int layer,
                                           const std::vector<double>& alphas, int target) {
    auto& impl = ModelAccess::impl(model);
    if (target < 0 || target >= impl.config.numLabels())
        return Status::error("target class out of range");
    if (alphas.empty()) return std::vector<double>{};
    try {
        auto ctx = layerContext(impl, input, layer);
        if (!ctx) return ctx.status();
        at::NoGradGuard noGrad;
        auto a = at::tensor(alphas).to(ctx->attention.options()).view({-1, 1, 1, 1});
        auto p = suffixProbs(*impl.net, layer, a * ctx->attention, ctx->values, ctx->hidden, target)
                     .to(at::kCPU, at::kDouble)
                     .contiguous();
        return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
    } catch (const std::exception& e) {
        return Status::error(std::string("evaluation failed: ") + e.what());
    }
}

Expected<double> evaluateWithAttention(Model& model, const Encoding& input, int layer,
                                       const FloatArray& probs, int target) {
    auto& impl = ModelAccess::impl(model);
    const int64_t n = input.size();
    if (probs.shape != std::vector<int64_t>{impl.config.numHeads, n, n})
        return Status::error("attention override must be [heads][n][n]");
    if (target < 0 || target >= impl.config.numLabels())
        return Status::error("target class out of range");
    try {
        auto ctx = layerContext(impl, input, layer);
        if (!ctx) return ctx.status();
        at::NoGradGuard noGrad;
        auto X = at::tensor(probs.data).to(ctx->attention.options()).view({1, -1, n, n});
        return suffixProbs(*impl.net, layer, X, ctx->values, ctx->hidden, target).item<double>();
    } catch (const std::exception& e) {
        return Status::error(std::string("evaluation failed: ") + e.what());
    }
}

Expected<AttributionResult> attribute(Model& model, const Encoding& input,
                                      const AttributionOptions& options, const JobContext& job,
                                      AttributionListener* listener) {
    auto& impl = ModelAccess::impl(model);
    const auto& config = impl.config;
    const int L = config.numLayers;
    if (!impl.hasClassifier)
        return Status::error("this checkpoint has no classification head, so there is no class "
                             "probability to attribute");
    if (options.steps < 1 || options.steps > 100000)
        return Status::error("steps must be between 1 and 100000 (got " +
                             std::to_string(options.steps) + ")");
    if (options.chunkSize < 0) return Status::error("chunk size must not be negative");
    if (!(options.targetChunkSeconds >= 0.0))
        return Status::error("target chunk time must not be negative");
    if (options.rule == Rule::Adaptive && (options.maxSteps < 1 || options.maxSteps > 100000 ||
                                           !(options.tolerance >= 0.0)))
        return Status::error("adaptive integration needs a step cap between 1 and 100000 and a "
                             "tolerance of at least 0");
    std::vector<int> order = options.layers;
    if (order.empty())
        for (int l = 0; l < L; ++l) order.push_back(l);
    std::set<int> unique;
    for (int l : order) {
        if (l < 0 || l >= L)
            return Status::error("layer " + std::to_string(l) + " is out of range (the model has " +
                                 std::to_string(L) + " layers: 0.." + std::to_string(L - 1) +
                                 " counted from 0, L1..L" + std::to_string(L) +
                                 " counted from 1)");
        if (!unique.insert(l).second)
            return Status::error("layer " + std::to_string(l) + " is listed twice");
    }
    if (auto s = checkEncoding(impl, input); !s) return s;

    const auto t0 = Clock::now();
    AttributionResult result;
    result.encoding = input;
    result.options = options;
    result.options.layers = order;
    result.device = impl.device.str();
    result.modelPath = impl.directory;
    result.numLayers = L;
    result.numHeads = config.numHeads;

    try {
        const auto& net = *impl.net;
        // One clean pass caches every layer's input hidden state and attention (spec §6.3.1).
        EncoderOutput clean;
        {
            at::NoGradGuard noGrad;
            ++impl.forwardPasses;
            clean = net.forward(impl.ids(input), impl.segments(input), {}, {}, true, true);
        }
        if (auto s = checkFiniteLogits(impl, clean.logits, clean.hidden, {}, {}, {}, "the input");
            !s)
            return s;
        result.prediction = makePrediction(config, clean.logits[0]);
        Prediction& p = result.prediction;
        p.attention = toFloatArray(at::stack(clean.attention, 0).select(1, 0));
        result.timings.cleanForwardSeconds = secondsSince(t0);
        result.timings.cleanForwards = 1;

        auto target = resolveTarget(options.target, config, p.predicted);
        if (!target) return target.status();
        result.target = *target;
        result.targetLabel = config.id2label.at(static_cast<size_t>(*target));
        if (listener) listener->onPrediction(result);

        const bool adaptive = options.rule == Rule::Adaptive;
        const int m = adaptive ? std::min(options.steps, options.maxSteps) : options.steps;
        const int n = input.size();
        double totalCost = 0.0, doneCost = 0.0;
        // Adaptive: estimated as one refinement per layer; the fraction is clamped below.
        for (int t : order) totalCost += layerCost(t, L) * (adaptive ? 3 * m : m);

        JobProgress prog;
        prog.stageCount = static_cast<int>(order.size());
        prog.total = m;
        auto report = [&](int layer, int stepsDone) {
            if (!job.progress) return;
            prog.stage = "layer " + std::to_string(layer);
            prog.layer = layer;
            prog.done = stepsDone;
            prog.fraction = totalCost > 0 ? std::min(1.0, doneCost / totalCost) : 1.0;
            prog.elapsedSeconds = secondsSince(t0);
            prog.etaSeconds = prog.fraction > 0 && doneCost > 0
                                  ? prog.elapsedSeconds * (1.0 / prog.fraction - 1.0)
                                  : -1.0;
            prog.partial = !result.layers.empty();
            job.report(prog);
        };
        report(order.front(), 0);
        // Seconds per step and per layer a step runs through; a step (forward + backward) costs
        // about three clean forwards, which gives the first estimate for targetChunkSeconds.
        double unitSeconds = 3.0 * result.timings.cleanForwardSeconds / std::max(L, 1);
        std::optional<Bf16Suffix> fast;  // bf16 copies of the weights the suffixes read
        if (options.precision == Precision::Bf16) {
            const auto bert = impl.bert();
            if (!bert)
                return Status::error("the bf16 mode supports BERT checkpoints only for now (this "
                                     "is a " + config.modelType + " model): use fp32");
            fast.emplace(*bert, *std::min_element(order.begin(), order.end()));
        }

        for (int t : order) {
            const auto tl = Clock::now();
            const bool last = (t == L - 1);
            const at::Tensor& A = clean.attention[static_cast<size_t>(t)];  // [1, H, n, n]
            const at::Tensor& h = clean.hidden[static_cast<size_t>(t)];     // [1, n, d]
            // In the last layer only the [CLS] query row reaches the classifier (spec §6.3.6):
            // every other row's attribution is exactly zero.
            const at::Tensor Arow = last ? A.narrow(2, 0, 1) : A;
            const at::Tensor residual = last ? h.narrow(1, 0, 1) : h;
            at::Tensor v;
            {
                at::NoGradGuard noGrad;
                v = net.values(t, h);
            }
            int chunk = options.chunkSize;
            if (chunk == 0) {
                const double budget = std::max(1.0, options.memoryBudgetMB) * 1024.0 * 1024.0;
                chunk = static_cast<int>(budget / bytesPerStep(config, last ? 1 : n, L - t));
                if (options.targetChunkSeconds > 0)
                    chunk = std::min(chunk, static_cast<int>(options.targetChunkSeconds /
                                                             std::max(unitSeconds * (L - t), 1e-9)));
            }
            chunk = std::clamp(chunk, 1, adaptive ? std::max(m, options.maxSteps) : m);
            result.timings.chunkSize = std::max(result.timings.chunkSize, chunk);

            // Σ_k w_k ∂F/∂A at the points of one rule, and F at each point.
            auto integrate = [&](const Quadrature& quad, at::Tensor& G,
                                 std::vector<double>& stepProbs) -> Status {
                const int mq = static_cast<int>(quad.alphas.size());
                G = at::zeros(Arow.sizes().slice(1), Arow.options());  // [H, q, n]
                stepProbs.clear();
                for (int s = 0; s < mq; s += chunk) {
                    if (job.cancelled()) return Status::cancelled();
                    const int c = std::min(chunk, mq - s);
                    std::vector<double> a(quad.alphas.begin() + s, quad.alphas.begin() + s + c);
                    std::vector<double> w(quad.weights.begin() + s, quad.weights.begin() + s + c);
                    auto alpha = at::tensor(a).to(Arow.options()).view({c, 1, 1, 1});
                    auto weight = at::tensor(w).to(Arow.options());
                    at::Tensor X = (alpha * Arow).detach().requires_grad_(true);  // the IG leaf
                    at::Tensor pk;
                    {
                        c10::AutoGradMode grad(true);
                        pk = fast ? classScores(config, fast->logits(t, X, v, residual))
                                        .select(1, *target)
                                  : suffixProbs(net, t, X, v, residual, *target);
                        // d/dX Σ_k w_k F(α_k A) stacks w_k ∂F/∂A at each point on the batch axis.
                        auto g = torch::autograd::grad({(pk * weight).sum()}, {X})[0];
                        G.add_(g.sum(0));
                    }
                    auto pc = pk.detach().to(at::kCPU, at::kDouble).contiguous();
                    stepProbs.insert(stepProbs.end(), pc.data_ptr<double>(),
                                     pc.data_ptr<double>() + pc.numel());
                    doneCost += layerCost(t, L) * c;
                    report(t, s + c);
                }
                return Status::success();
            };

            LayerAttribution la;
            la.layer = t;
            {
                // Completeness: Σ Attr ≈ F(A) − F(0·A).
                at::NoGradGuard noGrad;
                auto ends = at::tensor(std::vector<double>{1.0, 0.0}).to(Arow.options())
                                .view({2, 1, 1, 1});
                auto f = suffixProbs(net, t, ends * Arow, v, residual, *target).to(at::kCPU);
                la.completeness.fFull = f[0].item<double>();
                la.completeness.fZero = f[1].item<double>();
            }
            at::Tensor attr;
            for (int mq = m;; mq = std::min(2 * mq, options.maxSteps)) {
                const Quadrature quad = Quadrature::make(options.rule, mq);
                at::Tensor G;
                if (auto s = integrate(quad, G, la.stepProbs); !s) return s;
                at::NoGradGuard noGrad;
                attr = at::zeros(A.sizes().slice(1), A.options());  // [H, n, n]
                attr.narrow(1, 0, Arow.size(2)).copy_(Arow[0] * G);
                la.completeness.sumAttr = attr.to(at::kDouble).sum().item<double>();
                la.alphas = quad.alphas;
                la.steps = mq;
                const double delta = la.completeness.delta();
                if (!adaptive || mq >= options.maxSteps ||
                    std::fabs(la.completeness.error()) <=
                        options.tolerance * std::max(std::fabs(delta), 1e-3))
                    break;
            }
            la.attribution = toFloatArray(attr);
            if (auto s = checkFiniteArray(la.attribution,
                                          "the attribution of layer " + std::to_string(t));
                !s)
                return s;
            la.seconds = secondsSince(tl);
            // The last layer only computes the [CLS] row: its speed says little about others.
            if (m > 0 && (!last || L == 1)) unitSeconds = la.seconds / (double(m) * (L - t));
            if (listener) listener->onLayer(la);
            result.layers.push_back(std::move(la));
            ++prog.stageIndex;
        }
        std::sort(result.layers.begin(), result.layers.end(),
                  [](const auto& a, const auto& b) { return a.layer < b.layer; });
        result.timings.totalSeconds = secondsSince(t0);
        return result;
    } catch (const std::exception& e) {
        return Status::error(std::string("attribution failed: ") + torchErrorText(e));
    }
}

}  // namespace attrscope
