// attrscope-cli triggers mine|evaluate: attribution patterns from training examples, and their
// effect as inserted adversarial triggers on an evaluation set.

#include <cstdio>

#include "attrscope/analysis/triggers.h"
#include "cli_analysis.h"

namespace attrscope::cli {

TriggersCommand::TriggersCommand(CLI::App& app) {
    cmd_ = app.add_subcommand("triggers", "Adversarial triggers from attribution patterns");
    cmd_->require_subcommand(1);

    mine_ = cmd_->add_subcommand(
        "mine",
        "For each training example: the top-2 entries of the single highest-attribution "
        "head (predicted class), sorted by their sum");
    addModelOptions(mine_, mineModel_);
    addDataOptions(mine_, mineData_);
    mine_->add_option("--start", start_, "First example used")->capture_default_str();
    mine_->add_option("--examples", examples_, "Number of examples (0 = all)")
        ->capture_default_str();
    mine_->add_option("--steps", steps_, "Integration points m (official: 64)")
        ->capture_default_str();
    mine_->add_option("--rule", rule_, "Riemann rule (official: left)")->capture_default_str();
    mine_
        ->add_option("--min-tokens", minTokens_,
                     "Skip examples with fewer tokens incl. [CLS]/[SEP] (official SST-2: 15)")
        ->capture_default_str();
    mine_->add_option("--out", mineOut_, "Write the JSON here instead of stdout");

    evaluate_ = cmd_->add_subcommand(
        "evaluate",
        "Insert each pattern's tokens into every evaluation example and report the "
        "per-label accuracy before and after");
    addModelOptions(evaluate_, evalModel_);
    addDataOptions(evaluate_, evalData_);
    evaluate_
        ->add_option("--patterns", patterns_,
                     "File written by 'triggers mine' (or the "
                     "official *_adver_pattern_exp*.json)")
        ->required();
    evaluate_->add_option("--threshold", threshold_, "Evaluate patterns with a1 + a2 >= this")
        ->capture_default_str();
    evaluate_->add_flag("--all", all_,
                        "Always insert both pairs' tokens (default: only the top pair when "
                        "a2/a1 < 0.2)");
    evaluate_
        ->add_option("--max-patterns", maxPatterns_,
                     "Evaluate only the strongest N qualifying patterns (0 = all)")
        ->capture_default_str();
    evaluate_->add_option("--top", top_, "Strongest triggers listed in 'strongest'")
        ->capture_default_str();
    evaluate_->add_option("--batch-size", batchSize_, "Inputs per forward pass")
        ->capture_default_str();
    evaluate_->add_option("--out", evalOut_, "Write the JSON here instead of stdout");
}

int TriggersCommand::run(bool quiet) {
    if (mine_->parsed())
        return runMine(quiet);
    return runEvaluate(quiet);
}

int TriggersCommand::runMine(bool quiet) {
    auto rule = parseRule(rule_);
    if (!rule)
        return analysisFail("unknown rule '" + rule_ + "'");
    auto model = openAnalysisModel(mineModel_);
    if (!model)
        return analysisFail(model.error());
    auto inputs = loadAnalysisInputs(**model, mineData_, mineModel_.maxLength);
    if (!inputs)
        return analysisFail(inputs.error());
    installInterruptHandler();
    DatasetStderrProgress progress(!quiet);
    TriggerMiningOptions o;
    o.start = start_;
    o.examples = examples_;
    o.steps = steps_;
    o.rule = *rule;
    o.minTokens = minTokens_;
    auto m = mineTriggers(**model, *inputs, o, nullptr, &progress, &interruptToken());
    progress.finish();
    if (!m)
        return analysisFail(m.error());
    std::fprintf(stderr, "mined %zu patterns from %d examples (%d skipped as short) in %.1f s%s\n",
                 m->records.size(), m->examplesDone, m->skipped, m->seconds,
                 m->complete ? "" : " (interrupted)");
    auto s =
        writeJson(mineOut_, triggerMiningToJson(*m, analysisSource(mineModel_, mineData_, **model),
                                                (*model)->config().id2label));
    return s ? 0 : analysisFail(s.message());
}

int TriggersCommand::runEvaluate(bool quiet) {
    auto records = readTriggerRecords(patterns_);
    if (!records)
        return analysisFail(records.error());
    sortTriggerRecords(*records);  // an official file is sorted already; ours too
    auto model = openAnalysisModel(evalModel_);
    if (!model)
        return analysisFail(model.error());
    auto inputs = loadAnalysisInputs(**model, evalData_, evalModel_.maxLength);
    if (!inputs)
        return analysisFail(inputs.error());
    installInterruptHandler();
    DatasetStderrProgress progress(!quiet);
    TriggerEvalOptions o;
    o.threshold = threshold_;
    o.all = all_;
    o.maxPatterns = maxPatterns_;
    o.eval.batchSize = batchSize_;
    auto ev =
        evaluateTriggers(**model, *inputs, *records, o, nullptr, &progress, &interruptToken());
    progress.finish();
    if (!ev)
        return analysisFail(ev.error());
    std::fprintf(stderr, "evaluated %zu of %d qualifying patterns in %.1f s%s\n",
                 ev->results.size(), ev->qualifying, ev->seconds,
                 ev->complete ? "" : " (interrupted)");
    auto s = writeJson(
        evalOut_, triggerEvaluationToJson(*ev, *records,
                                          analysisSource(evalModel_, evalData_, **model), top_));
    return s ? 0 : analysisFail(s.message());
}

}  // namespace attrscope::cli
