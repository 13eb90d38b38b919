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

// The files above read back into the values they were written from (analysis_json_read.cpp):
// a session keeps the Dataset tab's studies in these formats. `source` names the text in
// errors; `analysisSource`, when given, receives the file's source block.
Expected<HeadImportanceReport> headImportanceFromJson(const std::string& text,
                                                      const std::string& source);
Expected<PruneReport> pruneReportFromJson(const std::string& text, const std::string& source);
Expected<TriggerMining> triggerMiningFromJson(const std::string& text, const std::string& source,
                                              AnalysisSource* analysisSource = nullptr);
Expected<TriggerEvaluation> triggerEvaluationFromJson(const std::string& text,
                                                      const std::string& source,
                                                      AnalysisSource* analysisSource = nullptr);

}  // namespace attrscope
