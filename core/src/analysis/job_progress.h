#pragma once
// Progress bookkeeping shared by the dataset jobs: elapsed time, ETA, and the sink call.

#include <chrono>
#include <string>

#include "attrscope/analysis/dataset_job.h"

namespace attrscope {

class JobProgress {
public:
    JobProgress(DatasetProgressSink* sink, std::string stage, int total, int done = 0)
        : sink_(sink), t0_(Clock::now()), startDone_(done) {
        p_.stage = std::move(stage);
        p_.total = total;
        p_.done = done;
    }
    void report(int done) {
        p_.done = done;
        if (!sink_)
            return;
        p_.fraction = p_.total > 0 ? double(done) / p_.total : 1.0;
        p_.elapsedSeconds = elapsed();
        const int doneHere = done - startDone_;
        p_.etaSeconds =
            doneHere > 0 ? p_.elapsedSeconds / doneHere * double(p_.total - done) : -1.0;
        sink_->onProgress(p_);
    }
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }

private:
    using Clock = std::chrono::steady_clock;
    DatasetProgressSink* sink_;
    Clock::time_point t0_;
    int startDone_;
    DatasetProgress p_;
};

}  // namespace attrscope
