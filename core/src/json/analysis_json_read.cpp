// Readers of the dataset-analysis files that analysis_json.cpp writes, back into the values the
// writers were given: a session keeps the Dataset tab's studies as these files, so the GUI's
// session and the CLI's outputs are one format.

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "attrscope/json/analysis_json.h"
#include "trigger_record_json.h"

namespace attrscope {

using json = nlohmann::json;

namespace {

// null (a head an interrupted run did not evaluate) reads back as NaN.
std::vector<double> numbers(const json& j) {
    std::vector<double> v;
    for (const auto& x : j)
        v.push_back(x.is_number() ? x.get<double>() : std::nan(""));
    return v;
}

AnalysisSource sourceFrom(const json& j) {
    AnalysisSource s;
    if (!j.is_object())
        return s;
    s.model = j.value("model", "");
    s.data = j.value("data", "");
    s.format = j.value("format", "");
    s.split = j.value("split", "");
    s.device = j.value("device", "cpu");
    s.threads = j.value("threads", 0);
    return s;
}

Rule ruleFrom(const json& j, const char* key) {
    if (j.contains(key))
        if (auto r = parseRule(j[key].get<std::string>()))
            return *r;
    return Rule::Left;
}

template <class F>
auto parse(const std::string& text, const std::string& source, const char* kind, F&& read)
    -> decltype(read(json())) {
    try {
        const json j = json::parse(text);
        if (!j.is_object() || j.value("kind", "") != kind)
            return Status::error(source + ": not an " + std::string(kind) + " file");
        return read(j);
    } catch (const std::exception& e) {
        return Status::error(source + ": " + e.what());
    }
}


// The order runPruneStudy builds its curves in (the file's objects are sorted by name).
int rankingIndex(const std::string& name) {
    const auto& all = pruneRankings();
    return int(std::find(all.begin(), all.end(), name) - all.begin());
}

}  // namespace

TriggerRecord triggerRecordFromJson(const nlohmann::json& e, int index) {
    TriggerRecord r;
    r.maxCombinedAttr = e.at("max_combined_attr").get<std::array<double, 2>>();
    r.top1Pattern = e.at("top1pattern").get<std::array<std::string, 2>>();
    r.top2Pattern = e.at("top2pattern").get<std::array<std::string, 2>>();
    r.top1Position = e.at("top1position").get<std::array<int, 2>>();
    r.top2Position = e.at("top2position").get<std::array<int, 2>>();
    r.targetLabel = e.at("target_label").get<int>();
    r.goldenLabel = e.value("golden_label", -1);
    r.segPos = e.at("seg_pos").get<int>();
    r.tokens = e.at("tokens").get<std::vector<std::string>>();
    r.layer = e.value("layer", -1);
    r.head = e.value("head", -1);
    r.exampleIndex = e.value("example_index", index);
    r.exampleId = e.value("example_id", std::string());
    return r;
}

Expected<HeadImportanceReport> headImportanceFromJson(const std::string& text,
                                                      const std::string& source) {
    return parse(text, source, "attrscope.head_importance",
                 [](const json& j) -> Expected<HeadImportanceReport> {
                     HeadImportanceReport rep;
                     rep.source = sourceFrom(j.value("source", json()));
                     rep.complete = j.value("complete", false);
                     const int L = j.at("num_layers").get<int>(), H = j.at("num_heads").get<int>();
                     const json b = j.value("baselines", json::object());
                     const json t = j.value("timings", json::object());
                     if (j.contains("settings")) {  // the attribution pass ran
                         HeadImportance a;
                         a.numLayers = L, a.numHeads = H;
                         a.complete = j.value("complete", false);
                         a.examplesDone = j.value("examples", 0);
                         a.examplesTotal = j.value("examples_requested", a.examplesDone);
                         a.options.steps = j["settings"].value("steps", 20);
                         a.options.rule = ruleFrom(j["settings"], "rule");
                         a.options.attribution = j.contains("importance");
                         if (a.options.attribution)
                             a.attributionSum = numbers(j["importance"]);
                         if (b.contains("attention"))
                             a.attentionSum = numbers(b["attention"].at("importance"));
                         a.seconds = t.value("attribution_seconds", 0.0);
                         if (j.contains("per_example")) {
                             rep.perExample = true;
                             for (const auto& e : j["per_example"]) {
                                 if (e.contains("head_max"))
                                     a.perExampleAttribution.push_back(
                                         e["head_max"].get<std::vector<float>>());
                                 a.perExampleAttention.push_back(
                                     e.at("attention_max").get<std::vector<float>>());
                                 if (e.contains("predicted"))
                                     a.predictions.push_back(e["predicted"].get<int>());
                                 if (e.contains("id"))
                                     rep.exampleIds.push_back(e["id"].get<std::string>());
                                 if (e.contains("label_id"))
                                     rep.exampleLabels.push_back(e["label_id"].get<int>());
                             }
                         }
                         rep.attribution = std::move(a);
                     }
                     for (const char* key : {"taylor", "taylor_loss"}) {
                         if (!b.contains(key))
                             continue;
                         const json& e = b[key];
                         TaylorImportance ti;
                         ti.numLayers = L, ti.numHeads = H;
                         ti.options.objective = e.value("objective", "") == "loss"
                                                    ? TaylorObjective::Loss
                                                    : TaylorObjective::LogitSum;
                         ti.examplesDone = ti.examplesTotal = e.value("examples", 0);
                         ti.options.batchSize = e.value("batch_size", 32);
                         ti.complete = e.value("complete", false);
                         ti.raw = numbers(e.at("raw"));
                         ti.normalized = numbers(e.at("importance"));
                         ti.seconds = t.value(std::string(key) + "_seconds", 0.0);
                         rep.taylor.push_back(std::move(ti));
                     }
                     if (b.contains("accuracy_difference")) {
                         const json& e = b["accuracy_difference"];
                         AccuracyDifference a;
                         a.numLayers = L, a.numHeads = H;
                         a.examples = e.value("examples", 0);
                         a.complete = e.value("complete", false);
                         a.baseAccuracy = e.value("base_accuracy", 0.0);
                         a.maskedAccuracy = numbers(e.at("masked_accuracy"));
                         a.drop = numbers(e.at("importance"));
                         a.headsDone =
                             int(std::count_if(a.maskedAccuracy.begin(), a.maskedAccuracy.end(),
                                               [](double x) { return std::isfinite(x); }));
                         a.seconds = t.value("accuracy_difference_seconds", 0.0);
                         rep.accuracy = std::move(a);
                     }
                     return rep;
                 });
}

Expected<PruneReport> pruneReportFromJson(const std::string& text, const std::string& source) {
    return parse(text, source, "attrscope.prune", [](const json& j) -> Expected<PruneReport> {
        PruneReport r;
        r.source = sourceFrom(j.value("source", json()));
        r.importanceSource = j.value("importance_source", "");
        r.numLayers = j.at("num_layers").get<int>();
        r.numHeads = j.at("num_heads").get<int>();
        r.examples = j.value("examples", 0);
        r.baseAccuracy = j.value("base_accuracy", 0.0);
        r.complete = j.value("complete", true);
        const json global = j.value("global", json::object());  // named: items() borrows it
        for (const auto& [name, c] : global.items()) {
            if (name == "random") {
                RandomPruneCurves rc;
                rc.seeds = c.at("seeds").get<std::vector<uint64_t>>();
                rc.rates = c.at("rates").get<std::vector<double>>();
                rc.numPruned = c.at("num_pruned").get<std::vector<int>>();
                rc.mean = numbers(c.at("mean"));
                rc.stddev = numbers(c.at("std"));
                rc.min = numbers(c.at("min"));
                rc.max = numbers(c.at("max"));
                for (const auto& acc : c.value("accuracy_per_seed", json::array())) {
                    PruneCurve seed;
                    seed.ranking = "random";
                    seed.rates = rc.rates;
                    seed.accuracy = numbers(acc);
                    seed.complete = seed.accuracy.size() == rc.rates.size();
                    rc.curves.push_back(std::move(seed));
                }
                rc.complete = c.value("complete", false);
                r.random = std::move(rc);
                continue;
            }
            PruneCurve p;
            p.ranking = name;
            p.order = c.at("ascending_order").get<std::vector<int>>();
            p.rates = c.at("rates").get<std::vector<double>>();
            p.numPruned = c.at("num_pruned").get<std::vector<int>>();
            p.accuracy = numbers(c.at("accuracy"));
            p.loss = numbers(c.at("loss"));
            if (c.contains("predictions"))
                p.predictions = c["predictions"].get<std::vector<std::vector<int>>>();
            p.complete = c.value("complete", false);
            r.global.push_back(std::move(p));
        }
        std::stable_sort(r.global.begin(), r.global.end(), [](const auto& a, const auto& b) {
            return rankingIndex(a.ranking) < rankingIndex(b.ranking);
        });
        const json perLayer = j.value("per_layer", json::object());
        for (const auto& [name, modes] : perLayer.items()) {
            for (PerLayerMode mode : {PerLayerMode::PruneTopK, PerLayerMode::KeepTopK}) {
                const std::string key = perLayerModeName(mode);
                if (!modes.contains(key))
                    continue;
                const json& c = modes[key];
                PerLayerCurve p;
                p.ranking = name;
                p.mode = mode;
                p.k = c.at("k").get<std::vector<int>>();
                p.accuracy = numbers(c.at("accuracy"));
                p.headsMasked = c.at("heads_masked").get<std::vector<int>>();
                p.baseAccuracy = c.value("base_accuracy", 0.0);
                p.complete = c.value("complete", false);
                r.perLayer.push_back(std::move(p));
            }
        }
        std::stable_sort(r.perLayer.begin(), r.perLayer.end(), [](const auto& a, const auto& b) {
            return rankingIndex(a.ranking) < rankingIndex(b.ranking);
        });
        return r;
    });
}

Expected<TriggerMining> triggerMiningFromJson(const std::string& text, const std::string& source,
                                              AnalysisSource* analysisSource) {
    return parse(text, source, "attrscope.trigger_patterns",
                 [&](const json& j) -> Expected<TriggerMining> {
                     TriggerMining m;
                     const json s = j.value("settings", json::object());
                     m.options.start = s.value("start", 0);
                     m.options.examples = s.value("examples", 500);
                     m.options.steps = s.value("steps", 64);
                     m.options.rule = ruleFrom(s, "rule");
                     m.options.minTokens = s.value("min_tokens", 0);
                     m.examplesTotal = j.value("examples_total", 0);
                     m.examplesDone = j.value("examples_done", 0);
                     m.skipped = j.value("skipped_short", 0);
                     m.complete = j.value("complete", false);
                     m.seconds = j.value("seconds", 0.0);
                     int index = 0;
                     for (const auto& e : j.at("patterns"))
                         m.records.push_back(triggerRecordFromJson(e, index++));
                     if (analysisSource)
                         *analysisSource = sourceFrom(j.value("source", json()));
                     return m;
                 });
}

Expected<TriggerEvaluation> triggerEvaluationFromJson(const std::string& text,
                                                      const std::string& source,
                                                      AnalysisSource* analysisSource) {
    return parse(
        text, source, "attrscope.trigger_evaluation",
        [&](const json& j) -> Expected<TriggerEvaluation> {
            TriggerEvaluation ev;
            const json o = j.value("options", json::object());
            ev.options.threshold = o.value("threshold", 0.02);
            ev.options.all = o.value("all", false);
            ev.options.maxPatterns = o.value("max_patterns", 0);
            ev.classNames = j.at("labels").get<std::vector<std::string>>();
            const json clean = j.value("clean_accuracy", json::object());
            const json counts = j.value("class_counts", json::object());
            for (const auto& name : ev.classNames) {
                if (!clean.contains(name))
                    break;  // the writer stops at the shorter list
                ev.cleanAccuracy.push_back(clean[name].is_number() ? clean[name].get<double>()
                                                                   : std::nan(""));
                ev.classCounts.push_back(counts.value(name, 0));
            }
            ev.cleanOverall = j.value("clean_accuracy_overall", 0.0);
            ev.qualifying = j.value("qualifying_patterns", 0);
            ev.complete = j.value("complete", false);
            ev.seconds = j.value("seconds", 0.0);
            for (const auto& e : j.at("patterns")) {
                TriggerResult t;
                t.patternIndex = e.at("pattern_index").get<int>();
                t.insertion.tokensA = e.at("inserted_tokens_a").get<std::vector<std::string>>();
                t.insertion.tokensB = e.at("inserted_tokens_b").get<std::vector<std::string>>();
                t.insertion.positions = e.at("inserted_positions").get<std::vector<int>>();
                t.insertion.relativeA = numbers(e.at("relative_positions_a"));
                t.insertion.relativeB = numbers(e.at("relative_positions_b"));
                const json drop = e.value("drop", json::object());
                for (const auto& name : ev.classNames) {
                    if (!e.contains(name))
                        break;
                    t.accuracy.push_back(e[name].is_number() ? e[name].get<double>()
                                                             : std::nan(""));
                    t.drop.push_back(drop.contains(name) && drop[name].is_number()
                                         ? drop[name].get<double>()
                                         : std::nan(""));
                }
                t.meanDrop = e.value("mean_drop", 0.0);
                t.overallAccuracy = e.value("accuracy_overall", 0.0);
                t.truncatedInputs = e.value("truncated_inputs", 0);
                t.sameAs = e.value("same_insertion_as_pattern", -1);
                ev.results.push_back(std::move(t));
            }
            if (analysisSource)
                *analysisSource = sourceFrom(j.value("source", json()));
            return ev;
        });
}

}  // namespace attrscope
