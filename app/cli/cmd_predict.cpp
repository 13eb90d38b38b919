// attrscope-cli predict: the clean forward pass (tokens, logits, probabilities, attention).

#include "attrscope/json/result_json.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

class PredictCommand : public Command {
public:
    explicit PredictCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("predict",
                                  "Clean forward: tokens, logits, probabilities, attention");
        addModelOptions(cmd_, model_);
        addTextOptions(cmd_, text_);
        cmd_->add_flag("--no-attention", noAttention_, "Omit the attention maps");
        cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
    }

    int run(const Globals&) override {
        if (auto s = checkText(text_); !s)
            return usageError(s.message());
        auto model = openModel(model_);
        if (!model)
            return fail(model.error());
        auto enc = encodeText(**model, text_, model_.maxLength);
        if (!enc)
            return fail(enc.error());
        auto p = (*model)->predict(*enc, !noAttention_);
        if (!p)
            return fail(p.error());
        return exitWith(
            writeOutput(out_, predictionToJson(*enc, *p, (*model)->config(), !noAttention_)));
    }

private:
    ModelOptions model_;
    TextOptions text_;
    bool noAttention_ = false;
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> makePredictCommand(CLI::App& app) {
    return std::make_unique<PredictCommand>(app);
}

}  // namespace attrscope::cli
