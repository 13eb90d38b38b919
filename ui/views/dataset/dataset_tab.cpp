#include "views/dataset/dataset_tab.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "document/dataset_document.h"
#include "views/dataset/dataset_figure.h"
#include "views/dataset/dataset_form.h"
#include "views/dataset/importance_heatmap.h"
#include "views/dataset/importance_quantity.h"
#include "views/dataset/per_layer_plot.h"
#include "views/dataset/pruning_plot.h"
#include "views/dataset/trigger_table.h"

namespace attrscope::ui {

DatasetTab::DatasetTab(DatasetDocument* document, QWidget* parent)
    : QWidget(parent), m_doc(document) {
    m_job = new DatasetAnalysisJob(this);
    m_form = new DatasetForm(this);
    m_run = new QPushButton(tr("Run on dataset"), this);
    m_run->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    m_continue = new QPushButton(tr("Continue"), this);
    m_continue->setEnabled(false);
    m_continue->setToolTip(tr("Resume a cancelled run from its partial result"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_status = new QLabel(tr("Choose a dataset file and press Run."), this);
    m_status->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral(
        "background: #fde2e1; color: #6b1410; border: 1px solid #e0a0a0; padding: 4px;"));
    m_error->setVisible(false);

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(m_form);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run, 1);
    buttons->addWidget(m_continue);
    buttons->addWidget(m_cancel);
    sideLayout->addLayout(buttons);
    sideLayout->addWidget(m_progress);
    sideLayout->addWidget(m_status);
    sideLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(side);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(330);
    scroll->setMaximumWidth(420);

    // Results: one page per analysis.
    m_results = new QTabWidget(this);
    auto* impPage = new QWidget(m_results);
    auto* impLayout = new QVBoxLayout(impPage);
    auto* impBar = new QHBoxLayout;
    impBar->addWidget(new QLabel(tr("Importance:"), impPage));
    m_quantity = new QComboBox(impPage);
    m_quantity->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    impBar->addWidget(m_quantity);
    impBar->addStretch(1);
    impBar->addWidget(exportButton(DatasetView::Importance, impPage));
    impLayout->addLayout(impBar);
    m_heatmap = new ImportanceHeatmap(impPage);
    impLayout->addWidget(m_heatmap, 1);
    m_results->addTab(impPage, tr("Head importance"));

    auto* prunePage = new QWidget(m_results);
    auto* pruneLayout = new QVBoxLayout(prunePage);
    auto* split = new QSplitter(Qt::Vertical, prunePage);
    auto* globalBox = new QWidget(split);
    auto* globalLayout = new QVBoxLayout(globalBox);
    globalLayout->setContentsMargins(0, 0, 0, 0);
    auto* globalBar = new QHBoxLayout;
    globalBar->addStretch(1);
    globalBar->addWidget(exportButton(DatasetView::Pruning, globalBox));
    globalLayout->addLayout(globalBar);
    m_pruning = new PruningPlot(globalBox);
    globalLayout->addWidget(m_pruning, 1);
    auto* layerBox = new QWidget(split);
    auto* layerLayout = new QVBoxLayout(layerBox);
    layerLayout->setContentsMargins(0, 0, 0, 0);
    auto* layerBar = new QHBoxLayout;
    layerBar->addStretch(1);
    layerBar->addWidget(exportButton(DatasetView::PerLayer, layerBox));
    layerLayout->addLayout(layerBar);
    m_perLayer = new PerLayerPlot(layerBox);
    layerLayout->addWidget(m_perLayer, 1);
    split->addWidget(globalBox);
    split->addWidget(layerBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    pruneLayout->addWidget(split);
    m_results->addTab(prunePage, tr("Pruning"));

    auto* trigPage = new QWidget(m_results);
    auto* trigLayout = new QVBoxLayout(trigPage);
    auto* trigBar = new QHBoxLayout;
    trigBar->addStretch(1);
    trigBar->addWidget(exportButton(DatasetView::Triggers, trigPage));
    trigLayout->addLayout(trigBar);
    m_triggers = new TriggerTable(trigPage);
    trigLayout->addWidget(m_triggers, 1);
    m_results->addTab(trigPage, tr("Triggers"));

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_error);
    rightLayout->addWidget(m_results, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(scroll);
    layout->addWidget(right, 1);

    connect(m_run, &QPushButton::clicked, this, qOverload<>(&DatasetTab::run));
    connect(m_cancel, &QPushButton::clicked, this, &DatasetTab::cancel);
    connect(m_continue, &QPushButton::clicked, this, &DatasetTab::continueRun);
    connect(m_form, &DatasetForm::changed, this, &DatasetTab::updateContinue);
    connect(m_job, &DatasetAnalysisJob::progress, this, &DatasetTab::onProgress);
    // The worker's results go straight into the document (first, so that the views show them
    // before onFinished reports the run); the views follow the document.
    connect(m_job, &DatasetAnalysisJob::finished, m_doc, &DatasetDocument::addResult);
    connect(m_job, &DatasetAnalysisJob::finished, this, &DatasetTab::onFinished);
    connect(m_doc, &DatasetDocument::resultAdded, this, &DatasetTab::showResult);
    connect(m_doc, &DatasetDocument::cleared, this, &DatasetTab::clearViews);
    connect(m_doc, &DatasetDocument::restored, this, [this] {
        m_partial.reset();  // a stored result may be of another model: nothing to continue
        showAll();
        if (DatasetResultPtr latest = m_doc->latest()) {
            m_form->setRequest(latest->request);
            m_status->setText(tr("Restored from the session: %1").arg(latest->settings));
        }
        updateContinue();
    });
    connect(m_doc, &DatasetDocument::modelChanged, this, &DatasetTab::onModelChanged);
    connect(m_job, &DatasetAnalysisJob::failed, this, [this](const QString& message) {
        m_partial.reset();
        setRunning(false);
        showError(message);
        m_status->setText(tr("Failed."));
    });
    connect(m_job, &DatasetAnalysisJob::cancelled, this, [this] {
        setRunning(false);
        if (!m_doc->latest() || m_doc->latest()->complete)
            m_status->setText(tr("Cancelled."));
    });
    connect(m_quantity, &QComboBox::currentIndexChanged, this, &DatasetTab::showImportance);
    connect(m_heatmap, &ImportanceHeatmap::headClicked, this, &DatasetTab::headActivated);
    connect(m_form, &DatasetForm::analysisChanged, this, [this](DatasetAnalysis a) {
        m_results->setCurrentIndex(a == DatasetAnalysis::Triggers  ? 2
                                   : a == DatasetAnalysis::Pruning ? 1
                                                                   : 0);
    });
}

void DatasetTab::onModelChanged() {
    m_job->discard();
    m_pending.reset();
    m_pendingResume.reset();
    m_partial.reset();  // a partial result of another model cannot continue
    setRunning(false);
    const ModelPtr model = m_doc->model();
    m_run->setEnabled(model != nullptr);
    m_status->setText(
        model ? tr("Model %1: choose a dataset file and press Run.").arg(m_doc->modelName())
              : tr("Open a model first."));
}

DatasetResultPtr DatasetTab::result() const {
    return m_doc->latest();
}

void DatasetTab::clearViews() {
    m_quantity->clear();
    m_heatmap->clear(
        tr("Run a head-importance (or pruning) analysis to see every head's "
           "importance"));
    m_pruning->clear(tr("Run a pruning analysis to see the curves"));
    m_perLayer->clear(tr("Per-layer top-k: run a pruning analysis with it switched on"));
    m_triggers->clear(tr("Run an adversarial-trigger analysis to see the strongest triggers."));
}

void DatasetTab::setAttributionBusy(bool busy) {
    m_attributionBusy = busy;
    if (!busy && m_pending) {
        const DatasetRequest request = *m_pending;
        const DatasetResultPtr resume = m_pendingResume;
        m_pending.reset();
        m_pendingResume.reset();
        start(request, resume);
    }
}

bool DatasetTab::isRunning() const {
    return m_job->isRunning() || m_pending.has_value();
}

DatasetRequest DatasetTab::currentRequest() const {
    DatasetRequest r = m_form->request();
    r.model = m_doc->model();
    r.modelName = m_doc->modelName();
    return r;
}

void DatasetTab::run() {
    const DatasetRequest r = currentRequest();
    if (!r.model)
        return showError(tr("Open a model first (File \u2192 Open model folder)."));
    if (r.path.isEmpty())
        return showError(tr("Choose a dataset file first."));
    if (!QFileInfo(r.path).isFile())
        return showError(tr("%1: no such file").arg(r.path));
    if (r.analysis == DatasetAnalysis::Pruning && r.rankings.isEmpty() && !r.perLayer)
        return showError(tr("Choose at least one ranking or the per-layer experiment."));
    start(r);
}

void DatasetTab::run(const DatasetRequest& request) {
    m_form->setRequest(request);
    run();
}

bool DatasetTab::canContinue() const {
    return m_partial && m_doc->model() && !isRunning() &&
           sameRequest(currentRequest(), m_partialRequest);
}

void DatasetTab::continueRun() {
    if (canContinue())
        start(m_partialRequest, m_partial);
}

void DatasetTab::updateContinue() {
    m_continue->setEnabled(canContinue());
    m_continue->setToolTip(m_partial && !isRunning() && !m_continue->isEnabled()
                               ? tr("The settings differ from the cancelled run's: Run starts over")
                               : tr("Resume a cancelled run from its partial result"));
}

// `resume`: continue that cancelled result (Continue); without it the run starts over and the
// previous partial result can no longer continue.
void DatasetTab::start(const DatasetRequest& request, DatasetResultPtr resume) {
    m_runRequest = request;
    if (!resume)
        m_partial.reset();
    m_error->setVisible(false);
    m_lastError.clear();
    setRunning(true);
    m_progress->setValue(0);
    if (m_attributionBusy) {
        // The attribution job may be moving the model to another device: wait for it.
        if (m_job->isRunning())
            m_job->cancel();
        m_pending = request;
        m_pendingResume = resume;
        m_status->setText(tr("Waiting for the attribution run to finish\u2026"));
        updateContinue();
        return;
    }
    m_status->setText(resume ? tr("Continuing from the partial result\u2026")
                             : tr("Loading %1\u2026").arg(QFileInfo(request.path).fileName()));
    m_job->start(request, resume);  // cancels a run in flight
    updateContinue();
}

void DatasetTab::cancel() {
    if (m_pending) {
        m_pending.reset();
        m_pendingResume.reset();
        setRunning(false);
        m_status->setText(tr("Cancelled before it started."));
        return;
    }
    if (m_job->isRunning()) {
        m_job->cancel();
        m_status->setText(tr("Cancelling after the current example\u2026"));
    }
}

void DatasetTab::setRunning(bool running) {
    m_cancel->setEnabled(running);
    m_progress->setTextVisible(running);
    updateContinue();
}

void DatasetTab::showError(const QString& message) {
    m_lastError = message;
    m_error->setText(message);
    m_error->setVisible(true);
}

void DatasetTab::onProgress(const QString& stage, int done, int total, double fraction,
                            double eta) {
    m_progress->setValue(int(1000 * fraction));
    m_progress->setFormat(QStringLiteral("%1 %2/%3").arg(stage).arg(done).arg(total));
    QString text = tr("Stage %1 of %2: %3, %4 of %5")
                       .arg(m_job->stageIndex())
                       .arg(m_job->stageCount())
                       .arg(stage)
                       .arg(done)
                       .arg(total);
    if (eta >= 0)
        text += tr(" \u00b7 about %1 s left in this stage").arg(int(eta + 0.5));
    m_status->setText(text);
}

DatasetResultPtr DatasetTab::resultFor(DatasetView view) const {
    switch (view) {
        case DatasetView::Importance:
            return m_doc->importance();
        case DatasetView::Pruning:
        case DatasetView::PerLayer:
            return m_doc->pruning();
        case DatasetView::Triggers:
            return m_doc->triggers();
    }
    return nullptr;
}

void DatasetTab::onFinished(DatasetResultPtr result) {
    // Only the newest run's result arrives, so m_runRequest is the request that produced it.
    if (!result->complete && DatasetAnalysisJob::canResume(result->analysis)) {
        m_partial = result;
        m_partialRequest = m_runRequest;
    } else {
        m_partial.reset();
    }
    setRunning(false);
    m_progress->setValue(result->complete ? 1000 : m_progress->value());
    m_status->setText(
        result->complete
            ? tr("Finished in %1 s: %2").arg(result->seconds, 0, 'f', 1).arg(result->settings)
            : tr("Cancelled after %1 s: the partial results are shown.%2")
                  .arg(result->seconds, 0, 'f', 1)
                  .arg(m_partial ? tr(" Continue resumes the run from there.") : QString()));
    Q_EMIT resultReady(result);
}

static int pageOf(DatasetAnalysis analysis) {
    return analysis == DatasetAnalysis::Triggers ? 2 : analysis == DatasetAnalysis::Pruning ? 1 : 0;
}

void DatasetTab::showResult(const DatasetResultPtr& result) {
    if (result == m_doc->importance()) {
        fillQuantities();
        showImportance();
    }
    if (result->analysis == DatasetAnalysis::Pruning)
        showPruning(*result);
    else if (result->analysis == DatasetAnalysis::Triggers)
        showTriggers(*result);
    m_results->setCurrentIndex(pageOf(result->analysis));
}

void DatasetTab::showAll() {
    clearViews();
    if (m_doc->importance()) {
        fillQuantities();
        showImportance();
    }
    if (m_doc->pruning())
        showPruning(*m_doc->pruning());
    if (m_doc->triggers())
        showTriggers(*m_doc->triggers());
    if (m_doc->latest())
        m_results->setCurrentIndex(pageOf(m_doc->latest()->analysis));
}

// The importance quantities of the document's importance result, keeping the chosen one.
void DatasetTab::fillQuantities() {
    const QString previous = m_quantity->currentData().toString();
    QSignalBlocker block(m_quantity);
    m_quantity->clear();
    for (const auto& q : importanceQuantities(*m_doc->importance()))
        m_quantity->addItem(q.label, q.key);
    const int i = m_quantity->findData(previous);
    m_quantity->setCurrentIndex(i >= 0 ? i : 0);
}

void DatasetTab::showPruning(const DatasetResult& r) {
    const auto& p = r.prune;
    m_pruning->setCurves(p.global, p.random ? &*p.random : nullptr, p.numLayers * p.numHeads,
                         p.baseAccuracy,
                         tr("Global head pruning on %1 examples (unpruned accuracy %2)")
                             .arg(p.examples)
                             .arg(accuracyPercent(p.baseAccuracy)));
    m_perLayer->setCurves(p.perLayer, p.baseAccuracy,
                          tr("Per layer: keep only / prune only the top-k heads"));
}

void DatasetTab::showTriggers(const DatasetResult& r) {
    if (!r.evaluation.results.empty() || r.evaluation.complete)
        m_triggers->setEvaluation(r.evaluation, r.mining.records, r.classNames);
    else
        m_triggers->clear(tr("Mining was cancelled after %1 of %2 examples (%3 patterns); "
                             "nothing was evaluated.")
                              .arg(r.mining.examplesDone)
                              .arg(r.mining.examplesTotal)
                              .arg(r.mining.records.size()));
}

void DatasetTab::showImportance() {
    const DatasetResultPtr r = m_doc->importance();
    if (!r)
        return;
    const ImportanceQuantity q = findImportanceQuantity(*r, m_quantity->currentData().toString());
    if (!q.key.isEmpty()) {
        QString title = q.label;
        if (r->importance.attribution && !r->importance.attribution->complete)
            title += tr(" (cancelled: %1 of %2 examples)")
                         .arg(r->importance.attribution->examplesDone)
                         .arg(r->importance.attribution->examplesTotal);
        m_heatmap->setValues(q.values, r->numLayers, r->numHeads, title,
                             q.diverging ? tr("importance (signed)") : tr("importance"),
                             q.diverging);
        return;
    }
    m_heatmap->clear(tr("No head importance in this result"));
}

void DatasetTab::setConventions(const ViewConventions& conventions) {
    m_conv = conventions;
    const bool dark = m_conv.theme == Theme::Dark;
    m_heatmap->setConventions(m_conv);
    m_pruning->setDarkTheme(dark);
    m_perLayer->setDarkTheme(dark);
    m_triggers->setConventions(m_conv);
}

void DatasetTab::setSelectedHead(int layer, int head) {
    m_heatmap->setSelected(layer, head);
}

QStringList DatasetTab::caption(DatasetView view) const {
    const DatasetResultPtr result = resultFor(view);
    if (!result)
        return {};
    const DatasetResult& r = *result;
    QStringList lines;
    lines << tr("%1 \u00b7 %2").arg(r.modelName.isEmpty() ? tr("model") : r.modelName, r.settings);
    switch (view) {
        case DatasetView::Importance: {
            lines << findImportanceQuantity(r, m_quantity->currentData().toString()).meaning;
            break;
        }
        case DatasetView::Pruning:
            lines << tr("Heads masked (attention probabilities \u00d7 0, no renormalisation) in "
                        "ascending importance order; accuracy on %1 examples; random: mean and "
                        "min\u2013max over its seeds.")
                         .arg(r.prune.examples);
            break;
        case DatasetView::PerLayer:
            lines << tr("In every layer only the top-k heads kept, or only they pruned, by "
                        "importance; accuracy on %1 examples.")
                         .arg(r.prune.examples);
            break;
        case DatasetView::Triggers:
            lines << tr(
                "Patterns: top-2 entries of the highest-attribution head (predicted "
                "class) per mined example; inserted into every evaluation example; "
                "drop = accuracy before \u2212 after, per gold label.");
            break;
    }
    if (!r.complete)
        lines << tr("Partial result: the run was cancelled.");
    lines << (m_conv.oneBased ? tr("Layers and heads numbered from 1 (files: from 0).")
                              : tr("Layers and heads numbered from 0, as in the files."));
    return lines;
}

bool DatasetTab::exportView(DatasetView view, const QString& path, int dpi) {
    m_lastError.clear();
    const DatasetResultPtr result = resultFor(view);
    if (!result) {
        m_lastError = tr("Nothing to export: run the %1 analysis first")
                          .arg(view == DatasetView::Importance ? tr("importance")
                               : view == DatasetView::Triggers ? tr("trigger")
                                                               : tr("pruning"));
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QStringList lines = caption(view);
    if (suffix == QLatin1String("json") || suffix == QLatin1String("csv")) {
        m_lastError = writeDatasetData(*result, view, path, lines);
        return m_lastError.isEmpty();
    }
    DatasetFigureOptions o;
    o.quantityKey = m_quantity->currentData().toString();
    o.importanceTitle = m_heatmap->title();
    o.triggers = m_triggers;
    o.conventions = m_conv;
    o.caption = lines;
    o.dpi = dpi;
    m_lastError = writeDatasetFigure(*result, view, path, o);
    return m_lastError.isEmpty();
}

QToolButton* DatasetTab::exportButton(DatasetView view, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setText(tr("Export"));
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    menu->addAction(tr("Figure (SVG, PDF, PNG)\u2026"), this,
                    [this, view] { exportDialog(view, true); });
    menu->addAction(tr("Data (JSON, CSV)\u2026"), this,
                    [this, view] { exportDialog(view, false); });
    button->setMenu(menu);
    return button;
}

void DatasetTab::exportDialog(DatasetView view, bool figure) {
    const QString base = datasetViewName(view);
    const QString path = QFileDialog::getSaveFileName(
        this, figure ? tr("Export figure") : tr("Export data"),
        base + (figure ? QStringLiteral(".svg") : QStringLiteral(".json")),
        figure ? tr("SVG (*.svg);;PDF (*.pdf);;PNG (*.png)") : tr("JSON (*.json);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    if (!exportView(view, path))
        showError(m_lastError);
    else
        m_status->setText(tr("Wrote %1").arg(QDir::toNativeSeparators(path)));
}

}  // namespace attrscope::ui
