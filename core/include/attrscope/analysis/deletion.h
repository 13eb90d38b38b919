#pragma once
// Faithfulness by deletion ("attention knockout"): rank every token-to-token interaction (layer
// l, query i, key j) by a method's score, set the top-k entries to zero in all heads of their
// layer, recompute every layer above, and read the target probability, for k = 1, 2, 4, ….
// A faithful ranking makes the probability fall fast. See docs/methods.md.

#include <optional>
#include <string>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/attribution/attribution.h"

namespace attrscope {

enum class DeletionMethod { Attention, Attribution, Rollout, GradientAttention, Random };
std::string deletionMethodName(DeletionMethod method);
std::optional<DeletionMethod> parseDeletionMethod(const std::string& name);

struct DeletionOptions {
    std::vector<DeletionMethod> methods = {DeletionMethod::Attribution, DeletionMethod::Attention,
                                           DeletionMethod::Rollout,
                                           DeletionMethod::GradientAttention,
                                           DeletionMethod::Random};
    int maxK = 1024;          // k = 1, 2, 4, … ≤ maxK (clamped to the interactions there are)
    int randomRankings = 10;  // rankings behind the random band
    uint64_t seed = 1;
    std::string target = "predicted";
    AttributionOptions attribution;  // for the AttAttr ranking (right rule, m = 20)
    // [L][n][n] Σ_h Attr of this input for the target, already computed (the GUI's run): ranks
    // by it instead of computing AttAttr again. Empty: computed with `attribution`.
    FloatArray attributionScores;
};

struct DeletionCurve {
    std::string method;
    std::vector<double> probs;      // target probability after removing the top ks[i]
    std::vector<double> low, high;  // random band: min and max over the rankings (else empty)
    double auc = 0.0;               // mean of p over k = 0 and the ks (trapezoids on log2 k)
};

struct DeletionResult {
    int target = -1;
    double fullProb = 0.0;  // k = 0
    int interactions = 0;   // candidates: every (l, i, j), last layer [CLS] row only
    std::vector<int> ks;
    std::vector<DeletionCurve> curves;
};

// k = 1, 2, 4, … ≤ maxK.
std::vector<int> deletionKs(int maxK);

// Target probability after knocking out the top-k entries of scores [L][n][n] (descending; ties
// by index) for each k. Candidates are all (l, i, j) except the last layer's rows i > 0, which
// never reach the classifier.
Expected<std::vector<double>> knockoutCurve(Model& model, const Encoding& input, int target,
                                            const FloatArray& scores, const std::vector<int>& ks);

// Every method's ranking of one input, and its curve.
Expected<DeletionResult> deletionCurves(Model& model, const Encoding& input,
                                        const DeletionOptions& options,
                                        const JobContext& job = {});

struct DeletionStudy {
    int examples = 0;
    std::vector<int> ks;
    std::vector<std::string> methods;
    std::vector<std::vector<double>> meanCurve;  // [method][k index], including k = 0 first
    std::vector<double> meanAuc, stdAuc;         // [method]
    double meanFullProb = 0.0;
    bool complete = false;
};

// deletionCurves over every input (target = the model's prediction on each), averaged.
Expected<DeletionStudy> deletionStudy(Model& model, const std::vector<Encoding>& inputs,
                                      const DeletionOptions& options,
                                      const JobContext& job = {});

}  // namespace attrscope
