#pragma once
// Progress on stderr for long CLI jobs: one line rewritten in place, at most a few times a
// second. StderrProgress prints core's JobProgress; TrainPrinter adds training's step and epoch
// lines.

#include <chrono>
#include <string>

#include "attrscope/job.h"
#include "attrscope/train/trainer.h"

namespace attrscope::cli {

class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : enabled_(enabled) {}
    ~ProgressLine() { finish(); }
    void line(const std::string& text, bool force = false);
    void finish();
    bool enabled() const { return enabled_; }

private:
    bool enabled_;
    bool dirty_ = false;
    std::chrono::steady_clock::time_point last_{};
};

class StderrProgress : public ProgressSink {
public:
    explicit StderrProgress(bool enabled) : line_(enabled) {}
    void onProgress(const JobProgress& p) override;
    void finish() { line_.finish(); }
    JobContext context(const CancelToken* cancel = nullptr) { return {this, cancel}; }

private:
    ProgressLine line_;
};

class TrainPrinter : public TrainListener {
public:
    // accuracyName: what the accuracy columns measure ("acc", "masked acc").
    TrainPrinter(bool enabled, std::string accuracyName = "acc")
        : line_(enabled), accuracyName_(std::move(accuracyName)) {}
    void onStep(const TrainProgress& p) override;
    void onEpoch(const EpochReport& e) override;
    void onMessage(const std::string& m) override;
    void finish() { line_.finish(); }

private:
    ProgressLine line_;
    std::string accuracyName_;
};

}  // namespace attrscope::cli
