// On a bert-base-sized model (12 layers × 768 hidden × 12 heads, n ≈ 40): Cancel stops a run
// within a second and the next run succeeds; the GUI thread never stalls for 100 ms or more
// while the window shows a run arriving layer by layer.

#include <QComboBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include "document/analysis_document.h"
#include "engine/attribution_job.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_panel.h"
#include "ui_test_util.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/overview/overview_grid.h"

using namespace attrscope::ui;

class TestResponsiveness : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<attrscope::Model> m_model;
    std::unique_ptr<MainWindow> m_window;
    QString m_text;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        attrscope::setThreadCount(0);  // as the app does: one engine thread per core
        m_model = test::bertBaseModel();
        m_text = test::longSentence(38);  // + [CLS] and [SEP]: n = 40
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->setModel(m_model, "bert-base-random");
    }

    void cancelStopsWithinOneSecond() {
        AttributionJob* job = m_window->job();
        m_window->runPanel()->setSteps(20);
        m_window->runPanel()->setOnlyCurrentLayer(false);
        m_window->document()->setSelection(0, -1);  // the most expensive layer first
        m_window->setInput(m_text, QString());
        QSignalSpy progress(job, &AttributionJob::progress);
        QSignalSpy cancelled(job, &AttributionJob::cancelled);
        QSignalSpy finished(job, &AttributionJob::finished);
        m_window->runAttribution();
        // Wait until the engine is inside the integration loop, then a little more.
        QVERIFY(progress.wait(60000));
        QCOMPARE(m_window->job()->encoding().size(), 40);
        QTest::qWait(700);
        QVERIFY(job->isRunning());
        QElapsedTimer clock;
        clock.start();
        m_window->cancelAttribution();
        QVERIFY(cancelled.wait(5000));
        const qint64 ms = clock.elapsed();
        qInfo("cancel took %lld ms", ms);
        QVERIFY2(ms < 1000, qPrintable(QString("cancel took %1 ms").arg(ms)));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!job->isRunning());

        // The next run succeeds (one cheap layer, one step).
        m_window->runPanel()->setSteps(1);
        m_window->runPanel()->setOnlyCurrentLayer(true);
        m_window->document()->setSelection(11, -1);
        m_window->runAttribution();
        QVERIFY(finished.wait(120000));
        auto result = finished.at(0).at(0).value<ResultPtr>();
        QCOMPARE(int(result->layers.size()), 1);
        QCOMPARE(result->layers[0].layer, 11);
        QVERIFY(m_window->heatmaps()->attributionPlot()->hasMatrix());
    }

    void guiThreadNeverStalls() {
        // Every layer arrives (12 redraws of maps, bars, overview, then the tree build).
        m_window->runPanel()->setSteps(1);
        m_window->runPanel()->setOnlyCurrentLayer(false);
        m_window->document()->setSelection(5, -1);
        m_window->showView(MainWindow::View::Overview);
        m_window->overview()->quantityBox()->setCurrentIndex(1);  // redraw per arriving layer
        QTest::qWait(100);
        AttributionJob* job = m_window->job();
        QSignalSpy finished(job, &AttributionJob::finished);
        QSignalSpy layers(job, &AttributionJob::layerReady);
        test::StallMeter meter(5);
        meter.start();
        m_window->runAttribution();
        QVERIFY(finished.wait(300000));
        QTest::qWait(300);  // the tree is built after the last layer
        meter.stop();
        qInfo("longest event-loop gap %lld ms over %d ticks, %d layers", meter.maxGapMs(),
              meter.ticks(), int(layers.count()));
        QCOMPARE(layers.count(), 12);
        QVERIFY2(meter.maxGapMs() < 100,
                 qPrintable(QString("the GUI thread stalled for %1 ms").arg(meter.maxGapMs())));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestResponsiveness)
#include "test_responsiveness.moc"
