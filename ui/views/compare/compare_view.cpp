#include "views/compare/compare_view.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "document/analysis_document.h"
#include "figure/figure_options_dialog.h"
#include "plot/palette.h"
#include "views/compare/compare_export.h"
#include "views/compare/deletion_plot.h"
#include "views/compare/token_bars.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/labels.h"

namespace attrscope::ui {

CompareView::CompareView(AnalysisDocument* document, QWidget* parent)
    : QWidget(parent), m_doc(document) {
    m_job = new CompareJob(this);
    m_layerBox = new QComboBox(this);
    m_layerBox->setToolTip(tr("Layer of the token\u00d7token maps"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_recompute = new QPushButton(tr("Recompute"), this);
    m_recompute->setToolTip(tr("Compute every method again for the analysed input"));
    m_export = new QToolButton(this);
    m_export->setText(tr("Export"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("Figure as SVG/PDF/PNG\u2026"), this, [this] { exportDialog(true); });
    menu->addAction(tr("Numbers as CSV/JSON\u2026"), this, [this] { exportDialog(false); });
    m_export->setMenu(menu);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Layer"), this));
    bar->addWidget(m_layerBox);
    bar->addSpacing(12);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_recompute);
    bar->addWidget(m_export);

    // Two rows of maps (per layer | cumulative to the input) with the deletion plot beside the
    // second, and the token IG bars under them across the full width. The grid scrolls when the
    // window is too small for every token label instead of clipping the maps.
    auto* grid = new QWidget(this);
    auto* gl = new QGridLayout(grid);
    gl->setContentsMargins(0, 0, 0, 0);
    gl->setSpacing(4);
    const QStringList keys = compareMapKeys();
    for (int k = 0; k < keys.size(); ++k) {
        const bool diverging = keys[k] == QLatin1String("attattr");
        auto* plot = new HeatmapPlot(
            diverging ? HeatmapPlot::Scale::Diverging : HeatmapPlot::Scale::Sequential, grid);
        plot->setObjectName(keys[k]);
        // Rows of a grid are short: a bar below would take the map's height.
        plot->setColourBarBelowAllowed(false);
        m_plots.push_back(plot);
        gl->addWidget(plot, k / 3, k % 3);
        connect(plot, &HeatmapPlot::cellHovered, this, [this, plot](int row, int column) {
            hoverCell(row, column);
            if (row >= 0 && plot->underMouse())
                QToolTip::showText(QCursor::pos(), m_hoverText, plot);
        });
    }
    m_deletion = new DeletionPlot(grid);
    gl->addWidget(m_deletion, 1, 2);
    m_ig = new TokenBars(grid);
    m_ig->setMaximumHeight(170);
    gl->addWidget(m_ig, 2, 0, 1, 3);
    for (int c = 0; c < 3; ++c)
        gl->setColumnStretch(c, 1);
    gl->setRowStretch(0, 1);
    gl->setRowStretch(1, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(grid);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_info = new QLabel(this);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setWordWrap(true);
    m_info->setMinimumHeight(2 * m_info->fontMetrics().height() + 6);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_info);

    connect(m_layerBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { m_doc->setCurrentLayer(index); });
    connect(m_recompute, &QPushButton::clicked, this, [this] {
        m_resultKey.clear();
        m_inflightKey.clear();
        compute();
    });
    connect(m_job, &CompareJob::progress, this, [this](const QString& stage, double fraction) {
        m_status->setText(tr("Computing %1\u2026 (%2 %)").arg(stage).arg(int(100 * fraction)));
    });
    connect(m_job, &CompareJob::finished, this, &CompareView::onResult);
    connect(m_job, &CompareJob::failed, this, [this](const QString& message) {
        m_inflightKey.clear();
        showMessage(tr("The comparison failed: %1").arg(message));
    });

    connect(m_doc, &AnalysisDocument::modelChanged, this, [this] {
        rebuildLayers();
        schedule();
    });
    connect(m_doc, &AnalysisDocument::analysisReset, this, &CompareView::schedule);
    connect(m_doc, &AnalysisDocument::resultChanged, this, &CompareView::schedule);
    connect(m_doc, &AnalysisDocument::runningChanged, this, [this](bool running) {
        // One computation per model at a time: a new attribution run takes the model.
        if (running && m_job->isRunning()) {
            m_job->discard();
            m_inflightKey.clear();
        }
        schedule();
    });
    connect(m_doc, &AnalysisDocument::selectionChanged, this, [this] {
        QSignalBlocker b(m_layerBox);
        m_layerBox->setCurrentIndex(m_doc->currentLayer());
        refresh();
    });
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, [this] {
        applyConventions();
        rebuildLayers();
        for (HeatmapPlot* p : m_plots)
            p->setProperty("tokens", QVariant());
        refresh();
    });
    applyConventions();
    rebuildLayers();
    showMessage(tr("Type a sentence and press Run: every method is then computed here."));
}

HeatmapPlot* CompareView::plot(const QString& key) const {
    for (HeatmapPlot* p : m_plots)
        if (p->objectName() == key)
            return p;
    return nullptr;
}

void CompareView::applyConventions() {
    const ViewConventions& c = m_doc->conventions();
    const bool dark = c.theme == Theme::Dark;
    for (HeatmapPlot* p : m_plots) {
        const bool diverging = p->objectName() == QLatin1String("attattr");
        p->setPalette(diverging ? Palette::named(c.divergingPalette, true)
                                : Palette::named(c.sequentialPalette, false));
        p->setDarkTheme(dark);
        p->setAxisNote(c.note());
    }
    m_ig->setPalette(Palette::named(c.divergingPalette, true));
    m_ig->setDarkTheme(dark);
    m_deletion->setDarkTheme(dark);
}

void CompareView::rebuildLayers() {
    QSignalBlocker b(m_layerBox);
    m_layerBox->clear();
    for (int l = 0; l < m_doc->numLayers(); ++l)
        m_layerBox->addItem(m_doc->conventions().layerLabel(l));
    m_layerBox->setCurrentIndex(m_doc->currentLayer());
}

QString CompareView::keyOfInput() const {
    if (!m_doc->hasInput() || !m_doc->model())
        return QString();
    QStringList parts;
    parts << QString::number(quintptr(m_doc->model().get())) << QString::number(m_doc->target());
    for (int64_t id : m_doc->encoding().inputIds)
        parts << QString::number(id);
    for (int64_t s : m_doc->encoding().segmentIds)
        parts << QString::number(s);
    // A run that completed since gives the AttAttr to reuse: a new key.
    parts << QString::number(m_doc->layersReceived() == m_doc->numLayers());
    return parts.join(QLatin1Char(','));
}

bool CompareView::isUpToDate() const {
    return m_result && !m_resultKey.isEmpty() && m_resultKey == keyOfInput();
}

QString CompareView::message() const {
    return m_message;
}

void CompareView::showMessage(const QString& text) {
    m_message = text;
    m_status->setText(text);
}

void CompareView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_pending || !isUpToDate())
        schedule();
}

