#include "attrscope/analysis/deletion.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "attrscope/attribution/gradient_attention.h"
#include "attrscope/attribution/rollout.h"
#include "model/model_impl.h"

namespace attrscope {

namespace {

struct Entry {
    int64_t index;  // into the [L][n][n] array
    float score;
};

// Candidate interactions, best first (ties by index).
std::vector<Entry> rank(const FloatArray& scores) {
    const int64_t L = scores.dim(0), n = scores.dim(1);
    std::vector<Entry> e;
    for (int64_t l = 0; l < L; ++l)
        for (int64_t i = 0; i < (l == L - 1 ? 1 : n); ++i)
            for (int64_t j = 0; j < n; ++j) {
                const int64_t k = (l * n + i) * n + j;
                e.push_back({k, scores.data[static_cast<size_t>(k)]});
            }
    std::stable_sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) {
        return a.score > b.score;
    });
    return e;
}

// Target probability for each row of masks [B, L, n, n] (1 keeps an entry, 0 knocks it out of
// every head), recomputing every layer from the embeddings.
at::Tensor knockoutProbs(const Model::Impl& impl, const Encoding& input, const at::Tensor& masks,
                         int target) {
    const auto& net = *impl.net;
    const int64_t B = masks.size(0), L = masks.size(1);
    at::Tensor h = net.embed(impl.ids(input), impl.segments(input)).expand({B, -1, -1});
    for (int64_t l = 0; l < L; ++l) {
        LayerHooks hooks;
        hooks.clsOnly = (l == L - 1);
        at::Tensor m = masks.select(1, l);  // [B, n, n]
        if (hooks.clsOnly) m = m.narrow(1, 0, 1);
        if (m.min().item<float>() == 1.0f) {
            h = net.layer(static_cast<int>(l), h, hooks);
            continue;
        }
        at::Tensor probs;
        hooks.recordProbs = &probs;
        net.layer(static_cast<int>(l), h, hooks);  // only for its probabilities
        const at::Tensor residual = hooks.clsOnly ? h.narrow(1, 0, 1) : h;
        h = net.finishLayer(static_cast<int>(l), probs * m.unsqueeze(1),
                            net.values(static_cast<int>(l), h), residual);
    }
    return at::softmax(net.classify(h.select(1, 0)), -1).select(1, target);
}

double auc(double p0, const std::vector<double>& probs) {
    // Trapezoids over x = 0 (k = 0), 1, …, |ks| (k = 1, 2, 4, …), normalised to a mean.
    if (probs.empty()) return p0;
    double area = 0.5 * (p0 + probs[0]);
    for (size_t i = 1; i < probs.size(); ++i) area += 0.5 * (probs[i - 1] + probs[i]);
    return area / double(probs.size());
}

FloatArray headReduce(const FloatArray& a, bool mean) {  // [L][H][n][n] → [L][n][n]
    const int64_t L = a.dim(0), H = a.dim(1), n = a.dim(2);
    FloatArray out({L, n, n});
    for (int64_t l = 0; l < L; ++l)
        for (int64_t h = 0; h < H; ++h) {
            const float* p = a.block({l, h});
            float* o = out.block({l});
            for (int64_t k = 0; k < n * n; ++k) o[k] += mean ? p[k] / float(H) : p[k];
        }
    return out;
}

}  // namespace

std::string deletionMethodName(DeletionMethod m) {
    switch (m) {
        case DeletionMethod::Attention: return "attention";
        case DeletionMethod::Attribution: return "attattr";
        case DeletionMethod::Rollout: return "rollout";
        case DeletionMethod::GradientAttention: return "grad-attention";
        case DeletionMethod::Random: return "random";
    }
    return "random";
}

std::optional<DeletionMethod> parseDeletionMethod(const std::string& name) {
    for (auto m : {DeletionMethod::Attention, DeletionMethod::Attribution, DeletionMethod::Rollout,
                   DeletionMethod::GradientAttention, DeletionMethod::Random})
        if (deletionMethodName(m) == name) return m;
    return std::nullopt;
}

std::vector<int> deletionKs(int maxK) {
    std::vector<int> ks;
    for (int k = 1; k <= maxK && k > 0; k *= 2) ks.push_back(k);
    return ks;
}

Expected<std::vector<double>> knockoutCurve(Model& model, const Encoding& input, int target,
                                            const FloatArray& scores, const std::vector<int>& ks) {
    auto& impl = ModelAccess::impl(model);
    const int64_t L = impl.config.numLayers, n = input.size();
    if (!impl.hasClassifier) return Status::error("this checkpoint has no classification head");
    if (auto s = checkEncoding(impl, input); !s) return s;
    if (scores.shape != std::vector<int64_t>{L, n, n})
        return Status::error("deletion scores must be [layers][n][n]");
    if (target < 0 || target >= impl.config.numLabels())
        return Status::error("target class out of range");
    if (ks.empty()) return std::vector<double>{};
    const auto order = rank(scores);
    try {
        at::NoGradGuard noGrad;
        auto masks = at::ones({static_cast<int64_t>(ks.size()), L * n * n}, at::kFloat);
        for (size_t b = 0; b < ks.size(); ++b) {
            const size_t k = std::min(order.size(), static_cast<size_t>(std::max(0, ks[b])));
            float* row = masks[static_cast<int64_t>(b)].data_ptr<float>();
            for (size_t r = 0; r < k; ++r) row[order[r].index] = 0.0f;
        }
        masks = masks.view({-1, L, n, n}).to(impl.device);
        auto p = knockoutProbs(impl, input, masks, target).to(at::kCPU, at::kDouble).contiguous();
        return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
    } catch (const std::exception& e) {
        return Status::error(std::string("knockout failed: ") + e.what());
    }
}

