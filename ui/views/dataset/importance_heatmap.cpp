#include "views/dataset/importance_heatmap.h"

#include <QMouseEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot/plot_theme.h"
#include "plot/palette.h"
#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

namespace {
// Above this many cells the numbers no longer fit; the colours and the hover tell.
constexpr int kMaxAnnotatedCells = 256;
}  // namespace

ImportanceHeatmap::ImportanceHeatmap(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(260, 220);
    layout->addWidget(m_plot);

    m_plot->plotLayout()->insertRow(0);
    m_titleElement = new QCPTextElement(m_plot, QString(), QFont(font().family(), 10, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_titleElement);
    m_scale = new QCPColorScale(m_plot);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(12);
    m_plot->plotLayout()->addElement(1, 1, m_scale);
    auto* group = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setSubTicks(false);
        axis->grid()->setVisible(false);
        axis->setTickPen(Qt::NoPen);
        axis->setBasePen(Qt::NoPen);
        axis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    }
    m_plot->yAxis->setRangeReversed(true);  // L1 on top, as in the overview grid
    m_plot->xAxis->setLabel(tr("head (click a cell to open it on the current example)"));
    m_plot->yAxis->setLabel(tr("layer"));

    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_map->setColorScale(m_scale);

    m_selection = new QCPItemRect(m_plot);
    m_selection->setPen(QPen(QColor(230, 0, 200), 2.5));
    m_selection->setBrush(Qt::NoBrush);
    m_selection->setVisible(false);

    m_message = new QCPItemText(m_plot);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setCoords(0.5, 0.5);
    m_message->setPositionAlignment(Qt::AlignCenter);
    m_message->setColor(QColor(90, 90, 90));

    connect(m_plot, &QCustomPlot::mousePress, this, &ImportanceHeatmap::onMousePress);
    clear(tr("Run a head-importance (or pruning) analysis to see every head's importance"));
}

QWidget* ImportanceHeatmap::plotWidget() const {
    return m_plot;
}

void ImportanceHeatmap::clearLabels() {
    for (auto* item : m_labels)
        m_plot->removeItem(item);
    m_labels.clear();
}

void ImportanceHeatmap::clear(const QString& message) {
    clearLabels();
    m_layers = m_heads = 0;
    m_title.clear();
    m_values.clear();
    m_titleElement->setText(QString());
    m_map->setVisible(false);
    m_scale->setVisible(false);
    m_selection->setVisible(false);
    m_message->setText(message);
    m_message->setVisible(true);
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis})
        axis->ticker().dynamicCast<QCPAxisTickerText>()->clear();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ImportanceHeatmap::setConventions(const ViewConventions& conventions) {
    m_conv = conventions;
    const bool dark = m_conv.theme == Theme::Dark;
    applyPlotTheme(m_plot, dark);
    m_message->setColor(dark ? QColor(180, 180, 180) : QColor(90, 90, 90));
    if (hasValues())
        draw();
}

QStringList ImportanceHeatmap::headTickLabels() const {
    return m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>()->ticks().values();
}

QStringList ImportanceHeatmap::layerTickLabels() const {
    return m_plot->yAxis->ticker().dynamicCast<QCPAxisTickerText>()->ticks().values();
}

void ImportanceHeatmap::setValues(const std::vector<double>& values, int layers, int heads,
                                  const QString& title, const QString& scaleLabel, bool diverging) {
    if (layers <= 0 || heads <= 0 || values.size() != size_t(layers) * size_t(heads))
        return clear(tr("No values for %1").arg(title));
    m_layers = layers;
    m_heads = heads;
    m_diverging = diverging;
    m_title = title;
    m_scaleLabel = scaleLabel;
    m_values = values;
    draw();
}

