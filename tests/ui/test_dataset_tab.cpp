// The Dataset tab driven as a user would, on the golden fixture (tiny-uncased-3cls and the first
// SICK rows): its job gives core's numbers (and the golden ones), the views hold them, a click
// on the heatmap opens the head, Cancel stops a run and leaves the tab usable, Continue resumes a
// cancelled run to the same numbers, errors appear in the banner, and every view exports as
// SVG/PDF/PNG/JSON/CSV.

#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "attrscope/analysis/head_importance.h"
#include "attrscope/analysis/pruning.h"
#include "document/analysis_document.h"
#include "engine/dataset_analysis_job.h"
#include "golden.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "views/dataset/dataset_form.h"
#include "views/dataset/dataset_tab.h"
#include "views/dataset/importance_heatmap.h"
#include "views/dataset/per_layer_plot.h"
#include "views/dataset/pruning_plot.h"
#include "views/dataset/trigger_table.h"

using namespace attrscope;
using namespace attrscope::ui;

namespace {
QString sickPath() {
    return QString::fromStdString(golden::datasetPath("sick/SICK.txt"));
}

// The golden head_importance.json setting: the first 20 SICK rows of the file, m = 20, left.
DatasetRequest importanceRequest(int examples = 20) {
    DatasetRequest r;
    r.analysis = DatasetAnalysis::Importance;
    r.path = sickPath();
    r.data.format = "sick";
    r.examples = examples;
    r.steps = 20;
    r.rule = Rule::Left;
    return r;
}

DatasetResultPtr runAndWait(DatasetTab* tab, const DatasetRequest& r, int timeoutMs = 120000) {
    QSignalSpy done(tab, &DatasetTab::resultReady);
    QSignalSpy failed(tab->job(), &DatasetAnalysisJob::failed);
    tab->run(r);
    if (!done.wait(timeoutMs)) {
        qWarning("no result: %s", qPrintable(failed.isEmpty() ? QStringLiteral("timeout")
                                                              : failed.first().first().toString()));
        return nullptr;
    }
    return done.first().first().value<DatasetResultPtr>();
}

// Runs `r` and cancels it from the first progress report past `after` units of its first stage
// (the golden fixture takes ~25 ms per example, so plenty of the stage is left to cancel).
DatasetResultPtr runAndCancel(DatasetTab* tab, const DatasetRequest& r, int after = 2) {
    QSignalSpy done(tab, &DatasetTab::resultReady);
    const auto conn = QObject::connect(tab->job(), &DatasetAnalysisJob::progress, tab,
                                       [tab, after](const QString&, int units) {
                                           if (units >= after)
                                               tab->cancel();
                                       });
    tab->run(r);
    const bool ok = done.wait(60000);
    QObject::disconnect(conn);
    return ok ? done.first().first().value<DatasetResultPtr>() : nullptr;
}

std::vector<double> goldenImportance() {
    return golden::load("head_importance.json")["importance"].get<std::vector<double>>();
}
}  // namespace

class TestDatasetTab : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    DatasetTab* tab() const { return m_window->datasetTab(); }

