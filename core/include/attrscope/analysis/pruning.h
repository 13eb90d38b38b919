#pragma once
// Head pruning (spec §2.2): mask heads by multiplying their post-softmax attention probabilities
// by 0 (no renormalisation, no re-training) and measure accuracy on a labelled dataset.
//
// Global pruning ranks all L·H heads by an importance, ascending (least important first), and at
// rate r masks the first int(r·L·H) of them, the count computed as the official code does: a
// double product floored (int(0.3*16) == 4, int(0.3*144) == 43).
// The ranking uses a STABLE ascending sort: equal importances keep layer-major order. The
// official numpy argsort is not stable, so exact ties may be ordered differently there.
//
// The per-layer experiment ranks heads within each layer and, in every layer, either masks only
// the top-k heads ("prune-top-k") or masks all but the top-k ("keep-top-k").

#include <cstdint>
#include <string>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/analysis/dataset_job.h"
#include "attrscope/model/model.h"

namespace attrscope {

struct EvalOptions {
    int batchSize = 64;
    bool keepLogits = false;  // per-example logits in EvalResult
};

struct EvalResult {
    int examples = 0;
    double accuracy = 0.0;
    double meanLoss = 0.0;  // mean cross-entropy against the gold labels (float64)
    std::vector<int> predictions;
    std::vector<std::vector<float>> logits;  // when keepLogits
    std::vector<double> perClassAccuracy;    // recall per gold class; -1 when absent
    std::vector<int> perClassCount;
};

// Batched forward (Model::predictBatch: inputs grouped by length, each batch padded to its own
// maximum with a −10000 key mask) with an optional head mask.
Expected<EvalResult> evaluateInputs(const Model& model, const LabelledInputs& inputs,
                                    const HeadMask* mask = nullptr, const EvalOptions& options = {},
                                    const JobContext& job = {});

// Stable ascending argsort of a flat [L·H] importance.
std::vector<int> ascendingOrder(const std::vector<double>& importance);
// int(rate · total) with Python semantics: the double product, truncated toward zero.
int prunedCount(double rate, int total);
// 0.0, 0.1, ..., 1.0 (each i/10, the nearest double to the decimal).
std::vector<double> defaultRates();
// A mask with the first `count` heads of `order` (flat indices) set to 0.
HeadMask maskFirst(const std::vector<int>& order, int count, int numLayers, int numHeads);
// A uniformly random permutation of 0..n−1 (Fisher–Yates on mt19937_64 with rejection sampling,
// so the same seed gives the same order on every platform and compiler).
std::vector<int> randomOrder(int n, uint64_t seed);

struct PruneOptions {
    std::vector<double> rates = defaultRates();
    EvalOptions eval;
    bool keepPredictions = false;  // per-rate predictions in the curve
};

struct PruneCurve {
    std::string ranking;     // "attribution", "attention", "taylor", "random", ...
    std::vector<int> order;  // ascending (pruned first)
    std::vector<double> rates;
    std::vector<int> numPruned;
    std::vector<double> accuracy;  // one per rate done
    std::vector<double> loss;
    std::vector<std::vector<int>> predictions;            // [rate][example] when keepPredictions
    std::vector<std::vector<std::vector<float>>> logits;  // [rate][example][class] when keepLogits
    bool complete = false;
};

// Accuracy at every rate, masking heads in `order`. Cancel returns the rates done so far.
Expected<PruneCurve> pruneCurve(const Model& model, const LabelledInputs& inputs,
                                const std::string& ranking, const std::vector<int>& order,
                                const PruneOptions& options = {},
                                const JobContext& job = {});

struct RandomPruneCurves {
    std::vector<uint64_t> seeds;
    std::vector<PruneCurve> curves;  // one per seed
    std::vector<double> rates;
    std::vector<int> numPruned;
    std::vector<double> mean, stddev, min, max;  // per rate over the seeds (sample std, n−1)
    bool complete = false;
};

Expected<RandomPruneCurves> randomPruneCurves(const Model& model, const LabelledInputs& inputs,
                                              const std::vector<uint64_t>& seeds,
                                              const PruneOptions& options = {},
                                              const JobContext& job = {});

enum class PerLayerMode { PruneTopK, KeepTopK };
std::string perLayerModeName(PerLayerMode mode);  // "prune-top-k" | "keep-top-k"

// In every layer, the k heads with the largest importance (stable: ties keep the lower head) are
// masked (PruneTopK) or are the only ones kept (KeepTopK).
HeadMask perLayerMask(const std::vector<double>& importance, int numLayers, int numHeads, int k,
                      PerLayerMode mode);

struct PerLayerCurve {
    std::string ranking;
    PerLayerMode mode = PerLayerMode::PruneTopK;
    double baseAccuracy = 0.0;  // nothing masked
    std::vector<int> k;         // 1..H
    std::vector<double> accuracy;
    std::vector<int> headsMasked;  // total over layers, per k
    bool complete = false;
};

Expected<PerLayerCurve> perLayerCurve(const Model& model, const LabelledInputs& inputs,
                                      const std::string& ranking,
                                      const std::vector<double>& importance, PerLayerMode mode,
                                      const EvalOptions& eval = {},
                                      const JobContext& job = {});

}  // namespace attrscope
