// attrscope-cli pretrain: masked-LM pre-training of a small BERT on the texts of one or more
// datasets (labels unused); `train --init-from` fine-tunes the result.

#include <cstdio>

#include "attrscope/train/pretrainer.h"
#include "cli_progress.h"
#include "commands.h"
#include "model_shape_options.h"

namespace attrscope::cli {

namespace {

class PretrainCommand : public Command {
public:
    explicit PretrainCommand(CLI::App& app);
    int run(const Globals& globals) override;

private:
    std::vector<std::string> data_, formats_, splits_;
    int limit_ = 0;
    std::string out_;
    PretrainOptions options_;
};

// The i-th of a per-file option list: one value applies to every file, none gives `fallback`.
std::string nth(const std::vector<std::string>& values, size_t i, const std::string& fallback) {
    if (values.empty())
        return fallback;
    return values.size() == 1 ? values[0] : values[i];
}

PretrainCommand::PretrainCommand(CLI::App& app) {
    cmd_ = app.add_subcommand(
        "pretrain", "Masked-LM pre-training from scratch on dataset texts (labels unused)");
    auto& o = options_;
    cmd_->add_option("--data", data_, "Text source (repeatable: one --data per file)")->required();
    cmd_->add_option("--format", formats_, "Format per --data, or one for all")->required();
    cmd_->add_option("--split", splits_, "Split per --data, or one for all (e.g. train)");
    cmd_->add_option("--limit", limit_, "Only the first N examples of each file");
    cmd_->add_option("--out", out_, "Output folder (HF BertForMaskedLM layout)")->required();
    cmd_->add_flag("--overwrite", o.overwrite, "Replace an existing output folder's files");
    cmd_->add_flag("--resume", o.resume, "Continue the interrupted run saved in --out");
    cmd_->add_flag("--keep-state", o.keepState, "Keep --out/.pretrain-state after finishing");
    cmd_->add_option("--checkpoint-minutes", o.checkpointMinutes,
                     "Save the resumable state every N minutes (0: off)")
        ->capture_default_str();
    cmd_->add_option("--checkpoint-every", o.checkpointEverySteps,
                     "Also save it every N steps (0: off)");
    cmd_->add_flag("--bf16", o.bf16, "bfloat16 matrix products (CPUs with AVX512-BF16)");
    cmd_->add_option("--init-from", o.initFrom,
                     "Continue pre-training this BERT masked-LM folder (its shape and "
                     "vocabulary; e.g. in-domain pairs with --pair-task)");
    addModelShapeOptions(cmd_, o);
    cmd_->add_option("--mask-probability", o.maskProbability, "Share of word pieces predicted")
        ->capture_default_str();
    cmd_->add_flag("!--no-swap", o.swapPairs, "Do not also show pairs as (B, A)");
    cmd_->add_flag("--pair-task", o.pairTask,
                   "Also BERT's next-sentence task from [CLS]: does B belong to A?");
    cmd_->add_option("--pair-replace", o.pairReplace,
                     "Share of B's word pieces replaced in 'modified B' negatives")
        ->capture_default_str();
    addScheduleOptions(cmd_, o);
    cmd_->add_option("--held-out", o.heldOut, "Share of sequences for held-out masked accuracy")
        ->capture_default_str();
}

int PretrainCommand::run(const Globals& globals) {
    const bool quiet = globals.quiet;
    for (const auto* list : {&formats_, &splits_})
        if (list->size() > 1 && list->size() != data_.size())
            return usageError("give one --format/--split for all files or one per --data");
    std::vector<Dataset> corpora;
    for (size_t i = 0; i < data_.size(); ++i) {
        DataOptions d;
        d.path = data_[i];
        d.format = nth(formats_, i, "");
        d.split = nth(splits_, i, "");
        d.limit = limit_;
        auto loaded = loadData(d);
        if (!loaded)
            return fail(loaded.error());
        corpora.push_back(std::move(loaded.value()));
    }
    TrainPrinter printer(!quiet, "masked acc");
    Expected<PretrainReport> report = Status::error("not run");
    {
        Interruptible interruptible;
        report = pretrainMaskedLm(corpora, options_, out_, {nullptr, &interruptToken()}, &printer);
    }
    printer.finish();
    if (!report) {
        if (report.status().isCancelled())
            return fail(
                "pre-training interrupted; state saved, continue with the same "
                "options and --resume --out " +
                out_);
        return fail(report.error());
    }
    if (!quiet) {
        const double heldOut = report->epochs.empty() ? -1.0 : report->epochs.back().evalAccuracy;
        std::fprintf(stderr,
                     "held-out masked-token accuracy %.4f; %lld steps, %lld tokens in %.0f s "
                     "(%.0f tokens/s this session); written to %s\n",
                     heldOut, static_cast<long long>(report->steps),
                     static_cast<long long>(report->tokens), report->seconds,
                     report->tokensPerSecond, out_.c_str());
    }
    return 0;
}

}  // namespace

std::unique_ptr<Command> makePretrainCommand(CLI::App& app) {
    return std::make_unique<PretrainCommand>(app);
}

}  // namespace attrscope::cli
