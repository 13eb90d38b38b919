// HeatmapPlot's layout: the token-label font, the colour bar beside or below the map, the
// fitted title and scale label, and the plot's minimum and maximum size, all from the widget's
// size.

#include <QFontMetrics>
#include <algorithm>
#include <cmath>

#include "plot/qcustomplot_wrapper.h"
#include "views/heatmap/colour_ticker.h"
#include "views/heatmap/fit_text.h"
#include "views/heatmap/heatmap_plot.h"

namespace attrscope::ui {

namespace {
constexpr int kMaxLabelChars = 14;
// The smallest token-label font, whatever the font scale: on a narrow pane (presentation fonts
// at 1024×768) the labels shrink to this before the maps scroll.
constexpr double kMinLabelPt = 6.0;

QString elide(const QString& token) {
    return token.size() <= kMaxLabelChars ? token : token.left(kMaxLabelChars - 1) + QChar(0x2026);
}
}  // namespace

// The title has the whole plot's width, which is the widget's unless the plot's maximum size
// (a map bounded by its height) makes it narrower; updateTicks() finds it.
QString HeatmapPlot::fittedTitle() const {
    const int plotWidth = m_titleWidth > 0 ? std::min(m_titleWidth, width()) : width();
    return fitTitle(m_title, QFontMetrics(m_titleElement->font()), plotWidth - 8);
}

// Below the map the label runs along the bar and wraps; beside it, it is rotated and wraps
// when longer than the plot is high (a short row of a grid), rather than being clipped.
QString HeatmapPlot::fittedScaleLabel(bool below) const {
    QFont f(font().family());
    f.setPointSizeF(9.0 * m_fontScale);
    const QFontMetrics fm(f);
    if (!below)
        return wrapWords(m_scaleLabel, fm, std::max(80, height() - 16));
    // Centred under the map: no wider than the map (the row labels take the rest).
    const int room = width() - labelExtent(9.0 * m_fontScale) - fm.height() - 16;
    return wrapWords(m_scaleLabel, fm, std::max(80, room));
}

// Room the longest token label takes beside (rows) or below (rotated columns) the map.
int HeatmapPlot::labelExtent(double point) const {
    QFont f(font().family());
    f.setPointSizeF(point);
    const QFontMetrics fm(f);
    int longest = fm.horizontalAdvance(QStringLiteral("mm"));
    for (const QString& t : m_tokens)
        longest = std::max(longest, fm.horizontalAdvance(elide(t)));
    return longest + 16;
}

// Chooses the label font and the colour bar's place from the widget size (not from the laid-out
// plot, which depends on the labels). Every token keeps its label: when the cells are too small
// even for the smallest font, the plot asks for the room it needs (its parent scrolls) rather
// than thinning labels out. The minimum comes from the smallest font with the colour bar below
// the map (the narrower layout), so it never depends on the current size.
void HeatmapPlot::updateTicks() {
    const int n = size();
    const double top = 9.0 * m_fontScale * std::clamp(m_zoom, 1.0, 2.0);
    const double bottom = kMinLabelPt;
    QFont axisFont(font().family());
    axisFont.setPointSizeF(9.0 * m_fontScale);
    const QFontMetrics axisMetrics(axisFont);
    const int axisLine = axisMetrics.height();
    const QFontMetrics titleMetrics(m_titleElement->font());
    // The rotated row-axis title left.
    const int extraW = axisLine + 16;
    const QString sideLabel = fittedScaleLabel(false);
    const int sideW = colourScaleWidth(lineCount(sideLabel));
    const QString belowLabel = fittedScaleLabel(true);
    const int belowH = colourScaleHeight(lineCount(belowLabel));
    // Zoom sets the smallest cell from the font scale's smallest label; unzoomed, the floor.
    QFont smallest(font().family());
    smallest.setPointSizeF(m_zoom > 1.0 ? bottom * m_fontScale : bottom);
    const int cell = int(std::ceil(QFontMetrics(smallest).height() * std::max(m_zoom, 1.0)));
    const int extent = labelExtent(bottom);

    // The title breaks at its separators (two lines at most) to fit the plot's width; a plot
    // narrower than the widget (its maximum size) needs another pass with that width.
    QString title;
    bool below = false;
    double point = top;
    QSize minimum, needed;
    m_titleWidth = 0;
    for (int pass = 0; pass < 3; ++pass) {
        title = fittedTitle();
        // The title and the column-axis title (two lines with a note).
        const int extraH = int(titleMetrics.height() * lineCount(title) * 1.1) +
                           lineCount(m_plot->xAxis->label()) * axisLine + 24;
        auto side = [&](int labels, bool barBelow) {
            return barBelow
                       ? std::min(width() - labels - extraW, height() - labels - extraH - belowH)
                       : std::min(width() - labels - extraW - sideW, height() - labels - extraH);
        };
        below =
            m_belowAllowed && n > 0 && side(labelExtent(top), true) > side(labelExtent(top), false);
        point = top;
        if (n > 0) {
            for (; point > bottom; point -= 0.5) {
                QFont f(font().family());
                f.setPointSizeF(point);
                const double c = double(std::max(side(labelExtent(point), below), 40)) / n;
                if (QFontMetrics(f).height() <= c * 1.05)
                    break;
            }
            point = std::max(point, bottom);
        }
        // Slack: QCustomPlot's margins are only estimated here (the bar below shares the map's
        // width). Without the bar below, the minimum is the beside layout's: wider, but no
        // taller than the map needs (a grid of three maps then fits 1400×900). A bar placed
        // beside takes no height either (the teaching map at 1280×720 then fits its pane); the
        // choice above favours the layout the size already has, so this does not flip it back.
        minimum = QSize(
            std::max(240, n * cell + extent + extraW + (m_belowAllowed ? axisLine / 2 : sideW)),
            std::max(240, n * cell + extent + extraH + (below ? belowH : 0) + 2 * axisLine));
        // The square the labels leave, plus a little slack for QCustomPlot's own margins.
        const int square = std::max(side(labelExtent(point), below), 0);
        const int labels = labelExtent(point) + 12;
        needed = QSize(square + labels + extraW + (below ? 0 : sideW),
                       square + labels + extraH + (below ? belowH : 0))
                     .expandedTo(minimum)
                     .expandedTo(QSize(240, 240));
        const int plotWidth = std::max(std::min(width(), needed.width()), minimum.width());
        if (plotWidth >= (m_titleWidth > 0 ? m_titleWidth : width()))
            break;
        m_titleWidth = plotWidth;
        if (pass == 2)
            title = fittedTitle();  // never wider than the plot, even if a line was added
    }
    placeColourScale(below);
    m_titleElement->setText(title);
    m_colorScale->axis()->setLabel(below ? belowLabel : sideLabel);
    sizeColourScale();
    m_plot->setMinimumSize(minimum);
    m_plot->setMaximumSize(needed);
    m_labelPointSize = point;
    QFont f(font().family());
    f.setPointSizeF(point);
    QMap<double, QString> ticks;
    for (int k = 0; k < n; ++k)
        ticks.insert(k, elide(m_tokens[k]));
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setTickLabelFont(f);
        auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
        if (ticker)
            ticker->setTicks(ticks);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// Moves the colour bar beside or below the map; the margin group lines it up with the map.
void HeatmapPlot::placeColourScale(bool below) {
    if (below == m_barBelow)
        return;
    m_barBelow = below;
    m_body->take(m_colorScale);
    m_body->simplify();
    if (below)
        m_body->addElement(1, 0, m_colorScale);
    else
        m_body->addElement(0, 1, m_colorScale);
    // The type change swaps the colour axis for another one of the bar: style it again, and
    // have the gradient image redrawn for the new direction.
    m_colorScale->setType(below ? QCPAxis::atBottom : QCPAxis::atRight);
    // Under a narrow map the labels run side by side: fewer ticks, so they never overlap.
    auto ticker = QSharedPointer<ColourTicker>::create();
    ticker->setTickCount(below ? 3 : 5);
    m_colorScale->axis()->setTicker(ticker);
    m_colorScale->setMinimumMargins(QMargins(0, below ? 8 : 0, 0, 0));
    const QCPColorGradient gradient = m_colorScale->gradient();
    m_colorScale->setGradient(QCPColorGradient());
    m_colorScale->setGradient(gradient);
    applyFonts();
    setDarkTheme(m_dark);
    const QCP::MarginSides shared =
        below ? (QCP::msLeft | QCP::msRight) : (QCP::msTop | QCP::msBottom);
    for (QCPLayoutElement* e : {static_cast<QCPLayoutElement*>(m_plot->axisRect()),
                                static_cast<QCPLayoutElement*>(m_colorScale)}) {
        e->setMarginGroup(QCP::msAll, nullptr);
        e->setMarginGroup(shared, m_marginGroup);
    }
}

QRect HeatmapPlot::titleRect() const {
    if (m_titleElement->text().isEmpty())
        return QRect();
    const QFontMetrics fm(m_titleElement->font());
    return fm.boundingRect(m_titleElement->outerRect(), Qt::AlignCenter, m_titleElement->text());
}

void HeatmapPlot::setColourBarBelowAllowed(bool allowed) {
    if (allowed == m_belowAllowed)
        return;
    m_belowAllowed = allowed;
    updateTicks();
}

// As QCustomPlot draws it: beside the bar, after the tick labels, centred on the bar's length;
// below it, under the tick labels, centred on the bar.
QRect HeatmapPlot::colourBarLabelRect() const {
    QCPAxis* axis = m_colorScale->axis();
    if (!m_colorScale->visible() || axis->label().isEmpty())
        return QRect();
    const QRect text =
        QFontMetrics(axis->labelFont()).boundingRect(QRect(), Qt::AlignCenter, axis->label());
    const QFontMetrics tickMetrics(axis->tickLabelFont());
    int ticks = 0;
    for (const QString& t : axis->tickVectorLabels())
        ticks =
            std::max(ticks, m_barBelow ? tickMetrics.height() : tickMetrics.horizontalAdvance(t));
    const QRect bar = axis->axisRect()->rect();
    const int gap = axis->offset() + axis->tickLengthOut() + axis->tickLabelPadding() + ticks +
                    axis->labelPadding();
    if (m_barBelow)
        return QRect(bar.center().x() - text.width() / 2, bar.bottom() + gap, text.width(),
                     text.height());
    return QRect(bar.right() + gap, bar.center().y() - text.width() / 2, text.height(),
                 text.width());
}

QRect HeatmapPlot::colourBarRect() const {
    if (!m_colorScale->visible())
        return QRect();
    QRect r = m_colorScale->outerRect();
    if (m_barBelow) {
        // The label is centred under the bar and may be wider than it.
        QCPAxis* axis = m_colorScale->axis();
        const QRect label =
            QFontMetrics(axis->labelFont()).boundingRect(QRect(), Qt::AlignCenter, axis->label());
        r = r.united(QRect(r.center().x() - label.width() / 2, r.top(), label.width(), r.height()));
    }
    return r;
}

// Bar, tick labels and the rotated label; grows less than the fonts (the bar stays thin).
int HeatmapPlot::colourScaleWidth(int labelLines) const {
    QFont label(font().family());
    label.setPointSizeF(9.0 * m_fontScale);
    return int(std::lround(96 * (1.0 + 0.6 * (m_fontScale - 1.0)))) +
           (labelLines - 1) * QFontMetrics(label).height();
}

// Beside the map the bar has a fixed width, so that both maps of a pair get equal cells
// whatever their tick labels look like. Below it QCustomPlot sizes the bar itself (a fixed
// outer height there misplaces the gradient); the maps are then bounded by their width.
void HeatmapPlot::sizeColourScale() {
    if (m_barBelow) {
        m_colorScale->setSizeConstraintRect(QCPLayoutElement::scrInnerRect);
        m_colorScale->setMinimumSize(QSize(0, 0));
        m_colorScale->setMaximumSize(QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX));
    } else {
        const int width = colourScaleWidth(lineCount(m_colorScale->axis()->label()));
        m_colorScale->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
        m_colorScale->setMinimumSize(QSize(width, 50));
        m_colorScale->setMaximumSize(QSize(width, QWIDGETSIZE_MAX));
    }
}

// Below the map: bar, a line of tick labels and the label's lines, with QCustomPlot's paddings.
int HeatmapPlot::colourScaleHeight(int labelLines) const {
    QFont tick(font().family()), label(font().family());
    tick.setPointSizeF(8.0 * m_fontScale);
    label.setPointSizeF(9.0 * m_fontScale);
    return int(std::lround(12 * m_fontScale)) + QFontMetrics(tick).height() +
           labelLines * QFontMetrics(label).height() + 32;
}

}  // namespace attrscope::ui
