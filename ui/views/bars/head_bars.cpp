#include "views/bars/head_bars.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "document/analysis_document.h"
#include "plot/palette.h"
#include "plot/plot_theme.h"
#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

HeadBars::HeadBars(AnalysisDocument* document, QWidget* parent) : QWidget(parent), m_doc(document) {
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(150);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), 9, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);

    m_selection = new QCPItemRect(m_plot);
    m_selection->setLayer(QStringLiteral("grid"));
    m_selection->setPen(Qt::NoPen);
    m_selection->setBrush(QColor(255, 210, 0, 90));
    m_selection->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_selection->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_selection->setVisible(false);

    m_attrBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_attrBars->setName(tr("max attribution"));
    m_attrBars->setPen(QPen(Palette::diverging().colorAt(0.95), 1));
    m_attrBars->setBrush(Palette::diverging().colorAt(0.8));
    m_attnBars = new QCPBars(m_plot->xAxis, m_plot->yAxis2);
    m_attnBars->setName(tr("max attention (right axis)"));
    m_attnBars->setPen(QPen(Palette::sequential().colorAt(0.35), 1));
    m_attnBars->setBrush(Palette::sequential().colorAt(0.55));

    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_plot->xAxis->setSubTicks(false);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->yAxis2->setVisible(true);
    // The legend gets its own row under the title, so it never covers a bar.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->plotLayout()->insertRow(1);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);

    m_attentionToggle = new QCheckBox(tr("Show attention max"), this);
    m_attentionToggle->setChecked(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 4);
    layout->addWidget(m_plot, 1);
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(m_attentionToggle);
    layout->addLayout(row);

    connect(m_attentionToggle, &QCheckBox::toggled, this, &HeadBars::setAttentionVisible);
    connect(m_plot, &QCustomPlot::mousePress, this, &HeadBars::onMousePress);
    connect(m_doc, &AnalysisDocument::modelChanged, this, &HeadBars::refresh);
    connect(m_doc, &AnalysisDocument::analysisReset, this, &HeadBars::refresh);
    connect(m_doc, &AnalysisDocument::resultChanged, this, &HeadBars::refresh);
    connect(m_doc, &AnalysisDocument::layerAdded, this, [this](int layer) {
        if (layer == m_doc->currentLayer())
            refresh();
    });
    connect(m_doc, &AnalysisDocument::selectionChanged, this, &HeadBars::refresh);
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, &HeadBars::applyConventions);
    applyConventions();
}

double HeadBars::shownMax(const AnalysisDocument& doc, bool attribution, int layer, int head) {
    if (attribution) {
        const std::vector<float> row = doc.clsRowShown(layer, head);
        if (!row.empty())
            return *std::max_element(row.begin(), row.end());
    }
    const std::vector<float> m =
        attribution ? doc.displayedAttribution(layer, head) : doc.displayedAttention(layer, head);
    if (m.empty())
        return NAN;
    return *std::max_element(m.begin(), m.end());
}

QString HeadBars::maxScope(const AnalysisDocument& doc) {
    const QString note = doc.conventions().note();
    return note.isEmpty() ? tr("over all token pairs") : tr("over the shown entries: %1").arg(note);
}

QString HeadBars::lastLayerNote(const AnalysisDocument& doc, int layer) {
    if (doc.numHeads() == 0 || doc.clsRowShown(layer, -1).empty())
        return QString();
    QString note = tr("%1: only the [CLS] row of attribution is computed (only it reaches the "
                      "output), so each attribution bar is the max of that row")
                       .arg(doc.conventions().layerLabel(layer));
    if (doc.conventions().hideSpecials)
        note += tr(" over the shown columns ([CLS] kept as the row although specials are hidden)");
    return note + QLatin1Char('.');
}

void HeadBars::applyConventions() {
    applyPlotTheme(m_plot, m_doc->conventions());
    const QString scope = maxScope(*m_doc);
    m_plot->yAxis->setLabel(tr("max attribution"));
    m_plot->yAxis2->setLabel(tr("max attention"));
    m_plot->xAxis->setLabel(tr("head (click to show it in the heatmaps)\nmax %1").arg(scope));
    m_plot->setToolTip(tr("Each bar: the largest entry of the head's map %1, as the heatmaps "
                          "show it (values not renormalised).")
                           .arg(scope));
    refresh();
}

QWidget* HeadBars::plotWidget() const {
    return m_plot;
}

bool HeadBars::isAttentionVisible() const {
    return m_attnBars->visible();
}

void HeadBars::setAttentionVisible(bool visible) {
    if (m_attentionToggle->isChecked() != visible)
        m_attentionToggle->setChecked(visible);
    m_attnBars->setVisible(visible);
    m_attnBars->addToLegend();
    if (!visible)
        m_attnBars->removeFromLegend();
    m_plot->yAxis2->setVisible(visible);
    refresh();
}

