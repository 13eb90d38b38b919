// attrscope-cli triggers mine|evaluate: attribution patterns from training examples, and their
// effect as inserted adversarial triggers on an evaluation set: thin callers of runTriggerStudy
// (mine = the study without its evaluation; evaluate = the study on a mined patterns file).

#include <cstdio>

#include "attrscope/json/analysis_json.h"
#include "cli_progress.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

class TriggersCommand : public Command {
public:
    explicit TriggersCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("triggers", "Adversarial triggers from attribution patterns");
        cmd_->require_subcommand(1);

        mine_ = cmd_->add_subcommand(
            "mine",
            "For each training example: the top-2 entries of the single highest-attribution "
            "head (predicted class), sorted by their sum");
        addModelOptions(mine_, mineModel_);
        addDataOptions(mine_, mineData_);
        auto& m = options_.mining;
        mine_->add_option("--start", m.start, "First example used")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        mine_->add_option("--examples", m.examples, "Number of examples (0 = all)")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        mine_->add_option("--steps", m.steps, "Integration points m (official: 64)")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        mine_->add_option("--rule", rule_, "Riemann rule (official: left)")
            ->capture_default_str()
            ->check(ruleNames());
        mine_->add_option("--min-tokens", m.minTokens,
                          "Skip examples with fewer tokens incl. [CLS]/[SEP] (official SST-2: 15)")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        mine_->add_option("--out", mineOut_, "Write the JSON here instead of stdout");

        evaluate_ = cmd_->add_subcommand(
            "evaluate",
            "Insert each pattern's tokens into every evaluation example and report the "
            "per-label accuracy before and after");
        addModelOptions(evaluate_, evalModel_);
        addDataOptions(evaluate_, evalData_);
        auto& e = options_.evaluation;
        evaluate_
            ->add_option("--patterns", patterns_,
                         "File written by 'triggers mine' (or the official "
                         "*_adver_pattern_exp*.json)")
            ->required();
        evaluate_->add_option("--threshold", e.threshold, "Evaluate patterns with a1 + a2 >= this")
            ->capture_default_str();
        evaluate_->add_flag("--all", e.all,
                            "Always insert both pairs' tokens (default: only the top pair when "
                            "a2/a1 < 0.2)");
        evaluate_->add_option("--max-patterns", e.maxPatterns,
                              "Evaluate only the strongest N qualifying patterns (0 = all)")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        evaluate_->add_option("--top", top_, "Strongest triggers listed in 'strongest'")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        evaluate_->add_option("--batch-size", e.eval.batchSize, "Inputs per forward pass")
            ->capture_default_str()
            ->check(CLI::Range(1, 65536));
        evaluate_->add_option("--out", evalOut_, "Write the JSON here instead of stdout");
    }

    int run(const Globals& globals) override {
        const bool mining = mine_->parsed();
        const ModelOptions& modelOptions = mining ? mineModel_ : evalModel_;
        const DataOptions& data = mining ? mineData_ : evalData_;
        TriggerStudy given;  // evaluate: the mining comes from the patterns file
        if (mining) {
            options_.mining.rule = *parseRule(rule_);
            options_.evaluate = false;
        } else {
            auto records = readTriggerRecords(patterns_);
            if (!records)
                return fail(records.error());
            sortTriggerRecords(*records);  // an official file is sorted already; ours too
            given.mining.records = std::move(*records);
            given.mining.complete = true;
        }
        auto model = openModel(modelOptions);
        if (!model)
            return fail(model.error());
        auto inputs = loadInputs(**model, data, modelOptions.maxLength);
        if (!inputs)
            return fail(inputs.error());

        StderrProgress progress(!globals.quiet);
        Expected<TriggerStudy> study = Status::error("not run");
        {
            Interruptible interruptible;
            study = runTriggerStudy(**model, *inputs, *inputs, options_,
                                    mining ? nullptr : &given,
                                    progress.context(&interruptToken()));
        }
        progress.finish();
        if (!study)
            return fail(study.error());
        const AnalysisSource source = sourceOf(**model, data);
        Status written;
        if (mining) {
            const auto& m = study->mining;
            if (!globals.quiet)
                std::fprintf(stderr, "mined %zu patterns from %d examples (%d skipped as short) "
                             "in %.1f s\n",
                             m.records.size(), m.examplesDone, m.skipped, m.seconds);
            written = writeOutput(mineOut_,
                                  triggerMiningToJson(m, source, (*model)->config().id2label));
        } else {
            const auto& ev = study->evaluation;
            if (!globals.quiet)
                std::fprintf(stderr, "evaluated %zu of %d qualifying patterns in %.1f s\n",
                             ev.results.size(), ev.qualifying, ev.seconds);
            written = writeOutput(
                evalOut_, triggerEvaluationToJson(ev, study->mining.records, source, top_));
        }
        if (!written)
            return fail(written.message());
        if (!study->complete)
            return fail("interrupted: wrote the partial result (\"complete\": false)");
        return kSuccess;
    }

private:
    CLI::App* mine_;
    CLI::App* evaluate_;
    ModelOptions mineModel_, evalModel_;
    DataOptions mineData_, evalData_;
    TriggerStudyOptions options_;
    std::string rule_ = "left";
    std::string patterns_;
    int top_ = 10;
    std::string mineOut_, evalOut_;
};

}  // namespace

std::unique_ptr<Command> makeTriggersCommand(CLI::App& app) {
    return std::make_unique<TriggersCommand>(app);
}

}  // namespace attrscope::cli
