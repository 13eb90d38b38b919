#include "views/heatmap/heatmap_plot.h"

#include <QEvent>
#include <QFileInfo>
#include <QFontMetrics>
#include <QMouseEvent>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot/palette.h"
#include "plot/qcustomplot_wrapper.h"
#include "views/heatmap/colour_ticker.h"
#include "views/heatmap/fit_text.h"

namespace attrscope::ui {

HeatmapPlot::HeatmapPlot(Scale scale, QWidget* parent) : QWidget(parent), m_scale(scale) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setMinimumSize(240, 240);
    // A plot bounded by one side gets no more of the other than its square map needs (its
    // maximum size; the layout centres it), so the token labels stay next to the map.
    layout->addWidget(m_plot, 1);
    layout->addStretch(0);  // top-aligned: the maps of a pair line up

    // The title has a row of its own over the whole plot; the map and its colour bar share the
    // grid below it. (In one grid the title would be centred on the map's column only, and a
    // title wider than that column would be cut at the plot's left edge.)
    QCPLayoutGrid* outer = m_plot->plotLayout();
    QCPAxisRect* axisRect = m_plot->axisRect();
    outer->take(axisRect);
    outer->simplify();
    m_titleElement = new QCPTextElement(m_plot, QString(), QFont(font().family(), 10, QFont::Bold));
    outer->addElement(0, 0, m_titleElement);
    m_body = new QCPLayoutGrid;
    outer->addElement(1, 0, m_body);
    m_body->addElement(0, 0, axisRect);

    m_colorScale = new QCPColorScale(m_plot);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setBarWidth(12);
    m_colorScale->axis()->setTicker(QSharedPointer<ColourTicker>::create());
    // A fixed width (bar, tick labels and label) so both maps of a pair get equal cells whatever
    // their tick labels look like.
    m_colorScale->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
    m_colorScale->setMinimumSize(QSize(96, 50));
    m_colorScale->setMaximumSize(QSize(96, QWIDGETSIZE_MAX));
    m_body->addElement(0, 1, m_colorScale);
    m_marginGroup = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);

    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setSubTicks(false);
        axis->grid()->setVisible(false);
        axis->setTickPen(Qt::NoPen);  // the labels alone mark the cells
        axis->setBasePen(Qt::NoPen);
        axis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
        axis->setLabelFont(QFont(font().family(), 9));
    }
    // Query rows top to bottom like a table; column labels read bottom-up.
    m_plot->yAxis->setRangeReversed(true);
    m_plot->xAxis->setTickLabelRotation(-90);
    m_plot->xAxis->setLabel(tr("key j (attended to)"));
    m_plot->yAxis->setLabel(tr("query i (attending)"));

    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    const Palette& palette =
        scale == Scale::Sequential ? Palette::sequential() : Palette::diverging();
    // Linking adopts the scale's gradient, so the gradient is set after linking, on the scale.
    m_map->setColorScale(m_colorScale);
    m_colorScale->setGradient(toGradient(palette));
    m_map->setGradient(toGradient(palette));

    m_frame = new QCPItemRect(m_plot);
    m_frame->setPen(QPen(QColor(120, 120, 120), 1));
    m_frame->setBrush(Qt::NoBrush);

    // On the dark end of viridis a light dashed line reads better; on white a dark one.
    QPen sepPen(scale == Scale::Sequential ? QColor(255, 255, 255, 220) : QColor(40, 40, 40), 1.5,
                Qt::DashLine);
    m_sepVertical = new QCPItemStraightLine(m_plot);
    m_sepHorizontal = new QCPItemStraightLine(m_plot);
    for (auto* line : {m_sepVertical, m_sepHorizontal}) {
        line->setPen(sepPen);
        line->setVisible(false);
    }

    m_hoverOuter = new QCPItemRect(m_plot);
    m_hoverOuter->setPen(QPen(Qt::black, 3));
    m_hoverInner = new QCPItemRect(m_plot);
    m_hoverInner->setPen(QPen(Qt::white, 1));
    for (auto* r : {m_hoverOuter, m_hoverInner}) {
        r->setBrush(Qt::NoBrush);
        r->setVisible(false);
    }

    m_message = new QCPItemText(m_plot);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setCoords(0.5, 0.5);
    m_message->setPositionAlignment(Qt::AlignCenter);
    m_message->setColor(QColor(90, 90, 90));
    m_message->setFont(QFont(font().family(), 10));
    m_message->setVisible(false);

    connect(m_plot, &QCustomPlot::mouseMove, this, &HeatmapPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &HeatmapPlot::onMousePress);
    connect(m_plot, &QCustomPlot::afterLayout, this, &HeatmapPlot::keepCellsSquare);
    applyFonts();
    setTokens({}, -1);
}

