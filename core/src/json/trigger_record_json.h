#pragma once
// One trigger pattern record from its JSON object (the pattern file written by the CLI and kept
// in sessions); shared by readTriggerRecords and triggerMiningFromJson.

#include <nlohmann/json.hpp>

#include "attrscope/analysis/triggers.h"

namespace attrscope {

// Throws nlohmann::json exceptions on a missing or mistyped field; index is the record's
// position, the default example index.
TriggerRecord triggerRecordFromJson(const nlohmann::json& e, int index);

}  // namespace attrscope
