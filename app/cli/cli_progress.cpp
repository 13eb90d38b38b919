#include "cli_progress.h"

#include <cstdio>

namespace attrscope::cli {

void StderrProgress::onProgress(const AttributionProgress& p) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "layer %d (%d/%d done), step %d/%d, %3.0f%%, eta %s", p.layer,
                  p.layersDone, p.layersTotal, p.stepsDone, p.stepsTotal, 100.0 * p.fraction,
                  p.etaSeconds < 0 ? "?" : (std::to_string(int(p.etaSeconds + 0.5)) + "s").c_str());
    line(buf, p.fraction >= 1.0);
}

void StderrProgress::line(const std::string& text, bool force) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::fprintf(stderr, "\r\033[K%s", text.c_str());
    std::fflush(stderr);
    dirty_ = true;
}

void StderrProgress::finish() {
    if (enabled_ && dirty_) std::fprintf(stderr, "\n");
    dirty_ = false;
}

}  // namespace attrscope::cli
