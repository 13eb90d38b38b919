#include "attrscope/json/analysis_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "json/json_numbers.h"
#include "trigger_record_json.h"

namespace attrscope {

using json = nlohmann::json;

namespace {

const char* kLayout = "flat list, index = layer*H + head (0-based, bottom layer first)";

json sourceJson(const AnalysisSource& s) {
    return {{"model", s.model}, {"data", s.data},     {"format", s.format},
            {"split", s.split}, {"device", s.device}, {"threads", s.threads}};
}

json matrix(const std::vector<double>& flat, int L, int H) {
    json m = json::array();
    for (int l = 0; l < L; ++l) {
        json row = json::array();
        for (int h = 0; h < H; ++h)
            row.push_back(flat[static_cast<size_t>(l * H + h)]);
        m.push_back(row);
    }
    return m;
}

json pairList(const std::vector<int>& flat, int H) {
    json out = json::array();
    for (int i : flat)
        out.push_back({i / H, i % H});
    return out;
}

// NaN (not evaluated) becomes null.
json numbers(const std::vector<double>& v) {
    json a = json::array();
    for (double x : v)
        a.push_back(std::isfinite(x) ? json(x) : json(nullptr));
    return a;
}

std::vector<double> readNumbers(const json& j) {
    std::vector<double> v;
    for (const auto& x : j)
        v.push_back(x.is_number() ? x.get<double>() : std::nan(""));
    return v;
}

}  // namespace

std::string headImportanceToJson(const HeadImportanceReport& rep) {
    json j;
    j["kind"] = "attrscope.head_importance";
    j["source"] = sourceJson(rep.source);
    int L = 0, H = 0;
    if (rep.attribution)
        L = rep.attribution->numLayers, H = rep.attribution->numHeads;
    if (!rep.taylor.empty())
        L = rep.taylor[0].numLayers, H = rep.taylor[0].numHeads;
    if (rep.accuracy)
        L = rep.accuracy->numLayers, H = rep.accuracy->numHeads;
    j["num_layers"] = L;
    j["num_heads"] = H;
    j["layout"] = kLayout;
    j["ranking_note"] =
        "ascending_order is a STABLE ascending argsort (least important first, ties in "
        "layer-major order); the official numpy argsort is unstable for exact ties";
    json baselines = json::object();
    json timings = json::object();
    bool complete = true;
    if (rep.attribution) {
        const auto& a = *rep.attribution;
        complete = complete && a.complete;
        j["complete"] = a.complete;
        j["examples"] = a.examplesDone;
        j["examples_requested"] = a.examplesTotal;
        j["settings"] = {{"steps", a.options.steps},
                         {"rule", ruleName(a.options.rule)},
                         {"baseline", "zero"},
                         {"target", "gold label probability"}};
        if (a.options.attribution) {
            j["statistic"] =
                "signed max over the n x n attribution map of each head, summed "
                "over examples (importance) and divided by their number "
                "(importance_mean)";
            j["importance"] = a.attributionSum;
            j["importance_mean"] = a.attributionMean();
            j["importance_LxH"] = matrix(a.attributionSum, L, H);
            j["ascending_order"] = ascendingOrder(a.attributionSum);
        }
        baselines["attention"] = {
            {"meaning",
             "max over i,j of the head's post-softmax attention A_h, summed over the "
             "same examples (E_x max A_h up to the factor 1/N: see importance_mean)"},
            {"examples", a.examplesDone},
            {"importance", a.attentionSum},
            {"importance_mean", a.attentionMean()},
            {"ascending_order", ascendingOrder(a.attentionSum)}};
        timings["attribution_seconds"] = a.seconds;
        if (rep.perExample) {
            json per = json::array();
            for (size_t k = 0; k < a.perExampleAttention.size(); ++k) {
                json e;
                e["index"] = k;
                if (k < rep.exampleIds.size())
                    e["id"] = rep.exampleIds[k];
                if (k < rep.exampleLabels.size())
                    e["label_id"] = rep.exampleLabels[k];
                if (k < a.predictions.size())
                    e["predicted"] = a.predictions[k];
                if (k < a.perExampleAttribution.size())
                    e["head_max"] = a.perExampleAttribution[k];
                e["attention_max"] = a.perExampleAttention[k];
                per.push_back(e);
            }
            j["per_example"] = per;
        }
    }
    for (const auto& t : rep.taylor) {
        complete = complete && t.complete;
        const std::string key =
            t.options.objective == TaylorObjective::LogitSum ? "taylor" : "taylor_loss";
        baselines[key] = {{"objective", taylorObjectiveName(t.options.objective)},
                          {"meaning", taylorObjectiveMeaning(t.options.objective)},
                          {"examples", t.examplesDone},
                          {"batch_size", t.options.batchSize},
                          {"complete", t.complete},
                          {"raw", t.raw},
                          {"importance", t.normalized},
                          {"importance_LxH", matrix(t.normalized, L, H)},
                          {"ascending_order", ascendingOrder(t.normalized)}};
        timings[key + "_seconds"] = t.seconds;
    }
    if (rep.accuracy) {
        const auto& a = *rep.accuracy;
        complete = complete && a.complete;
        std::vector<double> drop = a.drop;
        for (double& d : drop)
            if (!std::isfinite(d))
                d = 0.0;  // unevaluated heads rank as unimportant
        baselines["accuracy_difference"] = {
            {"meaning",
             "accuracy of the full model minus accuracy with only this head masked "
             "(larger = more important)"},
            {"examples", a.examples},
            {"complete", a.complete},
            {"base_accuracy", a.baseAccuracy},
            {"masked_accuracy", numbers(a.maskedAccuracy)},
            {"importance", numbers(a.drop)},
            {"ascending_order", ascendingOrder(drop)}};
        timings["accuracy_difference_seconds"] = a.seconds;
    }
    j["complete"] = complete;
    j["baselines"] = baselines;
    j["timings"] = timings;
    return j.dump(1) + "\n";
}

Expected<ImportanceFile> readImportanceFile(const std::string& path) {
    auto text = readFile(path, "importance file");
    if (!text)
        return text.status();
    try {
        const json j = json::parse(*text);
        ImportanceFile f;
        auto flat = [&](const json& v, const std::string& what) -> Expected<std::vector<double>> {
            // Ranking on a string read as NaN would be silent nonsense: only numbers, or null
            // for a head an interrupted run did not evaluate, are accepted.
            if (!v.is_array())
                return Status::error(path + ": " + what + " must be a list of numbers");
            for (size_t i = 0; i < v.size(); ++i)
                if (!v[i].is_number() && !v[i].is_null())
                    return Status::error(path + ": " + what + " value " + std::to_string(i) +
                                         " is " + v[i].dump().substr(0, 40) + ", not a number");
            auto x = readNumbers(v);
            if (f.numLayers && static_cast<int>(x.size()) != f.numLayers * f.numHeads)
                return Status::error(path + ": " + what + " has " + std::to_string(x.size()) +
                                     " values, expected " +
                                     std::to_string(f.numLayers * f.numHeads));
            return x;
        };
        if (j.contains("num_layers")) {
            f.numLayers = json_numbers::toInt<int>(j["num_layers"], "num_layers");
            f.numHeads = json_numbers::toInt<int>(j["num_heads"], "num_heads");
        } else if (j.contains("importance_LxH")) {  // the golden / official-like layout
            f.numLayers = static_cast<int>(j["importance_LxH"].size());
            f.numHeads = static_cast<int>(j["importance_LxH"][0].size());
        }
        if (j.contains("importance")) {
            auto v = flat(j["importance"], "importance");
            if (!v)
                return v.status();
            f.rankings["attribution"] = *v;
        }
        if (j.contains("baselines")) {
            const json& b = j["baselines"];
            const std::pair<const char*, const char*> keys[] = {
                {"attention", "attention"},
                {"taylor", "taylor"},
                {"taylor_loss", "taylor-loss"},
                {"accuracy_difference", "accuracy"}};
            for (const auto& [key, name] : keys) {
                if (!b.contains(key))
                    continue;
                auto v = flat(b[key]["importance"], key);
                if (!v)
                    return v.status();
                for (double& d : *v)
                    if (!std::isfinite(d))
                        d = 0.0;
                f.rankings[name] = *v;
            }
            if (!f.rankings.count("taylor") && f.rankings.count("taylor-loss"))
                f.rankings["taylor"] = f.rankings["taylor-loss"];
        }
        if (f.rankings.empty())
            return Status::error(path +
                                 ": no importance found (expected 'importance' or "
                                 "'baselines')");
        // Partial state, for `heads --resume`.
        if (j.contains("importance") && j.contains("examples") && j.contains("settings")) {
            HeadImportance h;
            h.numLayers = f.numLayers;
            h.numHeads = f.numHeads;
            h.examplesDone = json_numbers::toInt<int>(j["examples"], "examples");
            h.attributionSum = f.rankings["attribution"];
            if (j["baselines"].contains("attention"))
                h.attentionSum = readNumbers(j["baselines"]["attention"]["importance"]);
            h.options.steps = json_numbers::toInt<int>(j["settings"]["steps"], "steps");
            if (auto r = parseRule(j["settings"]["rule"].get<std::string>()))
                h.options.rule = *r;
            if (j.contains("timings") && j["timings"].contains("attribution_seconds"))
                h.seconds = j["timings"]["attribution_seconds"].get<double>();
            if (j.contains("per_example")) {
                for (const auto& e : j["per_example"]) {
                    if (e.contains("head_max"))
                        h.perExampleAttribution.push_back(e["head_max"].get<std::vector<float>>());
                    if (e.contains("attention_max"))
                        h.perExampleAttention.push_back(
                            e["attention_max"].get<std::vector<float>>());
                    if (e.contains("predicted"))
                        h.predictions.push_back(
                            json_numbers::toInt<int>(e["predicted"], "predicted"));
                }
            }
            f.attribution = std::move(h);
        }
        return f;
    } catch (const std::exception& e) {
        return Status::error(path + ": not a head importance file (" + e.what() + ")");
    }
}

namespace {

json curveJson(const PruneCurve& c, int H) {
    json j = {{"ascending_order", c.order}, {"ascending_order_pairs", pairList(c.order, H)},
              {"rates", c.rates},           {"num_pruned", c.numPruned},
              {"accuracy", c.accuracy},     {"loss", c.loss},
              {"complete", c.complete}};
    if (!c.predictions.empty())
        j["predictions"] = c.predictions;
    return j;
}

}  // namespace

std::string pruneReportToJson(const PruneReport& r) {
    json j;
    j["kind"] = "attrscope.prune";
    j["source"] = sourceJson(r.source);
    j["importance_source"] = r.importanceSource;
    j["num_layers"] = r.numLayers;
    j["num_heads"] = r.numHeads;
    j["layout"] = kLayout;
    j["examples"] = r.examples;
    j["base_accuracy"] = r.baseAccuracy;
    j["complete"] = r.complete;
    j["meaning"] = {{"masking",
                     "a pruned head's post-softmax attention probabilities are multiplied by 0 "
                     "(no renormalisation, no re-training; the output bias and residual remain)"},
                    {"global",
                     "heads sorted by importance ascending (stable sort: ties keep layer-major "
                     "order; numpy's argsort is unstable), the first int(rate*L*H) masked"},
                    {"random",
                     "random orders from seeded Fisher-Yates shuffles (mt19937_64); mean, sample "
                     "std, min and max over the seeds"},
                    {"per_layer",
                     "in every layer the k heads with the largest importance are masked "
                     "(prune-top-k) or are the only ones kept (keep-top-k)"},
                    {"accuracy", "fraction of examples whose argmax class equals the gold class"}};
    json global = json::object();
    for (const auto& c : r.global)
        global[c.ranking] = curveJson(c, r.numHeads);
    if (r.random) {
        const auto& rc = *r.random;
        json curves = json::array();
        for (const auto& c : rc.curves)
            curves.push_back(c.accuracy);
        global["random"] = {{"seeds", rc.seeds},
                            {"rates", rc.rates},
                            {"num_pruned", rc.numPruned},
                            {"mean", rc.mean},
                            {"std", rc.stddev},
                            {"min", rc.min},
                            {"max", rc.max},
                            {"accuracy_per_seed", curves},
                            {"complete", rc.complete}};
    }
    j["global"] = global;
    json per = json::object();
    for (const auto& c : r.perLayer) {
        per[c.ranking][perLayerModeName(c.mode)] = {{"k", c.k},
                                                    {"accuracy", c.accuracy},
                                                    {"heads_masked", c.headsMasked},
                                                    {"base_accuracy", c.baseAccuracy},
                                                    {"complete", c.complete}};
    }
    j["per_layer"] = per;
    return j.dump(1) + "\n";
}

namespace {

json recordJson(const TriggerRecord& r) {
    return {{"max_combined_attr", r.maxCombinedAttr},
            {"top1pattern", r.top1Pattern},
            {"top2pattern", r.top2Pattern},
            {"top1position", r.top1Position},
            {"top2position", r.top2Position},
            {"target_label", r.targetLabel},
            {"golden_label", r.goldenLabel},
            {"seg_pos", r.segPos},
            {"tokens", r.tokens},
            {"layer", r.layer},
            {"head", r.head},
            {"example_index", r.exampleIndex},
            {"example_id", r.exampleId}};
}

const char* kMiningMeaning =
    "one record per mined example: the PREDICTED class's attribution; the single head with the "
    "largest entry over all layers (strict >, earlier layer/head wins ties); that head's two "
    "largest entries [query i, key j] (top1/top2) with their values max_combined_attr = [a1, "
    "a2]; seg_pos = index of the first [SEP]; records sorted by a1 + a2, descending. layer, head "
    "(0-based), example_index and example_id are additions to the official record.";

}  // namespace

std::string triggerMiningToJson(const TriggerMining& m, const AnalysisSource& source,
                                const std::vector<std::string>& classNames) {
    json j;
    j["kind"] = "attrscope.trigger_patterns";
    j["source"] = sourceJson(source);
    j["settings"] = {{"start", m.options.start},
                     {"examples", m.options.examples},
                     {"steps", m.options.steps},
                     {"rule", ruleName(m.options.rule)},
                     {"target", "predicted class probability"},
                     {"min_tokens", m.options.minTokens}};
    j["meaning"] = kMiningMeaning;
    j["labels"] = classNames;
    j["examples_total"] = m.examplesTotal;
    j["examples_done"] = m.examplesDone;
    j["skipped_short"] = m.skipped;
    j["complete"] = m.complete;
    j["seconds"] = m.seconds;
    json list = json::array();
    for (const auto& r : m.records)
        list.push_back(recordJson(r));
    j["patterns"] = list;
    return j.dump(1) + "\n";
}

Expected<std::vector<TriggerRecord>> readTriggerRecords(const std::string& path) {
    auto text = readFile(path, "trigger pattern file");
    if (!text)
        return text.status();
    try {
        const json j = json::parse(*text);
        const json& list = j.is_array() ? j : j.at("patterns");
        std::vector<TriggerRecord> out;
        int index = 0;
        for (const auto& e : list) {
            out.push_back(triggerRecordFromJson(e, index));
            ++index;
        }
        return out;
    } catch (const std::exception& e) {
        return Status::error(path + ": not a trigger pattern file (" + e.what() + ")");
    }
}

std::string triggerEvaluationToJson(const TriggerEvaluation& ev,
                                    const std::vector<TriggerRecord>& records,
                                    const AnalysisSource& source, int strongest) {
    json j;
    j["kind"] = "attrscope.trigger_evaluation";
    j["source"] = sourceJson(source);
    j["options"] = {{"threshold", ev.options.threshold},
                    {"all", ev.options.all},
                    {"max_patterns", ev.options.maxPatterns}};
    j["meaning"] = {
        {"threshold",
         "patterns with a1 + a2 >= threshold are evaluated, each on its own (all "
         "of them: the official loop dropped the last one when none fell below)"},
        {"all",
         "false: insert only the top-1 pair's tokens when a2/a1 < 0.2, else both pairs; "
         "true: always both pairs (official --if_all)"},
        {"insertion",
         "the word pieces at the pattern's positions, except the template's specials "
         "([CLS]/[SEP], <s>/</s>), are inserted as pieces into every evaluation example at "
         "the same relative position in their segment: round((len + k) * r), Python round "
         "half to even, +1 when equal to the previous index; then the model's template "
         "and its tokenizer's longest-first truncation"},
        {"accuracy",
         "per gold label; drop = clean - attacked (non-targeted attack); "
         "mean_drop = mean of the drops over the labels present"},
        {"strongest",
         "evaluated patterns by mean_drop, each distinct insertion once (a "
         "pattern with the same words at the same relative positions as an "
         "earlier one gives the same inputs: same_insertion_as_pattern)"}};
    j["labels"] = ev.classNames;
    json clean = json::object(), counts = json::object();
    for (size_t c = 0; c < ev.classNames.size() && c < ev.cleanAccuracy.size(); ++c) {
        clean[ev.classNames[c]] = ev.cleanAccuracy[c];
        counts[ev.classNames[c]] = ev.classCounts[c];
    }
    j["clean_accuracy"] = clean;
    j["clean_accuracy_overall"] = ev.cleanOverall;
    j["class_counts"] = counts;
    j["qualifying_patterns"] = ev.qualifying;
    j["evaluated_patterns"] = ev.results.size();
    j["complete"] = ev.complete;
    j["seconds"] = ev.seconds;
    auto resultJson = [&](const TriggerResult& t) {
        json e = recordJson(records[static_cast<size_t>(t.patternIndex)]);
        e["pattern_index"] = t.patternIndex;
        e["inserted_tokens_a"] = t.insertion.tokensA;
        e["inserted_tokens_b"] = t.insertion.tokensB;
        e["inserted_positions"] = t.insertion.positions;
        e["relative_positions_a"] = t.insertion.relativeA;
        e["relative_positions_b"] = t.insertion.relativeB;
        json drop = json::object();
        for (size_t c = 0; c < ev.classNames.size() && c < t.accuracy.size(); ++c) {
            e[ev.classNames[c]] = t.accuracy[c];  // the official key: the label name
            drop[ev.classNames[c]] = t.drop[c];
        }
        e["drop"] = drop;
        e["mean_drop"] = t.meanDrop;
        e["accuracy_overall"] = t.overallAccuracy;
        e["truncated_inputs"] = t.truncatedInputs;
        if (t.sameAs >= 0)
            e["same_insertion_as_pattern"] = t.sameAs;
        return e;
    };
    json list = json::array();
    for (const auto& t : ev.results)
        list.push_back(resultJson(t));
    j["patterns"] = list;
    json top = json::array();
    const auto order = ev.strongest();
    for (size_t i = 0; i < order.size() && static_cast<int>(i) < strongest; ++i) {
        const auto& t = ev.results[static_cast<size_t>(order[i])];
        const auto& r = records[static_cast<size_t>(t.patternIndex)];
        top.push_back({{"pattern_index", t.patternIndex},
                       {"inserted_tokens_a", t.insertion.tokensA},
                       {"inserted_tokens_b", t.insertion.tokensB},
                       {"top1pattern", r.top1Pattern},
                       {"max_combined_attr", r.maxCombinedAttr},
                       {"mean_drop", t.meanDrop},
                       {"drop", resultJson(t)["drop"]}});
    }
    j["strongest"] = top;
    return j.dump(1) + "\n";
}

}  // namespace attrscope
