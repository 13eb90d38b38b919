#include "mainwindow/startup_driver.h"

#include <QComboBox>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>

#include "document/analysis_document.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "mainwindow/model_panel.h"
#include "mainwindow/run_panel.h"
#include "views/compare/compare_view.h"
#include "views/dataset/dataset_form.h"
#include "views/dataset/dataset_tab.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/overview/overview_grid.h"
#include "views/teaching/teaching_view.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

StartupDriver::StartupDriver(MainWindow* window, StartupOptions options, QObject* parent)
    : QObject(parent), m_window(window), m_options(std::move(options)) {
    m_timeout = new QTimer(this);
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        fail(tr("gave up after %1 s waiting for the attribution").arg(m_options.timeoutSeconds));
    });
}

void StartupDriver::start() {
    if (m_options.windowSize.isValid())
        m_window->resize(m_options.windowSize);
    if (m_options.steps > 0)
        m_window->runPanel()->setSteps(m_options.steps);
    if (!m_options.rule.isEmpty()) {
        if (auto rule = attrscope::parseRule(m_options.rule.toStdString()))
            m_window->runPanel()->setRule(*rule);
        else
            return fail(tr("unknown rule '%1' (adaptive, right, left, midpoint, gauss-legendre)")
                            .arg(m_options.rule));
    }
    if (m_options.tau >= 0)
        m_window->treeView()->setThreshold(m_options.tau);
    if (!m_options.textA.isEmpty())
        m_window->setInput(m_options.textA, m_options.textB);

    connect(m_window, &MainWindow::modelReady, this, &StartupDriver::onModelReady);
    connect(m_window, &MainWindow::modelFailed, this, [this](const QString& message) {
        if (!m_options.screenshot.isEmpty())
            fail(tr("cannot open the model: %1").arg(message));
    });
    connect(m_window->job(), &AttributionJob::finished, this, &StartupDriver::onFinished);
    connect(m_window->job(), &AttributionJob::failed, this, [this](const QString& message) {
        if (m_waitingForRun && !m_options.screenshot.isEmpty())
            fail(message);
    });

    if (!m_options.screenshot.isEmpty()) {
        if (m_options.modelDir.isEmpty())
            return fail(tr("--screenshot needs a model: pass --model DIR"));
        const bool dataset = m_options.view == QLatin1String("dataset");
        if (m_options.textA.isEmpty() && !dataset)
            return fail(tr("--screenshot needs --text-a"));
        if (dataset && m_options.datasetPath.isEmpty())
            return fail(tr("--screenshot --view dataset needs --dataset FILE"));
        if (dataset) {
            connect(m_window->datasetTab(), &DatasetTab::resultReady, this, &StartupDriver::capture,
                    Qt::SingleShotConnection);
            connect(m_window->datasetTab()->job(), &DatasetAnalysisJob::failed, this,
                    &StartupDriver::fail);
        }
        m_timeout->start(m_options.timeoutSeconds * 1000);
    }
    if (m_options.conventions)
        m_window->document()->setConventions(*m_options.conventions);
    if (!m_options.modelDir.isEmpty()) {
        m_window->openModel(m_options.modelDir);
    } else {
        m_window->modelPanel()->setHint(
            tr("No model open. The demo model (resources/models/sick-nli) was not found: use "
               "<b>Open folder\u2026</b> to open a BERT checkpoint folder."));
    }
}

