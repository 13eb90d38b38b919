#include "mainwindow/main_window.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "document/analysis_document.h"
#include "document/dataset_document.h"
#include "document/model_holder.h"
#include "engine/model_loader.h"
#include "mainwindow/completeness_panel.h"
#include "mainwindow/conventions_panel.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/model_panel.h"
#include "mainwindow/prediction_panel.h"
#include "mainwindow/run_panel.h"
#include "session/session_controller.h"
#include "views/bars/head_bars.h"
#include "views/compare/compare_view.h"
#include "views/dataset/dataset_tab.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/overview/overview_grid.h"
#include "views/teaching/teaching_view.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

namespace {
// "20 steps (right rule)", or for the adaptive rule the points the layers used.
QString stepsSummary(const attrscope::AttributionResult& r) {
    if (r.options.rule != attrscope::Rule::Adaptive || r.layers.empty())
        return MainWindow::tr("%1 steps (%2 rule)")
            .arg(r.options.steps)
            .arg(QString::fromStdString(attrscope::ruleName(r.options.rule)));
    int lo = r.layers.front().steps, hi = lo;
    for (const auto& l : r.layers) {
        lo = std::min(lo, l.steps);
        hi = std::max(hi, l.steps);
    }
    const QString m = lo == hi ? QString::number(lo) : QStringLiteral("%1\u2013%2").arg(lo).arg(hi);
    return MainWindow::tr("adaptive rule, m = %1 per layer (tolerance %2 %)")
        .arg(m)
        .arg(r.options.tolerance * 100.0);
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("AttrScope"));
    m_models = new ModelHolder(this);
    m_doc = new AnalysisDocument(this);
    m_datasetDoc = new DatasetDocument(this);
    m_job = new AttributionJob(this);
    m_loader = new ModelLoader(this);

    m_modelPanel = new ModelPanel(this);
    m_inputPanel = new InputPanel(this);
    m_runPanel = new RunPanel(this);
    m_predictionPanel = new PredictionPanel(this);

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(m_modelPanel);
    sideLayout->addWidget(m_inputPanel);
    // The prediction right under the input it answers, above the run settings: on a short
    // screen the settings scroll away first (revealPrediction).
    sideLayout->addWidget(m_predictionPanel);
    sideLayout->addWidget(m_runPanel);
    sideLayout->addStretch(1);
    auto* scroll = m_sideScroll = new QScrollArea(this);
    scroll->setWidget(side);
    side->installEventFilter(this);  // its resizes keep the prediction in view
    scroll->setWidgetResizable(true);
    // Narrow enough for 1024×768 next to the tabs; presentation fonts scroll rather than clip.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    scroll->setMinimumWidth(300);
    auto* dock = new QDockWidget(tr("Analysis"), this);
    dock->setObjectName(QStringLiteral("analysisDock"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    m_heatmaps = new LinkedHeatmaps(m_doc, this);
    connect(m_heatmaps, &LinkedHeatmaps::figureRequested, this, [this](int which) {
        exportFigureDialog(which == 0   ? FigureKind::Attention
                           : which == 1 ? FigureKind::Attribution
                                        : FigureKind::HeatmapPair);
    });
    m_headBars = new HeadBars(m_doc, this);
    m_completeness = new CompletenessPanel(this);
    m_overview = new OverviewGrid(m_doc, this);
    m_tree = new TreeView(m_doc, this);
    m_teaching = new TeachingView(m_doc, this);
    m_dataset = new DatasetTab(m_datasetDoc, this);
    m_compare = new CompareView(m_doc, this);
    // Whatever shows the model follows the holder, in this order: the dataset tab drops its run,
    // the document its analysis, then the panels.
    m_datasetDoc->observe(m_models);
    m_doc->observe(m_models);
    m_modelPanel->observe(m_models);
    m_inputPanel->observe(m_models);
    m_runPanel->observe(m_models);
    m_predictionPanel->observe(m_models);
    // Runs go straight to the document; panels show the document (and the run panel the job).
    m_doc->follow(m_job);
    m_predictionPanel->follow(m_doc);
    m_completeness->follow(m_doc);
    m_runPanel->follow(m_job);

    // Tabs whose controls are wider than a 1024-px screen leaves them scroll instead of setting
    // the window's minimum width.
    auto scrolled = [this](QWidget* content) {
        auto* area = new QScrollArea(this);
        area->setWidget(content);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        return area;
    };
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildHeatmapTab(), tr("Heatmaps"));
    m_tabs->addTab(scrolled(m_overview), tr("Overview"));
    m_tabs->addTab(m_tree, tr("Attribution tree"));
    m_tabs->addTab(m_teaching, tr("Path (teaching)"));
    m_tabs->addTab(scrolled(m_dataset), tr("Dataset"));
    m_tabs->addTab(m_compare, tr("Compare"));

    m_staleBanner = new QLabel(
        tr("The input was edited: the views show the previous input. Press Run attribution "
           "(or Enter) to update."),
        this);
    m_staleBanner->setStyleSheet(QStringLiteral(
        "background: #fff3c4; color: #5a4500; border: 1px solid #e0c060; padding: 4px;"));
    m_staleBanner->setWordWrap(true);
    m_staleBanner->setVisible(false);
    m_sessionBanner = new QLabel(this);
    m_sessionBanner->setWordWrap(true);
    m_sessionBanner->setStyleSheet(QStringLiteral(
        "background: #fde2e1; color: #6b1410; border: 1px solid #e0a0a0; padding: 4px;"));
    m_sessionBanner->setVisible(false);
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(2);
    centralLayout->addWidget(m_staleBanner);
    centralLayout->addWidget(m_sessionBanner);
    centralLayout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_modelStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_modelStatus);
    m_runPanel->setDevices(
        [] {
            QStringList out;
            for (const auto& d : attrscope::Model::availableDevices())
                out << QString::fromStdString(d);
            return out;
        }(),
        QStringLiteral("cpu"));

