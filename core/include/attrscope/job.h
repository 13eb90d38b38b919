#pragma once
// The one shape of every long job in core (attribution, dataset studies, training):
//   Expected<Value> job(inputs, options, const JobContext& job [, listener for partial values])
// Progress arrives on the computing thread at least once per unit of work (a chunk of steps, an
// example, an evaluation, a batch); a cancel is honoured after the current unit. A cancelled
// job returns Status::cancelled() or, where it says so, its partial value (`complete == false`),
// which most jobs accept back to continue.

#include <atomic>
#include <chrono>
#include <string>

namespace attrscope {

struct JobProgress {
    std::string stage;      // e.g. "layer 3", "attribution importance", "epoch 2/5"
    int stageIndex = 0;     // 0-based index of the stage among stageCount
    int stageCount = 1;
    int done = 0;           // units of the current stage done (steps, examples, evaluations)
    int total = 0;
    double fraction = 0.0;  // of the whole job, in [0, 1]
    double elapsedSeconds = 0.0;
    double etaSeconds = -1.0;  // unknown until the first unit finishes
    bool partial = false;      // a usable partial value exists (finished layers, examples)
    int layer = -1;            // attribution: the layer being computed
};

class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void onProgress(const JobProgress& progress) {}
};

class CancelToken {
public:
    void cancel() { flag_.store(true, std::memory_order_relaxed); }
    void reset() { flag_.store(false, std::memory_order_relaxed); }
    bool isCancelled() const { return flag_.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> flag_{false};
};

struct JobContext {
    ProgressSink* progress = nullptr;
    const CancelToken* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->isCancelled(); }
    void report(const JobProgress& p) const {
        if (progress)
            progress->onProgress(p);
    }
};

// Elapsed time and ETA for one stage of a job: report(done) fills the progress and calls the
// sink. `first` stages of `count` set the overall fraction (each stage weighs the same).
class StageProgress {
public:
    StageProgress(const JobContext& job, std::string stage, int total, int done = 0,
                  int stageIndex = 0, int stageCount = 1)
        : job_(job), t0_(Clock::now()), startDone_(done) {
        p_.stage = std::move(stage);
        p_.total = total;
        p_.done = done;
        p_.stageIndex = stageIndex;
        p_.stageCount = stageCount < 1 ? 1 : stageCount;
    }
    void report(int done) {
        p_.done = done;
        if (!job_.progress)
            return;
        const double stageFraction = p_.total > 0 ? double(done) / p_.total : 1.0;
        p_.fraction = (p_.stageIndex + stageFraction) / p_.stageCount;
        p_.elapsedSeconds = elapsed();
        const int doneHere = done - startDone_;
        p_.etaSeconds =
            doneHere > 0 ? p_.elapsedSeconds / doneHere * double(p_.total - done) : -1.0;
        p_.partial = done > 0;
        job_.report(p_);
    }
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }

private:
    using Clock = std::chrono::steady_clock;
    JobContext job_;
    Clock::time_point t0_;
    int startDone_;
    JobProgress p_;
};

}  // namespace attrscope
