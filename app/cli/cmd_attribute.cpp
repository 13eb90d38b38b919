// attrscope-cli attribute: self-attention attribution of every (or the listed) layer as JSON,
// optionally also in the official scripts' per-layer JSONL layout.

#include "attrscope/json/result_json.h"
#include "cli_progress.h"
#include "commands.h"

namespace attrscope::cli {

Expected<AttributionResult> attributeText(Model& model, const Encoding& input,
                                          const AttributionOptions& options, bool quiet) {
    StderrProgress progress(!quiet);
    Interruptible interruptible;
    auto result = attribute(model, input, options, progress.context(&interruptToken()));
    progress.finish();
    if (!result && result.status().isCancelled())
        return Status::error("interrupted");
    return result;
}

namespace {

class AttributeCommand : public Command {
public:
    explicit AttributeCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("attribute", "Self-attention attribution of every layer");
        addModelOptions(cmd_, model_);
        addTextOptions(cmd_, text_);
        cmd_->add_option("--steps", options_.steps, "Integration points m")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        cmd_->add_option("--rule", rule_, "right | left | midpoint | gauss-legendre | adaptive")
            ->capture_default_str()
            ->check(ruleNames());
        cmd_->add_option("--tolerance", options_.tolerance,
                         "adaptive: completeness tolerance per layer")
            ->capture_default_str()
            ->check(CLI::Range(0.0, 1e6));
        cmd_->add_option("--max-steps", options_.maxSteps,
                         "adaptive: cap on m (doubling from --steps)")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        cmd_->add_option("--precision", precision_,
                         "fp32 | bf16 (the path's matrix products in bf16)")
            ->capture_default_str()
            ->check(CLI::IsMember({"fp32", "bf16"}));
        cmd_->add_option("--target", options_.target, "predicted, a class index or a label name")
            ->capture_default_str();
        cmd_->add_option("--layers", layers_,
                         "Layers to compute: 0,3,5-7 counted from 0, or L1,L4,L6-L8 counted from 1 "
                         "as the GUI shows them (default: all)");
        cmd_->add_option("--memory-mb", options_.memoryBudgetMB, "Activation memory budget")
            ->capture_default_str()
            ->check(CLI::Range(1.0, 1e7));
        cmd_->add_option("--chunk", options_.chunkSize,
                         "Steps per batched pass (0: from the budget)")
            ->check(CLI::Range(0, 100000));
        cmd_->add_option("--out", out_, "Result JSON file (default: stdout)");
        cmd_->add_option("--jsonl-dir", jsonlDir_,
                         "Also write the official per-layer JSONL files here");
    }

    int run(const Globals& globals) override {
        if (auto s = checkText(text_); !s)
            return usageError(s.message());
        options_.rule = *parseRule(rule_);
        options_.precision = *parsePrecision(precision_);
        if (!layers_.empty()) {
            auto layers = parseLayerList(layers_);
            if (!layers)
                return usageError(layers.error());
            options_.layers = *layers;
        }
        auto model = openModel(model_);
        if (!model)
            return fail(model.error());
        auto enc = encodeText(**model, text_, model_.maxLength);
        if (!enc)
            return fail(enc.error());
        auto result = attributeText(**model, *enc, options_, globals.quiet);
        if (!result)
            return fail(result.error());
        if (!jsonlDir_.empty())
            if (auto s = writeOfficialJsonl(*result, jsonlDir_); !s)
                return fail(s.message());
        return exitWith(writeOutput(out_, resultToJson(*result, (*model)->config())));
    }

private:
    ModelOptions model_;
    TextOptions text_;
    AttributionOptions options_;
    std::string rule_ = "right";
    std::string precision_ = "fp32";
    std::string layers_;
    std::string out_;
    std::string jsonlDir_;
};

}  // namespace

std::unique_ptr<Command> makeAttributeCommand(CLI::App& app) {
    return std::make_unique<AttributeCommand>(app);
}

}  // namespace attrscope::cli
