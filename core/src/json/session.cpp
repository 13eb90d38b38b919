#include "attrscope/json/session.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

#include "attrscope/json/result_json.h"
#include "attrscope/model/model_config.h"
#include "io/file_util.h"
#include "json/json_numbers.h"

namespace attrscope {

namespace {
using json = nlohmann::json;
constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;
constexpr int kSessionVersion = 2;  // 2: the "dataset" section

std::string hex64(uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

void mix(uint64_t& h, const char* data, size_t n) {
    for (size_t k = 0; k < n; ++k) {
        h ^= static_cast<unsigned char>(data[k]);
        h *= kFnvPrime;
    }
}
}  // namespace

std::string fnv1aHex(const std::string& bytes) {
    uint64_t h = kFnvOffset;
    mix(h, bytes.data(), bytes.size());
    return hex64(h);
}

Expected<std::string> hashFileFnv1a(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::error(path + ": cannot open the file to hash it");
    uint64_t h = kFnvOffset;
    std::vector<char> buf(1 << 20);
    // Streamed: weights files can be hundreds of MB.
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        mix(h, buf.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad())
        return Status::error(path + ": read error while hashing");
    return hex64(h);
}

SessionModelState checkSessionModel(const Session& s) {
    if (s.weightsFile.empty() || s.weightsHash.empty())
        return SessionModelState::NoModel;
    if (!fileExists(s.weightsFile))
        return SessionModelState::Missing;
    auto h = hashFileFnv1a(s.weightsFile);
    if (!h)
        return SessionModelState::Missing;
    return h.value() == s.weightsHash ? SessionModelState::Same : SessionModelState::Changed;
}

std::string sessionToJson(const Session& s) {
    json j;
    j["format"] = "attrscope-session";
    j["format_version"] = kSessionVersion;
    j["model"] = {{"path", s.modelPath},
                  {"weights_file", s.weightsFile},
                  {"weights_hash_fnv1a64", s.weightsHash}};
    j["input"] = {{"text_a", s.textA}, {"text_b", s.textB}};
    j["labels"] = s.labels;
    json view = json::parse(s.viewJson, nullptr, false);
    j["view"] = view.is_object() ? view : json::object();
    if (!s.datasetJson.empty()) {
        json dataset = json::parse(s.datasetJson, nullptr, false);
        if (dataset.is_object())
            j["dataset"] = dataset;
    }
    if (s.result) {
        ModelConfig config;
        config.numLayers = s.result->numLayers;
        config.numHeads = s.result->numHeads;
        config.id2label = s.labels;
        j["result"] = json::parse(resultToJson(*s.result, config));
    } else {
        j["result"] = nullptr;
    }
    return j.dump(1) + "\n";
}

Expected<Session> sessionFromJson(const std::string& text, const std::string& source) {
    json j = json::parse(text, nullptr, false);
    // Checked by type first: value() throws on a "format" that is not a string (found by
    // fuzz_result_json), and this check sits outside the try below.
    if (j.is_discarded() || !j.is_object() || !j.contains("format") || !j["format"].is_string() ||
        j["format"].get<std::string>() != "attrscope-session")
        return Status::error(source + ": not an AttrScope session file");
    try {
        if (json_numbers::intOr(j, "format_version", 1) > kSessionVersion)
            return Status::error(source + ": session format version " + j["format_version"].dump() +
                                 " is newer than this AttrScope reads");
        Session s;
        const auto& m = j.at("model");
        s.modelPath = m.value("path", "");
        s.weightsFile = m.value("weights_file", "");
        s.weightsHash = m.value("weights_hash_fnv1a64", "");
        const auto& in = j.at("input");
        s.textA = in.value("text_a", "");
        s.textB = in.value("text_b", "");
        s.labels = j.value("labels", std::vector<std::string>());
        s.viewJson = j.value("view", json::object()).dump();
        if (j.contains("dataset") && j["dataset"].is_object())
            s.datasetJson = j["dataset"].dump();
        if (j.contains("result") && j["result"].is_object()) {
            auto r = resultFromJson(j["result"].dump(), source + ": result");
            if (!r)
                return r.status();
            s.result = std::move(r.value());
        }
        return s;
    } catch (const std::exception& e) {
        return Status::error(source + ": " + e.what());
    }
}

Status writeSession(const Session& session, const std::string& path) {
    return writeFileAtomically(path, sessionToJson(session));
}

Expected<Session> readSession(const std::string& path) {
    auto text = readFile(path, "session file");
    if (!text)
        return text.status();
    return sessionFromJson(text.value(), path);
}

}  // namespace attrscope
