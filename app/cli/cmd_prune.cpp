// attrscope-cli prune: accuracy while masking heads in the order of an importance ranking
// (global curves over prune rates, seeded random orders) and the per-layer top-k experiment: a
// thin caller of runPruneStudy. Ctrl-C writes the curves finished so far ("complete": false).

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "attrscope/json/analysis_json.h"
#include "cli_progress.h"
#include "commands.h"

namespace attrscope::cli {

namespace {

class PruneCommand : public Command {
public:
    explicit PruneCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("prune",
                                  "Accuracy when heads are masked in importance order (global "
                                  "rates 0..1 and the per-layer top-k experiment)");
        addModelOptions(cmd_, model_);
        addDataOptions(cmd_, data_);
        cmd_->add_option("--ranking", rankings_,
                         "Global rankings, comma list of attribution, attention, taylor, "
                         "taylor-loss, accuracy, random")
            ->capture_default_str();
        cmd_->add_option("--mode", mode_, "global | per-layer | both")
            ->capture_default_str()
            ->check(CLI::IsMember({"global", "per-layer", "both"}));
        cmd_->add_option("--per-layer-ranking", perLayerRankings_,
                         "Rankings for the per-layer experiment")
            ->capture_default_str();
        cmd_->add_option("--importance", importance_,
                         "A 'heads' JSON file; without it the importance is computed on the "
                         "first --importance-examples examples of --data");
        cmd_->add_option("--importance-examples", o_.importanceExamples,
                         "Examples for computing the importance (0 = all)")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        cmd_->add_option("--steps", o_.steps, "Integration points when computing")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        cmd_->add_option("--rule", rule_, "Riemann rule when computing")
            ->capture_default_str()
            ->check(ruleNames());
        cmd_->add_option("--seed", o_.firstSeed, "First seed of the random rankings")
            ->capture_default_str();
        cmd_->add_option("--seeds", o_.seeds, "Number of random rankings (seed, seed+1, ...)")
            ->capture_default_str()
            ->check(CLI::Range(1, 1000));
        cmd_->add_option("--rates", rates_, "Comma list of prune rates in [0, 1] (default 0,0.1,...,1)");
        cmd_->add_option("--batch-size", o_.batchSize, "Inputs per forward pass")
            ->capture_default_str()
            ->check(CLI::Range(1, 65536));
        cmd_->add_flag("--predictions", o_.keepPredictions, "Also write every rate's predictions");
        cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
    }

    int run(const Globals& globals) override {
        o_.rule = *parseRule(rule_);
        o_.rankings.clear();
        o_.perLayerRankings.clear();
        if (mode_ != "per-layer")
            o_.rankings = splitList(rankings_);
        if (mode_ != "global")
            o_.perLayerRankings = splitList(perLayerRankings_);
        if (!rates_.empty()) {
            o_.rates.clear();
            for (const auto& r : splitList(rates_)) {
                char* end = nullptr;
                const double rate = std::strtod(r.c_str(), &end);
                if (end == r.c_str() || *end != '\0' || !(rate >= 0.0 && rate <= 1.0))
                    return usageError("cannot read prune rate '" + r + "' (a number in [0, 1])");
                o_.rates.push_back(rate);
            }
        }
        for (const auto& r : o_.rankings)
            if (!contains(r))
                return usageError("unknown ranking '" + r + "'");
        for (const auto& r : o_.perLayerRankings)
            if (!contains(r) || r == "random")
                return usageError("unknown per-layer ranking '" + r + "'");

        auto model = openModel(model_);
        if (!model)
            return fail(model.error());
        const int L = (*model)->config().numLayers, H = (*model)->config().numHeads;
        if (!importance_.empty()) {
            auto f = readImportanceFile(importance_);
            if (!f)
                return fail(f.error());
            if (f->numLayers != L || f->numHeads != H)
                return fail(importance_ + ": computed for " + std::to_string(f->numLayers) +
                            " x " + std::to_string(f->numHeads) + " heads, the model has " +
                            std::to_string(L) + " x " + std::to_string(H));
            for (const auto& r : o_.rankings)
                if (r != "random" && !f->rankings.count(r))
                    return fail(importance_ + ": has no '" + r +
                                "' importance (run heads with --baselines including it)");
            for (const auto& r : o_.perLayerRankings)
                if (!f->rankings.count(r))
                    return fail(importance_ + ": has no '" + r + "' importance");
            o_.importance = f->rankings;
            o_.importanceSource = importance_;
        }
        auto inputs = loadInputs(**model, data_, model_.maxLength);
        if (!inputs)
            return fail(inputs.error());

        StderrProgress progress(!globals.quiet);
        Expected<PruneStudy> study = Status::error("not run");
        {
            Interruptible interruptible;
            study = runPruneStudy(**model, *inputs, o_, sourceOf(**model, data_), nullptr,
                                  progress.context(&interruptToken()));
        }
        progress.finish();
        if (!study)
            return fail(study.error());
        if (!globals.quiet)
            std::fprintf(stderr, "accuracy without pruning: %.4f on %d examples\n",
                         study->report.baseAccuracy, study->report.examples);
        if (auto s = writeOutput(out_, pruneReportToJson(study->report)); !s)
            return fail(s.message());
        if (!study->complete)
            return fail("interrupted: wrote the curves finished so far (\"complete\": false)");
        return kSuccess;
    }

private:
    static bool contains(const std::string& name) {
        const auto& all = pruneRankings();
        return std::find(all.begin(), all.end(), name) != all.end();
    }

    ModelOptions model_;
    DataOptions data_;
    PruneStudyOptions o_;
    std::string rankings_ = "attribution,attention,taylor,random";
    std::string mode_ = "global";
    std::string perLayerRankings_ = "attribution,attention";
    std::string importance_;
    std::string rule_ = "left";
    std::string rates_;
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> makePruneCommand(CLI::App& app) {
    return std::make_unique<PruneCommand>(app);
}

}  // namespace attrscope::cli
