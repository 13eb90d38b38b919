#pragma once
// `.attrscope` session files: the model (path and a hash of its weights file), the input, run
// settings, an opaque view-state object owned by the UI, the computed result and (version 2) the
// dataset studies, so that a session reopens with the same figures without recomputing. Plain
// C++ (no torch, no Qt).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/status.h"

namespace attrscope {

// 64-bit FNV-1a over the file's bytes, as 16 lowercase hex digits. Not cryptographic: it only
// tells whether the weights changed since the session was saved.
Expected<std::string> hashFileFnv1a(const std::string& path);
std::string fnv1aHex(const std::string& bytes);

struct Session {
    std::string modelPath;    // checkpoint folder ("" for a random/unsaved model)
    std::string weightsFile;  // the weights file the hash covers
    std::string weightsHash;  // hashFileFnv1a(weightsFile)
    std::string textA, textB;
    std::vector<std::string> labels;  // id2label of the model the result came from
    std::string viewJson = "{}";      // UI view state (a JSON object, written as is)
    // The Dataset tab's studies and options (a JSON object the UI composes from the dataset
    // analysis files, written as is); "" = none, as in version-1 files.
    std::string datasetJson;
    std::optional<AttributionResult> result;
};

enum class SessionModelState {
    NoModel,  // the session names no model file
    Same,     // file present, hash matches
    Changed,  // file present, hash differs
    Missing,  // file gone
};
SessionModelState checkSessionModel(const Session& session);

std::string sessionToJson(const Session& session);
Expected<Session> sessionFromJson(const std::string& text, const std::string& source);
// Atomic (temporary file + rename).
Status writeSession(const Session& session, const std::string& path);
Expected<Session> readSession(const std::string& path);

}  // namespace attrscope
