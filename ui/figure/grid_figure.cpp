#include "figure/grid_figure.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "figure/color_scale.h"
#include "figure/colour_bar.h"
#include "figure/vector_page.h"
#include "plot/palette.h"

namespace attrscope::ui {

GridFigure::GridFigure(GridChart chart, QStringList caption, FigureOptions options)
    : m_chart(std::move(chart)), m_caption(std::move(caption)), m_options(options) {
    layout();
}

int GridFigure::cellCount() const {
    int n = 0;
    for (const auto& m : m_chart.maps)
        n += m.empty() ? 0 : m_chart.side * m_chart.side;
    return n;
}

int GridFigure::rectCount() const {
    return 1 + cellCount() + (cellCount() > 0 ? kColourBarRects : 0);
}

void GridFigure::layout() {
    const double font = m_options.fontPt;
    const double width = m_options.widthFor(1);
    m_margin = 0.5 * font;
    m_smallPt = std::max(3.0, 0.85 * font);
    m_labelPt = m_smallPt;
    const QFont titleFont = figureFont(font, true), small = figureFont(m_smallPt);
    const QFont note = figureFont(m_smallPt, false, true);
    const double inner = width - 2 * m_margin;
    m_titleLines = wrapText(m_chart.title, titleFont, inner);
    const int columns = std::max(1, m_chart.columns());
    // Labels shrink with the thumbnails (never below 3 pt) so that a head label fits its column.
    for (int round = 0; round < 6; ++round) {
        const QFont label = figureFont(m_labelPt);
        m_rowLabel = 0;
        for (const QString& s : m_chart.rowLabels)
            m_rowLabel = std::max(m_rowLabel, textWidth(label, s));
        m_rowLabel += 0.4 * m_labelPt;
        m_rowNote = 0;
        for (const QString& s : m_chart.rowNotes)
            m_rowNote = std::max(m_rowNote, textWidth(label, s) + 0.4 * m_labelPt);
        const double extra = m_chart.gapAfterColumn >= 0 ? 0.5 * font : 0.0;
        const double avail = inner - m_rowLabel - m_rowNote - extra;
        m_gap = std::max(1.0, 0.08 * avail / columns);
        m_thumb = std::max(2.0, (avail - m_gap * (columns - 1)) / columns);
        double widest = 0;
        for (const QString& s : m_chart.columnLabels)
            widest = std::max(widest, textWidth(label, s));
        if (widest <= m_thumb + m_gap || m_labelPt <= 3.0)
            break;
        m_labelPt = std::max(3.0, m_labelPt * (m_thumb + m_gap) / widest * 0.98);
    }
    // Tall grids (many layers) keep square thumbnails: the page grows downwards.
    m_gridLeft = m_margin + m_rowLabel;
    m_gridTop = m_margin + m_titleLines.size() * lineHeight(titleFont) + 0.3 * font +
                lineHeight(figureFont(m_labelPt));
    double y = m_gridTop + m_chart.rows() * (m_thumb + m_gap);
    m_scaleLines.clear();
    if (cellCount() > 0) {
        y += 0.5 * m_smallPt + colourBarHeight(m_smallPt);
        m_scaleLines = wrapText(m_chart.quantity, small, inner);
        y += m_scaleLines.size() * lineHeight(small);
    }
    m_noteLines = m_chart.note.isEmpty() ? QStringList() : wrapText(m_chart.note, note, inner);
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

void GridFigure::paint(QPainter* p) const {
    const FigureTheme theme = FigureTheme::of(m_options.dark);
    const double font = m_options.fontPt;
    const QFont titleFont = figureFont(font, true), small = figureFont(m_smallPt);
    const QFont label = figureFont(m_labelPt), note = figureFont(m_smallPt, false, true);
    p->fillRect(QRectF(QPointF(0, 0), m_size), theme.background);
    const double width = m_size.width();
    double y = m_margin;
    p->setPen(theme.text);
    drawTextLines(p, titleFont, m_titleLines, m_margin, y, width);
    const double extra = m_chart.gapAfterColumn >= 0 ? 0.5 * font : 0.0;
    auto xOf = [&](int c) {
        return m_gridLeft + c * (m_thumb + m_gap) + (c > m_chart.gapAfterColumn ? extra : 0.0);
    };
    auto yOf = [&](int r) { return m_gridTop + r * (m_thumb + m_gap); };
    p->setFont(label);
    for (int c = 0; c < m_chart.columns(); ++c) {
        const QString& s = m_chart.columnLabels[c];
        drawFigureText(p,
                       QPointF(xOf(c) + (m_thumb - textWidth(label, s)) / 2,
                               m_gridTop - lineHeight(label) + fontAscent(label)),
                       s);
    }
    const ColorScale scale = ColorScale::withLimit(m_options.scale, m_chart.diverging, 1.0);
    const int side = std::max(1, m_chart.side);
    const double cell = m_thumb / side, seam = std::min(0.15, cell * 0.05);
    for (int r = 0; r < m_chart.rows(); ++r) {
        p->setFont(label);
        p->setPen(theme.text);
        const QString& rl = m_chart.rowLabels[r];
        drawFigureText(p,
                       QPointF(m_gridLeft - 0.4 * m_labelPt - textWidth(label, rl),
                               yOf(r) + (m_thumb - lineHeight(label)) / 2 + fontAscent(label)),
                       rl);
        for (int c = 0; c < m_chart.columns(); ++c) {
            const size_t k = size_t(r) * size_t(m_chart.columns()) + size_t(c);
            const auto& map = k < m_chart.maps.size() ? m_chart.maps[k] : std::vector<float>();
            const double x0 = xOf(c), y0 = yOf(r);
            if (map.size() == size_t(side) * size_t(side)) {
                for (int i = 0; i < side; ++i)
                    for (int j = 0; j < side; ++j) {
                        const float v = map[size_t(i) * size_t(side) + size_t(j)];
                        const QColor col =
                            std::isfinite(v) && m_chart.palette
                                ? QColor::fromRgb(m_chart.palette->rgbAt(scale.position(v)))
                                : theme.missing;
                        p->fillRect(QRectF(x0 + j * cell, y0 + i * cell, cell + seam, cell + seam),
                                    col);
                    }
                if (m_chart.sepBoundary >= 0 && m_chart.sepBoundary + 1 < side) {
                    p->setPen(QPen(m_chart.diverging ? QColor(40, 40, 40) : QColor(255, 255, 255),
                                   0.3, Qt::DotLine));
                    const double s = (m_chart.sepBoundary + 1) * cell;
                    p->drawLine(QPointF(x0 + s, y0), QPointF(x0 + s, y0 + m_thumb));
                    p->drawLine(QPointF(x0, y0 + s), QPointF(x0 + m_thumb, y0 + s));
                }
            } else {
                p->setFont(small);
                p->setPen(theme.muted);
                const QString dash = QStringLiteral("\u2013");
                drawFigureText(p,
                               QPointF(x0 + (m_thumb - textWidth(small, dash)) / 2,
                                       y0 + (m_thumb - lineHeight(small)) / 2 + fontAscent(small)),
                               dash);
            }
            // The frame as lines: every <rect> is a cell.
            p->setPen(QPen(theme.frame, 0.3));
            p->drawLine(QPointF(x0, y0), QPointF(x0 + m_thumb, y0));
            p->drawLine(QPointF(x0 + m_thumb, y0), QPointF(x0 + m_thumb, y0 + m_thumb));
            p->drawLine(QPointF(x0 + m_thumb, y0 + m_thumb), QPointF(x0, y0 + m_thumb));
            p->drawLine(QPointF(x0, y0 + m_thumb), QPointF(x0, y0));
        }
        if (r < m_chart.rowNotes.size() && !m_chart.rowNotes[r].isEmpty()) {
            p->setFont(label);
            p->setPen(theme.text);
            drawFigureText(p,
                           QPointF(xOf(m_chart.columns() - 1) + m_thumb + 0.4 * m_labelPt,
                                   yOf(r) + (m_thumb - lineHeight(label)) / 2 + fontAscent(label)),
                           m_chart.rowNotes[r]);
        }
    }
    y = m_gridTop + m_chart.rows() * (m_thumb + m_gap);
    if (cellCount() > 0) {
        y += 0.5 * m_smallPt;
        const double barWidth = std::min(width - 2 * m_margin - m_smallPt, 18.0 * font);
        const double bx = (width - barWidth) / 2;
        paintColourBar(p, m_chart.palette, scale, bx, y, barWidth, m_smallPt, m_options.dark);
        y += colourBarHeight(m_smallPt);
        p->setPen(theme.text);
        drawTextLines(p, small, m_scaleLines, m_margin, y, width);
    }
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

QString GridFigure::write(const QString& path, const QString& title) const {
    return writeVectorPage(path, m_size, m_options.dpi, title, m_caption.join(QLatin1Char('\n')),
                           [this](QPainter* p) { paint(p); });
}

}  // namespace attrscope::ui