private Q_SLOTS:
    void initTestCase() {
        m_window = std::make_unique<MainWindow>();
        m_window->setModel(golden::model(), QStringLiteral("tiny-uncased-3cls"));
        m_window->resize(1400, 900);
        m_window->show();
        m_window->showView(MainWindow::View::Dataset);
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void importanceEqualsCoreAndGolden() {
        auto result = runAndWait(tab(), importanceRequest());
        QVERIFY(result);
        QVERIFY(result->complete);
        QVERIFY(result->importance.attribution);
        const auto& gui = *result->importance.attribution;
        QCOMPARE(gui.examplesDone, 20);
        // Core called directly on the same inputs.
        HeadImportanceOptions o;
        o.examples = 20;
        auto direct = computeHeadImportance(*golden::model(), golden::sickInputs(20), o);
        QVERIFY2(direct.ok(), direct.error().c_str());
        QCOMPARE(gui.attributionSum, direct->attributionSum);
        QCOMPARE(gui.attentionSum, direct->attentionSum);
        const auto expected = goldenImportance();
        QCOMPARE(gui.attributionSum.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::fabs(gui.attributionSum[i] - expected[i]) <= 1e-4,
                     qPrintable(QString::number(i)));
        QCOMPARE(ascendingOrder(gui.attributionSum), ascendingOrder(expected));

        // The heatmap's colour map holds the sums (the first quantity), layer-major.
        ImportanceHeatmap* map = tab()->heatmap();
        QCOMPARE(tab()->quantityBox()->currentData().toString(), QStringLiteral("attribution-sum"));
        QVERIFY(map->hasValues());
        QCOMPARE(map->layers(), 4);
        QCOMPARE(map->heads(), 4);
        double m = 0;
        for (int l = 0; l < 4; ++l)
            for (int h = 0; h < 4; ++h) {
                QCOMPARE(map->value(l, h), gui.attributionSum[size_t(l * 4 + h)]);
                m = std::max(m, std::fabs(gui.attributionSum[size_t(l * 4 + h)]));
            }
        QVERIFY(map->isDiverging());
        QCOMPARE(map->colorMax(), m);  // symmetric limits around 0
        QCOMPARE(map->colorMin(), -m);
        // The attention baseline is the other quantity, sequential.
        tab()->quantityBox()->setCurrentIndex(
            tab()->quantityBox()->findData(QStringLiteral("attention-mean")));
        QCOMPARE(map->value(1, 2), gui.attentionSum[6] / 20.0);
        QVERIFY(!map->isDiverging());
        tab()->quantityBox()->setCurrentIndex(0);
    }

    void clickOnCellOpensHead() {
        QVERIFY(tab()->result());
        m_window->setInput(QStringLiteral("A man is playing a guitar."),
                           QStringLiteral("A man is not playing a guitar."));
        m_window->showView(MainWindow::View::Dataset);
        QTest::qWait(200);  // queued replots lay the plot out
        ImportanceHeatmap* map = tab()->heatmap();
        QSignalSpy activated(tab(), &DatasetTab::headActivated);
        QSignalSpy finished(m_window->job(), &AttributionJob::finished);
        QTest::mouseClick(map->plotWidget(), Qt::LeftButton, {}, map->cellCenter(2, 1));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).toInt(), 2);
        QCOMPARE(activated.first().at(1).toInt(), 1);
        QCOMPARE(m_window->document()->currentLayer(), 2);
        QCOMPARE(m_window->document()->currentHead(), 1);
        QCOMPARE(m_window->currentTab(), 0);  // the heatmaps
        // Nothing was analysed yet, so the click runs the attribution on the current example.
        QVERIFY(finished.wait(60000));
        QVERIFY(m_window->document()->hasInput());
        QCOMPARE(m_window->document()->currentHead(), 1);
        m_window->showView(MainWindow::View::Dataset);
    }

    void pruningCurvesEqualCore() {
        // prune.json: importance on the first 20 rows, accuracy on the first 100.
        DatasetRequest r = importanceRequest();
        r.analysis = DatasetAnalysis::Pruning;
        r.rankings = {QStringLiteral("attribution"), QStringLiteral("attention"),
                      QStringLiteral("random")};
        r.seeds = 3;
        r.firstSeed = 7;
        r.perLayer = true;
        r.evalExamples = 100;
        auto result = runAndWait(tab(), r);
        QVERIFY(result);
        QVERIFY(result->complete);
        const auto g = golden::load("prune.json");
        const auto inputs = golden::sickInputs(100);
        const auto order = ascendingOrder(goldenImportance());
        auto attr = pruneCurve(*golden::model(), inputs, "attribution", order);
        QVERIFY(attr.ok());
        const QVector<QPointF> drawn = tab()->pruningPlot()->curve(QStringLiteral("attribution"));
        QCOMPARE(drawn.size(), 11);
        const auto goldAcc = g["accuracy"].get<std::vector<double>>();
        const auto goldCount = g["num_pruned"].get<std::vector<int>>();
        for (int i = 0; i < 11; ++i) {
            QCOMPARE(drawn[i].x(), goldCount[size_t(i)] / 16.0);
            QCOMPARE(drawn[i].y(), attr->accuracy[size_t(i)]);
            QVERIFY(std::fabs(drawn[i].y() - goldAcc[size_t(i)]) < 1e-12);
        }
        // Random: mean curve plus a min–max band, reproducible from the seeds.
        auto random = randomPruneCurves(*golden::model(), inputs, {7, 8, 9});
        QVERIFY(random.ok());
        const auto mean = tab()->pruningPlot()->curve(QStringLiteral("random"));
        const auto lo = tab()->pruningPlot()->bandLower();
        const auto hi = tab()->pruningPlot()->bandUpper();
        QCOMPARE(mean.size(), 11);
        for (int i = 0; i < 11; ++i) {
            QCOMPARE(mean[i].y(), random->mean[size_t(i)]);
            QCOMPARE(lo[i].y(), random->min[size_t(i)]);
            QCOMPARE(hi[i].y(), random->max[size_t(i)]);
        }
        const QStringList legend = tab()->pruningPlot()->legendNames();
        QVERIFY(legend.contains(QStringLiteral("attribution")));
        QVERIFY(legend.contains(QStringLiteral("attention")));
        QVERIFY(legend.join(' ').contains(QStringLiteral("random: mean of 3 seeds")));
        // Per layer: keep / prune top-k by attribution, as core computes them.
        auto keep = perLayerCurve(*golden::model(), inputs, "attribution", goldenImportance(),
                                  PerLayerMode::KeepTopK);
        QVERIFY(keep.ok());
        const auto keepDrawn =
            tab()->perLayerPlot()->curve(QStringLiteral("attribution"), PerLayerMode::KeepTopK);
        QCOMPARE(keepDrawn.size(), int(keep->accuracy.size()));
        for (int i = 0; i < keepDrawn.size(); ++i) {
            QCOMPARE(keepDrawn[i].x(), double(keep->k[size_t(i)]));
            QCOMPARE(keepDrawn[i].y(), keep->accuracy[size_t(i)]);
        }
        QVERIFY(!tab()
                     ->perLayerPlot()
                     ->curve(QStringLiteral("attention"), PerLayerMode::PruneTopK)
                     .isEmpty());
        QCOMPARE(tab()->resultTabs()->currentIndex(), 1);
    }

    void triggerTableIsSortable() {
        DatasetRequest r = importanceRequest(8);
        r.analysis = DatasetAnalysis::Triggers;
        r.steps = 8;
        r.evalExamples = 40;
        r.threshold = 0.0;
        r.maxPatterns = 6;
        auto result = runAndWait(tab(), r);
        QVERIFY(result);
        QVERIFY(result->complete);
        QCOMPARE(result->mining.examplesDone, 8);
        const auto& ev = result->evaluation;
        QVERIFY(!ev.results.empty());
        int distinct = 0;
        for (const auto& t : ev.results)
            distinct += t.sameAs < 0 ? 1 : 0;
        QTableWidget* table = tab()->triggerTable()->table();
        QCOMPARE(table->rowCount(), distinct);
        QVERIFY(table->isSortingEnabled());
        const int meanCol = table->columnCount() - 1;
        QCOMPARE(table->columnCount(), 5 + 2 * 3 + 2);
        QVERIFY(table->horizontalHeaderItem(5)->text().contains(QStringLiteral("before")));
        // Strongest first, and a row's numbers are its pattern's.
        for (int row = 1; row < table->rowCount(); ++row)
            QVERIFY(table->item(row - 1, meanCol)->data(Qt::DisplayRole).toDouble() >=
                    table->item(row, meanCol)->data(Qt::DisplayRole).toDouble());
        const int pattern = table->item(0, 0)->data(Qt::DisplayRole).toInt() - 1;
        const auto it = std::find_if(ev.results.begin(), ev.results.end(),
                                     [&](const auto& t) { return t.patternIndex == pattern; });
        QVERIFY(it != ev.results.end());
        QCOMPARE(table->item(0, meanCol)->data(Qt::DisplayRole).toDouble(),
                 QString::number(it->meanDrop, 'f', 3).toDouble());
        // Sorting by another column (ascending overall accuracy) reorders the rows.
        table->sortItems(meanCol - 1, Qt::AscendingOrder);
        for (int row = 1; row < table->rowCount(); ++row)
            QVERIFY(table->item(row - 1, meanCol - 1)->data(Qt::DisplayRole).toDouble() <=
                    table->item(row, meanCol - 1)->data(Qt::DisplayRole).toDouble());
        QCOMPARE(tab()->resultTabs()->currentIndex(), 2);
    }

    void cancelStopsAndTabStaysUsable() {
        DatasetRequest r = importanceRequest(500);  // long enough to cancel in the middle
        QSignalSpy progress(tab()->job(), &DatasetAnalysisJob::progress);
        QSignalSpy done(tab(), &DatasetTab::resultReady);
        QSignalSpy cancelled(tab()->job(), &DatasetAnalysisJob::cancelled);
        tab()->run(r);
        QVERIFY(tab()->isRunning());
        QVERIFY(tab()->cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(1).toInt() >= 2, 60000);
        QTest::mouseClick(tab()->cancelButton(), Qt::LeftButton);
        QVERIFY(cancelled.wait(10000) || !cancelled.isEmpty());
        QVERIFY(!tab()->isRunning());
        QVERIFY(!tab()->cancelButton()->isEnabled());
        QCOMPARE(done.size(), 1);  // the partial result is kept and shown
        auto partial = done.first().first().value<DatasetResultPtr>();
        QVERIFY(!partial->complete);
        QVERIFY(partial->importance.attribution->examplesDone < 500);
        QVERIFY(tab()->heatmap()->title().contains(QStringLiteral("cancelled")));
        QVERIFY(tab()->statusLabel()->text().contains(QStringLiteral("Cancelled")));
        // Usable again: the next run finishes.
        auto again = runAndWait(tab(), importanceRequest(3));
        QVERIFY(again);
        QVERIFY(again->complete);
        QCOMPARE(again->importance.attribution->examplesDone, 3);
    }

    void badInputShowsAnError() {
        DatasetRequest r = importanceRequest();
        r.path = QStringLiteral("/nonexistent/data.tsv");
        tab()->run(r);
        QVERIFY(tab()->errorBanner()->isVisibleTo(tab()));
        QVERIFY(tab()->errorBanner()->text().contains(QStringLiteral("/nonexistent/data.tsv")));
        QVERIFY(!tab()->isRunning());
        // An error from core (a label no class has) arrives as a Status from the worker.
        r.path = QStringLiteral(ATTRSCOPE_TEST_DATA_DIR "/datasets/sick_unknown_label.txt");
        QSignalSpy failed(tab()->job(), &DatasetAnalysisJob::failed);
        tab()->run(r);
        QVERIFY(failed.wait(30000));
        QVERIFY(tab()->errorBanner()->isVisibleTo(tab()));
        QVERIFY2(tab()->errorBanner()->text().contains(QStringLiteral("label")),
                 qPrintable(tab()->errorBanner()->text()));
        QVERIFY(!tab()->isRunning());
        QVERIFY(tab()->runButton()->isEnabled());
        // A good run clears the banner.
        QVERIFY(runAndWait(tab(), importanceRequest(2)));
        QVERIFY(!tab()->errorBanner()->isVisibleTo(tab()));
    }

    void exportsEveryView() {
        QVERIFY(runAndWait(tab(), importanceRequest()));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (qEnvironmentVariableIsSet("ATTRSCOPE_KEEP_EXPORTS")) {  // to look at the figures
            dir.setAutoRemove(false);
            qInfo("exports in %s", qPrintable(dir.path()));
        }
        for (DatasetView view : {DatasetView::Importance, DatasetView::Pruning,
                                 DatasetView::PerLayer, DatasetView::Triggers}) {
            const QString base = dir.filePath(datasetViewName(view));
            for (const char* suffix : {".svg", ".pdf", ".png", ".json", ".csv"}) {
                const QString path = base + QLatin1String(suffix);
                QVERIFY2(tab()->exportView(view, path), qPrintable(tab()->lastError()));
                QVERIFY2(QFileInfo(path).size() > 100, qPrintable(path));
            }
            QFile svg(base + QStringLiteral(".svg"));
            QVERIFY(svg.open(QIODevice::ReadOnly));
            const QByteArray text = svg.readAll();
            QVERIFY(text.contains("<text"));              // text stays text
            QVERIFY(text.contains("tiny-uncased-3cls"));  // the caption
            if (view == DatasetView::Importance) {
                QVERIFY(text.contains(">L1<"));  // tick labels as text elements
                QVERIFY(text.contains(">H4<"));
            }
            QImage png(base + QStringLiteral(".png"));
            QVERIFY(!png.isNull());
            int ink = 0;
            for (int y = 0; y < png.height(); y += 2)
                for (int x = 0; x < png.width(); x += 2)
                    ink += png.pixelColor(x, y).lightness() < 200 ? 1 : 0;
            QVERIFY2(ink > 500, qPrintable(QStringLiteral("%1: %2").arg(base).arg(ink)));
            QFile pdf(base + QStringLiteral(".pdf"));
            QVERIFY(pdf.open(QIODevice::ReadOnly));
            QVERIFY(pdf.read(5) == "%PDF-");
        }
        // JSON is core's heads file: the golden sums.
        QFile json(dir.filePath(QStringLiteral("importance.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(json.readAll()).object();
        const QJsonArray imp = o.value(QStringLiteral("importance")).toArray();
        const auto expected = goldenImportance();
        QCOMPARE(imp.size(), int(expected.size()));
        for (int i = 0; i < imp.size(); ++i)
            QVERIFY(std::fabs(imp[i].toDouble() - expected[size_t(i)]) <= 1e-4);
        // CSV: header and one row per head.
        QFile csv(dir.filePath(QStringLiteral("importance.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QStringList rows;
        for (const QString& line : QString::fromUtf8(csv.readAll()).split('\n'))
            if (!line.isEmpty() && !line.startsWith('#'))
                rows << line;
        QVERIFY(rows.first().startsWith(QStringLiteral("layer,head,index,attribution_sum")));
        QCOMPARE(rows.size(), 1 + 16);
        const double sum5 =
            tab()->resultFor(DatasetView::Importance)->importance.attribution->attributionSum[5];
        QVERIFY(std::fabs(rows[1 + 5].split(',')[3].toDouble() - sum5) < 1e-9);
        QFile pruneCsv(dir.filePath(QStringLiteral("pruning.csv")));
        QVERIFY(pruneCsv.open(QIODevice::ReadOnly));
        QVERIFY(pruneCsv.readAll().contains("random-mean"));
        // An unknown suffix is an error, not a file.
        QVERIFY(!tab()->exportView(DatasetView::Importance, dir.filePath(QStringLiteral("x.bmp"))));
        QVERIFY(!tab()->lastError().isEmpty());
    }

    // The window's conventions reach the dataset views and their exports: 0-based labels on the
    // heatmap's axes (screen and SVG), the chosen palette, the dark theme.
    void followsConventions() {
        QVERIFY(tab()->resultFor(DatasetView::Importance));
        ImportanceHeatmap* map = tab()->heatmap();
        QVERIFY(map->hasValues());
        QCOMPARE(map->layerTickLabels().first(), QStringLiteral("L1"));
        AnalysisDocument* doc = m_window->document();
        const ViewConventions before = doc->conventions();
        ViewConventions c = before;
        c.oneBased = false;
        c.divergingPalette = QStringLiteral("PuOr");
        c.theme = Theme::Dark;
        doc->setConventions(c);
        QCOMPARE(tab()->conventions(), c);
        QCOMPARE(map->layerTickLabels(), QStringList({"L0", "L1", "L2", "L3"}));
        QCOMPARE(map->headTickLabels(), QStringList({"H0", "H1", "H2", "H3"}));
        QVERIFY(tab()->caption(DatasetView::Importance).last().contains(QStringLiteral("from 0")));
        QVERIFY(tab()->pruningPlot()->isDarkTheme());

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString svgPath = dir.filePath(QStringLiteral("importance.svg"));
        QVERIFY2(tab()->exportView(DatasetView::Importance, svgPath),
                 qPrintable(tab()->lastError()));
        QFile svg(svgPath);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains(">L0<"));
        QVERIFY(text.contains(">H0<"));
        QVERIFY(!text.contains(">H4<"));  // 4 heads: H0 … H3
        // Dark theme: the exported figure's background is dark.
        const QString pngPath = dir.filePath(QStringLiteral("importance.png"));
        QVERIFY(tab()->exportView(DatasetView::Importance, pngPath, 96));
        const QImage png(pngPath);
        QVERIFY(!png.isNull());
        QVERIFY(png.pixelColor(2, 2).lightness() < 80);
        doc->setConventions(before);
        QCOMPARE(map->layerTickLabels().first(), QStringLiteral("L1"));
        QVERIFY(!tab()->pruningPlot()->isDarkTheme());
    }

    // Cancel partway, change nothing, Continue: it resumes from the partial result and ends with
    // the uninterrupted run's numbers (and the golden ones). A form change disables Continue.
    void continueResumesCancelledImportance() {
        const DatasetRequest r = importanceRequest();  // the golden 20 examples
        auto whole = runAndWait(tab(), r);
        QVERIFY(whole && whole->complete);
        QVERIFY(!tab()->canContinue());  // nothing was cancelled
        QVERIFY(!tab()->continueButton()->isEnabled());

        auto partial = runAndCancel(tab(), r);
        QVERIFY(partial);
        QVERIFY(!partial->complete);
        const int doneBefore = partial->importance.attribution->examplesDone;
        QVERIFY2(doneBefore >= 2 && doneBefore < 20, qPrintable(QString::number(doneBefore)));
        QTRY_VERIFY(!tab()->isRunning());
        QVERIFY(tab()->continueButton()->isEnabled());
        QVERIFY(tab()->statusLabel()->text().contains(QStringLiteral("Continue")));
        // docs/screenshots/dataset-tab-continue.png, after the queued replots and layouts.
        if (qEnvironmentVariableIsSet("ATTRSCOPE_CONTINUE_SHOT")) {
            QTest::qWait(300);
            m_window->grab().save(qEnvironmentVariable("ATTRSCOPE_CONTINUE_SHOT"));
        }

        // Any change of the request disables it; the same request again re-enables it.
        tab()->form()->examplesBox()->setValue(21);
        QVERIFY(!tab()->continueButton()->isEnabled());
        tab()->form()->examplesBox()->setValue(20);
        QVERIFY(tab()->continueButton()->isEnabled());
        tab()->form()->stepsBox()->setValue(10);
        QVERIFY(!tab()->continueButton()->isEnabled());
        tab()->form()->stepsBox()->setValue(20);
        QVERIFY(tab()->continueButton()->isEnabled());

        QSignalSpy progress(tab()->job(), &DatasetAnalysisJob::progress);
        QSignalSpy done(tab(), &DatasetTab::resultReady);
        QTest::mouseClick(tab()->continueButton(), Qt::LeftButton);
        QVERIFY(tab()->isRunning());
        QVERIFY(!tab()->continueButton()->isEnabled());
        QVERIFY(done.wait(60000));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.first().at(1).toInt(), doneBefore);  // resumed, not restarted
        auto resumed = done.first().first().value<DatasetResultPtr>();
        QVERIFY(resumed->complete);
        QVERIFY(!tab()->continueButton()->isEnabled());
        const auto& a = *resumed->importance.attribution;
        const auto& b = *whole->importance.attribution;
        QCOMPARE(a.examplesDone, 20);
        QCOMPARE(a.attributionSum, b.attributionSum);
        QCOMPARE(a.attentionSum, b.attentionSum);
        QCOMPARE(a.perExampleAttribution, b.perExampleAttribution);
        QCOMPARE(a.predictions, b.predictions);
        const auto expected = goldenImportance();
        QCOMPARE(a.attributionSum.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::fabs(a.attributionSum[i] - expected[i]) <= 1e-4,
                     qPrintable(QString::number(i)));
        QCOMPARE(tab()->heatmap()->value(1, 2), a.attributionSum[6]);
        QVERIFY(!tab()->heatmap()->title().contains(QStringLiteral("cancelled")));
    }

    // Triggers continue both stages; pruning (core's curves cannot resume) offers no Continue.
    void continueTriggersNotPruning() {
        DatasetRequest r = importanceRequest(30);
        r.analysis = DatasetAnalysis::Triggers;
        r.steps = 8;
        r.evalExamples = 40;
        r.threshold = 0.0;
        r.maxPatterns = 6;
        auto whole = runAndWait(tab(), r);
        QVERIFY(whole && whole->complete);
        auto partial = runAndCancel(tab(), r);
        QVERIFY(partial);
        QVERIFY(!partial->complete);
        QVERIFY(partial->mining.examplesDone < 30);
        QTRY_VERIFY(tab()->continueButton()->isEnabled());
        QSignalSpy done(tab(), &DatasetTab::resultReady);
        tab()->continueRun();
        QVERIFY(done.wait(60000));
        auto resumed = done.first().first().value<DatasetResultPtr>();
        QVERIFY(resumed->complete);
        QCOMPARE(resumed->mining.records.size(), whole->mining.records.size());
        for (size_t i = 0; i < whole->mining.records.size(); ++i) {
            QCOMPARE(resumed->mining.records[i].exampleIndex,
                     whole->mining.records[i].exampleIndex);
            QCOMPARE(resumed->mining.records[i].combined(), whole->mining.records[i].combined());
        }
        QCOMPARE(resumed->evaluation.results.size(), whole->evaluation.results.size());
        for (size_t i = 0; i < whole->evaluation.results.size(); ++i)
            QCOMPARE(resumed->evaluation.results[i].meanDrop,
                     whole->evaluation.results[i].meanDrop);

        r = importanceRequest();
        r.analysis = DatasetAnalysis::Pruning;
        r.rankings = {QStringLiteral("attribution")};
        r.perLayer = false;
        r.evalExamples = 40;
        auto pruned = runAndCancel(tab(), r);
        QVERIFY(pruned);
        QVERIFY(!pruned->complete);
        QTRY_VERIFY(!tab()->isRunning());
        QVERIFY(!tab()->canContinue());
        QVERIFY(!tab()->continueButton()->isEnabled());
    }

    // Also while a continued run is in flight: the new model ends it and Continue with it.
    void newModelCancelsAndClears() {
        DatasetRequest r = importanceRequest(500);
        QVERIFY(runAndCancel(tab(), r));
        QTRY_VERIFY(tab()->continueButton()->isEnabled());
        QSignalSpy progress(tab()->job(), &DatasetAnalysisJob::progress);
        tab()->continueRun();
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 60000);
        m_window->setModel(golden::model(), QStringLiteral("again"));
        QVERIFY(!tab()->continueButton()->isEnabled());
        QVERIFY(!tab()->canContinue());
        QVERIFY(!tab()->result());
        QVERIFY(!tab()->heatmap()->hasValues());
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->job()->isRunning(), 10000);
        QVERIFY(!tab()->continueButton()->isEnabled());
    }

    // Choosing a file sets the format its header shows (issue 16: an SST-2 file stayed "sick").
    void formatGuessedFromHeader() {
        const QString dir = QStringLiteral(ATTRSCOPE_TEST_DATA_DIR "/datasets/");
        QCOMPARE(DatasetForm::guessFormat(dir + "sst2_bom_crlf_no_final_newline.tsv"),
                 QStringLiteral("sst2"));
        QCOMPARE(DatasetForm::guessFormat(dir + "sick_unknown_label.txt"), QStringLiteral("sick"));
        QCOMPARE(DatasetForm::guessFormat(dir + "mrpc/msr_paraphrase_test.txt"),
                 QStringLiteral("mrpc"));
        QCOMPARE(DatasetForm::guessFormat(dir + "rte/dev.tsv"), QStringLiteral("rte"));
        QCOMPARE(DatasetForm::guessFormat(dir + "glue_single_labels.tsv"), QString());
        QCOMPARE(DatasetForm::guessFormat(dir + "does-not-exist.tsv"), QString());
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestDatasetTab)
#include "test_dataset_tab.moc"
