#include "views/heatmap/linked_heatmaps.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMetaMethod>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "document/analysis_document.h"
#include "plot/palette.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/labels.h"

namespace attrscope::ui {

LinkedHeatmaps::LinkedHeatmaps(AnalysisDocument* document, QWidget* parent)
    : QWidget(parent), m_doc(document) {
    setFocusPolicy(Qt::StrongFocus);
    m_layerBox = new QComboBox(this);
    m_headBox = new QComboBox(this);
    m_layerBox->setToolTip(tr("Layer (PageUp / PageDown)"));
    m_headBox->setToolTip(tr("Head, or the sum over all heads ([ and ])"));
    m_exportButton = new QToolButton(this);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_exportButton);
    m_exportButton->setMenu(menu);

    auto* hint = new QLabel(tr("PgUp/PgDn: layer   [ / ]: head   hover a cell to compare"), this);
    hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
    hint->setWordWrap(true);  // wraps rather than setting the window's minimum width

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Layer"), this));
    bar->addWidget(m_layerBox);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Head"), this));
    bar->addWidget(m_headBox);
    bar->addSpacing(12);
    bar->addWidget(hint, 1);
    bar->addWidget(m_exportButton);

    m_attention = new HeatmapPlot(HeatmapPlot::Scale::Sequential, this);
    m_attribution = new HeatmapPlot(HeatmapPlot::Scale::Diverging, this);
    m_attention->setScaleLabel(tr("attention probability"));
    // The maps scroll when every token label needs more room than the tab has (long inputs,
    // presentation fonts, zoom) instead of widening the window.
    auto* mapsBox = new QWidget(this);
    auto* maps = new QHBoxLayout(mapsBox);
    maps->setContentsMargins(0, 0, 0, 0);
    maps->setSpacing(6);
    maps->addWidget(m_attention, 1);
    maps->addWidget(m_attribution, 1);

    auto request = [this](int which) {
        if (isSignalConnected(QMetaMethod::fromSignal(&LinkedHeatmaps::figureRequested)))
            Q_EMIT figureRequested(which);
        else if (which < 2)
            exportImage(which == 0 ? m_attention : m_attribution);
    };
    menu->addAction(tr("Attention map as SVG/PDF/PNG…"), this, [request] { request(0); });
    menu->addAction(tr("Attribution map as SVG/PDF/PNG…"), this, [request] { request(1); });
    menu->addAction(tr("Both maps as SVG/PDF/PNG…"), this, [request] { request(2); });

    m_info = new QLabel(this);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setMinimumHeight(m_info->fontMetrics().height() + 6);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(mapsBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_info);

    connect(m_layerBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { m_doc->setCurrentLayer(index); });
    connect(m_headBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { m_doc->setCurrentHead(index - 1); });
    for (HeatmapPlot* plot : {m_attention, m_attribution}) {
        connect(plot, &HeatmapPlot::cellHovered, this, &LinkedHeatmaps::hoverCell);
    }

    connect(m_doc, &AnalysisDocument::modelChanged, this, [this] {
        rebuildSelectors();
        refresh();
    });
    connect(m_doc, &AnalysisDocument::analysisReset, this, &LinkedHeatmaps::refresh);
    connect(m_doc, &AnalysisDocument::selectionChanged, this, [this] {
        syncSelectors();
        refresh();
    });
    connect(m_doc, &AnalysisDocument::layerAdded, this, [this](int layer) {
        if (layer == m_doc->currentLayer())
            refreshAttribution();
    });
    connect(m_doc, &AnalysisDocument::resultChanged, this, &LinkedHeatmaps::refreshAttribution);
    connect(m_doc, &AnalysisDocument::runningChanged, this, &LinkedHeatmaps::refreshAttribution);
    connect(m_doc, &AnalysisDocument::highlightChanged, this, &LinkedHeatmaps::applyHighlight);
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, [this] {
        applyConventions();
        rebuildSelectors();
        m_attention->setProperty("tokens", QVariant());  // axes change with the conventions
        refresh();
    });
    applyConventions();

    rebuildSelectors();
    refresh();
}

void LinkedHeatmaps::applyConventions() {
    const ViewConventions& c = m_doc->conventions();
    m_attention->setPalette(Palette::named(c.sequentialPalette, false));
    m_attribution->setPalette(Palette::named(c.divergingPalette, true));
    for (HeatmapPlot* plot : {m_attention, m_attribution}) {
        plot->setDarkTheme(c.theme == Theme::Dark);
        plot->setAxisNote(c.note());
    }
}