QWidget* HeatmapPlot::plotWidget() const {
    return m_plot;
}

// A new text with as many lines as the old one keeps the layout; otherwise it is redone.
void HeatmapPlot::setTitle(const QString& title) {
    m_title = title;
    const QString shown = fittedTitle();
    if (lineCount(shown) != lineCount(m_titleElement->text()))
        return updateTicks();
    m_titleElement->setText(shown);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setScaleLabel(const QString& label) {
    m_scaleLabel = label;
    const QString shown = fittedScaleLabel(m_barBelow);
    if (lineCount(shown) != lineCount(m_colorScale->axis()->label()))
        return updateTicks();
    m_colorScale->axis()->setLabel(shown);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setTokens(const QStringList& tokens, int sepBoundary) {
    m_tokens = tokens;
    m_sepBoundary = sepBoundary;
    const int n = tokens.size();
    m_map->data()->setSize(std::max(n, 1), std::max(n, 1));
    m_map->data()->setRange(QCPRange(0, std::max(n - 1, 1)), QCPRange(0, std::max(n - 1, 1)));
    m_map->data()->fill(0.0);
    m_hasMatrix = false;
    m_map->setVisible(false);
    const double hi = std::max(n, 1) - 0.5;
    m_plot->xAxis->setRange(-0.5, hi);
    m_plot->yAxis->setRange(-0.5, hi);
    placeRect(m_frame, -0.5, -0.5, n - 0.5, n - 0.5);
    m_frame->setVisible(n > 0);
    const bool sep = sepBoundary >= 0 && sepBoundary < n - 1;
    m_sepVertical->setVisible(sep);
    m_sepHorizontal->setVisible(sep);
    if (sep) {
        const double b = sepBoundary + 0.5;
        m_sepVertical->point1->setCoords(b, 0);
        m_sepVertical->point2->setCoords(b, 1);
        m_sepHorizontal->point1->setCoords(0, b);
        m_sepHorizontal->point2->setCoords(1, b);
    }
    setHoverCell(-1, -1);
    setHighlight({}, {});
    updateTicks();
    setMatrix({}, n == 0 ? tr("No input yet: type a sentence and press Run") : QString());
}

void HeatmapPlot::setMatrix(const std::vector<float>& values, const QString& message) {
    const int n = size();
    const bool ok = n > 0 && values.size() == size_t(n) * size_t(n);
    m_hasMatrix = ok;
    m_map->setVisible(ok);
    m_message->setVisible(!ok && !message.isEmpty());
    m_message->setText(message);
    m_messageText = message;
    // The [SEP] lines belong to the map: a message stands alone.
    const bool sep = ok && m_sepBoundary >= 0 && m_sepBoundary < n - 1;
    m_sepVertical->setVisible(sep);
    m_sepHorizontal->setVisible(sep);
    if (ok) {
        double lo = 0.0, hi = 0.0;
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j) {
                const float v = values[size_t(i) * size_t(n) + size_t(j)];
                m_map->data()->setCell(j, i, v);
                lo = std::min(lo, double(v));
                hi = std::max(hi, double(v));
            }
        }
        QCPRange range;
        if (m_scale == Scale::Sequential) {
            if (m_fixedLimit > 0.0)
                hi = m_fixedLimit;
            range = QCPRange(0.0, hi > 0.0 ? hi : 1.0);
        } else {
            // Symmetric around 0 so that white always means "no attribution".
            const double m =
                m_fixedLimit > 0.0 ? m_fixedLimit : std::max(std::abs(lo), std::abs(hi));
            range = QCPRange(-(m > 0.0 ? m : 1e-6), m > 0.0 ? m : 1e-6);
        }
        m_map->setDataRange(range);
    }
    m_colorScale->setVisible(ok);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

double HeatmapPlot::value(int row, int column) const {
    if (!m_hasMatrix || row < 0 || column < 0 || row >= size() || column >= size())
        return NAN;
    return m_map->data()->cell(column, row);
}

double HeatmapPlot::colorMin() const {
    return m_map->dataRange().lower;
}
double HeatmapPlot::colorMax() const {
    return m_map->dataRange().upper;
}

void HeatmapPlot::placeRect(QCPItemRect* rect, double x0, double y0, double x1, double y1) {
    rect->topLeft->setCoords(x0, y0);
    rect->bottomRight->setCoords(x1, y1);
}

void HeatmapPlot::setHoverCell(int row, int column) {
    const bool show = row >= 0 && column >= 0 && row < size() && column < size();
    m_hoverRow = show ? row : -1;
    m_hoverColumn = show ? column : -1;
    m_hoverOuter->setVisible(show);
    m_hoverInner->setVisible(show);
    if (show) {
        placeRect(m_hoverOuter, column - 0.5, row - 0.5, column + 0.5, row + 0.5);
        placeRect(m_hoverInner, column - 0.5, row - 0.5, column + 0.5, row + 0.5);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setHighlight(const QVector<QPoint>& cells, const QVector<int>& tokens) {
    for (auto* item : m_highlightCells)
        m_plot->removeItem(item);
    for (auto* item : m_highlightBands)
        m_plot->removeItem(item);
    m_highlightCells.clear();
    m_highlightBands.clear();
    const int n = size();
    for (int t : tokens) {
        if (t < 0 || t >= n)
            continue;
        // A translucent band over the token's row and column.
        for (bool isRow : {true, false}) {
            auto* band = new QCPItemRect(m_plot);
            band->setPen(Qt::NoPen);
            band->setBrush(QColor(255, 200, 0, 70));
            if (isRow)
                placeRect(band, -0.5, t - 0.5, n - 0.5, t + 0.5);
            else
                placeRect(band, t - 0.5, -0.5, t + 0.5, n - 0.5);
            m_highlightBands << band;
        }
    }
    for (const QPoint& c : cells) {
        if (c.x() < 0 || c.y() < 0 || c.x() >= n || c.y() >= n)
            continue;
        auto* rect = new QCPItemRect(m_plot);
        rect->setPen(QPen(QColor(230, 0, 200), 2.5));
        rect->setBrush(Qt::NoBrush);
        placeRect(rect, c.x() - 0.5, c.y() - 0.5, c.x() + 0.5, c.y() + 0.5);
        m_highlightCells << rect;
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QPoint HeatmapPlot::cellCenter(int row, int column) const {
    return QPoint(int(std::lround(m_plot->xAxis->coordToPixel(column))),
                  int(std::lround(m_plot->yAxis->coordToPixel(row))));
}

QPoint HeatmapPlot::cellAt(const QPointF& pos) const {
    if (!m_plot->axisRect()->rect().contains(pos.toPoint()))
        return QPoint(-1, -1);
    const int j = int(std::lround(m_plot->xAxis->pixelToCoord(pos.x())));
    const int i = int(std::lround(m_plot->yAxis->pixelToCoord(pos.y())));
    if (i < 0 || j < 0 || i >= size() || j >= size())
        return QPoint(-1, -1);
    return QPoint(j, i);
}

void HeatmapPlot::onMouseMove(QMouseEvent* event) {
    const QPoint c = cellAt(event->position());
    if (!m_hasMatrix)
        return;
    if (c.y() == m_hoverRow && c.x() == m_hoverColumn)
        return;
    Q_EMIT cellHovered(c.y(), c.x());
}

void HeatmapPlot::onMousePress(QMouseEvent* event) {
    const QPoint c = cellAt(event->position());
    if (m_hasMatrix && c.x() >= 0)
        Q_EMIT cellClicked(c.y(), c.x());
}

bool HeatmapPlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_plot && event->type() == QEvent::Leave && m_hoverRow >= 0)
        Q_EMIT cellHovered(-1, -1);
    return QWidget::eventFilter(watched, event);
}

void HeatmapPlot::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateTicks();
}

QStringList HeatmapPlot::columnLabels() const {
    auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

QStringList HeatmapPlot::rowLabels() const {
    auto ticker = m_plot->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

double HeatmapPlot::cellPixels() const {
    if (size() < 2)
        return 0.0;
    return std::abs(m_plot->xAxis->coordToPixel(1) - m_plot->xAxis->coordToPixel(0));
}

void HeatmapPlot::setFontScale(double scale) {
    m_fontScale = std::clamp(scale, 0.5, 4.0);
    applyFonts();
    updateTicks();
}

void HeatmapPlot::setZoom(double zoom) {
    m_zoom = std::clamp(zoom, 0.5, 8.0);
    updateTicks();
}

void HeatmapPlot::applyFonts() {
    const QString family = font().family();
    const double s = m_fontScale;
    m_titleElement->setFont(QFont(family, int(std::lround(10 * s)), QFont::Bold));
    m_message->setFont(QFont(family, int(std::lround(10 * s))));
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis, m_colorScale->axis()}) {
        QFont f(family);
        f.setPointSizeF(9.0 * s);
        axis->setLabelFont(f);
        if (axis == m_colorScale->axis()) {
            f.setPointSizeF(8.0 * s);
            axis->setTickLabelFont(f);
        }
    }
    m_colorScale->setBarWidth(int(std::lround(12 * s)));
    sizeColourScale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// Widens one axis range so that cells are square in whatever rectangle the layout gave us.
void HeatmapPlot::keepCellsSquare() {
    const QRect r = m_plot->axisRect()->rect();
    const int n = std::max(size(), 1);
    if (r.width() <= 0 || r.height() <= 0)
        return;
    const double center = (n - 1) / 2.0;
    double wx = n, wy = n;
    if (r.width() > r.height())
        wx = n * double(r.width()) / r.height();
    else
        wy = n * double(r.height()) / r.width();
    const QCPRange x(center - wx / 2, center + wx / 2), y(center - wy / 2, center + wy / 2);
    auto differs = [](const QCPRange& a, const QCPRange& b) {
        return std::abs(a.lower - b.lower) > 1e-6 || std::abs(a.upper - b.upper) > 1e-6;
    };
    if (differs(m_plot->xAxis->range(), x) || differs(m_plot->yAxis->range(), y)) {
        m_plot->xAxis->setRange(x);
        m_plot->yAxis->setRange(y);
        // Tick positions were computed before this change; draw once more.
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

bool HeatmapPlot::saveImage(const QString& path) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return m_plot->savePdf(path);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(m_plot->size());
        generator.setViewBox(QRect(QPoint(0, 0), m_plot->size()));
        generator.setTitle(m_title);
        QCPPainter painter(&generator);
        m_plot->toPainter(&painter, m_plot->width(), m_plot->height());
        return painter.end();
    }
    return m_plot->savePng(path, 0, 0, 2.0);
}

void HeatmapPlot::setPalette(const Palette& palette) {
    m_colorScale->setGradient(toGradient(palette));
    m_map->setGradient(toGradient(palette));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setFixedLimit(double limit) {
    m_fixedLimit = limit;
}

void HeatmapPlot::setDarkTheme(bool dark) {
    m_dark = dark;
    const QColor fg = dark ? QColor(225, 225, 225) : QColor(0, 0, 0);
    const QColor bg = dark ? QColor(37, 37, 40) : QColor(255, 255, 255);
    m_plot->setBackground(bg);
    m_plot->axisRect()->setBackground(bg);
    m_titleElement->setTextColor(fg);
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis, m_colorScale->axis()}) {
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
        if (axis == m_colorScale->axis()) {
            axis->setBasePen(QPen(fg));
            axis->setTickPen(QPen(fg));
        }
    }
    m_message->setColor(dark ? QColor(180, 180, 180) : QColor(90, 90, 90));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapPlot::setAxisNote(const QString& note) {
    const QString suffix = note.isEmpty() ? QString() : QStringLiteral("\n(%1)").arg(note);
    m_plot->xAxis->setLabel(tr("key j (attended to)") + suffix);
    m_plot->yAxis->setLabel(tr("query i (attending)"));
    updateTicks();  // the note takes a line
}

void HeatmapPlot::paintTo(QCPPainter* painter) const {
    m_plot->toPainter(painter, m_plot->width(), m_plot->height());
}

}  // namespace attrscope::ui
