#pragma once
// Progress on stderr for long CLI jobs: one line rewritten in place, at most a few times a second.

#include <chrono>
#include <string>

#include "attrscope/attribution/attribution.h"

namespace attrscope::cli {

class StderrProgress : public ProgressSink {
public:
    explicit StderrProgress(bool enabled) : enabled_(enabled) {}
    ~StderrProgress() override { finish(); }
    void onProgress(const AttributionProgress& p) override;
    void line(const std::string& text, bool force = false);
    void finish();

private:
    bool enabled_;
    bool dirty_ = false;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace attrscope::cli
