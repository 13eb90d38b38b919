#pragma once
// The paper's three dataset studies, each one call: head importance (attribution plus the
// attention-max, Taylor and accuracy-difference baselines), head pruning (global rankings,
// random seeds, per-layer top-k) and adversarial triggers (mine, then evaluate). The CLI's
// heads/prune/triggers commands and the GUI's Dataset tab are thin callers of these.
//
// Shape (attrscope/job.h): inputs, options, JobContext → value. A cancelled study returns its
// partial value with complete == false (never an error); pass it back as `resume` with the same
// inputs and options to continue: importance and triggers continue their unfinished stage,
// pruning recomputes the stage that was cut (its curves cannot continue mid-way).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/analysis/head_importance.h"
#include "attrscope/analysis/pruning.h"
#include "attrscope/analysis/triggers.h"
#include "attrscope/job.h"

namespace attrscope {

// Where the numbers came from (written into every study file).
struct AnalysisSource {
    std::string model;   // checkpoint folder
    std::string data;    // dataset file
    std::string format;  // dataset format
    std::string split;   // empty = whole file
    std::string device = "cpu";
    int threads = 0;
};
AnalysisSource analysisSource(const Model& model, const std::string& data,
                              const DatasetOptions& options);

// ---- head importance -------------------------------------------------------------------------

struct ImportanceStudyOptions {
    int examples = 200;       // the first N inputs; 0 = all
    int steps = 20;           // m
    Rule rule = Rule::Left;   // the official script's rule
    // The per-example pass: attribution and attention-max maxima, or (attribution false) the
    // attention-max baseline alone (one clean forward per example). false: only the baselines.
    bool maxPass = true;
    bool attribution = true;
    bool taylor = false;      // logit-sum Taylor (the AttAttr script)
    bool taylorLoss = false;  // cross-entropy Taylor (Michel et al.)
    bool accuracy = false;    // accuracy difference (L·H + 1 evaluations)
    int taylorBatch = 32;
    int accuracyExamples = -1;  // -1: same as examples; 0 = all
    int batchSize = 64;         // accuracy evaluations
    bool perExample = false;    // keep every example's per-head maxima
};
// Parses "attention,taylor,taylor-loss,accuracy,none" into the options' baseline flags.
Status setImportanceBaselines(ImportanceStudyOptions& options, const std::string& list);

struct HeadImportanceReport {
    AnalysisSource source;
    std::optional<HeadImportance> attribution;  // attribution (+ attention-max) pass
    std::vector<TaylorImportance> taylor;       // any of the two objectives
    std::optional<AccuracyDifference> accuracy;
    std::vector<std::string> exampleIds;  // ids of the inputs, for per_example
    std::vector<int> exampleLabels;
    bool perExample = false;  // write per_example
    bool complete = false;
};

Expected<HeadImportanceReport> runImportanceStudy(Model& model, const LabelledInputs& inputs,
                                                  const ImportanceStudyOptions& options,
                                                  const AnalysisSource& source,
                                                  const HeadImportanceReport* resume = nullptr,
                                                  const JobContext& job = {});

// ---- pruning ---------------------------------------------------------------------------------

// Every ranking a study can prune by: "attribution", "attention", "taylor", "taylor-loss",
// "accuracy" and (global only) "random".
const std::vector<std::string>& pruneRankings();

struct PruneStudyOptions {
    std::vector<std::string> rankings = {"attribution", "attention", "taylor", "random"};
    std::vector<std::string> perLayerRankings = {"attribution", "attention"};  // empty: none
    int importanceExamples = 200;  // importance from the first N inputs; 0 = all
    int evalExamples = 0;          // accuracy on the first N inputs; 0 = all
    int steps = 20;
    Rule rule = Rule::Left;
    uint64_t firstSeed = 1;  // random ranking: seeds firstSeed, firstSeed + 1, ...
    int seeds = 5;
    std::vector<double> rates = defaultRates();
    int batchSize = 64;
    bool keepPredictions = false;
    // Importances given by the caller (e.g. from a heads file), by ranking; the study computes
    // only those missing. `importanceSource` says where they came from.
    std::map<std::string, std::vector<double>> importance;
    std::string importanceSource;
};

struct PruneReport {
    AnalysisSource source;
    std::string importanceSource;  // file or "computed on the first N examples"
    int numLayers = 0, numHeads = 0;
    int examples = 0;
    double baseAccuracy = 0.0;
    std::vector<PruneCurve> global;  // one per ranking
    std::optional<RandomPruneCurves> random;
    std::vector<PerLayerCurve> perLayer;  // per ranking: prune-top-k, then keep-top-k
    bool complete = true;
};

struct PruneStudy {
    PruneReport report;
    HeadImportanceReport importance;  // the importances the study computed (for display)
    bool complete = false;
};

Expected<PruneStudy> runPruneStudy(Model& model, const LabelledInputs& inputs,
                                   const PruneStudyOptions& options, const AnalysisSource& source,
                                   const PruneStudy* resume = nullptr, const JobContext& job = {});

// ---- triggers --------------------------------------------------------------------------------

struct TriggerStudyOptions {
    TriggerMiningOptions mining;
    bool evaluate = true;  // false: mining only
    TriggerEvalOptions evaluation;
    int evalExamples = 0;  // evaluation on the first N inputs of the evaluation set; 0 = all
};

struct TriggerStudy {
    TriggerMining mining;  // a resume value with complete mining skips it (patterns from a file)
    TriggerEvaluation evaluation;
    bool evaluated = false;  // the evaluation ran (complete or not)
    bool complete = false;
};

Expected<TriggerStudy> runTriggerStudy(Model& model, const LabelledInputs& mineInputs,
                                       const LabelledInputs& evalInputs,
                                       const TriggerStudyOptions& options,
                                       const TriggerStudy* resume = nullptr,
                                       const JobContext& job = {});

}  // namespace attrscope
