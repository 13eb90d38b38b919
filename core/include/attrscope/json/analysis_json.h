#pragma once
// JSON files of the dataset analyses (attrscope-cli heads / prune / triggers, GUI exports).
// Head lists are flat and layer-major (index = layer·H + head, 0-based, bottom layer first), the
// layout of the golden head_importance.json. Every file says what its numbers mean.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/analysis/studies.h"

namespace attrscope {

std::string headImportanceToJson(const HeadImportanceReport& report);

// What `prune` needs from a heads file, and enough of it to resume the attribution pass.
struct ImportanceFile {
    int numLayers = 0, numHeads = 0;
    // ranking name → flat importance (larger = more important): "attribution", "attention",
    // "taylor" (the logit-sum variant, or the loss one when only that exists), "taylor-loss",
    // "accuracy".
    std::map<std::string, std::vector<double>> rankings;
    std::optional<HeadImportance> attribution;  // partial state (sums, count, per-example)
};
Expected<ImportanceFile> readImportanceFile(const std::string& path);

std::string pruneReportToJson(const PruneReport& report);

std::string triggerMiningToJson(const TriggerMining& mining, const AnalysisSource& source,
                                const std::vector<std::string>& classNames);
// Reads our mining file or an official *_adver_pattern_exp*.json list.
Expected<std::vector<TriggerRecord>> readTriggerRecords(const std::string& path);

std::string triggerEvaluationToJson(const TriggerEvaluation& evaluation,
                                    const std::vector<TriggerRecord>& records,
                                    const AnalysisSource& source, int strongest = 10);

}  // namespace attrscope