void CompareView::schedule() {
    if (!isVisible()) {
        m_pending = true;
        return;
    }
    compute();
}

void CompareView::compute() {
    m_pending = false;
    if (!m_doc->hasInput()) {
        m_result.reset();
        m_resultKey.clear();
        refresh();
        return showMessage(
            tr("Type a sentence and press Run: every method is then computed here."));
    }
    if (!m_doc->model())
        return showMessage(tr("The comparison needs the model: open it to compute the methods."));
    if (m_doc->isRunning())
        return showMessage(
            tr("Waiting for the attribution run to finish (its AttAttr is reused here)\u2026"));
    const QString key = keyOfInput();
    if (key == m_resultKey && m_result) {
        refresh();
        return;
    }
    if (key == m_inflightKey && m_job->isRunning())
        return;
    CompareRequest r;
    r.model = m_doc->model();
    r.encoding = m_doc->encoding();
    r.target = m_doc->target();
    if (m_doc->result())
        r.attribution = m_doc->result()->options;
    const int L = m_doc->numLayers(), n = m_doc->tokenCount();
    if (m_doc->layersReceived() == L) {
        r.attributionSum = attrscope::FloatArray({L, n, n});
        for (int l = 0; l < L; ++l) {
            const std::vector<float> m = m_doc->attributionMap(l, AnalysisDocument::kSumOfHeads);
            std::copy(m.begin(), m.end(), r.attributionSum.block({l}));
        }
    }
    m_inflightKey = key;
    showMessage(tr("Computing every method\u2026"));
    m_job->start(r);
}

void CompareView::onResult(CompareResultPtr result) {
    m_result = std::move(result);
    m_resultKey = m_inflightKey;
    m_inflightKey.clear();
    for (HeatmapPlot* p : m_plots)
        p->setProperty("tokens", QVariant());
    const CompareResult& r = *m_result;
    showMessage(tr("All methods for p(%1) = %2 in %3 s \u00b7 AttAttr %4 \u00b7 hover a cell to "
                   "compare")
                    .arg(m_doc->targetLabel())
                    .arg(r.probability, 0, 'f', 3)
                    .arg(r.seconds, 0, 'f', 1)
                    .arg(r.attributionReused ? tr("reused from the run")
                                             : tr("computed (%1 rule, m = %2)")
                                                   .arg(QString::fromStdString(attrscope::ruleName(
                                                       r.attributionOptions.rule)))
                                                   .arg(r.attributionOptions.steps)));
    refresh();
    Q_EMIT resultReady();
}

CompareData CompareView::data() const {
    if (!isUpToDate())
        return CompareData();
    return compareData(*m_doc, *m_result, m_doc->currentLayer());
}

