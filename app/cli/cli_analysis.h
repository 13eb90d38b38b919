#pragma once
// The dataset-analysis subcommands (heads, prune, triggers mine|evaluate). Each class registers
// its options on the app; main.cpp constructs them and calls run() for the parsed one.
// Ctrl-C during a run stops it after the current unit of work and still writes the partial
// result (marked "complete": false); `heads --resume FILE` continues such a run.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "attrscope/json/analysis_json.h"
#include "attrscope/data/dataset.h"
#include "attrscope/analysis/dataset_job.h"
#include "attrscope/model/model.h"
#include "cli_progress.h"

namespace attrscope::cli {

struct AnalysisData {
    std::string path;
    std::string format;
    std::string split;
    int limit = 0;
};

struct AnalysisModel {
    std::string dir;
    std::string device = "cpu";
    int maxLength = 0;
};

// --model/--device/--max-length and --data/--format/--split[/--limit].
void addModelOptions(CLI::App* cmd, AnalysisModel& m);
void addDataOptions(CLI::App* cmd, AnalysisData& d, bool withLimit = true);

int analysisFail(const std::string& message);
Expected<std::shared_ptr<Model>> openAnalysisModel(const AnalysisModel& m);
// Loads the dataset and encodes it for the model (labels mapped to the model's classes).
Expected<LabelledInputs> loadAnalysisInputs(const Model& model, const AnalysisData& d,
                                            int maxLength);
AnalysisSource analysisSource(const AnalysisModel& m, const AnalysisData& d, const Model& model);
Status writeJson(const std::string& path, const std::string& text);
// "a,b,,c" → {"a", "b", "c"}: the comma-separated option values.
std::vector<std::string> splitList(const std::string& text);

// Ctrl-C cancels this token (once installed) instead of killing the process.
CancelToken& interruptToken();
void installInterruptHandler();

// One progress line on stderr per dataset job.
class DatasetStderrProgress : public DatasetProgressSink {
public:
    explicit DatasetStderrProgress(bool enabled) : line_(enabled) {}
    void onProgress(const DatasetProgress& p) override;
    void finish() { line_.finish(); }

private:
    StderrProgress line_;
};

class HeadsCommand {
public:
    explicit HeadsCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run(bool quiet);

private:
    CLI::App* cmd_;
    AnalysisModel model_;
    AnalysisData data_;
    int examples_ = 200;
    int steps_ = 20;
    std::string rule_ = "left";
    std::string baselines_ = "attention,taylor";
    int taylorBatch_ = 32;
    int accuracyExamples_ = -1;
    int batchSize_ = 64;
    bool noAttribution_ = false;
    bool perExample_ = false;
    std::string resume_;
    std::string out_;
};

class PruneCommand {
public:
    explicit PruneCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run(bool quiet);

private:
    CLI::App* cmd_;
    AnalysisModel model_;
    AnalysisData data_;
    std::string rankings_ = "attribution,attention,taylor,random";
    std::string mode_ = "global";
    std::string perLayerRankings_ = "attribution,attention";
    std::string importance_;
    int importanceExamples_ = 200;
    int steps_ = 20;
    std::string rule_ = "left";
    uint64_t seed_ = 1;
    int numSeeds_ = 5;
    std::string rates_;
    int batchSize_ = 64;
    bool predictions_ = false;
    std::string out_;
};

class TriggersCommand {
public:
    explicit TriggersCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run(bool quiet);

private:
    int runMine(bool quiet);
    int runEvaluate(bool quiet);
    CLI::App* cmd_;
    CLI::App* mine_;
    CLI::App* evaluate_;
    AnalysisModel mineModel_, evalModel_;
    AnalysisData mineData_, evalData_;
    int start_ = 0;
    int examples_ = 500;
    int steps_ = 64;
    std::string rule_ = "left";
    int minTokens_ = 0;
    std::string mineOut_;
    std::string patterns_;
    double threshold_ = 0.02;
    bool all_ = false;
    int maxPatterns_ = 0;
    int top_ = 10;
    int batchSize_ = 64;
    std::string evalOut_;
};

}  // namespace attrscope::cli
