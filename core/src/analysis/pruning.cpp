#include "attrscope/analysis/pruning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "attrscope/job.h"

namespace attrscope {

Expected<EvalResult> evaluateInputs(const Model& model, const LabelledInputs& inputs,
                                    const HeadMask* mask, const EvalOptions& options,
                                    const JobContext& job) {
    const int n = inputs.size();
    const int C = model.config().numLabels();
    if (static_cast<int>(inputs.labels.size()) != n)
        return Status::error("inputs and labels differ in number");
    if (n == 0)
        return Status::error("no examples to evaluate");
    if (mask &&
        (mask->numLayers != model.config().numLayers || mask->numHeads != model.config().numHeads))
        return Status::error("the head mask does not match the model's layers × heads");
    // Group by length so that each batch pads little; the order does not change any prediction.
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return inputs.encodings[static_cast<size_t>(a)].size() <
               inputs.encodings[static_cast<size_t>(b)].size();
    });
    EvalResult r;
    r.examples = n;
    r.predictions.assign(static_cast<size_t>(n), -1);
    if (options.keepLogits)
        r.logits.assign(static_cast<size_t>(n), {});
    std::vector<double> loss(static_cast<size_t>(n), 0.0);
    const int batch = std::max(1, options.batchSize);
    std::vector<Encoding> chunk;
    for (int s = 0; s < n; s += batch) {
        if (job.cancelled())
            return Status::cancelled();
        const int e = std::min(n, s + batch);
        chunk.clear();
        for (int i = s; i < e; ++i)
            chunk.push_back(inputs.encodings[static_cast<size_t>(order[static_cast<size_t>(i)])]);
        auto preds = model.predictBatch(chunk, mask);
        if (!preds)
            return preds.status();
        for (int i = s; i < e; ++i) {
            const size_t idx = static_cast<size_t>(order[static_cast<size_t>(i)]);
            const Prediction& p = (*preds)[static_cast<size_t>(i - s)];
            r.predictions[idx] = p.predicted;
            // Cross-entropy in float64 from the float32 logits: log-sum-exp − logit[gold].
            const int gold = inputs.labels[idx];
            double mx = -std::numeric_limits<double>::infinity();
            for (float v : p.logits)
                mx = std::max(mx, double(v));
            double z = 0.0;
            for (float v : p.logits)
                z += std::exp(double(v) - mx);
            loss[idx] = (gold >= 0 && gold < C) ? mx + std::log(z) - double(p.logits[gold]) : 0.0;
            if (options.keepLogits)
                r.logits[idx] = p.logits;
        }
    }
    r.perClassAccuracy.assign(static_cast<size_t>(C), 0.0);
    r.perClassCount.assign(static_cast<size_t>(C), 0);
    int correct = 0;
    double lossSum = 0.0;
    for (int i = 0; i < n; ++i) {
        const int gold = inputs.labels[static_cast<size_t>(i)];
        const bool ok = r.predictions[static_cast<size_t>(i)] == gold;
        correct += ok ? 1 : 0;
        lossSum += loss[static_cast<size_t>(i)];
        if (gold >= 0 && gold < C) {
            r.perClassCount[static_cast<size_t>(gold)] += 1;
            r.perClassAccuracy[static_cast<size_t>(gold)] += ok ? 1.0 : 0.0;
        }
    }
    for (int c = 0; c < C; ++c) {
        auto& a = r.perClassAccuracy[static_cast<size_t>(c)];
        const int count = r.perClassCount[static_cast<size_t>(c)];
        a = count > 0 ? a / count : -1.0;
    }
    r.accuracy = double(correct) / n;
    r.meanLoss = lossSum / n;
    return r;
}

std::vector<int> ascendingOrder(const std::vector<double>& importance) {
    std::vector<int> order(importance.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return importance[static_cast<size_t>(a)] < importance[static_cast<size_t>(b)];
    });
    return order;
}

int prunedCount(double rate, int total) {
    // Python's int() truncates the double product; 0.3 * 16 = 4.8 → 4.
    const double product = rate * static_cast<double>(total);
    return std::clamp(static_cast<int>(std::trunc(product)), 0, total);
}

std::vector<double> defaultRates() {
    std::vector<double> rates;
    for (int i = 0; i <= 10; ++i)
        rates.push_back(i / 10.0);
    return rates;
}

