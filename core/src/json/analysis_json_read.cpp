// Readers of the dataset-analysis files that analysis_json.cpp writes, back into the values the
// writers were given: a session keeps the Dataset tab's studies as these files, so the GUI's
// session and the CLI's outputs are one format.

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "attrscope/json/analysis_json.h"
#include "json/json_numbers.h"
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
    s.threads = json_numbers::intOr(j, "threads", 0);
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

std::array<int, 2> pair(const json& v, const std::string& what) {
    const auto p = json_numbers::intVector<int>(v, what);
    if (p.size() != 2)
        throw std::runtime_error(what + " must hold two numbers");
    return {p[0], p[1]};
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
    r.top1Position = pair(e.at("top1position"), "top1position");
    r.top2Position = pair(e.at("top2position"), "top2position");
    r.targetLabel = json_numbers::toInt<int>(e.at("target_label"), "target_label");
    r.goldenLabel = json_numbers::intOr(e, "golden_label", -1);
    r.segPos = json_numbers::toInt<int>(e.at("seg_pos"), "seg_pos");
    r.tokens = e.at("tokens").get<std::vector<std::string>>();
    r.layer = json_numbers::intOr(e, "layer", -1);
    r.head = json_numbers::intOr(e, "head", -1);
    r.exampleIndex = json_numbers::intOr(e, "example_index", index);
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
                     const int L = json_numbers::toInt<int>(j.at("num_layers"), "num_layers"),
                               H = json_numbers::toInt<int>(j.at("num_heads"), "num_heads");
                     const json b = j.value("baselines", json::object());
                     const json t = j.value("timings", json::object());
                     if (j.contains("settings")) {  // the attribution pass ran
                         HeadImportance a;
                         a.numLayers = L, a.numHeads = H;
                         a.complete = j.value("complete", false);
                         a.examplesDone = json_numbers::intOr(j, "examples", 0);
                         a.examplesTotal =
                             json_numbers::intOr(j, "examples_requested", a.examplesDone);
                         a.options.steps = json_numbers::intOr(j["settings"], "steps", 20);
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
                                     a.predictions.push_back(
                                         json_numbers::toInt<int>(e["predicted"], "predicted"));
                                 if (e.contains("id"))
                                     rep.exampleIds.push_back(e["id"].get<std::string>());
                                 if (e.contains("label_id"))
                                     rep.exampleLabels.push_back(
                                         json_numbers::toInt<int>(e["label_id"], "label_id"));
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
                         ti.examplesDone = ti.examplesTotal = json_numbers::intOr(e, "examples", 0);
                         ti.options.batchSize = json_numbers::intOr(e, "batch_size", 32);
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
                         a.examples = json_numbers::intOr(e, "examples", 0);
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
        r.numLayers = json_numbers::toInt<int>(j.at("num_layers"), "num_layers");
        r.numHeads = json_numbers::toInt<int>(j.at("num_heads"), "num_heads");
        r.examples = json_numbers::intOr(j, "examples", 0);
        r.baseAccuracy = j.value("base_accuracy", 0.0);
        r.complete = j.value("complete", true);
        const json global = j.value("global", json::object());  // named: items() borrows it
        for (const auto& [name, c] : global.items()) {
            if (name == "random") {
                RandomPruneCurves rc;
                rc.seeds = c.at("seeds").get<std::vector<uint64_t>>();
                rc.rates = c.at("rates").get<std::vector<double>>();
                rc.numPruned = json_numbers::intVector<int>(c.at("num_pruned"), "num_pruned");
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
            p.order = json_numbers::intVector<int>(c.at("ascending_order"), "ascending_order");
            p.rates = c.at("rates").get<std::vector<double>>();
            p.numPruned = json_numbers::intVector<int>(c.at("num_pruned"), "num_pruned");
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
                p.k = json_numbers::intVector<int>(c.at("k"), "k");
                p.accuracy = numbers(c.at("accuracy"));
                p.headsMasked = json_numbers::intVector<int>(c.at("heads_masked"), "heads_masked");
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
                     m.options.start = json_numbers::intOr(s, "start", 0);
                     m.options.examples = json_numbers::intOr(s, "examples", 500);
                     m.options.steps = json_numbers::intOr(s, "steps", 64);
                     m.options.rule = ruleFrom(s, "rule");
                     m.options.minTokens = json_numbers::intOr(s, "min_tokens", 0);
                     m.examplesTotal = json_numbers::intOr(j, "examples_total", 0);
                     m.examplesDone = json_numbers::intOr(j, "examples_done", 0);
                     m.skipped = json_numbers::intOr(j, "skipped_short", 0);
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
            ev.options.maxPatterns = json_numbers::intOr(o, "max_patterns", 0);
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
            ev.qualifying = json_numbers::intOr(j, "qualifying_patterns", 0);
            ev.complete = j.value("complete", false);
            ev.seconds = j.value("seconds", 0.0);
            for (const auto& e : j.at("patterns")) {
                TriggerResult t;
                t.patternIndex = json_numbers::toInt<int>(e.at("pattern_index"), "pattern_index");
                t.insertion.tokensA = e.at("inserted_tokens_a").get<std::vector<std::string>>();
                t.insertion.tokensB = e.at("inserted_tokens_b").get<std::vector<std::string>>();
                t.insertion.positions =
                    json_numbers::intVector<int>(e.at("inserted_positions"), "inserted_positions");
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
                t.truncatedInputs = json_numbers::intOr(e, "truncated_inputs", 0);
                t.sameAs = json_numbers::intOr(e, "same_insertion_as_pattern", -1);
                ev.results.push_back(std::move(t));
            }
            if (analysisSource)
                *analysisSource = sourceFrom(j.value("source", json()));
            return ev;
        });
}

}  // namespace attrscope
