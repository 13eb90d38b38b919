#include "figure/heatmap_figure.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "figure/colour_bar.h"
#include "figure/vector_page.h"
#include "plot/palette.h"

namespace attrscope::ui {

namespace {
constexpr double kMinLabelPt = 3.0;
}  // namespace

HeatmapFigure::HeatmapFigure(std::vector<HeatmapPanel> panels, QStringList caption,
                             FigureOptions options)
    : m_panels(std::move(panels)), m_caption(std::move(caption)), m_options(options) {
    for (const HeatmapPanel& p : m_panels) {
        if (p.sharedLimit > 0.0)  // percentile-clip too: the shared maps clip at one value
            m_scales.push_back(
                ColorScale::withLimit(m_options.scale, p.diverging, p.sharedLimit, &p.values));
        else
            m_scales.push_back(ColorScale::fit(m_options.scale, p.diverging, p.values));
    }
    layout();
}

QString HeatmapFigure::scaleLabel(int panel) const {
    const HeatmapPanel& p = m_panels[size_t(panel)];
    const ColorScale& s = m_scales[size_t(panel)];
    QString label = p.quantity;
    if (s.spec().kind == ScaleKind::Percentile && p.sharedLimit > 0.0)
        label += QStringLiteral(" \u00b7 ") + QString::fromStdString(s.describe()) +
                 QStringLiteral(" of the shared maps");
    else if (s.spec().kind != ScaleKind::Linear)
        label += QStringLiteral(" \u00b7 ") + QString::fromStdString(s.describe());
    else if (p.sharedLimit > 0.0)
        label += QStringLiteral(" \u00b7 shared limit");
    return label;
}

int HeatmapFigure::rectCount() const {
    int n = 1;  // background
    for (const HeatmapPanel& p : m_panels)
        if (p.hasValues())
            n += p.rows() * p.columns() + kColourBarSteps;
    return n;
}

void HeatmapFigure::layout() {
    const double font = m_options.fontPt;
    const double width = m_options.widthFor(int(m_panels.size()));
    m_margin = 0.5 * font;
    m_smallPt = std::max(kMinLabelPt, 0.85 * font);
    const double gap = font;  // between panels
    const int count = std::max<int>(1, int(m_panels.size()));
    const double panelWidth = (width - 2 * m_margin - gap * (count - 1)) / count;

    // Cells and token labels: the label font shrinks (never below kMinLabelPt) until a label
    // line fits its cell; every label is drawn.
    m_layouts.assign(m_panels.size(), PanelLayout());
    m_labelPt = font;
    for (int round = 0; round < 6; ++round) {
        const QFont labelFont = figureFont(m_labelPt);
        m_cell = 1e9;
        for (size_t k = 0; k < m_panels.size(); ++k) {
            double rowLabels = 0;
            if (!m_panels[k].sharesRowLabels)
                for (const QString& s : m_panels[k].rowLabels)
                    rowLabels = std::max(rowLabels, textWidth(labelFont, s));
            m_layouts[k].rowLabelWidth = rowLabels + 0.3 * m_labelPt;
            const int columns = std::max(1, m_panels[k].columns());
            m_cell = std::min(m_cell, (panelWidth - m_layouts[k].rowLabelWidth) / columns);
        }
        m_cell = std::max(m_cell, 0.5);
        const double fits = m_cell / 1.2;  // DejaVu's line height is ~1.16 em
        if (m_labelPt <= fits + 1e-6 || m_labelPt <= kMinLabelPt)
            break;
        m_labelPt = std::max(kMinLabelPt, std::min(fits, m_labelPt * 0.999));
    }

    const QFont labelFont = figureFont(m_labelPt);
    const QFont titleFont = figureFont(font, true);
    const QFont small = figureFont(m_smallPt);
    const QFont note = figureFont(m_smallPt, false, true);
    m_panelHeight = 0;
    for (size_t k = 0; k < m_panels.size(); ++k) {
        const HeatmapPanel& p = m_panels[k];
        PanelLayout& l = m_layouts[k];
        l.x = m_margin + double(k) * (panelWidth + gap);
        l.width = panelWidth;
        double columnLabels = 0;
        for (const QString& s : p.columnLabels)
            columnLabels = std::max(columnLabels, textWidth(labelFont, s));
        l.columnLabelHeight = columnLabels + 0.3 * m_labelPt;
        l.titleLines = wrapText(p.title, titleFont, panelWidth);
        const double matrixWidth = m_cell * p.columns();
        l.scaleLines =
            p.hasValues() ? wrapText(scaleLabel(int(k)), small, matrixWidth + 1) : QStringList();
        l.noteLines = p.note.isEmpty() ? QStringList() : wrapText(p.note, note, panelWidth);
        const int rows = p.hasValues() ? p.rows() : p.columns();  // a message fills the square
        double h = l.titleLines.size() * lineHeight(titleFont) + 0.4 * font;
        h += rows * m_cell + l.columnLabelHeight;
        if (p.hasValues())
            h += 0.5 * m_smallPt + colourBarHeight(m_smallPt) +
                 l.scaleLines.size() * lineHeight(small);
        if (!l.noteLines.isEmpty())
            h += 0.4 * m_smallPt + l.noteLines.size() * lineHeight(note);
        l.height = h;
        m_panelHeight = std::max(m_panelHeight, h);
    }
    const QFont captionFont = figureFont(m_smallPt);
    m_captionLines.clear();
    if (m_options.caption)
        for (const QString& line : m_caption)
            m_captionLines << wrapText(line, captionFont, width - 2 * m_margin);
    double height = m_margin + m_panelHeight + m_margin;
    if (!m_captionLines.isEmpty())
        height += 0.4 * font + m_captionLines.size() * lineHeight(captionFont);
    m_size = QSizeF(width, std::ceil(height));
}

void HeatmapFigure::paint(QPainter* p) const {
    const FigureTheme theme = FigureTheme::of(m_options.dark);
    p->fillRect(QRectF(QPointF(0, 0), m_size), theme.background);
    for (size_t k = 0; k < m_panels.size(); ++k)
        paintPanel(p, m_panels[k], m_layouts[k], m_scales[k], m_margin);
    if (m_captionLines.isEmpty())
        return;
    const QFont captionFont = figureFont(m_smallPt);
    p->setPen(theme.muted);
    double y = m_margin + m_panelHeight + 0.4 * m_options.fontPt;
    drawTextLines(p, captionFont, m_captionLines, m_margin, y);
}

void HeatmapFigure::paintPanel(QPainter* p, const HeatmapPanel& panel, const PanelLayout& l,
                               const ColorScale& scale, double top) const {
    const FigureTheme theme = FigureTheme::of(m_options.dark);
    const QFont titleFont = figureFont(m_options.fontPt, true);
    const QFont labelFont = figureFont(m_labelPt);
    const QFont small = figureFont(m_smallPt);
    double y = top;
    p->setPen(theme.text);
    p->setFont(titleFont);
    for (const QString& line : l.titleLines) {
        const double w = textWidth(titleFont, line);
        drawFigureText(
            p, QPointF(l.x + std::max(0.0, (l.width - w) / 2), y + fontAscent(titleFont)), line);
        y += lineHeight(titleFont);
    }
    y += 0.4 * m_options.fontPt;

    const int rows = panel.hasValues() ? panel.rows() : panel.columns();
    const int columns = panel.columns();
    // The matrix sits right of the row labels, centred in what is left of the panel.
    const double matrixWidth = m_cell * columns, matrixHeight = m_cell * rows;
    const double x0 =
        l.x + l.rowLabelWidth + std::max(0.0, (l.width - l.rowLabelWidth - matrixWidth) / 2);
    const double y0 = y;
    if (panel.hasValues()) {
        // One rectangle per cell, a hair larger than its pitch so that viewers show no seams.
        const double seam = std::min(0.25, m_cell * 0.05);
        for (int i = 0; i < rows; ++i) {
            for (int j = 0; j < columns; ++j) {
                const float v = panel.values[size_t(i) * size_t(columns) + size_t(j)];
                const QColor c = std::isfinite(v) && panel.palette
                                     ? QColor::fromRgb(panel.palette->rgbAt(scale.position(v)))
                                     : theme.missing;
                p->fillRect(QRectF(x0 + j * m_cell, y0 + i * m_cell, m_cell + seam, m_cell + seam),
                            c);
            }
        }
    } else {
        p->setFont(small);
        p->setPen(theme.muted);
        const QStringList lines = wrapText(panel.message, small, matrixWidth - 4);
        double my = y0 + (matrixHeight - lines.size() * lineHeight(small)) / 2;
        for (const QString& line : lines) {
            drawFigureText(
                p, QPointF(x0 + (matrixWidth - textWidth(small, line)) / 2, my + fontAscent(small)),
                line);
            my += lineHeight(small);
        }
    }
    // Frame and the [SEP] boundary as lines (not rectangles: rectangles are cells).
    p->setBrush(Qt::NoBrush);
    p->setPen(QPen(theme.frame, 0.5));
    const QPointF a(x0, y0), b(x0 + matrixWidth, y0), c(x0 + matrixWidth, y0 + matrixHeight),
        d(x0, y0 + matrixHeight);
    p->drawLine(a, b);
    p->drawLine(b, c);
    p->drawLine(c, d);
    p->drawLine(d, a);
    if (panel.hasValues() && panel.sepBoundary >= 0 && panel.sepBoundary + 1 < columns) {
        // Light on a sequential palette (dark at 0), dark on a diverging one (white at 0).
        QPen dashed(panel.diverging ? QColor(40, 40, 40) : QColor(255, 255, 255), 0.6,
                    Qt::DashLine);
        p->setPen(dashed);
        const double sx = x0 + (panel.sepBoundary + 1) * m_cell;
        p->drawLine(QPointF(sx, y0), QPointF(sx, y0 + matrixHeight));
        if (rows == columns) {
            const double sy = y0 + (panel.sepBoundary + 1) * m_cell;
            p->drawLine(QPointF(x0, sy), QPointF(x0 + matrixWidth, sy));
        }
    }

    // Row labels right-aligned, column labels rotated to read bottom-up, one per cell.
    p->setFont(labelFont);
    p->setPen(theme.text);
    const double ascent = fontAscent(labelFont), lh = lineHeight(labelFont);
    const double pad = 0.3 * m_labelPt;
    if (panel.hasValues() && !panel.sharesRowLabels) {
        for (int i = 0; i < rows; ++i) {
            const QString& s = panel.rowLabels[i];
            const double cy = y0 + (i + 0.5) * m_cell;
            drawFigureText(p, QPointF(x0 - pad - textWidth(labelFont, s), cy - lh / 2 + ascent), s);
        }
    }
    for (int j = 0; j < columns; ++j) {
        const QString& s = panel.columnLabels[j];
        const double cx = x0 + (j + 0.5) * m_cell;
        p->save();
        p->translate(cx, y0 + matrixHeight + pad);
        p->rotate(-90);
        drawFigureText(p, QPointF(-textWidth(labelFont, s), -lh / 2 + ascent), s);
        p->restore();
    }
    y = y0 + matrixHeight + l.columnLabelHeight;

    if (panel.hasValues()) {
        y += 0.5 * m_smallPt;
        paintColourBar(p, panel.palette, scale, x0, y, matrixWidth, m_smallPt, m_options.dark);
        y += colourBarHeight(m_smallPt);
        p->setFont(small);
        p->setPen(theme.text);
        for (const QString& line : l.scaleLines) {
            const double w = textWidth(small, line);
            const double lx = std::clamp(x0 + (matrixWidth - w) / 2, l.x, l.x + l.width - w);
            drawFigureText(p, QPointF(lx, y + fontAscent(small)), line);
            y += lineHeight(small);
        }
    }
    if (!l.noteLines.isEmpty()) {
        const QFont note = figureFont(m_smallPt, false, true);
        y += 0.4 * m_smallPt;
        p->setFont(note);
        p->setPen(theme.muted);
        for (const QString& line : l.noteLines) {
            drawFigureText(p, QPointF(l.x, y + fontAscent(note)), line);
            y += lineHeight(note);
        }
    }
}

QString HeatmapFigure::write(const QString& path, const QString& title) const {
    return writeVectorPage(path, m_size, m_options.dpi, title, m_caption.join(QLatin1Char('\n')),
                           [this](QPainter* p) { paint(p); });
}

}  // namespace attrscope::ui