void LinkedHeatmaps::rebuildSelectors() {
    QSignalBlocker b1(m_layerBox), b2(m_headBox);
    m_layerBox->clear();
    m_headBox->clear();
    const ViewConventions& c = m_doc->conventions();
    for (int l = 0; l < m_doc->numLayers(); ++l)
        m_layerBox->addItem(c.layerLabel(l));
    m_headBox->addItem(c.headLabel(AnalysisDocument::kSumOfHeads));
    for (int h = 0; h < m_doc->numHeads(); ++h)
        m_headBox->addItem(c.headLabel(h));
    syncSelectors();
}

void LinkedHeatmaps::syncSelectors() {
    QSignalBlocker b1(m_layerBox), b2(m_headBox);
    m_layerBox->setCurrentIndex(m_doc->currentLayer());
    m_headBox->setCurrentIndex(m_doc->currentHead() + 1);
}

void LinkedHeatmaps::refresh() {
    m_axis = m_doc->displayAxis();
    const QStringList tokens = m_axis.labels;
    // Re-layout the axes only when the input changed, not on every layer/head step.
    if (tokens.size() != m_attention->size() || !m_doc->hasInput() ||
        m_attention->property("tokens").toStringList() != tokens) {
        m_attention->setProperty("tokens", tokens);
        m_attention->setTokens(tokens, m_axis.sepBoundary);
        m_attribution->setTokens(tokens, m_axis.sepBoundary);
        m_hoverRow = m_hoverColumn = -1;
    }
    const ViewConventions& c = m_doc->conventions();
    const int layer = m_doc->currentLayer(), head = m_doc->currentHead();
    const QString where =
        QStringLiteral("%1 \u00b7 %2").arg(c.layerLabel(layer), c.headLabel(head));
    m_attention->setTitle(tr("Attention \u00b7 %1").arg(where));
    // A Σ of heads or of word pieces is no longer a probability (it reaches H or more).
    m_attention->setScaleLabel(
        (head < 0 || c.merge == MergeMode::Sum ? tr("attention") : tr("attention probability")) +
        c.sumNote(head, m_doc->numHeads()));
    m_attention->setFixedLimit(c.scale == ScaleMode::PerHead
                                   ? 0.0
                                   : m_doc->colorLimit(false, layer, head));
    m_attentionValues = m_doc->displayedAttention(layer, head);
    m_attention->setMatrix(m_attentionValues,
                           m_doc->hasInput() ? QString() : tr("Type a sentence and press Run"));
    refreshAttribution();
}

void LinkedHeatmaps::refreshAttribution() {
    const int layer = m_doc->currentLayer(), head = m_doc->currentHead();
    const QString target = m_doc->targetLabel();
    const ViewConventions& c = m_doc->conventions();
    const QString where =
        QStringLiteral("%1 \u00b7 %2").arg(c.layerLabel(layer), c.headLabel(head));
    m_attribution->setTitle(target.isEmpty()
                                ? tr("Attribution \u00b7 %1").arg(where)
                                : tr("Attribution to p(%1) \u00b7 %2").arg(target, where));
    m_attribution->setScaleLabel(
        (target.isEmpty() ? tr("attribution") : tr("attribution (\u0394 p(%1))").arg(target)) +
        c.sumNote(head, m_doc->numHeads()));
    m_attribution->setFixedLimit(c.scale == ScaleMode::PerHead
                                     ? 0.0
                                     : m_doc->colorLimit(true, layer, head));
    m_attributionValues = m_doc->displayedAttribution(layer, head);
    QString message;
    // The last layer has only the [CLS] row (only it reaches the output): say so rather than
    // show an empty map, above all when [CLS] is hidden and nothing would be left.
    const bool clsOnly =
        layer == m_doc->numLayers() - 1 &&
        Conventions::isClsRowOnly(m_doc->attributionMap(layer, head), m_doc->tokenCount());
    if (clsOnly) {
        m_attribution->setTitle(m_attribution->title() + tr(" \u00b7 [CLS] row only"));
        if (c.hideSpecials) {
            m_attributionValues.clear();
            message = tr("%1 is the last layer: only the [CLS] row\nreaches the output, so only "
                         "that row is computed,\nand [CLS] is hidden. Show [CLS]/[SEP] to see it.")
                          .arg(c.layerLabel(layer));
        }
    }
    if (!message.isEmpty()) {
        // said above
    } else if (!m_doc->hasInput()) {
        message = tr("Type a sentence and press Run");
    } else if (m_doc->isRunning()) {
        message = tr("Computing attribution for %1\u2026").arg(c.layerLabel(layer));
    } else {
        message = tr("%1 has no attribution yet: press Run attribution").arg(c.layerLabel(layer));
    }
    m_attribution->setMatrix(m_attributionValues, message);
    applyHighlight();
    hoverCell(m_hoverRow, m_hoverColumn);  // values under the pointer changed
}

