// attrscope-cli deletion: remove each method's top-k token-to-token interactions (attention
// entries set to zero in their layer, the layers above recomputed) and report the target
// probability for k = 1, 2, 4, …; over a dataset, the mean curve and the area under it.

#include <nlohmann/json.hpp>

#include "attrscope/analysis/deletion.h"
#include "cli_progress.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

class DeletionCommand : public Command {
public:
    explicit DeletionCommand(CLI::App& app);
    int run(const Globals& globals) override;

private:
    ModelOptions model_;
    DataOptions data_;
    std::string textA_, textB_;
    bool hasTextB_ = false;
    int examples_ = 200;
    std::string methods_ = "attattr,attention,rollout,grad-attention,random";
    int maxK_ = 1024;
    int randomRankings_ = 10;
    uint64_t seed_ = 1;
    int steps_ = 20;
    std::string rule_ = "right";
    std::string out_;
};

DeletionCommand::DeletionCommand(CLI::App& app) {
    cmd_ = app.add_subcommand(
        "deletion",
        "Faithfulness by attention knockout: target probability after removing each method's "
        "top-k interactions (one input with --text-a, or a dataset with --data)");
    addModelOptions(cmd_, model_);
    cmd_->add_option("--text-a", textA_, "One input: first sentence (or the only one)");
    cmd_->add_option("--text-b", textB_, "Second sentence of a pair")->each([&](const std::string&) {
        hasTextB_ = true;
    });
    cmd_->add_option("--data", data_.path, "Dataset file (instead of --text-a)");
    cmd_->add_option("--format", data_.format, "sick | sst2 | rte | mrpc | glue-pair | glue-single");
    cmd_->add_option("--split", data_.split, "e.g. test / trial / train (SICK)");
    cmd_->add_option("--examples", examples_, "Use the first N examples (0 = all)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd_->add_option("--methods", methods_,
                     "Comma list of attattr, attention, rollout, grad-attention, random")
        ->capture_default_str();
    cmd_->add_option("--max-k", maxK_, "Largest k (k = 1, 2, 4, …)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1 << 24));
    cmd_->add_option("--random-rankings", randomRankings_, "Rankings behind the random band")
        ->capture_default_str();
    cmd_->add_option("--seed", seed_, "Seed of the random rankings")->capture_default_str();
    cmd_->add_option("--steps", steps_, "Integration points of the AttAttr ranking")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd_->add_option("--rule", rule_, "Rule of the AttAttr ranking")
        ->capture_default_str()
        ->check(ruleNames());
    cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
}

int DeletionCommand::run(const Globals& globals) {
    const bool quiet = globals.quiet;
    DeletionOptions o;
    o.methods.clear();
    for (const auto& name : splitList(methods_)) {
        auto m = parseDeletionMethod(name);
        if (!m)
            return usageError("unknown method '" + name +
                              "' (attattr, attention, rollout, grad-attention, random)");
        o.methods.push_back(*m);
    }
    if (o.methods.empty()) return usageError("--methods names no method");
    auto rule = parseRule(rule_);
    if (!rule) return usageError("unknown rule '" + rule_ + "'");
    if (textA_.empty() == data_.path.empty())
        return usageError("give either --text-a (one input) or --data and --format (a dataset)");
    if (!data_.path.empty() && data_.format.empty()) return usageError("--data needs --format");
    o.maxK = maxK_;
    o.randomRankings = randomRankings_;
    o.seed = seed_;
    o.attribution.steps = steps_;
    o.attribution.rule = *rule;
    auto model = openModel(model_);
    if (!model) return fail(model.error());
    Interruptible interruptible;
    const JobContext cancelOnly{nullptr, &interruptToken()};

    nlohmann::json j;
    j["settings"] = {{"methods", methods_}, {"max_k", maxK_}, {"random_rankings", randomRankings_},
                     {"seed", seed_}, {"attattr_steps", steps_}, {"attattr_rule", rule_},
                     {"knockout", "attention entry set to 0 in every head of its layer; layers "
                                  "above recomputed"}};
    if (!textA_.empty()) {
        std::optional<std::string> b;
        if (hasTextB_) b = textB_;
        auto enc = (*model)->encode(textA_, b, model_.maxLength);
        if (!enc) return fail(enc.error());
        auto r = deletionCurves(**model, *enc, o, cancelOnly);
        if (!r) return fail(r.error());
        j["tokens"] = enc->tokens;
        j["target"] = r->target;
        j["target_label"] = (*model)->config().id2label.at(static_cast<size_t>(r->target));
        j["full_prob"] = r->fullProb;
        j["interactions"] = r->interactions;
        j["ks"] = r->ks;
        for (const auto& c : r->curves) {
            nlohmann::json cj = {{"method", c.method}, {"probs", c.probs}, {"auc", c.auc}};
            if (!c.low.empty()) cj["low"] = c.low, cj["high"] = c.high;
            j["curves"].push_back(cj);
        }
    } else {
        auto inputs = loadInputs(**model, data_, model_.maxLength);
        if (!inputs) return fail(inputs.error());
        const auto subset = inputs->head(examples_);
        StderrProgress progress(!quiet);
        auto s = deletionStudy(**model, subset.encodings, o, progress.context(&interruptToken()));
        progress.finish();
        if (!s) return fail(s.error());
        j["examples"] = s->examples;
        j["complete"] = s->complete;
        j["mean_full_prob"] = s->meanFullProb;
        j["ks"] = s->ks;
        j["auc"] = "mean target probability over k = 0 and the ks (trapezoids on log2 k); lower "
                   "means removing the method's top interactions hurts the prediction more";
        for (size_t m = 0; m < s->methods.size(); ++m)
            j["methods"].push_back({{"method", s->methods[m]},
                                    {"mean_curve_k0_first", s->meanCurve[m]},
                                    {"mean_auc", s->meanAuc.empty() ? 0.0 : s->meanAuc[m]},
                                    {"std_auc", s->stdAuc.empty() ? 0.0 : s->stdAuc[m]}});
    }
    return exitWith(writeOutput(out_, j.dump(1) + "\n"));
}

}  // namespace

std::unique_ptr<Command> makeDeletionCommand(CLI::App& app) {
    return std::make_unique<DeletionCommand>(app);
}

}  // namespace attrscope::cli
