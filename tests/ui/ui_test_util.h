#pragma once
// Shared helpers for the GUI tests: random models of two sizes, synthetic mouse events, and an
// event-loop stall meter.

#include <QElapsedTimer>
#include <QObject>
#include <QPoint>
#include <QTimer>
#include <memory>
#include <string>
#include <vector>

#include "attrscope/model/model.h"

class QWidget;

namespace attrscope::ui::test {

// 3 layers, hidden 32, 2 heads, 3 NLI labels: fast enough for any number of runs.
std::shared_ptr<attrscope::Model> tinyModel(int layers = 3);
// Like tinyModel(2) with other class labels (e.g. {"negative", "positive"} for sentiment).
std::shared_ptr<attrscope::Model> tinyModelWithLabels(const std::vector<std::string>& labels);
// bert-base-sized: 12 layers × 768 hidden × 12 heads, 3072 intermediate.
std::shared_ptr<attrscope::Model> bertBaseModel();
// A sentence the synthetic vocabulary splits into about `pieces` word pieces (whole words).
QString longSentence(int pieces);

// Sends a mouse move straight to `widget` (no window-system routing, so it works offscreen).
void moveMouse(QWidget* widget, const QPoint& pos);

// Ticks every few ms on the GUI thread and records the longest gap between ticks.
class StallMeter : public QObject {
    Q_OBJECT
public:
    explicit StallMeter(int intervalMs = 5);
    void start();
    void stop();
    qint64 maxGapMs() const { return m_maxGap; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
    int m_ticks = 0;
};

}  // namespace attrscope::ui::test
