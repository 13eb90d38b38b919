#include "attrscope/analysis/studies.h"

#include <algorithm>
#include <set>

namespace attrscope {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

// Forwards one stage's progress as stage `index` of `count` of the whole study.
class StageSink : public ProgressSink {
public:
    StageSink(const JobContext& job, int count) : job_(job), count_(std::max(count, 1)) {}
    // The context for the next stage (stages are numbered in the order they start).
    JobContext next() {
        ++index_;
        return {job_.progress ? this : nullptr, job_.cancel};
    }
    void onProgress(const JobProgress& p) override {
        JobProgress q = p;
        q.stageIndex = std::min(index_, count_ - 1);
        q.stageCount = count_;
        q.fraction = (q.stageIndex + std::clamp(p.fraction, 0.0, 1.0)) / count_;
        job_.report(q);
    }

private:
    JobContext job_;
    int count_;
    int index_ = -1;
};

}  // namespace

AnalysisSource analysisSource(const Model& model, const std::string& data,
                              const DatasetOptions& options) {
    AnalysisSource s;
    s.model = model.directory();
    s.data = data;
    s.format = options.format;
    s.split = options.split;
    s.device = model.device();
    s.threads = threadCount();
    return s;
}

Status setImportanceBaselines(ImportanceStudyOptions& o, const std::string& list) {
    o.taylor = o.taylorLoss = o.accuracy = false;
    bool attention = false;
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string::npos)
            end = list.size();
        const std::string b = list.substr(start, end - start);
        start = end + 1;
        if (b.empty() || b == "none")
            continue;
        if (b == "attention")
            attention = true;
        else if (b == "taylor")
            o.taylor = true;
        else if (b == "taylor-loss")
            o.taylorLoss = true;
        else if (b == "accuracy")
            o.accuracy = true;
        else
            return Status::error("unknown baseline '" + b +
                                 "' (attention, taylor, taylor-loss, accuracy, none)");
    }
    // The attention-max baseline comes with the attribution pass; alone it is a cheap pass.
    o.maxPass = o.attribution || attention;
    return Status::success();
}

// ---- head importance -------------------------------------------------------------------------

Expected<HeadImportanceReport> runImportanceStudy(Model& model, const LabelledInputs& inputs,
                                                  const ImportanceStudyOptions& o,
                                                  const AnalysisSource& source,
                                                  const HeadImportanceReport* resume,
                                                  const JobContext& job) {
    if (o.examples < 0)
        return Status::error("the number of examples must not be negative");
    HeadImportanceReport rep;
    rep.source = source;
    rep.perExample = o.perExample;
    rep.exampleIds = inputs.ids;
    rep.exampleLabels = inputs.labels;
    StageSink stages(job, int(o.maxPass) + int(o.taylor) + int(o.taylorLoss) + int(o.accuracy));

    if (o.maxPass) {
        HeadImportanceOptions h;
        h.examples = o.examples;
        h.steps = o.steps;
        h.rule = o.rule;
        h.attribution = o.attribution;
        h.keepPerExample = o.perExample;
        std::optional<HeadImportance> partial;
        if (resume && resume->attribution)
            partial = resume->attribution;
        // Per-example rows only continue a value that has all of them.
        if (partial &&
            static_cast<int>(partial->perExampleAttention.size()) != partial->examplesDone) {
            partial->perExampleAttribution.clear();
            partial->perExampleAttention.clear();
            partial->predictions.clear();
            h.keepPerExample = false;
            rep.perExample = false;
        }
        auto r = computeHeadImportance(model, inputs, h, partial ? &*partial : nullptr,
                                       stages.next());
        if (!r)
            return r.status();
        rep.attribution = std::move(r).value();
        if (!rep.attribution->complete)
            return rep;
    }
    for (auto objective : {TaylorObjective::LogitSum, TaylorObjective::Loss}) {
        if (!(objective == TaylorObjective::LogitSum ? o.taylor : o.taylorLoss))
            continue;
        TaylorOptions t;
        t.objective = objective;
        t.examples = o.examples;
        t.batchSize = o.taylorBatch;
        const TaylorImportance* previous = nullptr;
        if (resume)
            for (const auto& p : resume->taylor)
                if (p.options.objective == objective)
                    previous = &p;
        auto r = computeTaylorImportance(model, inputs, t, previous, stages.next());
        if (!r)
            return r.status();
        rep.taylor.push_back(std::move(r).value());
        if (!rep.taylor.back().complete)
            return rep;
    }
    if (o.accuracy) {
        const int n = o.accuracyExamples < 0 ? o.examples : o.accuracyExamples;
        // A value cancelled during its unmasked pass has no per-head slots: start over.
        const AccuracyDifference* previous =
            resume && resume->accuracy && !resume->accuracy->drop.empty() ? &*resume->accuracy
                                                                          : nullptr;
        auto r = computeAccuracyDifference(model, inputs.head(n), o.batchSize, previous,
                                           stages.next());
        if (!r)
            return r.status();
        rep.accuracy = std::move(r).value();
        if (!rep.accuracy->complete)
            return rep;
    }
    rep.complete = true;
    return rep;
}

