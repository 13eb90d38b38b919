#pragma once
// Training progress on stderr for `train` and `pretrain`: a live step line and one line per epoch.

#include <string>

#include "attrscope/train/trainer.h"
#include "cli_progress.h"

namespace attrscope::cli {

class TrainPrinter : public TrainProgressSink {
public:
    // accuracyName: what the accuracy columns measure ("acc", "masked acc").
    TrainPrinter(bool enabled, std::string accuracyName = "acc")
        : line_(enabled), enabled_(enabled), accuracyName_(std::move(accuracyName)) {}
    void onProgress(const TrainProgress& p) override;
    void onEpoch(const EpochReport& e) override;
    void onMessage(const std::string& m) override;
    void finish() { line_.finish(); }

private:
    StderrProgress line_;
    bool enabled_;
    std::string accuracyName_;
};

}  // namespace attrscope::cli