    m_conventions = new ConventionsPanel(m_doc, this);
    auto* conventionsDock = new QDockWidget(tr("Conventions"), this);
    conventionsDock->setObjectName(QStringLiteral("conventionsDock"));
    // In a scroll area: opening the panel must not push the window past the screen.
    auto* conventionsScroll = new QScrollArea(this);
    conventionsScroll->setWidget(m_conventions);
    conventionsScroll->setWidgetResizable(true);
    conventionsScroll->setMinimumWidth(180);
    conventionsDock->setWidget(conventionsScroll);
    addDockWidget(Qt::RightDockWidgetArea, conventionsDock);
    conventionsDock->hide();  // View → Conventions panel
    m_conventions->setProperty("dock", QVariant::fromValue<QObject*>(conventionsDock));
    m_sessions = new SessionController(this);

    buildActions();
    installContextMenus();
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, &MainWindow::applyTheme);

    connect(m_modelPanel, &ModelPanel::openRequested, this, &MainWindow::openModel);
    connect(m_loader, &ModelLoader::loaded, this, &MainWindow::onModelLoaded);
    connect(m_loader, &ModelLoader::failed, this, [this](const QString& dir, const QString& msg) {
        m_modelPanel->setError(dir, msg);
        statusBar()->showMessage(tr("Could not open the model: %1").arg(msg));
        Q_EMIT modelFailed(msg);
    });
    connect(m_inputPanel, &InputPanel::edited, this, &MainWindow::onInputEdited);
    connect(m_inputPanel, &InputPanel::runRequested, this, &MainWindow::runAttribution);
    connect(m_runPanel, &RunPanel::runRequested, this, &MainWindow::runAttribution);
    connect(m_runPanel, &RunPanel::cancelRequested, this, &MainWindow::cancelAttribution);
    connect(m_overview, &OverviewGrid::activated, this, [this] { showView(View::Heatmaps); });
    connect(m_tree, &TreeView::showInHeatmaps, this, [this] { showView(View::Heatmaps); });
    // Teaching presets go through the ordinary input panel and run path.
    m_teaching->setRunOptionsProvider([this] { return m_runPanel->options(); });
    connect(m_teaching, &TeachingView::presetRunRequested, this,
            [this](const QString& a, const QString& b) {
                setInput(a, b);
                runAttribution();
            });
    connect(m_teaching, &TeachingView::showHeatmapsRequested, this,
            [this] { showView(View::Heatmaps); });
    connect(m_teaching, &TeachingView::showTreeRequested, this, [this](double tau) {
        m_tree->setThreshold(tau);
        showView(View::Tree);
    });
    connect(m_teaching, &TeachingView::presetDone, this,
            [this](const QString& note) { statusBar()->showMessage(note); });
    connect(m_teaching, &TeachingView::statusMessage, this,
            [this](const QString& note) { statusBar()->showMessage(note); });
    connect(m_compare, &CompareView::statusMessage, this,
            [this](const QString& note) { statusBar()->showMessage(note); });

    connect(m_job, &AttributionJob::predictionReady, this, &MainWindow::onPredictionReady);
    connect(m_job, &AttributionJob::finished, this, &MainWindow::onFinished);
    connect(m_job, &AttributionJob::failed, this, &MainWindow::onFailed);
    connect(m_job, &AttributionJob::cancelled, this, &MainWindow::onCancelled);
    connect(m_doc, &AnalysisDocument::staleChanged, m_staleBanner, &QWidget::setVisible);
    connect(m_dataset, &DatasetTab::headActivated, this, &MainWindow::openHead);
    connect(m_doc, &AnalysisDocument::selectionChanged, m_dataset, &DatasetTab::setSelectedHead);
    followConventions(m_doc, m_dataset);
    followConventions(m_doc, m_runPanel);

    statusBar()->showMessage(tr("Open a model (a BERT checkpoint folder) to begin."));
    resize(1500, 950);
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildHeatmapTab() {
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_headBars);
    bottom->addWidget(m_completeness);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_heatmaps);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_heatmapSplitSizes = {600, 280};  // also what leaving presentation mode restores at first
    split->setSizes(m_heatmapSplitSizes);
    split->setChildrenCollapsible(false);
    split->setCollapsible(1, true);  // presentation mode folds the bars away (applyFontScale)
    m_heatmapSplit = split;
    return split;
}

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open model folder\u2026"), QKeySequence::Open, this,
                    [this] { m_modelPanel->chooseFolder(); });
    file->addSeparator();
    buildFileActions(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Run attribution"), QKeySequence(Qt::CTRL | Qt::Key_R), this,
                   &MainWindow::runAttribution);
    run->addAction(tr("&Cancel"), QKeySequence(Qt::Key_Escape), this,
                   &MainWindow::cancelAttribution);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Next layer"), QKeySequence(Qt::Key_PageDown), this,
                    [this] { m_doc->stepLayer(+1); });
    view->addAction(tr("Previous layer"), QKeySequence(Qt::Key_PageUp), this,
                    [this] { m_doc->stepLayer(-1); });
    view->addAction(tr("Next head"), QKeySequence(Qt::ALT | Qt::Key_Right), this,
                    [this] { m_doc->stepHead(+1); });
    view->addAction(tr("Previous head"), QKeySequence(Qt::ALT | Qt::Key_Left), this,
                    [this] { m_doc->stepHead(-1); });
    view->addSeparator();
    view->addAction(tr("Heatmaps"), QKeySequence(Qt::CTRL | Qt::Key_1), this,
                    [this] { showView(View::Heatmaps); });
    view->addAction(tr("Overview"), QKeySequence(Qt::CTRL | Qt::Key_2), this,
                    [this] { showView(View::Overview); });
    view->addAction(tr("Attribution tree"), QKeySequence(Qt::CTRL | Qt::Key_3), this,
                    [this] { showView(View::Tree); });
    view->addAction(tr("Path (teaching)"), QKeySequence(Qt::CTRL | Qt::Key_4), this,
                    [this] { showView(View::Teaching); });
    view->addAction(tr("Dataset"), QKeySequence(Qt::CTRL | Qt::Key_5), this,
                    [this] { showView(View::Dataset); });
    view->addAction(tr("Compare methods"), QKeySequence(Qt::CTRL | Qt::Key_6), this,
                    [this] { showView(View::Compare); });
    view->addSeparator();
    buildConventionActions(view);
    view->addSeparator();
    buildPresentationActions(view);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About AttrScope"), this, [this] {
        QMessageBox::about(
            this, tr("About AttrScope"),
            tr("<b>AttrScope</b> %1<br>Self-Attention Attribution (Hao et al., AAAI 2021) for "
               "BERT classifiers.<br>Layers and heads are numbered from 1 on screen and from 0 "
               "in files.")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::openModel(const QString& directory) {
    m_modelPanel->setLoading(directory);
    statusBar()->showMessage(tr("Loading %1\u2026").arg(QDir::toNativeSeparators(directory)));
    m_loader->load(directory);
}

void MainWindow::onModelLoaded(ModelPtr model, const QString& directory) {
    m_modelPanel->addRecent(directory);
    const QString name = ModelPanel::displayName(directory);
    setModel(std::move(model), name);
}

void MainWindow::setModel(ModelPtr model, const QString& name) {
    m_job->cancel();
    m_modelName = name;
    m_models->setModel(model, name);  // documents and panels follow
    if (model) {
        m_modelStatus->setText(
            tr("%1 \u00b7 %2").arg(name, QString::fromStdString(model->device())));
        setWindowTitle(tr("AttrScope \u2014 %1").arg(name));
        statusBar()->showMessage(
            tr("Model ready: type a sentence (and optionally a second one), "
               "then press Run attribution."));
        Q_EMIT modelReady();
    }
}

ModelPtr MainWindow::model() const {
    return m_doc->model();
}

void MainWindow::setInput(const QString& textA, const QString& textB) {
    m_inputPanel->setTexts(textA, textB);
}

void MainWindow::runAttribution() {
    if (!m_doc->model()) {
        statusBar()->showMessage(tr("Open a model first (File \u2192 Open model folder)."));
        return;
    }
    if (m_inputPanel->textA().isEmpty()) {
        statusBar()->showMessage(tr("Text A is empty: type a sentence first."));
        return;
    }
    AttributionRequest request;
    request.model = m_doc->model();
    request.textA = m_inputPanel->textA();
    request.textB = m_inputPanel->textB();
    request.options = m_runPanel->options();
    request.firstLayer = m_doc->currentLayer();
    if (m_runPanel->onlyCurrentLayer())
        request.options.layers = {m_doc->currentLayer()};
    request.device = m_runPanel->device();
    // Moving the model to another device is the one thing that is unsafe while the dataset
    // analysis uses it (inference from two threads is fine: the parameters are frozen).
    const QString current = QString::fromStdString(request.model->device());
    if (m_dataset->isRunning() && !request.device.isEmpty() && request.device != current) {
        const QString message =
            tr("A dataset analysis is running on %1: switch the device after it finishes (or "
               "cancel it).")
                .arg(current);
        m_runPanel->setError(message);
        statusBar()->showMessage(message);
        return;
    }
    setAttributionBusy(true);
    m_job->start(request);  // cancels a run in flight
    statusBar()->showMessage(tr("Running the clean forward\u2026"));
}

void MainWindow::cancelAttribution() {
    if (!m_job->isRunning())
        return;
    m_job->cancel();
    statusBar()->showMessage(tr("Cancelling after the current chunk\u2026"));
}

void MainWindow::onPredictionReady() {
    // The document and the panels have taken the clean pass; this says what comes next.
    revealPrediction();
    const auto& e = m_job->encoding();
    QString note = tr("%1 word pieces").arg(e.size());
    if (e.truncated)
        note += QStringLiteral(" \u00b7 ") + QString::fromStdString(e.truncationNote);
    m_inputPanel->setEncodingNote(note);
    updateStale();
    statusBar()->showMessage(
        tr("Predicted %1; computing attribution to p(%2)\u2026")
            .arg(QString::fromStdString(m_job->prediction().predictedLabel), m_doc->targetLabel()));
}

void MainWindow::onFinished(ResultPtr result) {
    setAttributionBusy(false);
    const QString message =
        tr("Attribution to p(%1): %2 layer(s), %3 in %4 s on %5")
            .arg(QString::fromStdString(result->targetLabel))
            .arg(result->layers.size())
            .arg(stepsSummary(*result))
            .arg(result->timings.totalSeconds, 0, 'f', result->timings.totalSeconds < 10 ? 2 : 1)
            .arg(QString::fromStdString(result->device));
    m_runPanel->setMessage(message);
    statusBar()->showMessage(message);
}

void MainWindow::onFailed(const QString& message) {
    setAttributionBusy(false);
    statusBar()->showMessage(tr("Failed: %1").arg(message));
}

void MainWindow::onCancelled() {
    setAttributionBusy(false);
    const QString message = tr("Cancelled; %1 of %2 layers were computed and stay visible.")
                                .arg(m_doc->layersReceived())
                                .arg(m_doc->numLayers());
    m_runPanel->setMessage(message);
    statusBar()->showMessage(message);
}

void MainWindow::onInputEdited() {
    updateStale();
}

void MainWindow::updateStale() {
    const bool stale = m_doc->hasInput() && (m_inputPanel->textA() != m_doc->analysedTextA() ||
                                             m_inputPanel->textB() != m_doc->analysedTextB());
    m_doc->setStale(stale);
}

bool MainWindow::isResultStale() const {
    return m_doc->isStale();
}

void MainWindow::setAttributionBusy(bool busy) {
    m_dataset->setAttributionBusy(busy);
}

void MainWindow::openHead(int layer, int head) {
    if (layer < 0 || layer >= m_doc->numLayers() || head < 0 || head >= m_doc->numHeads())
        return;
    m_doc->setSelection(layer, head);
    showView(View::Heatmaps);
    if (!m_doc->hasInput() && !m_job->isRunning() && !m_inputPanel->textA().isEmpty())
        runAttribution();
    const ViewConventions& c = m_doc->conventions();
    statusBar()->showMessage(
        m_doc->hasInput() || m_job->isRunning()
            ? tr("Showing %1 %2 on the current example.")
                  .arg(c.layerLabel(layer), c.headLabel(head))
            : tr("%1 %2 selected: type an example and press Run attribution to see it.")
                  .arg(c.layerLabel(layer), c.headLabel(head)));
}

void MainWindow::showView(View view) {
    if (view == View::Teaching) {
        m_tabs->setCurrentWidget(m_teaching);
        return;
    }
    if (view == View::Compare) {
        m_tabs->setCurrentWidget(m_compare);
        return;
    }
    if (view == View::Dataset) {
        m_tabs->setCurrentIndex(4);
        return;
    }
    m_tabs->setCurrentIndex(view == View::Heatmaps ? 0 : view == View::Overview ? 1 : 2);
}

}  // namespace attrscope::ui
