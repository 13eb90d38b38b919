// AttributionJob: the worker-thread adapter between the engine and the GUI.

#include <QSignalSpy>
#include <QtTest>

#include "document/analysis_document.h"
#include "engine/attribution_job.h"
#include "ui_test_util.h"

using namespace attrscope::ui;

class TestAttributionJob : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<attrscope::Model> m_model;

    AttributionRequest request(const QString& a, const QString& b, int steps) const {
        AttributionRequest r;
        r.model = m_model;
        r.textA = a;
        r.textB = b;
        r.options.steps = steps;
        return r;
    }

private Q_SLOTS:
    void initTestCase() { m_model = test::tinyModel(3); }

    void layerOrderPutsShownLayerFirst() {
        QCOMPARE(AttributionJob::layerOrder({}, 4, 2), (std::vector<int>{2, 0, 1, 3}));
        QCOMPARE(AttributionJob::layerOrder({}, 4, 0), (std::vector<int>{0, 1, 2, 3}));
        QCOMPARE(AttributionJob::layerOrder({3, 1}, 4, 1), (std::vector<int>{1, 3}));
        QCOMPARE(AttributionJob::layerOrder({3, 1}, 4, 0), (std::vector<int>{3, 1}));
    }

    void deliversPredictionLayersAndResult() {
        AttributionJob job;
        QSignalSpy prediction(&job, &AttributionJob::predictionReady);
        QSignalSpy layers(&job, &AttributionJob::layerReady);
        QSignalSpy finished(&job, &AttributionJob::finished);
        QSignalSpy failed(&job, &AttributionJob::failed);
        auto r = request("the man is playing guitar", "the man is not playing guitar", 3);
        r.firstLayer = 2;
        job.start(r);
        QVERIFY(job.isRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(failed.count(), 0);
        QVERIFY(!job.isRunning());
        QCOMPARE(prediction.count(), 1);
        QCOMPARE(layers.count(), 3);
        QCOMPARE(layers.at(0).at(0).toInt(), 2);  // the shown layer arrives first
        ResultPtr result = job.result();
        QVERIFY(result);
        QCOMPARE(finished.at(0).at(0).value<ResultPtr>(), result);
        QVERIFY(result->isComplete());
        QCOMPARE(int(result->encoding.tokens.size()), job.encoding().size());
        QCOMPARE(result->encoding.tokens, job.encoding().tokens);
        QCOMPARE(result->prediction.predicted, job.prediction().predicted);
        // Layers delivered one by one equal the final result's layers.
        for (int l = 0; l < 3; ++l) {
            LayerPtr delivered = job.layer(l);
            QVERIFY(delivered);
            QCOMPARE(delivered->attribution.data, result->layer(l)->attribution.data);
        }
        // The clean forward the job shows first is the engine's clean forward.
        QCOMPARE(job.prediction().attention.data.size(), result->prediction.attention.data.size());
        for (size_t k = 0; k < result->prediction.attention.data.size(); ++k)
            QVERIFY(std::abs(job.prediction().attention.data[k] -
                             result->prediction.attention.data[k]) < 1e-6f);
    }

    void documentFollowsTheJob() {
        // Issue 11: a run reaches the document with no window relaying it. The document runs,
        // takes the clean pass with the run's texts and options, receives each layer as it
        // arrives, keeps the result and stops running; a cancelled run leaves its layers.
        AnalysisDocument doc;
        doc.setModel(m_model);
        AttributionJob job;
        doc.follow(&job);
        QSignalSpy reset(&doc, &AnalysisDocument::analysisReset);
        QSignalSpy added(&doc, &AnalysisDocument::layerAdded);
        QSignalSpy running(&doc, &AnalysisDocument::runningChanged);
        QSignalSpy finished(&job, &AttributionJob::finished);
        auto r = request("the man is playing guitar", "the man is not playing guitar", 5);
        r.options.rule = attrscope::Rule::Right;
        r.firstLayer = 1;
        job.start(r);
        QVERIFY(doc.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!doc.isRunning());
        QCOMPARE(running.count(), 2);
        QCOMPARE(reset.count(), 1);
        QVERIFY(doc.hasInput());
        QCOMPARE(doc.analysedTextA(), r.textA);
        QCOMPARE(doc.analysedTextB(), r.textB);
        QCOMPARE(doc.runOptions().steps, 5);
        QVERIFY(doc.runOptions().rule == attrscope::Rule::Right);
        QCOMPARE(doc.encoding().tokens, job.encoding().tokens);
        QCOMPARE(doc.target(), job.target());
        QCOMPARE(added.count(), 3);
        QCOMPARE(added.at(0).at(0).toInt(), 1);
        QCOMPARE(doc.layersReceived(), 3);
        QCOMPARE(doc.result(), job.result());
        for (int l = 0; l < 3; ++l)
            QCOMPARE(doc.layer(l)->attribution.data, job.result()->layer(l)->attribution.data);

        // A second, long run cancelled after its clean pass: the document shows the new input,
        // stops running, and claims no result for it.
        QSignalSpy cancelled(&job, &AttributionJob::cancelled);
        const QString second = test::longSentence(40);
        job.start(request(second, QString(), 2000));
        QVERIFY(reset.wait(30000));
        QCOMPARE(doc.analysedTextA(), second);
        QVERIFY(doc.isRunning());
        job.cancel();
        QVERIFY(cancelled.wait(10000));
        QVERIFY(!doc.isRunning());
        QVERIFY(!doc.result());
        QVERIFY(doc.layersReceived() < 3);
    }

    void oneCleanForwardPerRun() {
        // The GUI's run is one progressive engine call: one clean forward for the prediction
        // and every layer (it used to be one per layer plus one for the prediction).
        AttributionJob job;
        QSignalSpy finished(&job, &AttributionJob::finished);
        const uint64_t before = m_model->forwardPasses();
        auto r = request("the man is playing guitar", "the man is not playing guitar", 4);
        r.firstLayer = 1;
        job.start(r);
        QVERIFY(finished.wait(60000));
        QCOMPARE(m_model->forwardPasses() - before, uint64_t(1));
        QVERIFY(job.result()->isComplete());
        QCOMPARE(job.result()->timings.cleanForwards, 1);
    }

    void progressIsThrottled() {
        AttributionJob job;
        QSignalSpy progress(&job, &AttributionJob::progress);
        QSignalSpy finished(&job, &AttributionJob::finished);
        auto r = request(test::longSentence(20), QString(), 200);
        r.options.chunkSize = 1;  // as many engine callbacks as possible
        QElapsedTimer clock;
        clock.start();
        job.start(r);
        QVERIFY(finished.wait(120000));
        const double seconds = clock.elapsed() / 1000.0;
        // At most one per 50 ms, plus the first of each layer.
        QVERIFY2(
            progress.count() <= int(seconds * 20) + 3 + 3,
            qPrintable(QString("%1 progress signals in %2 s").arg(progress.count()).arg(seconds)));
        QVERIFY(progress.count() >= 1);
        const double lastFraction = progress.last().at(3).toDouble();
        QVERIFY(lastFraction > 0.0 && lastFraction <= 1.0 + 1e-9);
    }

    void startCancelsThePreviousRun() {
        AttributionJob job;
        QSignalSpy finished(&job, &AttributionJob::finished);
        QSignalSpy cancelled(&job, &AttributionJob::cancelled);
        QSignalSpy prediction(&job, &AttributionJob::predictionReady);
        job.start(request(test::longSentence(30), QString(), 100));
        job.start(request("the dog is running", QString(), 2));
        QVERIFY(finished.wait(60000));
        QTest::qWait(100);  // nothing late from the first run may follow
        QCOMPARE(finished.count(), 1);
        QCOMPARE(cancelled.count(), 0);  // a superseded run is silent
        QCOMPARE(prediction.count(), 1);
        QCOMPARE(job.result()->encoding.size(), 6);  // [CLS] the dog is running [SEP]
    }

    void cancelStopsTheRun() {
        AttributionJob job;
        QSignalSpy cancelled(&job, &AttributionJob::cancelled);
        QSignalSpy finished(&job, &AttributionJob::finished);
        QSignalSpy prediction(&job, &AttributionJob::predictionReady);
        auto r = request(test::longSentence(40), QString(), 2000);
        job.start(r);
        QVERIFY(prediction.wait(30000));
        job.cancel();
        QVERIFY(cancelled.wait(10000));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!job.isRunning());
    }

    void errorsBecomeFailedSignals() {
        AttributionJob job;
        QSignalSpy failed(&job, &AttributionJob::failed);
        job.start(request(QString(), QString(), 2));
        QVERIFY(failed.wait(10000));
        QVERIFY(!failed.at(0).at(0).toString().isEmpty());
        QVERIFY(!job.isRunning());

        AttributionRequest none;
        job.start(none);
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.last().at(0).toString().contains("model"));
    }
};

QTEST_MAIN(TestAttributionJob)
#include "test_attribution_job.moc"
