// attrscope-cli evaluate: accuracy, per-class accuracy and the confusion matrix as JSON.

#include "attrscope/train/trainer.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

class EvaluateCommand : public Command {
public:
    explicit EvaluateCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("evaluate",
                                  "Accuracy, per-class accuracy and confusion matrix (JSON)");
        addModelOptions(cmd_, model_);
        addDataOptions(cmd_, data_);
        cmd_->add_option("--batch-size", batchSize_, "Inputs per forward pass")
            ->capture_default_str()
            ->check(CLI::Range(1, 65536));
        cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
    }

    int run(const Globals&) override {
        auto data = loadData(data_);
        if (!data)
            return fail(data.error());
        auto model = openModel(model_);
        if (!model)
            return fail(model.error());
        auto report = evaluate(**model, *data, batchSize_, model_.maxLength);
        if (!report)
            return fail(report.error());
        return exitWith(writeOutput(out_, evalReportToJson(*report)));
    }

private:
    ModelOptions model_;
    DataOptions data_;
    int batchSize_ = 64;
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> makeEvaluateCommand(CLI::App& app) {
    return std::make_unique<EvaluateCommand>(app);
}

}  // namespace attrscope::cli