Expected<DeletionResult> deletionCurves(Model& model, const Encoding& input,
                                        const DeletionOptions& options,
                                        const JobContext& job) {
    if (options.maxK < 1) return Status::error("the largest k must be at least 1");
    if (options.randomRankings < 1 || options.randomRankings > 10000)
        return Status::error("random rankings must be between 1 and 10000");
    auto pred = model.predict(input, true);
    if (!pred) return pred.status();
    auto target = resolveTarget(options.target, model.config(), pred->predicted);
    if (!target) return target.status();
    const auto& att = pred->attention;
    const int64_t L = att.dim(0), n = att.dim(2);

    DeletionResult r;
    r.target = *target;
    r.fullProb = pred->probs[static_cast<size_t>(*target)];
    r.ks = deletionKs(options.maxK);
    r.interactions = static_cast<int>((L - 1) * n * n + n);
    for (DeletionMethod method : options.methods) {
        if (job.cancelled()) return Status::cancelled();
        DeletionCurve c;
        c.method = deletionMethodName(method);
        FloatArray scores;
        if (method == DeletionMethod::Attention) {
            scores = headReduce(att, true);
        } else if (method == DeletionMethod::Attribution && !options.attributionScores.empty()) {
            scores = options.attributionScores;  // shape checked by knockoutCurve
        } else if (method == DeletionMethod::Attribution) {
            AttributionOptions ao = options.attribution;
            ao.target = std::to_string(*target);
            ao.layers.clear();
            auto a = attribute(model, input, ao, {nullptr, job.cancel});
            if (!a) return a.status();
            scores = headReduce(a->attributionArray(), false);
        } else if (method == DeletionMethod::Rollout) {
            auto s = rolloutEdgeScores(att);
            if (!s) return s.status();
            scores = std::move(*s);
        } else if (method == DeletionMethod::GradientAttention) {
            GradientAttentionOptions go;
            go.target = std::to_string(*target);
            auto g = gradientWeightedAttention(model, input, go);
            if (!g) return g.status();
            scores = std::move(g->perLayer);
        }
        if (method != DeletionMethod::Random) {
            auto p = knockoutCurve(model, input, *target, scores, r.ks);
            if (!p) return p.status();
            c.probs = std::move(*p);
        } else {
            std::mt19937_64 rng(options.seed);
            std::vector<std::vector<double>> runs;
            for (int k = 0; k < options.randomRankings; ++k) {
                if (job.cancelled()) return Status::cancelled();
                FloatArray s({L, n, n});
                for (auto& v : s.data) v = static_cast<float>((rng() >> 11) * 0x1.0p-53);
                auto p = knockoutCurve(model, input, *target, s, r.ks);
                if (!p) return p.status();
                runs.push_back(std::move(*p));
            }
            for (size_t i = 0; i < r.ks.size(); ++i) {
                double sum = 0.0, lo = 1e300, hi = -1e300;
                for (const auto& run : runs) {
                    sum += run[i];
                    lo = std::min(lo, run[i]);
                    hi = std::max(hi, run[i]);
                }
                c.probs.push_back(sum / double(runs.size()));
                c.low.push_back(lo);
                c.high.push_back(hi);
            }
        }
        c.auc = auc(r.fullProb, c.probs);
        r.curves.push_back(std::move(c));
    }
    return r;
}

Expected<DeletionStudy> deletionStudy(Model& model, const std::vector<Encoding>& inputs,
                                      const DeletionOptions& options,
                                      const JobContext& job) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    DeletionStudy s;
    s.ks = deletionKs(options.maxK);
    for (auto m : options.methods) s.methods.push_back(deletionMethodName(m));
    const size_t M = s.methods.size();
    s.meanCurve.assign(M, std::vector<double>(s.ks.size() + 1, 0.0));
    std::vector<std::vector<double>> aucs(M);
    for (const Encoding& e : inputs) {
        if (job.cancelled()) break;
        auto r = deletionCurves(model, e, options, {nullptr, job.cancel});
        if (!r) {
            if (r.status().isCancelled()) break;
            return r.status();
        }
        for (size_t m = 0; m < M; ++m) {
            s.meanCurve[m][0] += r->fullProb;
            for (size_t i = 0; i < s.ks.size(); ++i) s.meanCurve[m][i + 1] += r->curves[m].probs[i];
            aucs[m].push_back(r->curves[m].auc);
        }
        s.meanFullProb += r->fullProb;
        ++s.examples;
        if (job.progress) {
            JobProgress p;
            p.stage = "deletion";
            p.done = s.examples;
            p.total = static_cast<int>(inputs.size());
            p.fraction = double(p.done) / std::max(1, p.total);
            p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
            p.etaSeconds = p.elapsedSeconds * (1.0 / p.fraction - 1.0);
            job.report(p);
        }
    }
    s.complete = s.examples == static_cast<int>(inputs.size());
    if (s.examples == 0) return s;
    for (size_t m = 0; m < M; ++m) {
        for (auto& v : s.meanCurve[m]) v /= s.examples;
        const double mean =
            std::accumulate(aucs[m].begin(), aucs[m].end(), 0.0) / double(aucs[m].size());
        double var = 0.0;
        for (double a : aucs[m]) var += (a - mean) * (a - mean);
        s.meanAuc.push_back(mean);
        s.stdAuc.push_back(aucs[m].size() > 1 ? std::sqrt(var / double(aucs[m].size() - 1)) : 0.0);
    }
    s.meanFullProb /= s.examples;
    return s;
}

}  // namespace attrscope
