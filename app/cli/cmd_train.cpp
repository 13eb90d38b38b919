// attrscope-cli train: trains a BERT classifier from scratch or from a checkpoint and writes an
// HF-layout folder. Ctrl-C stops after the current step and saves a resumable state.

#include <cstdio>

#include "cli_progress.h"
#include "commands.h"
#include "model_shape_options.h"

namespace attrscope::cli {

namespace {

class TrainCommand : public Command {
public:
    explicit TrainCommand(CLI::App& app);
    int run(const Globals& globals) override;

private:
    DataOptions data_, evalData_;
    std::string out_;
    TrainOptions options_;
};

TrainCommand::TrainCommand(CLI::App& app) {
    cmd_ = app.add_subcommand("train",
                              "Train a classifier: a BERT from scratch, or fine-tune a checkpoint "
                              "of any supported family (--init-from)");
    auto& o = options_;
    cmd_->add_option("--data", data_.path, "Training data file")->required();
    cmd_->add_option("--format", data_.format, "sick | sst2 | rte | mrpc | glue-pair | glue-single")
        ->required();
    cmd_->add_option("--split", data_.split, "Training split, e.g. train or train+trial (SICK)");
    cmd_->add_option("--limit", data_.limit, "Only the first N training examples");
    cmd_->add_option("--eval-data", evalData_.path, "Held-out data (default: 10 % of training)");
    cmd_->add_option("--eval-format", evalData_.format,
                     "Format of --eval-data (default: --format)");
    cmd_->add_option("--eval-split", evalData_.split, "Split of --eval-data, e.g. trial");
    cmd_->add_option("--out", out_, "Output checkpoint folder")->required();
    cmd_->add_flag("--overwrite", o.overwrite, "Replace an existing output folder's model files");
    cmd_->add_flag("--resume", o.resume, "Continue the interrupted run in --out");
    cmd_->add_flag("--keep-state", o.keepState, "Keep --out/.train-state after finishing");
    cmd_->add_option("--init-from", o.initFrom,
                     "Fine-tune this checkpoint folder (any family; keeps its tokenizer and "
                     "encoder, replaces the head when the classes differ)");
    addModelShapeOptions(cmd_, o);
    addScheduleOptions(cmd_, o);
    cmd_->add_option("--eval-every", o.evalEvery, "Evaluate every N epochs")->capture_default_str();
    cmd_->add_option("--checkpoint-every", o.checkpointEverySteps,
                     "Also save the resumable state every N steps");
    cmd_->add_option("--swap-labels", o.swapLabels,
                     "Also train on B/A for these (symmetric) labels, e.g. contradiction")
        ->delimiter(',');
    cmd_->add_option("--negation-augment", o.negationAugment,
                     "FROM:TO, e.g. entailment:contradiction: add (A, B negated) as TO");
    cmd_->add_option("--overlap-augment", o.overlapAugment,
                     "SAME:UNRELATED, e.g. entailment:neutral: add (A, A) and (A, random B)");
}

int TrainCommand::run(const Globals& globals) {
    const bool quiet = globals.quiet;
    if (options_.overwrite && options_.resume)
        return usageError("--overwrite and --resume exclude each other");
    auto train = loadData(data_);
    if (!train)
        return fail(train.error());
    Dataset eval;
    if (!evalData_.path.empty()) {
        DataOptions e = evalData_;
        if (e.format.empty())
            e.format = data_.format;
        auto loaded = loadData(e);
        if (!loaded)
            return fail(loaded.error());
        eval = std::move(loaded.value());
    }
    TrainPrinter printer(!quiet);
    Expected<TrainReport> report = Status::error("not run");
    {
        Interruptible interruptible;
        report =
            attrscope::train(*train, eval, options_, out_, {nullptr, &interruptToken()}, &printer);
    }
    printer.finish();
    if (!report) {
        if (report.status().isCancelled())
            return fail("training interrupted; state saved, continue with --resume --out " + out_);
        return fail(report.error());
    }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "best held-out accuracy %.4f at epoch %d; %lld steps in %.0f s; written to %s\n",
                  report->bestEvalAccuracy, report->bestEpoch,
                  static_cast<long long>(report->steps), report->seconds, out_.c_str());
    if (!quiet)
        std::fputs(buf, stderr);
    return 0;
}

}  // namespace

std::unique_ptr<Command> makeTrainCommand(CLI::App& app) {
    return std::make_unique<TrainCommand>(app);
}

}  // namespace attrscope::cli
