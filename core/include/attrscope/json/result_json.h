#pragma once
// JSON forms of predictions and attribution results (architecture.md "Result JSON"), and the
// official scripts' one-line-per-layer JSONL files. Arrays are nested lists, 0-based, row = query.

#include <string>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"

namespace attrscope {

std::string predictionToJson(const Encoding& input, const Prediction& prediction,
                             const ModelConfig& config, bool withAttention = true);
std::string resultToJson(const AttributionResult& result, const ModelConfig& config);
// Reads what resultToJson wrote (the fields needed to rebuild views and trees).
Expected<AttributionResult> resultFromJson(const std::string& text, const std::string& source);
Expected<AttributionResult> readResultFile(const std::string& path);

// The official layout: one JSON line per layer, each [head][i][j]. Writes
// attr_zero_base_exp{index}.json (attribution) and att_score_zero_base_exp{index}.json
// (attention) into dir. Layers not computed are written as zeros.
// One line naming a result: target, rule, m and the tokens (cut at 90 characters). The title of
// its tree in every export (CLI, GUI, Python).
std::string resultTitle(const AttributionResult& result);

Status writeOfficialJsonl(const AttributionResult& result, const std::string& dir, int index = 0);
// Reads one official JSONL file into [L][H][n][n].
Expected<FloatArray> readOfficialJsonl(const std::string& path);

}  // namespace attrscope