// ---- pruning ---------------------------------------------------------------------------------

const std::vector<std::string>& pruneRankings() {
    static const std::vector<std::string> names = {"attribution", "attention", "taylor",
                                                   "taylor-loss", "accuracy",  "random"};
    return names;
}

Expected<PruneStudy> runPruneStudy(Model& model, const LabelledInputs& inputs,
                                   const PruneStudyOptions& o, const AnalysisSource& source,
                                   const PruneStudy* resume, const JobContext& job) {
    for (const auto& r : o.rankings)
        if (!contains(pruneRankings(), r))
            return Status::error("unknown ranking '" + r + "' (attribution, attention, taylor, "
                                 "taylor-loss, accuracy, random)");
    for (const auto& r : o.perLayerRankings)
        if (!contains(pruneRankings(), r) || r == "random")
            return Status::error("unknown per-layer ranking '" + r +
                                 "' (attribution, attention, taylor, taylor-loss, accuracy)");
    if (o.rankings.empty() && o.perLayerRankings.empty())
        return Status::error("nothing to prune: no ranking given");
    if (o.seeds < 1 && contains(o.rankings, "random"))
        return Status::error("random pruning needs at least one seed");
    const int L = model.config().numLayers, H = model.config().numHeads;
    const LabelledInputs imp = inputs.head(o.importanceExamples);
    const LabelledInputs eval = inputs.head(o.evalExamples);

    // The importances the rankings need and the caller did not give.
    std::vector<std::string> needed;
    for (const auto& r : o.rankings)
        if (r != "random" && !contains(needed, r))
            needed.push_back(r);
    for (const auto& r : o.perLayerRankings)
        if (!contains(needed, r))
            needed.push_back(r);
    std::map<std::string, std::vector<double>> importance = o.importance;
    for (const auto& [name, values] : importance)
        if (static_cast<int>(values.size()) != L * H)
            return Status::error("the '" + name + "' importance has " +
                                 std::to_string(values.size()) + " heads, the model has " +
                                 std::to_string(L * H));
    ImportanceStudyOptions io;
    io.examples = 0;
    io.steps = o.steps;
    io.rule = o.rule;
    io.batchSize = o.batchSize;
    const bool needAttr = !importance.count("attribution") && contains(needed, "attribution");
    const bool needAtt = !importance.count("attention") && contains(needed, "attention");
    io.attribution = needAttr;
    io.maxPass = needAttr || needAtt;
    io.taylor = !importance.count("taylor") && contains(needed, "taylor");
    io.taylorLoss = !importance.count("taylor-loss") && contains(needed, "taylor-loss");
    io.accuracy = !importance.count("accuracy") && contains(needed, "accuracy");
    const bool computeImportance = io.maxPass || io.taylor || io.taylorLoss || io.accuracy;

    int stageCount = int(computeImportance) + 1;  // + the unpruned evaluation
    stageCount += static_cast<int>(o.rankings.size());
    stageCount += 2 * static_cast<int>(o.perLayerRankings.size());
    StageSink stages(job, stageCount);

    PruneStudy out;
    out.complete = false;
    PruneReport& rep = out.report;
    rep.source = source;
    rep.numLayers = L;
    rep.numHeads = H;
    rep.examples = eval.size();
    rep.complete = false;
    rep.importanceSource =
        o.importanceSource.empty()
            ? "computed on the first " + std::to_string(imp.size()) + " examples of the data"
            : o.importanceSource;
    if (computeImportance) {
        auto r = runImportanceStudy(model, imp, io, source, resume ? &resume->importance : nullptr,
                                    stages.next());
        if (!r)
            return r.status();
        out.importance = std::move(r).value();
        if (!out.importance.complete)
            return out;
        if (const auto& a = out.importance.attribution) {
            if (needAttr)
                importance["attribution"] = a->attributionSum;
            if (needAtt)
                importance["attention"] = a->attentionSum;
        }
        for (const auto& t : out.importance.taylor)
            importance[t.options.objective == TaylorObjective::LogitSum ? "taylor"
                                                                         : "taylor-loss"] =
                t.normalized;
        if (out.importance.accuracy)
            importance["accuracy"] = out.importance.accuracy->drop;
    }

    PruneOptions popt;
    popt.rates = o.rates;
    popt.eval.batchSize = o.batchSize;
    popt.keepPredictions = o.keepPredictions;
    auto base = evaluateInputs(model, eval, nullptr, popt.eval, stages.next());
    if (!base)
        return base.status();
    rep.baseAccuracy = base->accuracy;
    if (job.cancelled())
        return out;

    // Curves a cancelled run finished are kept; the one it was cut in starts over.
    const PruneReport* prev = resume ? &resume->report : nullptr;
    for (const auto& r : o.rankings) {
        const JobContext stage = stages.next();
        if (job.cancelled())
            return out;
        if (r == "random" && prev && prev->random && prev->random->complete) {
            rep.random = prev->random;
            continue;
        }
        if (prev) {
            auto done = std::find_if(prev->global.begin(), prev->global.end(), [&](const auto& c) {
                return c.ranking == r && c.complete;
            });
            if (done != prev->global.end()) {
                rep.global.push_back(*done);
                continue;
            }
        }
        if (r == "random") {
            std::vector<uint64_t> seeds;
            for (int s = 0; s < o.seeds; ++s)
                seeds.push_back(o.firstSeed + uint64_t(s));
            auto rc = randomPruneCurves(model, eval, seeds, popt, stage);
            if (!rc)
                return rc.status();
            rep.random = std::move(rc).value();
            continue;
        }
        auto c = pruneCurve(model, eval, r, ascendingOrder(importance[r]), popt, stage);
        if (!c)
            return c.status();
        rep.global.push_back(std::move(c).value());
    }
    for (const auto& r : o.perLayerRankings) {
        for (auto mode : {PerLayerMode::PruneTopK, PerLayerMode::KeepTopK}) {
            const JobContext stage = stages.next();
            if (job.cancelled())
                return out;
            if (prev) {
                auto done = std::find_if(prev->perLayer.begin(), prev->perLayer.end(),
                                         [&](const auto& c) {
                                             return c.ranking == r && c.mode == mode && c.complete;
                                         });
                if (done != prev->perLayer.end()) {
                    rep.perLayer.push_back(*done);
                    continue;
                }
            }
            auto c = perLayerCurve(model, eval, r, importance[r], mode, popt.eval, stage);
            if (!c)
                return c.status();
            rep.perLayer.push_back(std::move(c).value());
        }
    }
    out.complete = rep.complete = !job.cancelled();
    return out;
}

