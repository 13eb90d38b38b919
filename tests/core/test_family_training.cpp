// Fine-tuning a checkpoint of every family (issue 14): a new two-class head on the SST-2 subset
// on top of each fixture model (tests/data/families, random weights of HF's own classes). The
// output must be a folder Hugging Face would load as the same family: the same tensor names and
// shapes as the source checkpoint, its tokenizer files, the dataset's labels; the saved model is
// the one that was evaluated; an interrupted RoBERTa run resumes to the uninterrupted result.

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

#include "attrscope/train/trainer.h"
#include "family_fixtures.h"
#include "io/safetensors_file.h"
#include "train_listeners.h"

using namespace attrscope;
using attrscope::test::CancelAtStep;
using attrscope::test::kFamilies;

namespace {

std::string familyModel(const std::string& family) {
    return test::familyDir(family) + "/model";
}

Dataset sst2(int limit) {
    DatasetOptions o;
    o.format = "sst2";
    o.limit = limit;
    auto d = loadDataset(std::string(ATTRSCOPE_TEST_DATA_DIR) + "/datasets/sst2/train.tsv", o);
    if (!d)
        qFatal("%s", d.error().c_str());
    return *d;
}

// name → shape of every tensor in a folder's model.safetensors.
std::map<std::string, std::vector<int64_t>> tensorShapes(const std::string& dir) {
    auto f = SafetensorsFile::open(dir + "/model.safetensors");
    if (!f)
        qFatal("%s", f.error().c_str());
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& e : f->entries())
        shapes[e.name] = e.shape;
    return shapes;
}

TrainOptions fineTune(const std::string& family) {
    TrainOptions o;
    o.initFrom = familyModel(family);
    o.maxLength = 48;
    o.epochs = 6;
    o.batchSize = 16;
    o.learningRate = 3e-3;
    o.warmupProportion = 0.0;
    o.dropout = 0.0;
    o.seed = 5;
    return o;
}

std::vector<float> logitsOf(const std::string& dir, const std::string& text) {
    auto m = Model::load(dir);
    if (!m)
        qFatal("%s", m.error().c_str());
    auto e = (*m)->encode(text, std::nullopt);
    if (!e)
        qFatal("%s", e.error().c_str());
    return (*m)->predict(*e, false)->logits;
}

}  // namespace

class TestFamilyTraining : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setThreadCount(1); }

    void fineTunesEveryFamily_data() {
        QTest::addColumn<QString>("family");
        for (const char* f : kFamilies)
            QTest::newRow(f) << QString(f);
    }

    void fineTunesEveryFamily() {
        QFETCH(QString, family);
        const std::string fam = family.toStdString();
        QTemporaryDir dir;
        const std::string out = dir.filePath("m").toStdString();
        const Dataset trainSet = sst2(96), evalSet = sst2(0);
        Dataset held = evalSet;
        held.examples.assign(evalSet.examples.begin() + 96, evalSet.examples.begin() + 160);
        auto source = Model::load(familyModel(fam));
        QVERIFY2(source.ok(), source.error().c_str());

        auto r = train(trainSet, held, fineTune(fam), out);
        QVERIFY2(r.ok(), r.error().c_str());
        for (const auto& e : r->epochs)
            qInfo("%s epoch %d: loss %.4f, train acc %.3f, eval acc %.3f", fam.c_str(), e.epoch,
                  e.trainLoss, e.trainAccuracy, e.evalAccuracy);
        // The random fixtures start near chance; 96 sentences are learned within 6 epochs.
        QVERIFY(r->epochs.back().trainLoss < r->epochs.front().trainLoss - 0.1);

        auto m = Model::load(out);
        QVERIFY2(m.ok(), m.error().c_str());
        QCOMPARE((*m)->config().modelType, (*source)->config().modelType);
        // A head whose classes already match the dataset's (case aside) is kept, else replaced.
        QCOMPARE(int((*m)->config().id2label.size()), 2);
        for (size_t c = 0; c < 2; ++c)
            QCOMPARE(QString::fromStdString((*m)->config().id2label[c]).toLower(),
                     QString::fromStdString(trainSet.labelNames[c]).toLower());
        QVERIFY((*m)->hasClassifier());
        QVERIFY((*m)->warnings().empty());
        // Same tensor names and shapes as HF's checkpoint, but the head's class count.
        auto before = tensorShapes(familyModel(fam)), after = tensorShapes(out);
        QCOMPARE(after.size(), before.size());
        for (const auto& [name, shape] : before) {
            QVERIFY2(after.count(name), ("missing " + name).c_str());
            const bool classes = after[name].size() >= 1 && after[name][0] == 2 &&
                                 shape[0] == (*source)->config().numLabels() &&
                                 (*source)->config().numLabels() != 2;
            if (!classes)
                QVERIFY2(after[name] == shape, name.c_str());
        }
        // Its own tokenizer travels with it: the same ids for a typed sentence.
        const std::string text = "A man is playing a guitar in the park.";
        auto a = (*source)->encode(text, std::nullopt), b = (*m)->encode(text, std::nullopt);
        QVERIFY2(a.ok() && b.ok(), "encode");
        QCOMPARE(b->inputIds, a->inputIds);
        QCOMPARE((*m)->tokenizerDescription(), (*source)->tokenizerDescription());
        // The saved weights are the ones evaluated at the best epoch (same truncation: the
        // fixtures' 1000-piece vocabularies cut SST-2 sentences into long piece lists).
        auto ev = evaluate(**m, held, 32, 48);
        QVERIFY2(ev.ok(), ev.error().c_str());
        QVERIFY(std::fabs(ev->accuracy - r->bestEvalAccuracy) < 1e-9);
    }

    void resumesAnotherFamily() {
        QTemporaryDir dir;
        const Dataset trainSet = sst2(96);
        Dataset held = sst2(160);
        held.examples.erase(held.examples.begin(), held.examples.begin() + 96);
        TrainOptions o = fineTune("roberta");
        o.epochs = 2;
        o.dropout = 0.1;
        const std::string straight = dir.filePath("straight").toStdString();
        auto ref = train(trainSet, held, o, straight);
        QVERIFY2(ref.ok(), ref.error().c_str());

        const std::string out = dir.filePath("resumed").toStdString();
        CancelToken token;
        CancelAtStep sink(token, 8);  // mid-epoch 2 (6 steps per epoch)
        auto first = train(trainSet, held, o, out, {nullptr, &token}, &sink);
        QVERIFY(first.status().isCancelled());
        o.resume = true;
        auto second = train(trainSet, held, o, out);
        QVERIFY2(second.ok(), second.error().c_str());
        QCOMPARE(second->steps, ref->steps);
        const auto x = logitsOf(straight, "a gripping , funny film"),
                   y = logitsOf(out, "a gripping , funny film");
        QCOMPARE(x.size(), y.size());
        for (size_t k = 0; k < x.size(); ++k)
            QVERIFY(std::fabs(x[k] - y[k]) < 1e-4);
    }

    void refusesAFolderWithoutTokenizer() {
        QTemporaryDir dir;
        const std::string src = dir.filePath("bare").toStdString();
        QDir().mkpath(QString::fromStdString(src));
        for (const char* f : {"config.json", "model.safetensors"})
            QVERIFY(QFile::copy(QString::fromStdString(familyModel("roberta") + "/" + f),
                                QString::fromStdString(src + "/" + f)));
        TrainOptions o = fineTune("roberta");
        o.initFrom = src;
        auto r = train(sst2(32), sst2(16), o, dir.filePath("m").toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("no tokenizer") != std::string::npos, r.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestFamilyTraining)
#include "test_family_training.moc"