void StartupDriver::onModelReady() {
    AnalysisDocument* doc = m_window->document();
    const int layer = m_options.layer >= 0 ? m_options.layer : doc->currentLayer();
    const int head = m_options.head >= -1 ? m_options.head : doc->currentHead();
    if (m_options.layer >= doc->numLayers() || m_options.head >= doc->numHeads()) {
        const QString message = tr("layer/head out of range: the model has %1 layers and %2 heads")
                                    .arg(doc->numLayers())
                                    .arg(doc->numHeads());
        if (!m_options.screenshot.isEmpty())
            return fail(message);
        qWarning("%s", qPrintable(message));
    }
    doc->setSelection(layer, head);
    if (!m_options.device.isEmpty() && !m_window->runPanel()->selectDevice(m_options.device)) {
        const QString message = tr("device '%1' is not available").arg(m_options.device);
        if (!m_options.screenshot.isEmpty())
            return fail(message);
        qWarning("%s", qPrintable(message));
    }
    if (m_options.view == QLatin1String("overview")) {
        m_window->showView(MainWindow::View::Overview);
        if (m_options.overviewQuantity == QLatin1String("attribution"))
            m_window->overview()->quantityBox()->setCurrentIndex(1);
    } else if (m_options.view == QLatin1String("tree")) {
        m_window->showView(MainWindow::View::Tree);
    } else if (m_options.view == QLatin1String("teaching")) {
        m_window->showView(MainWindow::View::Teaching);
    } else if (m_options.view == QLatin1String("dataset")) {
        m_window->showView(MainWindow::View::Dataset);
    } else if (m_options.view == QLatin1String("compare")) {
        m_window->showView(MainWindow::View::Compare);
    } else {
        m_window->showView(MainWindow::View::Heatmaps);
    }
    if (!m_options.textA.isEmpty()) {
        m_waitingForRun = true;
        m_window->runAttribution();
    }
    if (!m_options.datasetPath.isEmpty())
        startDataset();
}

void StartupDriver::startDataset() {
    DatasetTab* tab = m_window->datasetTab();
    DatasetRequest r = tab->form()->request();
    r.path = m_options.datasetPath;
    r.data.format = m_options.datasetFormat.toStdString();
    r.data.split = m_options.datasetSplit.toStdString();
    if (m_options.datasetExamples > 0)
        r.examples = m_options.datasetExamples;
    if (m_options.datasetAnalysis == QLatin1String("pruning"))
        r.analysis = DatasetAnalysis::Pruning;
    else if (m_options.datasetAnalysis == QLatin1String("triggers"))
        r.analysis = DatasetAnalysis::Triggers;
    tab->run(r);  // waits for the attribution run, if one was started above
}

void StartupDriver::onFinished() {
    if (!m_waitingForRun || m_finished)
        return;
    m_finished = true;
    // The dataset view is captured when the dataset analysis is done.
    if (m_options.screenshot.isEmpty() || m_options.view == QLatin1String("dataset"))
        return;
    TreeView* tree = m_window->treeView();
    if (m_options.view == QLatin1String("tree") &&
        (!tree->currentBuild() || tree->currentBuild()->threshold != tree->threshold())) {
        connect(tree, &TreeView::treeUpdated, this, &StartupDriver::capture,
                Qt::SingleShotConnection);
        return;
    }
    TeachingView* teaching = m_window->teachingView();
    if (m_options.view == QLatin1String("teaching") && !teaching->isUpToDate()) {
        connect(teaching, &TeachingView::probeReady, this, &StartupDriver::capture,
                Qt::SingleShotConnection);
        return;
    }
    CompareView* compare = m_window->compareView();
    if (m_options.view == QLatin1String("compare") && !compare->isUpToDate()) {
        connect(compare, &CompareView::resultReady, this, &StartupDriver::capture,
                Qt::SingleShotConnection);
        connect(compare->job(), &CompareJob::failed, this, &StartupDriver::fail);
        return;
    }
    capture();
}

void StartupDriver::capture() {
    if (m_options.hover.x() >= 0 && m_options.view == QLatin1String("compare"))
        m_window->compareView()->hoverCell(m_options.hover.y(), m_options.hover.x());
    else if (m_options.hover.x() >= 0)
        m_window->heatmaps()->hoverCell(m_options.hover.y(), m_options.hover.x());
    // Let queued replots and layouts run before rendering.
    QTimer::singleShot(500, this, [this] {
        const QPixmap pixmap = m_window->grab();
        if (pixmap.isNull())
            return fail(tr("rendering the window gave an empty image"));
        if (!pixmap.save(m_options.screenshot))
            return fail(tr("cannot write %1").arg(m_options.screenshot));
        m_timeout->stop();
        Q_EMIT done(0, tr("saved %1 (%2×%3)")
                           .arg(QFileInfo(m_options.screenshot).absoluteFilePath())
                           .arg(pixmap.width())
                           .arg(pixmap.height()));
    });
}

void StartupDriver::fail(const QString& message) {
    m_timeout->stop();
    Q_EMIT done(1, message);
}

}  // namespace attrscope::ui