// ---- triggers --------------------------------------------------------------------------------

Expected<TriggerStudy> runTriggerStudy(Model& model, const LabelledInputs& mineInputs,
                                       const LabelledInputs& evalInputs,
                                       const TriggerStudyOptions& o, const TriggerStudy* resume,
                                       const JobContext& job) {
    TriggerStudy out;
    const bool mined = resume && resume->mining.complete;
    StageSink stages(job, int(!mined) + int(o.evaluate));
    if (mined) {
        out.mining = resume->mining;
    } else {
        // examplesTotal is set on every value core returns; 0 = mining never ran.
        const TriggerMining* previous =
            resume && resume->mining.examplesTotal > 0 ? &resume->mining : nullptr;
        auto m = mineTriggers(model, mineInputs, o.mining, previous, stages.next());
        if (!m)
            return m.status();
        out.mining = std::move(m).value();
        if (!out.mining.complete)
            return out;
    }
    if (o.evaluate) {
        // Only a value past its clean pass continues (its records are these records: its
        // evaluation ran only after the mining had finished).
        const TriggerEvaluation* previous =
            resume && resume->evaluated && !resume->evaluation.cleanAccuracy.empty()
                ? &resume->evaluation
                : nullptr;
        auto ev = evaluateTriggers(model, evalInputs.head(o.evalExamples), out.mining.records,
                                   o.evaluation, previous, stages.next());
        if (!ev)
            return ev.status();
        out.evaluation = std::move(ev).value();
        out.evaluated = true;
        if (!out.evaluation.complete)
            return out;
    }
    out.complete = true;
    return out;
}

}  // namespace attrscope
