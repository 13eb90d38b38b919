// attrscope-cli prune: accuracy while masking heads in the order of an importance ranking
// (global curves over prune rates, seeded random orders) and the per-layer top-k experiment.

#include <cstdio>
#include <map>
#include <sstream>

#include "attrscope/analysis/head_importance.h"
#include "attrscope/analysis/pruning.h"
#include "cli_analysis.h"

namespace attrscope::cli {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

PruneCommand::PruneCommand(CLI::App& app) {
    cmd_ = app.add_subcommand("prune",
                              "Accuracy when heads are masked in importance order (global rates "
                              "0..1 and the per-layer top-k experiment)");
    addModelOptions(cmd_, model_);
    addDataOptions(cmd_, data_);
    cmd_->add_option("--ranking", rankings_,
                     "Global rankings, comma list of attribution, attention, taylor, "
                     "taylor-loss, accuracy, random")
        ->capture_default_str();
    cmd_->add_option("--mode", mode_, "global | per-layer | both")->capture_default_str();
    cmd_->add_option("--per-layer-ranking", perLayerRankings_,
                     "Rankings for the per-layer experiment")
        ->capture_default_str();
    cmd_->add_option("--importance", importance_,
                     "A 'heads' JSON file; without it the importance is computed on the first "
                     "--importance-examples examples of --data");
    cmd_->add_option("--importance-examples", importanceExamples_,
                     "Examples for computing the importance")
        ->capture_default_str();
    cmd_->add_option("--steps", steps_, "Integration points when computing")->capture_default_str();
    cmd_->add_option("--rule", rule_, "Riemann rule when computing")->capture_default_str();
    cmd_->add_option("--seed", seed_, "First seed of the random rankings")->capture_default_str();
    cmd_->add_option("--seeds", numSeeds_, "Number of random rankings (seed, seed+1, ...)")
        ->capture_default_str();
    cmd_->add_option("--rates", rates_, "Comma list of prune rates (default 0,0.1,...,1)");
    cmd_->add_option("--batch-size", batchSize_, "Inputs per forward pass")->capture_default_str();
    cmd_->add_flag("--predictions", predictions_, "Also write every rate's predictions");
    cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
}

int PruneCommand::run(bool quiet) {
    const auto rankings = splitList(rankings_);
    const auto perLayerRankings = splitList(perLayerRankings_);
    const bool doGlobal = mode_ == "global" || mode_ == "both";
    const bool doPerLayer = mode_ == "per-layer" || mode_ == "both";
    if (!doGlobal && !doPerLayer)
        return analysisFail("unknown --mode '" + mode_ + "' (global, per-layer, both)");
    const std::vector<std::string> known = {"attribution", "attention", "taylor",
                                            "taylor-loss", "accuracy",  "random"};
    for (const auto& r : rankings)
        if (!contains(known, r))
            return analysisFail("unknown ranking '" + r + "'");
    for (const auto& r : perLayerRankings)
        if (!contains(known, r) || r == "random")
            return analysisFail("unknown per-layer ranking '" + r + "'");
    auto rule = parseRule(rule_);
    if (!rule)
        return analysisFail("unknown rule '" + rule_ + "'");
    PruneOptions popt;
    popt.eval.batchSize = batchSize_;
    popt.keepPredictions = predictions_;
    if (!rates_.empty()) {
        popt.rates.clear();
        for (const auto& r : splitList(rates_)) {
            try {
                popt.rates.push_back(std::stod(r));
            } catch (...) {
                return analysisFail("cannot read prune rate '" + r + "'");
            }
        }
    }

    auto model = openAnalysisModel(model_);
    if (!model)
        return analysisFail(model.error());
    auto inputs = loadAnalysisInputs(**model, data_, model_.maxLength);
    if (!inputs)
        return analysisFail(inputs.error());
    installInterruptHandler();
    CancelToken& cancel = interruptToken();
    DatasetStderrProgress progress(!quiet);
    const int L = (*model)->config().numLayers, H = (*model)->config().numHeads;

    // The importances the requested rankings need.
    std::vector<std::string> needed;
    for (const auto& r : rankings)
        if (doGlobal && r != "random" && !contains(needed, r))
            needed.push_back(r);
    for (const auto& r : perLayerRankings)
        if (doPerLayer && !contains(needed, r))
            needed.push_back(r);
    std::map<std::string, std::vector<double>> importance;
    PruneReport report;
    if (!importance_.empty()) {
        auto f = readImportanceFile(importance_);
        if (!f)
            return analysisFail(f.error());
        if (f->numLayers != L || f->numHeads != H)
            return analysisFail(importance_ + ": computed for " + std::to_string(f->numLayers) +
                                " x " + std::to_string(f->numHeads) + " heads, the model has " +
                                std::to_string(L) + " x " + std::to_string(H));
        for (const auto& r : needed) {
            if (!f->rankings.count(r))
                return analysisFail(importance_ + ": has no '" + r +
                                    "' importance (run heads "
                                    "with --baselines including it)");
            importance[r] = f->rankings[r];
        }
        report.importanceSource = importance_;
    } else {
        const LabelledInputs imp = inputs->head(importanceExamples_);
        report.importanceSource =
            "computed on the first " + std::to_string(imp.size()) + " examples of the data";
        if (contains(needed, "attribution") || contains(needed, "attention")) {
            HeadImportanceOptions o;
            o.examples = 0;
            o.steps = steps_;
            o.rule = *rule;
            o.attribution = contains(needed, "attribution");
            o.keepPerExample = false;
            auto r = computeHeadImportance(**model, imp, o, nullptr, &progress, &cancel);
            progress.finish();
            if (!r)
                return analysisFail(r.error());
            if (!r->complete)
                return analysisFail("interrupted while computing the importance");
            importance["attribution"] = r->attributionSum;
            importance["attention"] = r->attentionSum;
            std::fprintf(stderr, "importance: %d examples in %.1f s\n", r->examplesDone,
                         r->seconds);
        }
        for (const char* name : {"taylor", "taylor-loss"}) {
            if (!contains(needed, name))
                continue;
            TaylorOptions o;
            o.objective =
                std::string(name) == "taylor" ? TaylorObjective::LogitSum : TaylorObjective::Loss;
            o.examples = 0;
            auto t = computeTaylorImportance(**model, imp, o, nullptr, &progress, &cancel);
            progress.finish();
            if (!t)
                return analysisFail(t.error());
            if (!t->complete)
                return analysisFail("interrupted while computing the importance");
            importance[name] = t->normalized;
        }
        if (contains(needed, "accuracy")) {
            auto a =
                computeAccuracyDifference(**model, imp, batchSize_, nullptr, &progress, &cancel);
            progress.finish();
            if (!a)
                return analysisFail(a.error());
            if (!a->complete)
                return analysisFail("interrupted while computing the importance");
            importance["accuracy"] = a->drop;
        }
    }

    report.source = analysisSource(model_, data_, **model);
    report.numLayers = L;
    report.numHeads = H;
    report.examples = inputs->size();
    auto base = evaluateInputs(**model, *inputs, nullptr, popt.eval, &cancel);
    if (!base)
        return analysisFail(base.error());
    report.baseAccuracy = base->accuracy;
    std::fprintf(stderr, "accuracy without pruning: %.4f on %d examples\n", base->accuracy,
                 inputs->size());

    if (doGlobal) {
        for (const auto& r : rankings) {
            if (cancel.isCancelled())
                break;
            if (r == "random") {
                std::vector<uint64_t> seeds;
                for (int s = 0; s < numSeeds_; ++s)
                    seeds.push_back(seed_ + uint64_t(s));
                auto rc = randomPruneCurves(**model, *inputs, seeds, popt, &progress, &cancel);
                progress.finish();
                if (!rc)
                    return analysisFail(rc.error());
                report.random = std::move(*rc);
                continue;
            }
            auto c = pruneCurve(**model, *inputs, r, ascendingOrder(importance[r]), popt, &progress,
                                &cancel);
            progress.finish();
            if (!c)
                return analysisFail(c.error());
            report.global.push_back(std::move(*c));
        }
    }
    if (doPerLayer) {
        for (const auto& r : perLayerRankings) {
            for (auto mode : {PerLayerMode::PruneTopK, PerLayerMode::KeepTopK}) {
                if (cancel.isCancelled())
                    break;
                auto c = perLayerCurve(**model, *inputs, r, importance[r], mode, popt.eval,
                                       &progress, &cancel);
                progress.finish();
                if (!c)
                    return analysisFail(c.error());
                report.perLayer.push_back(std::move(*c));
            }
        }
    }
    report.complete = !cancel.isCancelled();
    if (!report.complete)
        std::fprintf(stderr, "interrupted: writing the partial result (\"complete\": false)\n");
    auto s = writeJson(out_, pruneReportToJson(report));
    return s ? 0 : analysisFail(s.message());
}

}  // namespace attrscope::cli