void CompareView::refresh() {
    m_data = data();
    const TokenAxis axis = m_data.isEmpty() ? TokenAxis() : m_data.axis;
    const QString none = m_doc->hasInput() ? m_message : tr("Type a sentence and press Run");
    for (size_t k = 0; k < m_plots.size(); ++k) {
        HeatmapPlot* p = m_plots[k];
        if (p->property("tokens").toStringList() != axis.labels || axis.labels.isEmpty()) {
            p->setProperty("tokens", axis.labels);
            p->setTokens(axis.labels, axis.sepBoundary);
        }
        if (m_data.isEmpty()) {
            p->setTitle(QString());
            p->setMatrix({}, k == 0 ? none : QString());
            continue;
        }
        const CompareMap& m = m_data.maps[k];
        p->setTitle(m.note.isEmpty() ? m.title
                                     : m.title + QStringLiteral(" \u00b7 [CLS] row only"));
        p->setScaleLabel(m.quantity);
        p->setMatrix(m.values, tr("not computed"));
    }
    if (m_data.isEmpty()) {
        m_ig->setBars({}, {}, QString());
        m_ig->setTitle(tr("Token integrated gradients"));
        m_deletion->clear(tr("Deletion curves appear here"));
    } else {
        m_ig->setTitle(tr("Token IG \u00b7 \u03a3 %1 = F(x) \u2212 F(x\u2032) %2")
                           .arg(m_data.igSum, 0, 'f', 3)
                           .arg(m_data.igInput - m_data.igBaseline, 0, 'f', 3));
        m_ig->setValueLabel(tr("IG \u0394p(%1)").arg(m_data.targetLabel));
        if (!m_data.igNote.isEmpty())
            m_ig->setTitle(tr("Token IG %1").arg(m_data.igNote));
        m_ig->setBars(m_data.axis.labels, m_data.igValues);
        m_deletion->setCurves(m_data.deletion, m_data.targetLabel);
    }
    hoverCell(m_hoverRow, m_hoverColumn);
}

void CompareView::hoverCell(int row, int column) {
    const int n = m_data.axis.size();
    if (m_data.isEmpty() || row < 0 || column < 0 || row >= n || column >= n)
        row = column = -1;
    m_hoverRow = row;
    m_hoverColumn = column;
    for (HeatmapPlot* p : m_plots)
        p->setHoverCell(row, column);
    m_ig->setHoverIndex(column);
    if (row < 0) {
        m_hoverText.clear();
        m_info->setText(m_data.isEmpty() ? QString()
                                         : tr("Hover a cell: the same (i, j) is outlined in "
                                              "every map, with every method's value here."));
        for (HeatmapPlot* p : m_plots)
            p->plotWidget()->setToolTip(QString());
        return;
    }
    const int base = m_doc->conventions().oneBased ? 1 : 0;
    const auto& labels = m_data.axis.labels;
    QStringList values;
    for (const CompareMap& m : m_data.maps) {
        const size_t k = size_t(row) * size_t(n) + size_t(column);
        values << QStringLiteral("%1 %2").arg(
            m.name, m.values.size() > k ? QString::number(double(m.values[k]), 'g', 4) : tr("n/a"));
    }
    if (size_t(column) < m_data.igValues.size())
        values << tr("token IG of %1 %2")
                      .arg(labels[column])
                      .arg(QString::number(m_data.igValues[size_t(column)], 'g', 4));
    m_hoverText =
        tr("%1 \u2192 %2 in %3:  %4")
            .arg(tokenWithPosition(labels[row], m_data.axis.groups[size_t(row)].front() + base),
                 tokenWithPosition(labels[column],
                                   m_data.axis.groups[size_t(column)].front() + base),
                 m_data.layerLabel, values.join(QStringLiteral(" \u00b7 ")));
    m_info->setText(m_hoverText);
    for (HeatmapPlot* p : m_plots)
        p->plotWidget()->setToolTip(m_hoverText);
}

bool CompareView::exportFigure(const QString& path, const FigureOptions& options) {
    const CompareData d = data();
    m_lastError = writeCompareFigure(d, m_doc->conventions(), options, path, &m_lastPoints);
    return m_lastError.isEmpty();
}

bool CompareView::exportData(const QString& path) {
    m_lastError = writeCompareData(data(), path);
    return m_lastError.isEmpty();
}

void CompareView::exportDialog(bool figure) {
    const QString path = QFileDialog::getSaveFileName(
        this, figure ? tr("Export figure") : tr("Export data"),
        figure ? QStringLiteral("compare.svg") : QStringLiteral("compare.json"),
        figure ? tr("SVG (*.svg);;PDF (*.pdf);;PNG image (*.png)")
               : tr("JSON (*.json);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    FigureOptions options;
    if (figure) {
        QSettings settings;  // the paper-figure options, remembered with the other views'
        FigureOptionsDialog dialog(loadFigureOptions(settings),
                                   QFileInfo(path).suffix().toLower() == QLatin1String("png"),
                                   this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        options = dialog.options();
        saveFigureOptions(settings, options);
    }
    if (figure ? exportFigure(path, options) : exportData(path)) {
        Q_EMIT statusMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
        return;
    }
    Q_EMIT statusMessage(tr("Export failed: %1").arg(m_lastError));
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("AttrScope"), m_lastError, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

}  // namespace attrscope::ui