HeadMask maskFirst(const std::vector<int>& order, int count, int numLayers, int numHeads) {
    HeadMask mask = HeadMask::ones(numLayers, numHeads);
    for (int i = 0; i < count && i < static_cast<int>(order.size()); ++i)
        mask.values[static_cast<size_t>(order[static_cast<size_t>(i)])] = 0.0f;
    return mask;
}

std::vector<int> randomOrder(int n, uint64_t seed) {
    std::vector<int> order(static_cast<size_t>(std::max(0, n)));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    // Uniform integer in [0, bound] by rejection: std::uniform_int_distribution differs between
    // standard libraries, and a seed must give the same order everywhere.
    auto below = [&](uint64_t bound) {
        const uint64_t range = bound + 1;
        const uint64_t limit =
            std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
        uint64_t x;
        do {
            x = rng();
        } while (x >= limit);
        return x % range;
    };
    for (int i = n - 1; i > 0; --i)
        std::swap(order[static_cast<size_t>(i)],
                  order[static_cast<size_t>(below(static_cast<uint64_t>(i)))]);
    return order;
}

namespace {

Status checkOrder(const std::vector<int>& order, int total) {
    if (static_cast<int>(order.size()) != total)
        return Status::error("the ranking has " + std::to_string(order.size()) +
                             " heads, the model " + std::to_string(total));
    std::vector<bool> seen(static_cast<size_t>(total), false);
    for (int h : order) {
        if (h < 0 || h >= total || seen[static_cast<size_t>(h)])
            return Status::error("the ranking is not a permutation of the model's heads");
        seen[static_cast<size_t>(h)] = true;
    }
    return Status::success();
}

}  // namespace

Expected<PruneCurve> pruneCurve(const Model& model, const LabelledInputs& inputs,
                                const std::string& ranking, const std::vector<int>& order,
                                const PruneOptions& options, const JobContext& job) {
    const int L = model.config().numLayers, H = model.config().numHeads;
    if (auto s = checkOrder(order, L * H); !s)
        return s;
    PruneCurve curve;
    curve.ranking = ranking;
    curve.order = order;
    StageProgress prog(job, "pruning (" + ranking + ")", static_cast<int>(options.rates.size()));
    prog.report(0);
    for (double rate : options.rates) {
        if (rate < 0.0 || rate > 1.0)
            return Status::error("prune rate " + std::to_string(rate) + " is outside 0..1");
        const int count = prunedCount(rate, L * H);
        const HeadMask mask = maskFirst(order, count, L, H);
        auto r = evaluateInputs(model, inputs, &mask, options.eval, {nullptr, job.cancel});
        if (!r) {
            if (r.status().isCancelled())
                return curve;
            return r.status();
        }
        curve.rates.push_back(rate);
        curve.numPruned.push_back(count);
        curve.accuracy.push_back(r->accuracy);
        curve.loss.push_back(r->meanLoss);
        if (options.keepPredictions)
            curve.predictions.push_back(r->predictions);
        if (options.eval.keepLogits)
            curve.logits.push_back(std::move(r->logits));
        prog.report(static_cast<int>(curve.rates.size()));
    }
    curve.complete = true;
    return curve;
}

namespace {

// Forwards a sub-job's progress as a share of the whole job.
class ScaledSink : public ProgressSink {
public:
    ScaledSink(StageProgress& whole, int unitsBefore, int unitsPerJob)
        : whole_(whole), before_(unitsBefore), per_(unitsPerJob) {}
    void onProgress(const JobProgress& p) override {
        whole_.report(before_ + std::min(p.done, per_));
    }

private:
    StageProgress& whole_;
    int before_, per_;
};

}  // namespace

