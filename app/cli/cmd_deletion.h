#pragma once
// attrscope-cli deletion: faithfulness by attention knockout, for one input (--text-a) or over
// a dataset (--data), as JSON.

#include <CLI/CLI.hpp>
#include <string>

#include "cli_analysis.h"

namespace attrscope::cli {

class DeletionCommand {
public:
    explicit DeletionCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run(bool quiet);

private:
    CLI::App* cmd_;
    AnalysisModel model_;
    AnalysisData data_;
    std::string textA_, textB_;
    bool hasTextB_ = false;
    int examples_ = 200;
    std::string methods_ = "attattr,attention,rollout,grad-attention,random";
    int maxK_ = 1024;
    int randomRankings_ = 10;
    uint64_t seed_ = 1;
    int steps_ = 20;
    std::string rule_ = "right";
    std::string out_;
};

}  // namespace attrscope::cli
