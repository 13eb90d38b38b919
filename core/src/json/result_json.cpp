#include "attrscope/json/result_json.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/file_util.h"
#include "json/json_numbers.h"

namespace attrscope {

namespace {

// float as the number type: nlohmann writes each value as the shortest decimal that
// round-trips to the same float32, which keeps large maps compact and exact.
using fjson = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t,
                                   std::uint64_t, float>;

fjson nested(const FloatArray& a, size_t axis, size_t& offset) {
    fjson out = fjson::array();
    const int64_t len = a.shape.at(axis);
    if (axis + 1 == a.shape.size()) {
        for (int64_t i = 0; i < len; ++i) out.push_back(a.data[offset++]);
    } else {
        for (int64_t i = 0; i < len; ++i) out.push_back(nested(a, axis + 1, offset));
    }
    return out;
}

fjson nested(const FloatArray& a) {
    size_t offset = 0;
    if (a.shape.empty()) return fjson::array();
    return nested(a, 0, offset);
}

void flatten(const fjson& j, size_t depth, std::vector<int64_t>& shape, std::vector<float>& out,
             bool& ok) {
    if (j.is_array()) {
        if (shape.size() <= depth)
            shape.push_back(static_cast<int64_t>(j.size()));
        else if (shape[depth] != static_cast<int64_t>(j.size()))
            ok = false;  // ragged
        for (const auto& e : j) flatten(e, depth + 1, shape, out, ok);
    } else if (j.is_number()) {
        out.push_back(j.get<float>());
    } else {
        ok = false;
    }
}

Expected<FloatArray> toArray(const fjson& j, size_t rank, const std::string& what) {
    FloatArray a;
    bool ok = true;
    flatten(j, 0, a.shape, a.data, ok);
    if (!ok || a.shape.size() != rank || a.data.size() != FloatArray::count(a.shape))
        return Status::error(what + " is not a " + std::to_string(rank) + "-dimensional array");
    return a;
}

fjson encodingJson(const Encoding& e) {
    fjson j;
    j["tokens"] = e.tokens;
    j["input_ids"] = e.inputIds;
    j["segment_ids"] = e.segmentIds;
    j["truncated"] = e.truncated;
    if (e.truncated) j["truncation_note"] = e.truncationNote;
    return j;
}

void addPrediction(fjson& j, const Prediction& p) {
    j["logits"] = p.logits;
    j["probs"] = p.probs;
    j["predicted"] = p.predicted;
    j["predicted_label"] = p.predictedLabel;
}

}  // namespace

std::string predictionToJson(const Encoding& input, const Prediction& p, const ModelConfig& c,
                             bool withAttention) {
    fjson j = encodingJson(input);
    addPrediction(j, p);
    j["labels"] = c.id2label;
    j["problem_type"] = c.problemTypeName();
    if (withAttention && !p.attention.empty()) j["attention"] = nested(p.attention);
    return j.dump() + "\n";
}

std::string resultToJson(const AttributionResult& r, const ModelConfig& c) {
    fjson j = encodingJson(r.encoding);
    j["format"] = "attrscope-result";
    j["format_version"] = 1;
    j["indexing"] = "0-based; arrays are [layer][head][query i][key j]";
    addPrediction(j, r.prediction);
    j["labels"] = c.id2label;
    j["target"] = r.target;
    j["target_label"] = r.targetLabel;
    j["model_config"] = {{"model_type", c.modelType},
                         {"problem_type", c.problemTypeName()},
                         {"num_layers", c.numLayers},
                         {"num_heads", c.numHeads},
                         {"hidden_size", c.hiddenSize},
                         {"vocab_size", c.vocabSize}};
    j["settings"] = {{"steps", r.options.steps},
                     {"rule", ruleName(r.options.rule)},
                     {"baseline", "zero"},
                     {"target", r.options.target},
                     {"device", r.device},
                     {"model", r.modelPath},
                     {"layers", r.options.layers}};
    j["attention"] = nested(r.prediction.attention);
    j["attribution"] = nested(r.attributionArray());
    fjson completeness = fjson::array(), steps = fjson::array(), alphas = fjson::array();
    fjson perLayer = fjson::array(), computed = fjson::array();
    for (int l = 0; l < r.numLayers; ++l) {
        const LayerAttribution* la = r.layer(l);
        if (!la) {
            completeness.push_back(nullptr);
            steps.push_back(nullptr);
            perLayer.push_back(nullptr);
            continue;
        }
        computed.push_back(l);
        completeness.push_back({{"sum_attr", la->completeness.sumAttr},
                                {"f_full", la->completeness.fFull},
                                {"f_zero", la->completeness.fZero},
                                {"steps", la->steps}});  // points used (adaptive varies)
        fjson sp = fjson::array();
        for (double v : la->stepProbs) sp.push_back(v);
        steps.push_back(sp);
        perLayer.push_back(la->seconds);
        if (alphas.empty())
            for (double a : la->alphas) alphas.push_back(a);
    }
    j["layers_computed"] = computed;
    j["completeness"] = completeness;
    j["step_probs"] = steps;
    j["alphas"] = alphas;
    j["timings"] = {{"clean_forward_s", r.timings.cleanForwardSeconds},
                    {"total_s", r.timings.totalSeconds},
                    {"per_layer_s", perLayer},
                    {"chunk_size", r.timings.chunkSize}};
    return j.dump() + "\n";
}

Expected<AttributionResult> resultFromJson(const std::string& text, const std::string& src) {
    fjson j = fjson::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::error(src + ": invalid JSON");
    // Files from a newer AttrScope may mean something else by the same keys.
    if (j.contains("format_version") && j["format_version"] != 1)
        return Status::error(src + ": format_version " + j["format_version"].dump() +
                             " is not supported (this AttrScope reads version 1)");
    try {
        AttributionResult r;
        r.encoding.tokens = j.at("tokens").get<std::vector<std::string>>();
        r.encoding.inputIds = json_numbers::intVector<int64_t>(j.at("input_ids"), "'input_ids'");
        r.encoding.segmentIds =
            json_numbers::intVector<int64_t>(j.at("segment_ids"), "'segment_ids'");
        r.encoding.truncated = j.value("truncated", false);
        int sepCount = 0;
        for (const auto& t : r.encoding.tokens) sepCount += (t == "[SEP]");
        r.encoding.isPair = sepCount >= 2;
        for (size_t i = 1; i < r.encoding.tokens.size() && r.encoding.tokens[i] != "[SEP]"; ++i)
            ++r.encoding.lengthA;
        r.prediction.logits = j.at("logits").get<std::vector<float>>();
        r.prediction.probs = j.at("probs").get<std::vector<float>>();
        r.prediction.predicted = json_numbers::toInt<int>(j.at("predicted"), "'predicted'");
        r.prediction.predictedLabel = j.value("predicted_label", std::string());
        r.target = json_numbers::intOr(j, "target", r.prediction.predicted);
        r.targetLabel = j.value("target_label", std::string());
        const auto& s = j.at("settings");
        r.options.steps = json_numbers::intOr(s, "steps", 20);
        r.options.rule = parseRule(s.value("rule", std::string("right"))).value_or(Rule::Right);
        r.options.target = s.value("target", std::string("predicted"));
        r.device = s.value("device", std::string("cpu"));
        r.modelPath = s.value("model", std::string());
        auto attention = toArray(j.at("attention"), 4, src + ": 'attention'");
        if (!attention) return attention.status();
        auto attribution = toArray(j.at("attribution"), 4, src + ": 'attribution'");
        if (!attribution) return attribution.status();
        const int64_t n = static_cast<int64_t>(r.encoding.tokens.size());
        if (attribution->dim(2) != n || attribution->dim(3) != n || attention->dim(2) != n ||
            attribution->shape != attention->shape)
            return Status::error(src + ": attention/attribution shapes do not match the " +
                                 std::to_string(n) + " tokens");
        r.prediction.attention = std::move(attention.value());
        r.numLayers = static_cast<int>(attribution->dim(0));
        r.numHeads = static_cast<int>(attribution->dim(1));
        std::vector<int> computed;
        if (j.contains("layers_computed"))
            computed = json_numbers::intVector<int>(j["layers_computed"], "'layers_computed'");
        else
            for (int l = 0; l < r.numLayers; ++l) computed.push_back(l);
        const auto& comp = j.value("completeness", fjson::array());
        const auto& steps = j.value("step_probs", fjson::array());
        for (int l : computed) {
            if (l < 0 || l >= r.numLayers) return Status::error(src + ": bad layers_computed");
            LayerAttribution la;
            la.layer = l;
            la.attribution = FloatArray({r.numHeads, n, n});
            std::copy(attribution->block({l}), attribution->block({l}) + la.attribution.data.size(),
                      la.attribution.data.begin());
            if (comp.is_array() && static_cast<int>(comp.size()) > l && comp[l].is_object()) {
                la.completeness.sumAttr = comp[l].value("sum_attr", 0.0f);
                la.completeness.fFull = comp[l].value("f_full", 0.0f);
                la.completeness.fZero = comp[l].value("f_zero", 0.0f);
                la.steps = json_numbers::intOr(comp[l], "steps", r.options.steps);
            }
            if (steps.is_array() && static_cast<int>(steps.size()) > l && steps[l].is_array())
                for (const auto& v : steps[l]) la.stepProbs.push_back(v.get<float>());
            r.layers.push_back(std::move(la));
        }
        r.options.layers = computed;
        return r;
    } catch (const std::exception& e) {
        return Status::error(src + ": not an AttrScope result file (" + e.what() + ")");
    }
}

Expected<AttributionResult> readResultFile(const std::string& path) {
    auto text = readFile(path, "result file");
    if (!text) return text.status();
    return resultFromJson(*text, path);
}

Status writeOfficialJsonl(const AttributionResult& r, const std::string& dir, int index) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (!isDirectory(dir)) return Status::error(dir + ": cannot create folder");
    auto write = [&](const FloatArray& all, const std::string& name) {
        std::string out;
        for (int64_t l = 0; l < all.dim(0); ++l) {
            FloatArray layer({all.dim(1), all.dim(2), all.dim(3)});
            std::copy(all.block({l}), all.block({l}) + layer.data.size(), layer.data.begin());
            out += nested(layer).dump() + "\n";
        }
        return writeFileAtomically(joinPath(dir, name), out);
    };
    const std::string suffix = "_zero_base_exp" + std::to_string(index) + ".json";
    if (auto s = write(r.attributionArray(), "attr" + suffix); !s) return s;
    return write(r.prediction.attention, "att_score" + suffix);
}

