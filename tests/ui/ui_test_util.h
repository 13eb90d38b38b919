#pragma once
// Shared helpers for the GUI tests: random models of two sizes, synthetic mouse events, and an
// event-loop stall meter.

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QPoint>
#include <QSizeF>
#include <QStringList>
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

// An exported SVG read back: <rect>s (by "w x h" and by their group's fill), <image>s and the
// text of every <text>.
struct SvgStats {
    int rects = 0, images = 0;
    QMap<QString, int> rectSizes;  // "w x h" → count
    QStringList texts;
    QStringList fills;            // fill of each <rect>'s group, in order
    QMap<QString, int> elements;  // element name → count
    bool error = false;
};
SvgStats readSvg(const QString& path);
// stdout of a program (empty when it did not finish in 30 s).
QString run(const QString& program, const QStringList& args);
// poppler's pdfinfo, pdffonts and pdftotext are on the PATH.
bool havePoppler();
// What poppler says about a PDF: the first page's size in points, whether every font is
// embedded (and there is at least one), and the text.
struct PdfStats {
    QSizeF page;
    bool fontsEmbedded = false;
    QString fontList, text;
};
PdfStats readPdf(const QString& path);

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