void LinkedHeatmaps::applyHighlight() {
    const auto& h = m_doc->highlight();
    // Token positions → axis entries (hidden tokens drop out, merged pieces share an entry).
    QVector<int> entryOf(m_doc->tokenCount(), -1);
    for (int k = 0; k < m_axis.size(); ++k)
        for (int p : m_axis.groups[size_t(k)])
            if (p >= 0 && p < entryOf.size())
                entryOf[p] = k;
    auto entry = [&](int p) { return p >= 0 && p < entryOf.size() ? entryOf[p] : -1; };
    QVector<QPoint> cells;
    if (h.layer < 0 || h.layer == m_doc->currentLayer()) {
        for (const QPoint& cell : h.cells) {
            const QPoint mapped(entry(cell.x()), entry(cell.y()));
            if (mapped.x() >= 0 && mapped.y() >= 0)
                cells << mapped;
        }
    }
    QVector<int> tokens;
    for (int t : h.tokens)
        if (entry(t) >= 0)
            tokens << entry(t);
    m_attention->setHighlight(cells, tokens);
    m_attribution->setHighlight(cells, tokens);
}

int LinkedHeatmaps::attributionRank(int row, int column) const {
    const int n = m_attribution->size();
    if (m_attributionValues.size() != size_t(n) * size_t(n) || row < 0 || column < 0 || row >= n ||
        column >= n)
        return 0;
    const float v = std::abs(m_attributionValues[size_t(row) * size_t(n) + size_t(column)]);
    int larger = 0;
    for (float x : m_attributionValues)
        larger += std::abs(x) > v ? 1 : 0;
    return larger + 1;
}

void LinkedHeatmaps::hoverCell(int row, int column) {
    const QStringList tokens = m_axis.labels;
    const int n = tokens.size();
    if (row < 0 || column < 0 || row >= n || column >= n)
        row = column = -1;
    m_hoverRow = row;
    m_hoverColumn = column;
    m_attention->setHoverCell(row, column);
    m_attribution->setHoverCell(row, column);
    m_hoverRank = attributionRank(row, column);
    if (row < 0) {
        m_hoverText.clear();
        m_info->setText(m_doc->hasInput() ? tr("Hover a cell to compare attention and attribution")
                                          : QString());
    } else {
        const size_t k = size_t(row) * size_t(n) + size_t(column);
        QString attention = m_attentionValues.size() > k
                                ? QString::number(double(m_attentionValues[k]), 'f', 4)
                                : tr("n/a");
        QString attribution = tr("not computed");
        if (m_attributionValues.size() > k) {
            attribution = QStringLiteral("%1 (rank %2 of %3 by |attribution|)")
                              .arg(QString::number(double(m_attributionValues[k]), 'g', 4))
                              .arg(m_hoverRank)
                              .arg(n * n);
        }
        // Positions numbered like the layers (and the tree's nodes): the one 0/1-based setting.
        const int base = m_doc->conventions().oneBased ? 1 : 0;
        m_hoverText =
            tr("%1 \u2192 %2   attention %3   attribution %4")
                .arg(tokenWithPosition(tokens[row], m_axis.groups[size_t(row)].front() + base),
                     tokenWithPosition(tokens[column],
                                       m_axis.groups[size_t(column)].front() + base),
                     attention, attribution);
        m_info->setText(m_hoverText);
    }
    Q_EMIT cellHovered(row, column);
}

QString LinkedHeatmaps::hoverText() const {
    return m_hoverText;
}

void LinkedHeatmaps::keyPressEvent(QKeyEvent* event) {
    const bool alt = event->modifiers() & Qt::AltModifier;
    switch (event->key()) {
        case Qt::Key_PageUp:
            m_doc->stepLayer(-1);
            return;
        case Qt::Key_PageDown:
            m_doc->stepLayer(+1);
            return;
        case Qt::Key_BracketLeft:
            m_doc->stepHead(-1);
            return;
        case Qt::Key_BracketRight:
            m_doc->stepHead(+1);
            return;
        case Qt::Key_Up:
            if (alt)
                return m_doc->stepLayer(-1);
            break;
        case Qt::Key_Down:
            if (alt)
                return m_doc->stepLayer(+1);
            break;
        case Qt::Key_Left:
            if (alt)
                return m_doc->stepHead(-1);
            break;
        case Qt::Key_Right:
            if (alt)
                return m_doc->stepHead(+1);
            break;
        default:
            break;
    }
    QWidget::keyPressEvent(event);
}

void LinkedHeatmaps::exportImage(HeatmapPlot* plot) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export heatmap"), plot->title().section(QChar(0x00b7), 0, 0).trimmed() + ".png",
        tr("PNG image (*.png);;PDF (*.pdf);;SVG (*.svg)"));
    if (!path.isEmpty())
        plot->saveImage(path);
}

}  // namespace attrscope::ui