Expected<FloatArray> readOfficialJsonl(const std::string& path) {
    auto text = readFile(path, "JSONL attribution file");
    if (!text) return text.status();
    std::istringstream in(*text);
    std::string line;
    std::vector<FloatArray> layers;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line == "\r") continue;
        fjson j = fjson::parse(line, nullptr, false);
        if (j.is_discarded())
            return Status::error(path + " line " + std::to_string(lineNo) + ": invalid JSON");
        auto a = toArray(j, 3, path + " line " + std::to_string(lineNo));
        if (!a) return a.status();
        if (!layers.empty() && a->shape != layers.front().shape)
            return Status::error(path + " line " + std::to_string(lineNo) +
                                 ": shape differs from the first layer");
        layers.push_back(std::move(a.value()));
    }
    if (layers.empty()) return Status::error(path + ": no layers");
    const auto& s = layers.front().shape;
    FloatArray all({static_cast<int64_t>(layers.size()), s[0], s[1], s[2]});
    for (size_t l = 0; l < layers.size(); ++l)
        std::copy(layers[l].data.begin(), layers[l].data.end(),
                  all.block({static_cast<int64_t>(l)}));
    return all;
}

std::string resultTitle(const AttributionResult& r) {
    std::string text;
    for (const auto& t : r.encoding.tokens)
        text += (text.empty() ? "" : " ") + t;
    if (text.size() > 90)
        text = text.substr(0, 87) + "...";
    return "target " + r.targetLabel + " | " + ruleName(r.options.rule) +
           ", m=" + std::to_string(r.options.steps) + " | " + text;
}

}  // namespace attrscope
