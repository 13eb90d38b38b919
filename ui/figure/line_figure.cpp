#include "figure/line_figure.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "figure/bar_figure.h"   // niceTicks
#include "figure/color_scale.h"  // formatTick
#include "figure/vector_page.h"

namespace attrscope::ui {

namespace {
QString tickText(double v) {
    QString s = QString::fromStdString(formatTick(v));
    s.replace(QLatin1Char('-'), QChar(0x2212));
    return s;
}

// The data range widened to the ticks around it.
void range(const std::vector<double>& values, double* lo, double* hi, std::vector<double>* ticks) {
    double a = 1e300, b = -1e300;
    for (double v : values)
        if (std::isfinite(v)) {
            a = std::min(a, v);
            b = std::max(b, v);
        }
    if (!(b >= a)) {
        a = 0;
        b = 1;
    }
    if (b - a < 1e-12) {
        const double pad = std::max(1e-6, std::abs(a) * 0.05);
        a -= pad;
        b += pad;
    }
    *ticks = niceTicks(a, b, 4);
    const double step = ticks->size() > 1 ? (*ticks)[1] - (*ticks)[0] : (b - a);
    if (ticks->empty() || ticks->front() > a + 1e-12 * step)
        ticks->insert(ticks->begin(), (ticks->empty() ? a : ticks->front() - step));
    if (ticks->back() < b - 1e-12 * step)
        ticks->push_back(ticks->back() + step);
    *lo = ticks->front();
    *hi = ticks->back();
}
}  // namespace

LineFigure::LineFigure(std::vector<LinePanel> panels, QString note, QStringList caption,
                       FigureOptions options)
    : m_panels(std::move(panels)),
      m_note(std::move(note)),
      m_caption(std::move(caption)),
      m_options(options) {
    layout();
}

int LineFigure::markerCount() const {
    int n = 0;
    for (const LinePanel& p : m_panels)
        for (const LineSeries& s : p.series)
            if (s.markers)
                for (size_t k = 0; k < s.x.size() && k < s.y.size(); ++k)
                    n += std::isfinite(s.x[k]) && std::isfinite(s.y[k]) ? 1 : 0;
    return n;
}

void LineFigure::layout() {
    const double font = m_options.fontPt;
    const double width = m_options.widthFor(1);
    m_margin = 0.5 * font;
    m_smallPt = std::max(3.0, 0.85 * font);
    const QFont titleFont = figureFont(font, true), small = figureFont(m_smallPt);
    const QFont label = figureFont(font), note = figureFont(m_smallPt, false, true);
    const double inner = width - 2 * m_margin;
    m_layouts.assign(m_panels.size(), Layout());
    double tickWidth = 0;
    for (size_t k = 0; k < m_panels.size(); ++k) {
        Layout& l = m_layouts[k];
        std::vector<double> xs, ys;
        for (const LineSeries& s : m_panels[k].series) {
            xs.insert(xs.end(), s.x.begin(), s.x.end());
            ys.insert(ys.end(), s.y.begin(), s.y.end());
        }
        for (const LineBand& b : m_panels[k].bands) {
            ys.insert(ys.end(), b.low.begin(), b.low.end());
            ys.insert(ys.end(), b.high.begin(), b.high.end());
        }
        range(xs, &l.xLo, &l.xHi, &l.xTicks);
        if (!m_panels[k].xTickAt.empty()) {
            l.xTicks = m_panels[k].xTickAt;
            xs.insert(xs.end(), l.xTicks.begin(), l.xTicks.end());
            l.xLo = *std::min_element(xs.begin(), xs.end());
            l.xHi = *std::max_element(xs.begin(), xs.end());
            if (l.xHi - l.xLo < 1e-12)
                l.xHi = l.xLo + 1;
        }
        range(ys, &l.yLo, &l.yHi, &l.yTicks);
        for (double t : l.yTicks)
            tickWidth = std::max(tickWidth, textWidth(small, tickText(t)));
    }
    m_plotLeft = m_margin + lineHeight(label) + tickWidth + 0.6 * m_smallPt;
    m_plotRight = width - m_margin - 0.5 * font;
    m_plotHeight = std::max(6.0 * font, 0.45 * (m_plotRight - m_plotLeft));
    double y = m_margin;
    for (size_t k = 0; k < m_panels.size(); ++k) {
        Layout& l = m_layouts[k];
        l.top = y;
        l.titleLines = wrapText(m_panels[k].title, titleFont, inner);
        l.legendLines.clear();
        for (const LineSeries& s : m_panels[k].series)
            l.legendLines << s.name;
        l.xLabelLines = wrapText(m_panels[k].xLabel, label, inner);
        y += l.titleLines.size() * lineHeight(titleFont) + 0.2 * font;
        y += l.legendLines.size() * lineHeight(small) + 0.3 * font;
        l.plotTop = y + 0.5 * m_smallPt;
        y = l.plotTop + m_plotHeight + 0.4 * m_smallPt + lineHeight(small) +
            l.xLabelLines.size() * lineHeight(label) + 0.6 * font;
    }
    m_noteLines = m_note.isEmpty() ? QStringList() : wrapText(m_note, note, inner);
    if (!m_noteLines.isEmpty())
        y += m_noteLines.size() * lineHeight(note);
    m_captionLines.clear();
    if (m_options.caption)
        for (const QString& line : m_caption)
            m_captionLines << wrapText(line, small, inner);
    if (!m_captionLines.isEmpty())
        y += 0.4 * font + m_captionLines.size() * lineHeight(small);
    m_size = QSizeF(width, std::ceil(y + m_margin));
}

void LineFigure::paint(QPainter* p) const {
    const FigureTheme theme = FigureTheme::of(m_options.dark);
    const double font = m_options.fontPt;
    const QFont titleFont = figureFont(font, true), small = figureFont(m_smallPt);
    const QFont label = figureFont(font), note = figureFont(m_smallPt, false, true);
    p->fillRect(QRectF(QPointF(0, 0), m_size), theme.background);
    const double width = m_size.width(), markerR = 0.3 * m_smallPt;
    for (size_t k = 0; k < m_panels.size(); ++k) {
        const LinePanel& panel = m_panels[k];
        const Layout& l = m_layouts[k];
        double y = l.top;
        p->setPen(theme.text);
        p->setFont(titleFont);
        for (const QString& line : l.titleLines) {
            const double w = textWidth(titleFont, line);
            drawFigureText(
                p, QPointF(std::max(m_margin, (width - w) / 2), y + fontAscent(titleFont)), line);
            y += lineHeight(titleFont);
        }
        y += 0.2 * font;
        // Legend: a line sample (and marker) per series.
        p->setFont(small);
        for (const LineSeries& s : panel.series) {
            const double cy = y + lineHeight(small) / 2, x = m_plotLeft;
            if (s.width > 0) {
                p->setPen(QPen(s.colour, s.width));
                p->drawLine(QPointF(x, cy), QPointF(x + 2 * m_smallPt, cy));
            }
            if (s.markers) {
                p->setPen(QPen(s.colour, 0.6));
                p->setBrush(theme.background);
                p->drawEllipse(QPointF(x + m_smallPt, cy), markerR, markerR);
                p->setBrush(Qt::NoBrush);
            }
            p->setPen(theme.text);
            drawFigureText(p, QPointF(x + 2.5 * m_smallPt, y + fontAscent(small)), s.name);
            y += lineHeight(small);
        }
        const double top = l.plotTop, bottom = l.plotTop + m_plotHeight;
        auto X = [&](double v) {
            return m_plotLeft + (v - l.xLo) / (l.xHi - l.xLo) * (m_plotRight - m_plotLeft);
        };
        auto Y = [&](double v) { return bottom - (v - l.yLo) / (l.yHi - l.yLo) * m_plotHeight; };
        p->setPen(QPen(theme.frame, 0.5));
        p->drawLine(QPointF(m_plotLeft, top), QPointF(m_plotLeft, bottom));
        p->drawLine(QPointF(m_plotLeft, bottom), QPointF(m_plotRight, bottom));
        const double tick = 0.3 * m_smallPt;
        for (double t : l.yTicks) {
            const QString text = tickText(t);
            p->setPen(QPen(theme.frame, 0.5));
            p->drawLine(QPointF(m_plotLeft - tick, Y(t)), QPointF(m_plotLeft, Y(t)));
            p->setPen(theme.text);
            drawFigureText(p,
                           QPointF(m_plotLeft - tick - 0.2 * m_smallPt - textWidth(small, text),
                                   Y(t) - lineHeight(small) / 2 + fontAscent(small)),
                           text);
        }
        for (size_t i = 0; i < l.xTicks.size(); ++i) {
            const double t = l.xTicks[i];
            const QString text =
                qsizetype(i) < panel.xTickLabels.size() ? panel.xTickLabels[int(i)] : tickText(t);
            p->setPen(QPen(theme.frame, 0.5));
            p->drawLine(QPointF(X(t), bottom), QPointF(X(t), bottom + tick));
            p->setPen(theme.text);
            drawFigureText(p,
                           QPointF(X(t) - textWidth(small, text) / 2,
                                   bottom + 0.4 * m_smallPt + fontAscent(small)),
                           text);
        }
        if (l.yLo < 0 && l.yHi > 0) {
            p->setPen(QPen(theme.muted, 0.4, Qt::DashLine));
            p->drawLine(QPointF(m_plotLeft, Y(0)), QPointF(m_plotRight, Y(0)));
        }
        // No clip path (an SVG clip is a <rect>): the axes' ranges hold every point.
        for (const LineBand& b : panel.bands) {
            const size_t nb = std::min({b.x.size(), b.low.size(), b.high.size()});
            if (nb < 2)
                continue;
            QPainterPath band(QPointF(X(b.x[0]), Y(b.high[0])));
            for (size_t i = 1; i < nb; ++i)
                band.lineTo(X(b.x[i]), Y(b.high[i]));
            for (size_t i = nb; i-- > 0;)
                band.lineTo(X(b.x[i]), Y(b.low[i]));
            band.closeSubpath();
            QColor fill = b.colour;
            fill.setAlphaF(0.22);
            p->fillPath(band, fill);
        }
        for (const LineSeries& s : panel.series) {
            const size_t n = std::min(s.x.size(), s.y.size());
            if (s.width > 0 && n > 1) {
                QPainterPath path(QPointF(X(s.x[0]), Y(s.y[0])));
                for (size_t i = 1; i < n; ++i)
                    path.lineTo(X(s.x[i]), Y(s.y[i]));
                p->setPen(QPen(s.colour, s.width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
                p->setBrush(Qt::NoBrush);
                p->drawPath(path);
            }
            if (s.markers) {
                p->setPen(QPen(s.colour, 0.6));
                p->setBrush(theme.background);
                for (size_t i = 0; i < n; ++i)
                    if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
                        p->drawEllipse(QPointF(X(s.x[i]), Y(s.y[i])), markerR, markerR);
                p->setBrush(Qt::NoBrush);
            }
        }
        // Axis labels.
        p->setFont(label);
        p->setPen(theme.text);
        const double yw = textWidth(label, panel.yLabel);
        p->save();
        p->translate(m_margin + lineHeight(label) / 2, top + m_plotHeight / 2);
        p->rotate(-90);
        drawFigureText(
            p, QPointF(-std::min(yw, m_plotHeight) / 2, fontAscent(label) - lineHeight(label) / 2),
            panel.yLabel);
        p->restore();
        y = bottom + 0.4 * m_smallPt + lineHeight(small);
        for (const QString& line : l.xLabelLines) {
            const double w = textWidth(label, line);
            drawFigureText(p, QPointF(std::max(m_margin, (width - w) / 2), y + fontAscent(label)),
                           line);
            y += lineHeight(label);
        }
    }
    double y = m_layouts.empty()
                   ? m_margin
                   : m_layouts.back().plotTop + m_plotHeight + 0.4 * m_smallPt + lineHeight(small) +
                         m_layouts.back().xLabelLines.size() * lineHeight(label) + 0.6 * font;
    p->setPen(theme.muted);
    drawTextLines(p, note, m_noteLines, m_margin, y);
    if (!m_captionLines.isEmpty()) {
        y += 0.4 * font;
        drawTextLines(p, small, m_captionLines, m_margin, y);
    }
}

QString LineFigure::write(const QString& path, const QString& title) const {
    return writeVectorPage(path, m_size, m_options.dpi, title, m_caption.join(QLatin1Char('\n')),
                           [this](QPainter* p) { paint(p); });
}

}  // namespace attrscope::ui
