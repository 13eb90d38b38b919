#include "train_printer.h"

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

void TrainPrinter::onProgress(const TrainProgress& p) {
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
    if (!enabled_)
        return;
    std::fprintf(stderr, "epoch %d: train loss %.4f, train %s %.4f, held-out %s %s (%.0fs)\n",
                 e.epoch, e.trainLoss, accuracyName_.c_str(), e.trainAccuracy,
                 accuracyName_.c_str(),
                 e.evalAccuracy < 0 ? "-" : std::to_string(e.evalAccuracy).c_str(), e.seconds);
}

void TrainPrinter::onMessage(const std::string& m) {
    line_.finish();
    if (enabled_)
        std::fprintf(stderr, "%s\n", m.c_str());
}

}  // namespace attrscope::cli