void ImportanceHeatmap::draw() {
    const int layers = m_layers, heads = m_heads;
    const std::vector<double>& values = m_values;
    clearLabels();
    m_titleElement->setText(m_title);
    m_message->setVisible(false);
    m_map->setVisible(true);
    m_scale->setVisible(true);
    m_scale->axis()->setLabel(m_scaleLabel);

    m_map->data()->setSize(heads, layers);
    // Cell centres at integer coordinates: head h at x = h, layer l at y = l.
    m_map->data()->setRange(QCPRange(0, std::max(heads - 1, 1)),
                            QCPRange(0, std::max(layers - 1, 1)));
    double lo = 0.0, hi = 0.0;
    for (int l = 0; l < layers; ++l) {
        for (int h = 0; h < heads; ++h) {
            const double v = values[size_t(l) * size_t(heads) + size_t(h)];
            m_map->data()->setCell(h, l, v);
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    const Palette& palette = m_diverging ? Palette::named(m_conv.divergingPalette, true)
                                         : Palette::named(m_conv.sequentialPalette, false);
    m_scale->setGradient(toGradient(palette));
    m_map->setGradient(toGradient(palette));
    QCPRange range;
    if (m_diverging) {
        // Symmetric around 0, so white always means "no importance".
        const double m = std::max(std::abs(lo), std::abs(hi));
        range = QCPRange(-(m > 0 ? m : 1e-9), m > 0 ? m : 1e-9);
    } else {
        range = QCPRange(std::min(lo, 0.0), hi > 0 ? hi : 1.0);
    }
    m_map->setDataRange(range);

    QMap<double, QString> xTicks, yTicks;
    for (int h = 0; h < heads; ++h)
        xTicks.insert(h, m_conv.headLabel(h));
    for (int l = 0; l < layers; ++l)
        yTicks.insert(l, m_conv.layerLabel(l));
    m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>()->setTicks(xTicks);
    m_plot->yAxis->ticker().dynamicCast<QCPAxisTickerText>()->setTicks(yTicks);
    m_plot->xAxis->setRange(-0.5, heads - 0.5);
    m_plot->yAxis->setRange(-0.5, layers - 0.5);

    if (layers * heads <= kMaxAnnotatedCells) {
        const QFont f(font().family(), layers * heads > 64 ? 7 : 8);
        for (int l = 0; l < layers; ++l) {
            for (int h = 0; h < heads; ++h) {
                const double v = values[size_t(l) * size_t(heads) + size_t(h)];
                auto* text = new QCPItemText(m_plot);
                text->position->setCoords(h, l);
                text->setPositionAlignment(Qt::AlignCenter);
                text->setFont(f);
                text->setText(QString::number(v, 'g', 3));
                // Dark text on light cells, light on dark ones.
                const double t = range.size() > 0 ? (v - range.lower) / range.size() : 0.5;
                const QColor c = palette.colorAt(t);
                text->setColor(c.lightnessF() > 0.55 ? QColor(20, 20, 20) : QColor(245, 245, 245));
                text->setClipToAxisRect(true);
                m_labels.push_back(text);
            }
        }
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

double ImportanceHeatmap::value(int layer, int head) const {
    if (layer < 0 || head < 0 || layer >= m_layers || head >= m_heads)
        return NAN;
    return m_map->data()->cell(head, layer);
}

double ImportanceHeatmap::colorMin() const {
    return m_map->dataRange().lower;
}

double ImportanceHeatmap::colorMax() const {
    return m_map->dataRange().upper;
}

void ImportanceHeatmap::setSelected(int layer, int head) {
    const bool show = layer >= 0 && head >= 0 && layer < m_layers && head < m_heads;
    m_selection->setVisible(show);
    if (show) {
        m_selection->topLeft->setCoords(head - 0.5, layer - 0.5);
        m_selection->bottomRight->setCoords(head + 0.5, layer + 0.5);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QPoint ImportanceHeatmap::cellCenter(int layer, int head) const {
    return QPoint(int(std::lround(m_plot->xAxis->coordToPixel(head))),
                  int(std::lround(m_plot->yAxis->coordToPixel(layer))));
}

void ImportanceHeatmap::onMousePress(QMouseEvent* event) {
    if (!hasValues() || !m_plot->axisRect()->rect().contains(event->position().toPoint()))
        return;
    const int head = int(std::lround(m_plot->xAxis->pixelToCoord(event->position().x())));
    const int layer = int(std::lround(m_plot->yAxis->pixelToCoord(event->position().y())));
    if (layer < 0 || head < 0 || layer >= m_layers || head >= m_heads)
        return;
    setSelected(layer, head);
    Q_EMIT headClicked(layer, head);
}

void ImportanceHeatmap::paintTo(QCPPainter* painter) const {
    m_plot->toPainter(painter, m_plot->width(), m_plot->height());
}

}  // namespace attrscope::ui
