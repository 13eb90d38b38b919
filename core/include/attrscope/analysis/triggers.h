#pragma once
// Adversarial triggers from attribution patterns (spec §4; run_adver_connection.py and
// run_adver_evaluate.py).
//
// Mining, per training example: the PREDICTED class's attribution (m = 64, left rule by default)
// of every layer; the single head with the largest entry over all layers (strict '>', so the
// earlier layer/head wins ties); that head's two largest entries (i, j) (ties: the later flat
// index first, like numpy's argsort(...)[::-1]). One record per example; records are sorted by
// a1 + a2, descending (stable).
//
// Evaluation, per pattern with a1 + a2 >= threshold (all of them: the official loop silently
// dropped the last pattern when none fell below the threshold; fixed here):
//   * positions: top-1 pair only when a2/a1 < 0.2 and not `all`, otherwise top-1 ∪ top-2;
//     sorted, duplicates removed, positions holding [CLS] or [SEP] dropped (in every family:
//     any template special, <s>, </s>, RoBERTa's double </s></s> separator);
//   * the pieces at those positions are inserted AS PIECES (a "##x", "Ġx" or "▁x" stays one);
//   * position p becomes relative to its segment: A: p/(seg_pos−1), B: (p−seg_pos)/len_B
//     (after RoBERTa's </s></s>, p counts from the second </s>);
//   * in every evaluation example, insert into A (then B) in ascending order at
//     round((len + k)·r) (Python round: half to even; k = words inserted into that segment),
//     +1 when equal to the previous position; then the usual longest-first truncation. BERT's
//     WordPiece rebuilds [CLS] A [SEP] B [SEP] as the official code; every other family
//     re-encodes the pieces with its own tokenizer's template, type ids and truncation;
//   * accuracy per gold label before and after; the drop is the attack's success
//     (non-targeted).

#include <array>
#include <string>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/analysis/pruning.h"
#include "attrscope/attribution/attribution.h"
#include "attrscope/text/vocabulary.h"

namespace attrscope {

struct TriggerMiningOptions {
    int start = 0;       // first input used
    int examples = 500;  // number of inputs from start; 0 = all
    int steps = 64;      // the official 16 × 4
    Rule rule = Rule::Left;
    // Skip inputs with fewer tokens (counting [CLS] and [SEP]); the official SST-2 run uses 15.
    int minTokens = 0;
    double memoryBudgetMB = 1024.0;
};

struct TriggerRecord {
    std::array<double, 2> maxCombinedAttr{};              // a1, a2 (float32 values)
    std::array<std::string, 2> top1Pattern, top2Pattern;  // [token_i, token_j]
    std::array<int, 2> top1Position{}, top2Position{};    // [i (query), j (key)]
    int targetLabel = -1;                                 // predicted class
    int goldenLabel = -1;
    int segPos = 0;  // index of the first [SEP] (of the template special after A)
    std::vector<std::string> tokens;
    // Extras, not in the official record:
    int layer = -1, head = -1;  // the head the pair comes from
    int exampleIndex = -1;      // index in the inputs
    std::string exampleId;

    double combined() const { return maxCombinedAttr[0] + maxCombinedAttr[1]; }
};

struct TriggerMining {
    TriggerMiningOptions options;
    std::vector<TriggerRecord> records;  // sorted by a1 + a2, descending
    int examplesTotal = 0;               // inputs in [start, start + examples)
    int examplesDone = 0;                // of those, processed (also the resume point)
    int skipped = 0;                     // shorter than minTokens
    bool complete = false;
    double seconds = 0.0;
};

// Cancel returns the records so far with complete == false; pass the value back to continue.
Expected<TriggerMining> mineTriggers(Model& model, const LabelledInputs& inputs,
                                     const TriggerMiningOptions& options,
                                     const TriggerMining* resume = nullptr,
                                     const JobContext& job = {});

// Sorting as the official script: by a1 + a2, descending, stable (ties in example order).
void sortTriggerRecords(std::vector<TriggerRecord>& records);

// What one pattern inserts: tokens with their relative positions, split by segment.
struct TriggerInsertion {
    std::vector<int> positions;  // absolute positions in the mined example, after filtering
    std::vector<std::string> tokensA, tokensB;
    std::vector<double> relativeA, relativeB;
};

// `specials`: the model's template specials, dropped like [CLS], [SEP], <s> and </s> (which are
// always dropped).
Expected<TriggerInsertion> planInsertion(const TriggerRecord& record, bool all,
                                         const std::vector<std::string>& specials = {});
// Insertion indices for a segment of `originalLength` pieces: round-half-even of
// (originalLength + count)·r, bumped by one when equal to the previous index.
std::vector<int> insertionIndices(int originalLength, const std::vector<double>& relative);
// Python's round() for the doubles used here: nearest integer, halves to even.
long long pythonRound(double x);
// Inserts into copies of the pieces, truncates like the tokenizer and builds the encoding from
// token ids (a token missing from the vocabulary becomes [UNK]).
Encoding insertTrigger(const Vocabulary& vocab, const TriggerInsertion& plan,
                       const std::vector<std::string>& piecesA,
                       const std::vector<std::string>& piecesB, bool hasTextB, int maxLength);
// Any family: input `index` of encodeDataset's inputs with the plan's pieces inserted, encoded
// like the model's tokenizer encodes text (BERT's WordPiece: the overload above; otherwise the
// family's template, type ids and longest-first truncation to inputs.maxLength, piece ids from
// that tokenizer). Fails without a tokenizer and for a piece missing from the vocabulary.
Expected<Encoding> insertTrigger(const Model& model, const LabelledInputs& inputs, int index,
                                 const TriggerInsertion& plan);
// Why triggers cannot be inserted into these inputs for this model (no tokenizer, no pieces).
Status canInsertTriggers(const Model& model, const LabelledInputs& inputs);

struct TriggerEvalOptions {
    double threshold = 0.02;  // keep patterns with a1 + a2 >= threshold
    bool all = false;         // always insert both pairs (the official --if_all)
    int maxPatterns = 0;      // evaluate only the strongest N qualifying patterns; 0 = all
    EvalOptions eval;
};

struct TriggerResult {
    int patternIndex = -1;  // index in the sorted records
    TriggerInsertion insertion;
    std::vector<double> accuracy;  // per gold class after insertion (-1: class absent)
    std::vector<double> drop;      // clean − after, per class
    double overallAccuracy = 0.0;
    double meanDrop = 0.0;  // mean of drop over the classes present
    int truncatedInputs = 0;
    // Index (into results) of an earlier pattern with the same insertion, whose numbers these
    // are (evaluated once); -1 when this one was evaluated itself.
    int sameAs = -1;
};

struct TriggerEvaluation {
    TriggerEvalOptions options;
    std::vector<std::string> classNames;
    std::vector<int> classCounts;
    std::vector<double> cleanAccuracy;  // per gold class
    double cleanOverall = 0.0;
    int qualifying = 0;                  // patterns with a1 + a2 >= threshold
    std::vector<TriggerResult> results;  // in pattern order
    bool complete = false;
    double seconds = 0.0;
    // Indices into results by mean drop, descending (stable), without the sameAs repeats.
    std::vector<int> strongest() const;
};

// `records` must be sorted (as mineTriggers returns them). Progress counts patterns.
Expected<TriggerEvaluation> evaluateTriggers(const Model& model, const LabelledInputs& inputs,
                                             const std::vector<TriggerRecord>& records,
                                             const TriggerEvalOptions& options,
                                             const TriggerEvaluation* resume = nullptr,
                                             const JobContext& job = {});

}  // namespace attrscope
