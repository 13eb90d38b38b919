#pragma once
// Rate limit for progress reports sent from a worker to the GUI thread: at most ~20 a second,
// enough for a smooth bar and never a flood of queued events. The first report after a reset and
// a forced one (e.g. a stage's last) always go out.

#include <chrono>

namespace attrscope::ui {

class ProgressThrottle {
public:
    bool due(bool force = false) {
        const auto now = std::chrono::steady_clock::now();
        if (m_sent && !force && now - m_last < kInterval)
            return false;
        m_sent = true;
        m_last = now;
        return true;
    }
    void reset() { m_sent = false; }

private:
    static constexpr std::chrono::milliseconds kInterval{50};
    bool m_sent = false;
    std::chrono::steady_clock::time_point m_last;
};

}  // namespace attrscope::ui
