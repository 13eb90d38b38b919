#pragma once
// Head importance over a dataset (spec §2): the paper's attribution importance and the three
// baselines it is compared with.
//
//   attribution   I_h = Σ_x max_{i,j} Attr_h(A)(x), the signed maximum of the head's attribution
//                 map against the GOLD label's probability, summed over the first N examples
//                 (prune_head_with_attr.py: N = 200, m = 20, left Riemann sum). Also as a mean.
//   attention     Σ_x max_{i,j} A_h(x): the largest post-softmax attention weight of the head.
//   taylor        Michel et al. (2019): Σ_x Σ_tokens |⟨ctx_h, ∂S/∂ctx_h⟩| on the head's context
//                 vectors (probs·V), normalised per layer by the ℓ2 norm. S is either the sum of
//                 all logits (what prune_head_with_taylor.py does) or the cross-entropy loss
//                 against the gold label (Michel et al.'s own choice).
//   accuracy      accuracy of the full model minus accuracy with only that head masked.
//
// Layout everywhere: a flat layer-major list, index = layer·H + head, 0-based, bottom layer first.

#include <string>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/analysis/dataset_job.h"
#include "attrscope/model/model.h"

namespace attrscope {

struct HeadImportanceOptions {
    int examples = 200;       // the first N inputs; 0 = all
    int steps = 20;           // m
    Rule rule = Rule::Left;   // the official script's rule (k = 0..m−1)
    bool attribution = true;  // false: only the attention-max baseline (one clean forward each)
    bool keepPerExample = true;
    double memoryBudgetMB = 1024.0;
    int chunkSize = 0;  // steps per batched pass; 0 chooses from the budget
};

struct HeadImportance {
    int numLayers = 0;
    int numHeads = 0;
    HeadImportanceOptions options;
    int examplesTotal = 0;               // examples this run covers (min(N, inputs))
    int examplesDone = 0;                // also the index to continue from
    bool complete = false;               // false after a cancel: pass the value back to continue
    std::vector<double> attributionSum;  // [L·H]; empty when options.attribution is false
    std::vector<double> attentionSum;    // [L·H]
    // Per example [L·H] maxima (float32, as computed), when options.keepPerExample.
    std::vector<std::vector<float>> perExampleAttribution;
    std::vector<std::vector<float>> perExampleAttention;
    std::vector<int> predictions;  // clean predicted class per example (keepPerExample)
    double seconds = 0.0;          // computing time, summed over resumed runs

    std::vector<double> attributionMean() const;
    std::vector<double> attentionMean() const;
};

// Runs over inputs[examplesDone .. examplesTotal) (from `resume` when given, which must come from
// the same inputs and options). Progress: one unit per example. Cancel: returns the partial value
// with complete == false; errors (bad inputs, failed forward) are a Status.
Expected<HeadImportance> computeHeadImportance(Model& model, const LabelledInputs& inputs,
                                               const HeadImportanceOptions& options,
                                               const HeadImportance* resume = nullptr,
                                               const JobContext& job = {});

enum class TaylorObjective {
    LogitSum,  // S = Σ over batch and classes of the logits (the AttAttr script)
    Loss,      // S = Σ over the batch of the cross-entropy against the gold label (Michel et al.)
};
std::string taylorObjectiveName(TaylorObjective objective);  // "logit-sum" | "loss"
std::string taylorObjectiveMeaning(TaylorObjective objective);

struct TaylorOptions {
    TaylorObjective objective = TaylorObjective::LogitSum;
    int examples = 200;  // the first N inputs; 0 = all
    int batchSize = 32;  // the script's batch
};

struct TaylorImportance {
    int numLayers = 0;
    int numHeads = 0;
    TaylorOptions options;
    int examplesTotal = 0;
    int examplesDone = 0;
    bool complete = false;
    std::vector<double> raw;         // [L·H] Σ_x Σ_tokens |⟨ctx, ∂S/∂ctx⟩|
    std::vector<double> normalized;  // raw / (‖raw of the layer‖₂ + 1e−20): what is ranked
    double seconds = 0.0;
};

// Batched forward and backward with the heads' context vectors kept. Same partial/resume
// contract as computeHeadImportance; progress counts examples.
Expected<TaylorImportance> computeTaylorImportance(Model& model, const LabelledInputs& inputs,
                                                   const TaylorOptions& options,
                                                   const TaylorImportance* resume = nullptr,
                                                   const JobContext& job = {});

struct AccuracyDifference {
    int numLayers = 0;
    int numHeads = 0;
    int examples = 0;
    double baseAccuracy = 0.0;
    int headsDone = 0;  // heads evaluated so far, in layer-major order
    bool complete = false;
    std::vector<double> maskedAccuracy;  // [L·H]; NaN for heads not evaluated yet
    std::vector<double> drop;            // baseAccuracy − maskedAccuracy: the importance
    double seconds = 0.0;
};

// L·H + 1 batched evaluations. Progress counts evaluations; cancel keeps the heads done.
Expected<AccuracyDifference> computeAccuracyDifference(const Model& model,
                                                       const LabelledInputs& inputs,
                                                       int batchSize = 64,
                                                       const AccuracyDifference* resume = nullptr,
                                                       const JobContext& job = {});

}  // namespace attrscope
