// attrscope-cli tree: the attribution tree (spec §3) from a result file, or computed from a model
// and text, as JSON (stdout or .json: the same serialiser) or drawn (.dot, .svg, .pdf, .png).

#include "attrscope/json/result_json.h"
#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

// A result file must come from a model with the same shape and vocabulary.
Status checkResultMatches(const AttributionResult& result, const std::string& path,
                          const std::string& modelDir) {
    auto model = Model::load(modelDir);
    if (!model)
        return model.status();
    const auto& c = (*model)->config();
    if (c.numLayers != result.numLayers || c.numHeads != result.numHeads)
        return Status::error(path + ": computed with a model of " +
                             std::to_string(result.numLayers) + " layers × " +
                             std::to_string(result.numHeads) + " heads, but " + modelDir +
                             " has " + std::to_string(c.numLayers) + " × " +
                             std::to_string(c.numHeads));
    for (size_t i = 0; i < result.encoding.inputIds.size(); ++i) {
        const int64_t id = result.encoding.inputIds[i];
        const std::string token = (*model)->idToToken(id);
        if (!token.empty() && token != result.encoding.tokens[i])
            return Status::error(path + ": its tokens do not match the vocabulary of " + modelDir +
                                 " (a result from another model?)");
    }
    return Status::success();
}

class TreeCommand : public Command {
public:
    explicit TreeCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("tree",
                                  "Attribution tree from a result file or a model and text");
        cmd_->add_option("--result", result_, "Result JSON written by 'attribute'");
        addModelOptions(cmd_, model_);
        addTextOptions(cmd_, text_, false);
        cmd_->add_option("--steps", options_.steps, "Integration points when computing")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        cmd_->add_option("--rule", rule_, "Rule when computing")
            ->capture_default_str()
            ->check(ruleNames());
        cmd_->add_option("--threshold", threshold_,
                         "τ: keep interactions above this share of the layer max")
            ->capture_default_str()
            ->check(CLI::Range(0.0, 1.0));
        cmd_->add_option("--out", out_, "FILE.json|dot|svg|pdf|png (default: JSON on stdout)");
    }

    int run(const Globals& globals) override {
        if (result_.empty() == text_.textA.empty())
            return usageError("tree needs either --result FILE or --text-a (and --model)");
        if (auto s = checkText(text_); !s)
            return usageError(s.message());
        AttributionResult result;
        if (!result_.empty()) {
            auto r = readResultFile(result_);
            if (!r)
                return fail(r.error());
            if (!model_.dir.empty())
                if (auto s = checkResultMatches(*r, result_, model_.dir); !s)
                    return fail(s.message());
            if (!r->isComplete())
                warn("the result lacks some layers; they count as zero");
            result = std::move(r).value();
        } else {
            options_.rule = *parseRule(rule_);
            auto model = openModel(model_);
            if (!model)
                return fail(model.error());
            auto enc = encodeText(**model, text_, model_.maxLength);
            if (!enc)
                return fail(enc.error());
            auto r = attributeText(**model, *enc, options_, globals.quiet);
            if (!r)
                return fail(r.error());
            result = std::move(r).value();
        }
        auto tree = buildAttributionTree(result.attributionArray(), threshold_);
        if (!tree)
            return fail(tree.error());
        const std::string title = resultTitle(result);
        if (out_.empty() || out_ == "-")
            return exitWith(writeStdout(treeToJson(*tree, result.encoding.tokens, title)));
        return exitWith(exportTree(*tree, result.encoding.tokens, out_, title));
    }

private:
    std::string result_;
    ModelOptions model_;
    TextOptions text_;
    AttributionOptions options_;
    std::string rule_ = "right";
    double threshold_ = 0.4;
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> makeTreeCommand(CLI::App& app) {
    return std::make_unique<TreeCommand>(app);
}

}  // namespace attrscope::cli
