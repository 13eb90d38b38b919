// attrscope-cli deletion: remove each method's top-k token-to-token interactions (attention
// entries set to zero in their layer, the layers above recomputed) and report the target
// probability for k = 1, 2, 4, …; over a dataset, the mean curve and the area under it.

#include "cmd_deletion.h"

#include <nlohmann/json.hpp>

#include "attrscope/analysis/deletion.h"

namespace attrscope::cli {

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
        ->capture_default_str();
    cmd_->add_option("--methods", methods_,
                     "Comma list of attattr, attention, rollout, grad-attention, random")
        ->capture_default_str();
    cmd_->add_option("--max-k", maxK_, "Largest k (k = 1, 2, 4, …)")->capture_default_str();
    cmd_->add_option("--random-rankings", randomRankings_, "Rankings behind the random band")
        ->capture_default_str();
    cmd_->add_option("--seed", seed_, "Seed of the random rankings")->capture_default_str();
    cmd_->add_option("--steps", steps_, "Integration points of the AttAttr ranking")
        ->capture_default_str();
    cmd_->add_option("--rule", rule_, "Rule of the AttAttr ranking")->capture_default_str();
    cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
}

int DeletionCommand::run(bool quiet) {
    DeletionOptions o;
    o.methods.clear();
    for (const auto& name : splitList(methods_)) {
        auto m = parseDeletionMethod(name);
        if (!m)
            return analysisFail("unknown method '" + name +
                                "' (attattr, attention, rollout, grad-attention, random)");
        o.methods.push_back(*m);
    }
    if (o.methods.empty()) return analysisFail("--methods names no method");
    auto rule = parseRule(rule_);
    if (!rule) return analysisFail("unknown rule '" + rule_ + "'");
    if (textA_.empty() == data_.path.empty())
        return analysisFail("give either --text-a (one input) or --data and --format (a dataset)");
    if (examples_ < 0) return analysisFail("--examples must not be negative");
    o.maxK = maxK_;
    o.randomRankings = randomRankings_;
    o.seed = seed_;
    o.attribution.steps = steps_;
    o.attribution.rule = *rule;
    auto model = openAnalysisModel(model_);
    if (!model) return analysisFail(model.error());
    installInterruptHandler();
    CancelToken& cancel = interruptToken();

    nlohmann::json j;
    j["settings"] = {{"methods", methods_}, {"max_k", maxK_}, {"random_rankings", randomRankings_},
                     {"seed", seed_}, {"attattr_steps", steps_}, {"attattr_rule", rule_},
                     {"knockout", "attention entry set to 0 in every head of its layer; layers "
                                  "above recomputed"}};
    if (!textA_.empty()) {
        std::optional<std::string> b;
        if (hasTextB_) b = textB_;
        auto enc = (*model)->encode(textA_, b, model_.maxLength);
        if (!enc) return analysisFail(enc.error());
        auto r = deletionCurves(**model, *enc, o, &cancel);
        if (!r) return analysisFail(r.error());
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
        if (data_.format.empty()) return analysisFail("--data needs --format");
        auto inputs = loadAnalysisInputs(**model, data_, model_.maxLength);
        if (!inputs) return analysisFail(inputs.error());
        const auto subset = inputs->head(examples_);
        DatasetStderrProgress progress(!quiet);
        auto s = deletionStudy(**model, subset.encodings, o, &progress, &cancel);
        progress.finish();
        if (!s) return analysisFail(s.error());
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
    auto w = writeJson(out_, j.dump(1) + "\n");
    return w ? 0 : analysisFail(w.message());
}

}  // namespace attrscope::cli