Expected<RandomPruneCurves> randomPruneCurves(const Model& model, const LabelledInputs& inputs,
                                              const std::vector<uint64_t>& seeds,
                                              const PruneOptions& options,
                                              const JobContext& job) {
    const int L = model.config().numLayers, H = model.config().numHeads;
    if (seeds.empty())
        return Status::error("random pruning needs at least one seed");
    RandomPruneCurves out;
    out.seeds = seeds;
    const int perJob = static_cast<int>(options.rates.size());
    StageProgress whole(job, "pruning (random)", perJob * static_cast<int>(seeds.size()));
    for (size_t s = 0; s < seeds.size(); ++s) {
        ScaledSink sink(whole, static_cast<int>(s) * perJob, perJob);
        auto c = pruneCurve(model, inputs, "random", randomOrder(L * H, seeds[s]), options,
                            {job.progress ? &sink : nullptr, job.cancel});
        if (!c)
            return c.status();
        if (!c->complete)
            break;  // cancelled: keep the seeds finished so far
        out.curves.push_back(std::move(*c));
    }
    out.complete = out.curves.size() == seeds.size();
    if (out.curves.empty())
        return out;
    out.rates = out.curves.front().rates;
    out.numPruned = out.curves.front().numPruned;
    for (size_t r = 0; r < out.rates.size(); ++r) {
        double sum = 0.0, lo = 1e300, hi = -1e300;
        for (const auto& c : out.curves) {
            sum += c.accuracy[r];
            lo = std::min(lo, c.accuracy[r]);
            hi = std::max(hi, c.accuracy[r]);
        }
        const double k = double(out.curves.size());
        const double mean = sum / k;
        double ss = 0.0;
        for (const auto& c : out.curves)
            ss += (c.accuracy[r] - mean) * (c.accuracy[r] - mean);
        out.mean.push_back(mean);
        out.stddev.push_back(k > 1 ? std::sqrt(ss / (k - 1)) : 0.0);
        out.min.push_back(lo);
        out.max.push_back(hi);
    }
    return out;
}

std::string perLayerModeName(PerLayerMode mode) {
    return mode == PerLayerMode::PruneTopK ? "prune-top-k" : "keep-top-k";
}

HeadMask perLayerMask(const std::vector<double>& importance, int numLayers, int numHeads, int k,
                      PerLayerMode mode) {
    HeadMask mask = HeadMask::ones(numLayers, numHeads);
    for (int l = 0; l < numLayers; ++l) {
        std::vector<int> heads(static_cast<size_t>(numHeads));
        std::iota(heads.begin(), heads.end(), 0);
        std::stable_sort(heads.begin(), heads.end(), [&](int a, int b) {
            return importance[static_cast<size_t>(l * numHeads + a)] >
                   importance[static_cast<size_t>(l * numHeads + b)];
        });
        for (int i = 0; i < numHeads; ++i) {
            const bool top = i < k;
            const bool masked = mode == PerLayerMode::PruneTopK ? top : !top;
            if (masked)
                mask.at(l, heads[static_cast<size_t>(i)]) = 0.0f;
        }
    }
    return mask;
}

Expected<PerLayerCurve> perLayerCurve(const Model& model, const LabelledInputs& inputs,
                                      const std::string& ranking,
                                      const std::vector<double>& importance, PerLayerMode mode,
                                      const EvalOptions& eval, const JobContext& job) {
    const int L = model.config().numLayers, H = model.config().numHeads;
    if (static_cast<int>(importance.size()) != L * H)
        return Status::error("the importance has " + std::to_string(importance.size()) +
                             " values, the model " + std::to_string(L * H) + " heads");
    PerLayerCurve curve;
    curve.ranking = ranking;
    curve.mode = mode;
    StageProgress prog(job, "per-layer " + perLayerModeName(mode) + " (" + ranking + ")", H + 1);
    auto base = evaluateInputs(model, inputs, nullptr, eval, {nullptr, job.cancel});
    if (!base)
        return base.status().isCancelled() ? Expected<PerLayerCurve>(curve) : base.status();
    curve.baseAccuracy = base->accuracy;
    prog.report(1);
    for (int k = 1; k <= H; ++k) {
        const HeadMask mask = perLayerMask(importance, L, H, k, mode);
        auto r = evaluateInputs(model, inputs, &mask, eval, {nullptr, job.cancel});
        if (!r) {
            if (r.status().isCancelled())
                return curve;
            return r.status();
        }
        int masked = 0;
        for (float v : mask.values)
            masked += v == 0.0f ? 1 : 0;
        curve.k.push_back(k);
        curve.accuracy.push_back(r->accuracy);
        curve.headsMasked.push_back(masked);
        prog.report(k + 1);
    }
    curve.complete = true;
    return curve;
}

}  // namespace attrscope
