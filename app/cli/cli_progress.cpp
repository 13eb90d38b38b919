#include "cli_progress.h"

#include <cstdio>

namespace attrscope::cli {

namespace {

std::string duration(double s) {
    if (s < 0)
        return "?";
    char buf[32];
    const int t = static_cast<int>(s + 0.5);
    std::snprintf(buf, sizeof buf, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    return buf;
}

}  // namespace

void ProgressLine::line(const std::string& text, bool force) {
    if (!enabled_)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200))
        return;
    last_ = now;
    std::fprintf(stderr, "\r\033[K%s", text.c_str());
    std::fflush(stderr);
    dirty_ = true;
}

void ProgressLine::finish() {
    if (enabled_ && dirty_)
        std::fprintf(stderr, "\n");
    dirty_ = false;
}

void StderrProgress::onProgress(const JobProgress& p) {
    char buf[240];
    std::snprintf(buf, sizeof buf, "%s: %d/%d%s, %3.0f%% of the job, %s elapsed, eta %s",
                  p.stage.c_str(), p.done, p.total,
                  p.stageCount > 1 ? (" (stage " + std::to_string(p.stageIndex + 1) + "/" +
                                      std::to_string(p.stageCount) + ")")
                                         .c_str()
                                   : "",
                  100.0 * p.fraction, duration(p.elapsedSeconds).c_str(),
                  duration(p.etaSeconds).c_str());
    line_.line(buf, p.fraction >= 1.0);
}

void TrainPrinter::onStep(const TrainProgress& p) {
    char buf[220];
    std::snprintf(buf, sizeof buf,
                  "epoch %d/%d  step %lld/%lld  loss %.4f  %s %.3f  lr %.2e  elapsed %s  eta %s",
                  p.epoch, p.epochs, static_cast<long long>(p.step),
                  static_cast<long long>(p.totalSteps), p.loss, accuracyName_.c_str(), p.accuracy,
                  p.learningRate, duration(p.elapsedSeconds).c_str(),
                  duration(p.etaSeconds).c_str());
    line_.line(buf);
}

void TrainPrinter::onEpoch(const EpochReport& e) {
    line_.finish();
    if (!line_.enabled())
        return;
    std::fprintf(stderr, "epoch %d: train loss %.4f, train %s %.4f, held-out %s %s (%.0fs)\n",
                 e.epoch, e.trainLoss, accuracyName_.c_str(), e.trainAccuracy,
                 accuracyName_.c_str(),
                 e.evalAccuracy < 0 ? "-" : std::to_string(e.evalAccuracy).c_str(), e.seconds);
}

void TrainPrinter::onMessage(const std::string& m) {
    line_.finish();
    if (line_.enabled())
        std::fprintf(stderr, "%s\n", m.c_str());
}

}  // namespace attrscope::cli
