// attrscope-cli heads: head importance over a dataset (attribution, plus the attention-max,
// Taylor and accuracy-difference baselines) as JSON: a thin caller of runImportanceStudy.
// Ctrl-C stops after the current example and writes the partial result ("complete": false,
// exit 1); `--resume FILE` continues it.

#include <cstdio>

#include "attrscope/json/analysis_json.h"
#include "cli_progress.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

class HeadsCommand : public Command {
public:
    explicit HeadsCommand(CLI::App& app) {
        cmd_ = app.add_subcommand(
            "heads",
            "Head importance over a dataset: attribution (signed max of each head's map "
            "against the gold label, summed over examples) and baselines");
        addModelOptions(cmd_, model_);
        addDataOptions(cmd_, data_);
        cmd_->add_option("--examples", o_.examples, "Use the first N examples (0 = all)")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        cmd_->add_option("--steps", o_.steps, "Integration points m")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        cmd_->add_option("--rule", rule_, "left (official script) | right | midpoint | gauss-legendre")
            ->capture_default_str()
            ->check(ruleNames());
        cmd_->add_option("--baselines", baselines_,
                         "Comma list of attention, taylor (logit-sum, as the official script), "
                         "taylor-loss (cross-entropy, Michel et al.), accuracy, or none")
            ->capture_default_str();
        cmd_->add_option("--taylor-batch", o_.taylorBatch, "Batch size of the Taylor pass")
            ->capture_default_str()
            ->check(CLI::Range(1, 65536));
        cmd_->add_option("--accuracy-examples", o_.accuracyExamples,
                         "Examples for the accuracy difference (default: --examples; 0 = all)")
            ->check(CLI::NonNegativeNumber);
        cmd_->add_option("--batch-size", o_.batchSize, "Batch of the accuracy evaluations")
            ->capture_default_str()
            ->check(CLI::Range(1, 65536));
        cmd_->add_flag("--no-attribution", noAttribution_, "Only the baselines");
        cmd_->add_flag("--per-example", o_.perExample, "Also write every example's per-head maxima");
        cmd_->add_option("--resume", resume_,
                         "Continue the attribution pass of a partial heads file (same options)");
        cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
    }

    int run(const Globals& globals) override {
        o_.rule = *parseRule(rule_);
        o_.attribution = !noAttribution_;
        if (auto s = setImportanceBaselines(o_, baselines_); !s)
            return usageError(s.message());
        HeadImportanceReport resume;
        if (!resume_.empty()) {
            auto f = readImportanceFile(resume_);
            if (!f)
                return fail(f.error());
            if (!f->attribution)
                return fail(resume_ + ": has no attribution pass to resume");
            resume.attribution = f->attribution;
        }
        auto model = openModel(model_);
        if (!model)
            return fail(model.error());
        auto inputs = loadInputs(**model, data_, model_.maxLength);
        if (!inputs)
            return fail(inputs.error());

        StderrProgress progress(!globals.quiet);
        Expected<HeadImportanceReport> report = Status::error("not run");
        {
            Interruptible interruptible;
            report = runImportanceStudy(**model, *inputs, o_, sourceOf(**model, data_),
                                        resume_.empty() ? nullptr : &resume,
                                        progress.context(&interruptToken()));
        }
        progress.finish();
        if (!report)
            return fail(report.error());
        if (const auto& a = report->attribution; a && !globals.quiet)
            std::fprintf(stderr, "%s importance: %d/%d examples in %.1f s\n",
                         a->options.attribution ? "attribution" : "attention", a->examplesDone,
                         a->examplesTotal, a->seconds);
        if (auto s = writeOutput(out_, headImportanceToJson(*report)); !s)
            return fail(s.message());
        if (!report->complete)
            return fail("interrupted: wrote the partial result (\"complete\": false); "
                        "continue with --resume");
        return kSuccess;
    }

private:
    ModelOptions model_;
    DataOptions data_;
    ImportanceStudyOptions o_;
    std::string rule_ = "left";
    std::string baselines_ = "attention,taylor";
    bool noAttribution_ = false;
    std::string resume_;
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> makeHeadsCommand(CLI::App& app) {
    return std::make_unique<HeadsCommand>(app);
}

}  // namespace attrscope::cli
