#include "figure/bar_figure.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "figure/color_scale.h"
#include "figure/vector_page.h"

namespace attrscope::ui {

namespace {
QString tickText(double v) {
    QString s = QString::fromStdString(formatTick(v));
    s.replace(QLatin1Char('-'), QChar(0x2212));
    return s;
}
}  // namespace

std::vector<double> niceTicks(double lo, double hi, int count) {
    std::vector<double> out;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return out;
    const double raw = (hi - lo) / std::max(1, count);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = f * mag;
        if (step >= raw)
            break;
    }
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}

BarFigure::BarFigure(BarChart chart, QStringList caption, FigureOptions options)
    : m_chart(std::move(chart)), m_caption(std::move(caption)), m_options(options) {
    layout();
}

int BarFigure::barCount() const {
    int n = 0;
    for (const BarSeries& s : m_chart.series)
        for (double v : s.values)
            n += std::isfinite(v) ? 1 : 0;
    return n;
}

int BarFigure::rectCount() const {
    return 1 + barCount();
}

BarFigure::Axis BarFigure::makeAxis(bool right) const {
    Axis a;
    double lo = 0.0, hi = 0.0;
    for (const BarSeries& s : m_chart.series) {
        if (s.rightAxis != right)
            continue;
        for (double v : s.values) {
            if (!std::isfinite(v))
                continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!(hi > lo))
        hi = lo + 1.0;
    a.ticks = niceTicks(lo, hi, 4);
    // The axis ends on a tick: bars never reach past the last labelled value.
    a.lo = std::min(lo, a.ticks.empty() ? lo : a.ticks.front());
    a.hi = a.ticks.empty() ? hi : std::max(hi, a.ticks.back());
    if (!a.ticks.empty() && a.ticks.back() < hi) {
        const double step = a.ticks.size() > 1 ? a.ticks[1] - a.ticks[0] : hi;
        a.ticks.push_back(a.ticks.back() + step);
        a.hi = a.ticks.back();
    }
    const QFont small = figureFont(m_smallPt);
    for (double t : a.ticks)
        a.labelWidth = std::max(a.labelWidth, textWidth(small, tickText(t)));
    return a;
}

void BarFigure::layout() {
    const double font = m_options.fontPt;
    const double width = m_options.widthFor(1);
    m_margin = 0.5 * font;
    m_smallPt = std::max(3.0, 0.85 * font);
    const QFont titleFont = figureFont(font, true), small = figureFont(m_smallPt);
    const QFont label = figureFont(font), note = figureFont(m_smallPt, false, true);
    m_hasRight = std::any_of(m_chart.series.begin(), m_chart.series.end(),
                             [](const BarSeries& s) { return s.rightAxis; });
    m_left = makeAxis(false);
    if (m_hasRight)
        m_right = makeAxis(true);
    const double inner = width - 2 * m_margin;
    m_titleLines = wrapText(m_chart.title, titleFont, inner);

    // Legend: swatch + name items on one line (wrapped when they do not fit).
    m_legendHeight = m_chart.series.size() > 1 ? lineHeight(small) + 0.3 * font : 0.0;

    // Axis label (rotated) + tick labels on each side.
    const double axisLabel = lineHeight(label);
    m_plotLeft = m_margin + axisLabel + m_left.labelWidth + 0.6 * m_smallPt;
    m_plotRight = width - m_margin -
                  (m_hasRight ? axisLabel + m_right.labelWidth + 0.6 * m_smallPt : 0.5 * font);
    const int n = std::max<int>(1, int(m_chart.categories.size()));
    const double pitch = (m_plotRight - m_plotLeft) / n;
    double widest = 0;
    for (const QString& c : m_chart.categories)
        widest = std::max(widest, textWidth(small, c));
    m_rotateCategories = widest > 0.9 * pitch;
    m_categoryHeight =
        (m_rotateCategories ? widest : lineHeight(small)) + 0.4 * m_smallPt;  // tick + gap
    m_plotHeight = std::max(6.0 * font, 0.45 * (m_plotRight - m_plotLeft));
    m_xLabelLines = wrapText(m_chart.xLabel, label, inner);
    m_noteLines = m_chart.note.isEmpty() ? QStringList() : wrapText(m_chart.note, note, inner);

    double y = m_margin + m_titleLines.size() * lineHeight(titleFont) + 0.3 * font;
    y += m_legendHeight;
    m_plotTop = y + 0.8 * m_smallPt;  // room for the top tick label
    y = m_plotTop + m_plotHeight + m_categoryHeight + m_xLabelLines.size() * lineHeight(label);
    if (!m_noteLines.isEmpty())
        y += 0.4 * m_smallPt + m_noteLines.size() * lineHeight(note);
    m_captionLines.clear();
    if (m_options.caption)
        for (const QString& line : m_caption)
            m_captionLines << wrapText(line, small, inner);
    if (!m_captionLines.isEmpty())
        y += 0.4 * font + m_captionLines.size() * lineHeight(small);
    m_size = QSizeF(width, std::ceil(y + m_margin));
}

void BarFigure::paint(QPainter* p) const {
    const FigureTheme theme = FigureTheme::of(m_options.dark);
    const double font = m_options.fontPt;
    const QFont titleFont = figureFont(font, true), small = figureFont(m_smallPt);
    const QFont label = figureFont(font), note = figureFont(m_smallPt, false, true);
    p->fillRect(QRectF(QPointF(0, 0), m_size), theme.background);
    const double width = m_size.width();
    double y = m_margin;
    p->setPen(theme.text);
    drawTextLines(p, titleFont, m_titleLines, m_margin, y, width);
    y += 0.3 * font;
    if (m_legendHeight > 0) {
        // Swatches as polygons: <rect> stays one per bar.
        double total = 0;
        const double sw = 0.8 * m_smallPt, gap = 1.2 * m_smallPt;
        for (const BarSeries& s : m_chart.series)
            total += sw + 0.3 * m_smallPt + textWidth(small, s.name) + gap;
        double x = std::max(m_margin, (width - total + gap) / 2);
        p->setFont(small);
        for (const BarSeries& s : m_chart.series) {
            const double top = y + (lineHeight(small) - sw) / 2;
            QPolygonF swatch({QPointF(x, top), QPointF(x + sw, top), QPointF(x + sw, top + sw),
                              QPointF(x, top + sw)});
            p->setPen(QPen(s.edge, 0.4));
            p->setBrush(s.fill);
            p->drawPolygon(swatch);
            p->setPen(theme.text);
            drawFigureText(p, QPointF(x + sw + 0.3 * m_smallPt, y + fontAscent(small)), s.name);
            x += sw + 0.3 * m_smallPt + textWidth(small, s.name) + gap;
        }
        p->setBrush(Qt::NoBrush);
    }

    const double bottom = m_plotTop + m_plotHeight;
    auto yOf = [&](const Axis& a, double v) {
        return bottom - (v - a.lo) / (a.hi - a.lo) * m_plotHeight;
    };
    // Axes: frame lines, ticks and their labels.
    p->setPen(QPen(theme.frame, 0.5));
    p->drawLine(QPointF(m_plotLeft, m_plotTop), QPointF(m_plotLeft, bottom));
    p->drawLine(QPointF(m_plotLeft, bottom), QPointF(m_plotRight, bottom));
    if (m_hasRight)
        p->drawLine(QPointF(m_plotRight, m_plotTop), QPointF(m_plotRight, bottom));
    p->setFont(small);
    const double tick = 0.3 * m_smallPt;
    for (int side = 0; side < (m_hasRight ? 2 : 1); ++side) {
        const Axis& a = side == 0 ? m_left : m_right;
        for (double t : a.ticks) {
            const double ty = yOf(a, t);
            const QString text = tickText(t);
            p->setPen(QPen(theme.frame, 0.5));
            if (side == 0) {
                p->drawLine(QPointF(m_plotLeft - tick, ty), QPointF(m_plotLeft, ty));
                p->setPen(theme.text);
                drawFigureText(p,
                               QPointF(m_plotLeft - tick - 0.2 * m_smallPt - textWidth(small, text),
                                       ty - lineHeight(small) / 2 + fontAscent(small)),
                               text);
            } else {
                p->drawLine(QPointF(m_plotRight, ty), QPointF(m_plotRight + tick, ty));
                p->setPen(theme.text);
                drawFigureText(p,
                               QPointF(m_plotRight + tick + 0.2 * m_smallPt,
                                       ty - lineHeight(small) / 2 + fontAscent(small)),
                               text);
            }
        }
    }
    if (m_left.lo < 0) {  // the zero line of signed bars
        p->setPen(QPen(theme.muted, 0.4, Qt::DashLine));
        p->drawLine(QPointF(m_plotLeft, yOf(m_left, 0)), QPointF(m_plotRight, yOf(m_left, 0)));
    }
    // Axis labels, rotated along the axes.
    p->setFont(label);
    p->setPen(theme.text);
    auto vertical = [&](const QString& text, double x, bool down) {
        const double w = textWidth(label, text);
        p->save();
        p->translate(x, m_plotTop + m_plotHeight / 2);
        p->rotate(down ? 90 : -90);
        drawFigureText(p, QPointF(-w / 2, fontAscent(label) - lineHeight(label) / 2), text);
        p->restore();
    };
    vertical(m_chart.yLabel, m_margin + lineHeight(label) / 2, false);
    if (m_hasRight)
        vertical(m_chart.y2Label, width - m_margin - lineHeight(label) / 2, true);

    // Bars: one rectangle each, side by side within a category.
    const int n = std::max<int>(1, int(m_chart.categories.size()));
    const double pitch = (m_plotRight - m_plotLeft) / n;
    const int count = std::max<int>(1, int(m_chart.series.size()));
    const double barWidth = 0.8 * pitch / count;
    for (size_t s = 0; s < m_chart.series.size(); ++s) {
        const BarSeries& series = m_chart.series[s];
        const Axis& a = series.rightAxis ? m_right : m_left;
        for (size_t k = 0; k < series.values.size() && int(k) < n; ++k) {
            const double v = series.values[k];
            if (!std::isfinite(v))
                continue;
            const double x = m_plotLeft + k * pitch + 0.1 * pitch + s * barWidth;
            const double y0 = yOf(a, std::max(a.lo, 0.0)), y1 = yOf(a, v);
            // A zero bar keeps a hairline, so that every value has its rectangle.
            p->fillRect(QRectF(x, std::min(y0, y1), barWidth, std::max(0.05, std::abs(y1 - y0))),
                        series.fill);
        }
    }
    // Category labels under their bars.
    p->setFont(small);
    p->setPen(theme.text);
    for (int k = 0; k < int(m_chart.categories.size()); ++k) {
        const QString& c = m_chart.categories[k];
        const double cx = m_plotLeft + (k + 0.5) * pitch, w = textWidth(small, c);
        if (m_rotateCategories) {
            p->save();
            p->translate(cx, bottom + 0.4 * m_smallPt);
            p->rotate(-90);
            drawFigureText(p, QPointF(-w, fontAscent(small) - lineHeight(small) / 2), c);
            p->restore();
        } else {
            drawFigureText(p, QPointF(cx - w / 2, bottom + 0.4 * m_smallPt + fontAscent(small)), c);
        }
    }
    y = bottom + m_categoryHeight;
    drawTextLines(p, label, m_xLabelLines, m_margin, y, width);
    p->setPen(theme.muted);
    if (!m_noteLines.isEmpty()) {
        y += 0.4 * m_smallPt;
        drawTextLines(p, note, m_noteLines, m_margin, y);
    }
    if (!m_captionLines.isEmpty()) {
        y += 0.4 * font;
        drawTextLines(p, small, m_captionLines, m_margin, y);
    }
}

QString BarFigure::write(const QString& path, const QString& title) const {
    return writeVectorPage(path, m_size, m_options.dpi, title, m_caption.join(QLatin1Char('\n')),
                           [this](QPainter* p) { paint(p); });
}

}  // namespace attrscope::ui
