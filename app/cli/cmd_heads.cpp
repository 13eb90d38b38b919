// attrscope-cli heads: head importance over a dataset (attribution, plus the attention-max,
// Taylor and accuracy-difference baselines) as JSON.

#include <cstdio>
#include <set>
#include <sstream>

#include "attrscope/analysis/head_importance.h"
#include "cli_analysis.h"

namespace attrscope::cli {

HeadsCommand::HeadsCommand(CLI::App& app) {
    cmd_ = app.add_subcommand(
        "heads",
        "Head importance over a dataset: attribution (signed max of each head's map "
        "against the gold label, summed over examples) and baselines");
    addModelOptions(cmd_, model_);
    addDataOptions(cmd_, data_);
    cmd_->add_option("--examples", examples_, "Use the first N examples (0 = all)")
        ->capture_default_str();
    cmd_->add_option("--steps", steps_, "Integration points m")->capture_default_str();
    cmd_->add_option("--rule", rule_, "left (official script) | right | midpoint | gauss-legendre")
        ->capture_default_str();
    cmd_->add_option("--baselines", baselines_,
                     "Comma list of attention, taylor (logit-sum, as the official script), "
                     "taylor-loss (cross-entropy, Michel et al.), accuracy, or none")
        ->capture_default_str();
    cmd_->add_option("--taylor-batch", taylorBatch_, "Batch size of the Taylor pass")
        ->capture_default_str();
    cmd_->add_option("--accuracy-examples", accuracyExamples_,
                     "Examples for the accuracy difference (default: --examples; 0 = all)");
    cmd_->add_option("--batch-size", batchSize_, "Batch of the accuracy evaluations")
        ->capture_default_str();
    cmd_->add_flag("--no-attribution", noAttribution_, "Only the baselines");
    cmd_->add_flag("--per-example", perExample_, "Also write every example's per-head maxima");
    cmd_->add_option("--resume", resume_,
                     "Continue the attribution pass of a partial heads file (same options)");
    cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
}

int HeadsCommand::run(bool quiet) {
    auto rule = parseRule(rule_);
    if (!rule)
        return analysisFail("unknown rule '" + rule_ + "' (left, right, midpoint, gauss-legendre)");
    const auto list = splitList(baselines_);
    const std::set<std::string> baselines(list.begin(), list.end());
    for (const auto& b : baselines)
        if (b != "attention" && b != "taylor" && b != "taylor-loss" && b != "accuracy" &&
            b != "none")
            return analysisFail("unknown baseline '" + b +
                                "' (attention, taylor, taylor-loss, accuracy, none)");
    if (examples_ < 0)
        return analysisFail("--examples must not be negative");
    auto model = openAnalysisModel(model_);
    if (!model)
        return analysisFail(model.error());
    auto inputs = loadAnalysisInputs(**model, data_, model_.maxLength);
    if (!inputs)
        return analysisFail(inputs.error());

    installInterruptHandler();
    CancelToken& cancel = interruptToken();
    DatasetStderrProgress progress(!quiet);
    HeadImportanceReport report;
    report.source = analysisSource(model_, data_, **model);
    report.perExample = perExample_;
    report.exampleIds = inputs->ids;
    report.exampleLabels = inputs->labels;

    if (!noAttribution_ || baselines.count("attention")) {
        HeadImportanceOptions o;
        o.examples = examples_;
        o.steps = steps_;
        o.rule = *rule;
        o.attribution = !noAttribution_;
        std::optional<HeadImportance> partial;
        if (!resume_.empty()) {
            auto f = readImportanceFile(resume_);
            if (!f)
                return analysisFail(f.error());
            if (!f->attribution)
                return analysisFail(resume_ + ": has no attribution pass to resume");
            partial = f->attribution;
            // Per-example rows only continue a file that has all of them.
            if (static_cast<int>(partial->perExampleAttention.size()) != partial->examplesDone) {
                partial->perExampleAttribution.clear();
                partial->perExampleAttention.clear();
                partial->predictions.clear();
                o.keepPerExample = false;
                report.perExample = false;
            }
        }
        auto r = computeHeadImportance(**model, *inputs, o, partial ? &*partial : nullptr,
                                       &progress, &cancel);
        progress.finish();
        if (!r)
            return analysisFail(r.error());
        std::fprintf(stderr, "%s importance: %d/%d examples in %.1f s%s\n",
                     o.attribution ? "attribution" : "attention", r->examplesDone, r->examplesTotal,
                     r->seconds, r->complete ? "" : " (interrupted)");
        report.attribution = std::move(*r);
    }
    for (auto objective : {TaylorObjective::LogitSum, TaylorObjective::Loss}) {
        const bool wanted =
            baselines.count(objective == TaylorObjective::LogitSum ? "taylor" : "taylor-loss");
        if (!wanted || cancel.isCancelled())
            continue;
        TaylorOptions o;
        o.objective = objective;
        o.examples = examples_;
        o.batchSize = taylorBatch_;
        auto t = computeTaylorImportance(**model, *inputs, o, nullptr, &progress, &cancel);
        progress.finish();
        if (!t)
            return analysisFail(t.error());
        report.taylor.push_back(std::move(*t));
    }
    if (baselines.count("accuracy") && !cancel.isCancelled()) {
        const int n = accuracyExamples_ < 0 ? examples_ : accuracyExamples_;
        auto acc = computeAccuracyDifference(**model, inputs->head(n), batchSize_, nullptr,
                                             &progress, &cancel);
        progress.finish();
        if (!acc)
            return analysisFail(acc.error());
        report.accuracy = std::move(*acc);
    }
    if (cancel.isCancelled())
        std::fprintf(stderr, "interrupted: writing the partial result (\"complete\": false)\n");
    auto s = writeJson(out_, headImportanceToJson(report));
    return s ? 0 : analysisFail(s.message());
}

}  // namespace attrscope::cli
