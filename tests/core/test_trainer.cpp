// The trainer on a CI-sized subset of SICK: the loss falls and accuracy rises, an interrupted run
// resumes to the same result as an uninterrupted one, and the output folder is protected.

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "attrscope/train/trainer.h"
#include "train_listeners.h"

using namespace attrscope;
using attrscope::test::CancelAtStep;

namespace {

std::string sickPath() { return std::string(ATTRSCOPE_TEST_DATA_DIR) + "/datasets/sick/SICK.txt"; }

Dataset sick(const std::string& split, int limit) {
    DatasetOptions o;
    o.format = "sick";
    o.split = split;
    o.limit = limit;
    auto d = loadDataset(sickPath(), o);
    if (!d) qFatal("%s", d.error().c_str());
    return *d;
}

TrainOptions tiny() {
    TrainOptions o;
    o.layers = 1;
    o.hidden = 32;
    o.heads = 2;
    o.intermediate = 64;
    o.maxLength = 48;
    o.vocabSize = 600;
    o.epochs = 4;
    o.batchSize = 16;
    o.learningRate = 2e-3;
    o.warmupProportion = 0.0;
    o.seed = 3;
    return o;
}

std::vector<float> logitsOf(const std::string& dir) {
    auto m = Model::load(dir);
    if (!m) qFatal("%s", m.error().c_str());
    auto e = (*m)->encode("A man is playing a guitar.", std::string("A man is not playing."));
    auto p = (*m)->predict(*e, false);
    return p->logits;
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setThreadCount(1); }

    void lossFallsAccuracyRises() {
        QTemporaryDir dir;
        const std::string out = dir.filePath("m").toStdString();
        TrainOptions o = tiny();
        o.hidden = 64;  // enough capacity to fit 200 pairs within a few seconds
        o.intermediate = 128;
        o.epochs = 12;
        o.dropout = 0.0;
        auto r = train(sick("train", 200), sick("trial", 100), o, out);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(int(r->epochs.size()), 12);
        for (const auto& e : r->epochs)
            qInfo("epoch %d: loss %.4f, train acc %.3f, eval acc %.3f", e.epoch, e.trainLoss,
                  e.trainAccuracy, e.evalAccuracy);
        QVERIFY(r->epochs.back().trainLoss < r->epochs.front().trainLoss - 0.05);
        QVERIFY(r->epochs.back().trainAccuracy > r->epochs.front().trainAccuracy + 0.05);
        // An ordinary HF folder that loads and keeps the dataset's classes.
        auto m = Model::load(out);
        QVERIFY2(m.ok(), m.error().c_str());
        QCOMPARE((*m)->config().id2label,
                 (std::vector<std::string>{"entailment", "neutral", "contradiction"}));
        QCOMPARE((*m)->config().maxPositionEmbeddings, 48);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(out + "/.train-state")));
        auto ev = evaluate(**m, sick("trial", 100), 32);
        QVERIFY2(ev.ok(), ev.error().c_str());
        QCOMPARE(ev->examples, 100);
        QVERIFY(std::fabs(ev->accuracy - r->bestEvalAccuracy) < 1e-9);
        int total = 0;
        for (const auto& row : ev->confusion)
            for (int v : row) total += v;
        QCOMPARE(total, 100);
    }

    void resumeAfterInterruption() {
        QTemporaryDir dir;
        const auto trainSet = sick("train", 200), evalSet = sick("trial", 100);
        TrainOptions o = tiny();
        o.epochs = 3;
        o.dropout = 0.1;
        const std::string straight = dir.filePath("straight").toStdString();
        auto ref = train(trainSet, evalSet, o, straight);
        QVERIFY2(ref.ok(), ref.error().c_str());

        const std::string out = dir.filePath("resumed").toStdString();
        CancelToken token;
        CancelAtStep sink(token, 20);  // mid-epoch 2 (13 steps per epoch)
        auto first = train(trainSet, evalSet, o, out, {nullptr, &token}, &sink);
        QVERIFY(!first.ok());
        QVERIFY(first.status().isCancelled());
        QVERIFY(QFileInfo::exists(QString::fromStdString(out + "/.train-state/state.json")));
        // Without --resume the half-finished folder is protected.
        QVERIFY(!train(trainSet, evalSet, o, out).ok());

        o.resume = true;
        auto second = train(trainSet, evalSet, o, out);
        QVERIFY2(second.ok(), second.error().c_str());
        QVERIFY(second->resumed);
        QCOMPARE(int(second->epochs.size()), 3);
        QCOMPARE(second->steps, ref->steps);
        // Same batches, dropout masks and optimizer state: the same model as without a break.
        const auto a = logitsOf(straight), b = logitsOf(out);
        for (size_t k = 0; k < a.size(); ++k) QVERIFY(std::fabs(a[k] - b[k]) < 1e-4);
        QCOMPARE(second->bestEvalAccuracy, ref->bestEvalAccuracy);
    }

    void outputFolderIsProtected() {
        QTemporaryDir dir;
        const std::string out = dir.filePath("m").toStdString();
        QDir().mkpath(QString::fromStdString(out));
        std::ofstream(out + "/MODEL_CARD.md") << "notes";
        TrainOptions o = tiny();
        o.epochs = 1;
        const auto trainSet = sick("train", 64), evalSet = sick("trial", 32);
        auto r = train(trainSet, evalSet, o, out);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("exists") != std::string::npos, r.error().c_str());
        o.resume = true;
        r = train(trainSet, evalSet, o, out);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("resume") != std::string::npos, r.error().c_str());
        o.resume = false;
        o.overwrite = true;
        r = train(trainSet, evalSet, o, out);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(QFileInfo::exists(QString::fromStdString(out + "/model.safetensors")));
        QVERIFY(QFileInfo::exists(QString::fromStdString(out + "/MODEL_CARD.md")));
    }

    void badInput() {
        QTemporaryDir dir;
        Dataset empty;
        empty.path = "empty.tsv";
        empty.labelNames = {"a", "b"};
        auto r = train(empty, empty, tiny(), dir.filePath("m").toStdString());
        QVERIFY(!r.ok());
        TrainOptions o = tiny();
        o.hidden = 30;
        o.heads = 4;
        r = train(sick("train", 32), sick("trial", 16), o, dir.filePath("m2").toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("multiple") != std::string::npos, r.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