double HeadBars::attributionBar(int head) const {
    return head >= 0 && head < int(m_attr.size()) ? m_attr[size_t(head)] : NAN;
}

double HeadBars::attentionBar(int head) const {
    return head >= 0 && head < int(m_attn.size()) ? m_attn[size_t(head)] : NAN;
}

void HeadBars::refresh() {
    const int heads = m_doc->numHeads();
    const int layer = m_doc->currentLayer();
    m_attr.assign(size_t(heads), NAN);
    m_attn.assign(size_t(heads), NAN);
    for (int h = 0; h < heads; ++h) {
        m_attr[size_t(h)] = shownMax(*m_doc, true, layer, h);
        m_attn[size_t(h)] = shownMax(*m_doc, false, layer, h);
    }
    const bool withAttention = m_attnBars->visible();
    const double offset = withAttention ? 0.2 : 0.0;
    const double width = withAttention ? 0.38 : 0.6;
    QVector<double> keys, attr, keys2, attn;
    QMap<double, QString> ticks;
    double lo = 0.0, hi = 0.0, attnHi = 0.0;
    for (int h = 0; h < heads; ++h) {
        ticks.insert(h, m_doc->conventions().headLabel(h));
        if (std::isfinite(m_attr[size_t(h)])) {
            keys << h - offset;
            attr << m_attr[size_t(h)];
            lo = std::min(lo, m_attr[size_t(h)]);
            hi = std::max(hi, m_attr[size_t(h)]);
        }
        if (std::isfinite(m_attn[size_t(h)])) {
            keys2 << h + offset;
            attn << m_attn[size_t(h)];
            attnHi = std::max(attnHi, m_attn[size_t(h)]);
        }
    }
    m_attrBars->setWidth(width);
    m_attnBars->setWidth(width);
    m_attrBars->setData(keys, attr, true);
    m_attnBars->setData(keys2, attn, true);
    m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>()->setTicks(ticks);
    m_plot->xAxis->setRange(-0.6, std::max(heads, 1) - 0.4);
    const double span = std::max(hi - lo, 1e-6);
    m_plot->yAxis->setRange(lo < 0 ? lo - 0.08 * span : 0.0, hi + 0.12 * span);
    m_plot->yAxis2->setRange(0.0, attnHi > 0 ? attnHi * 1.12 : 1.0);

    QString status;
    if (m_doc->hasInput() && attr.isEmpty())
        status = m_doc->isRunning() ? tr(" (computing\u2026)") : tr(" (not computed)");
    const QString last = lastLayerNote(*m_doc, layer);
    if (status.isEmpty() && !last.isEmpty())
        status = tr(" ([CLS] row only)");
    m_title->setText(tr("Head importance in %1: max attribution per head%2")
                         .arg(m_doc->conventions().layerLabel(layer), status));
    m_plot->setToolTip(last.isEmpty() ? m_plot->toolTip().section(QLatin1Char('\n'), 0, 0)
                                      : m_plot->toolTip().section(QLatin1Char('\n'), 0, 0) +
                                            QLatin1Char('\n') + last);
    // On screen too, not only in the tooltip: why the last layer's bars are what they are.
    const QString axis =
        tr("head (click to show it in the heatmaps)\nmax %1").arg(maxScope(*m_doc));
    m_plot->xAxis->setLabel(
        last.isEmpty() ? axis
                       : axis + tr("\nlast layer: only the [CLS] row is computed (it alone "
                                   "reaches the output); bars are its max"));
    updateSelection();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeadBars::updateSelection() {
    const int head = m_doc->currentHead();
    m_selection->setVisible(head >= 0 && head < m_doc->numHeads());
    m_selection->topLeft->setCoords(head - 0.5, 0.0);
    m_selection->bottomRight->setCoords(head + 0.5, 1.0);
}

QPoint HeadBars::headPosition(int head) const {
    const QRect r = m_plot->axisRect()->rect();
    return QPoint(int(std::lround(m_plot->xAxis->coordToPixel(head))), r.center().y());
}

void HeadBars::onMousePress(QMouseEvent* event) {
    if (!m_plot->axisRect()->rect().contains(event->position().toPoint()))
        return;
    const int head = int(std::lround(m_plot->xAxis->pixelToCoord(event->position().x())));
    if (head < 0 || head >= m_doc->numHeads())
        return;
    m_doc->setCurrentHead(head);
    Q_EMIT headClicked(head);
}

bool HeadBars::saveImage(const QString& path) const {
    return m_plot->savePng(path, 0, 0, 2.0);
}

}  // namespace attrscope::ui
