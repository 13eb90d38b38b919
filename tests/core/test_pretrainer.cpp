// Masked-LM pre-training: on pairs whose B repeats A's (random) words, masked words of one
// sentence can only be recovered by attending to the other, so the held-out masked-token accuracy
// far above chance shows that cross-sentence matching is learned. The output folder is an HF
// BertForMaskedLM that loads as an encoder without a classifier and that `train` fine-tunes.

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <map>
#include <random>

#include "attrscope/train/pretrainer.h"
#include "attrscope/train/trainer.h"
#include "io/safetensors_file.h"

using namespace attrscope;

namespace {

// "w12 w3 w40 ..." / the same words: 60 word types, so chance is under 2 %.
Dataset copyPairs(int count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    Dataset d;
    d.path = "copy-pairs";
    d.format = "glue-pair";
    d.labelNames = {"same"};
    for (int k = 0; k < count; ++k) {
        std::string s;
        const int len = 5 + static_cast<int>(rng() % 4);
        for (int i = 0; i < len; ++i)
            s += (i ? " w" : "w") + std::to_string(rng() % 60);
        Example e;
        e.textA = s;
        e.textB = s;
        e.label = "same";
        e.row = k + 1;
        d.examples.push_back(e);
    }
    return d;
}

PretrainOptions tiny() {
    PretrainOptions o;
    o.layers = 1;
    o.hidden = 64;
    o.heads = 2;
    o.intermediate = 128;
    o.maxLength = 24;
    o.vocabSize = 200;
    o.minFrequency = 1;
    o.maskProbability = 0.25;
    o.epochs = 40;
    o.batchSize = 32;
    o.learningRate = 3e-3;
    o.dropout = 0.0;
    o.heldOut = 0.1;
    o.seed = 5;
    return o;
}

std::string readAll(const std::string& path) {
    std::ifstream f(path);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

class TestPretrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void learnsToCopyAcrossSentences() {
        QTemporaryDir dir;
        const std::string out = dir.filePath("mlm").toStdString();
        auto r = pretrainMaskedLm({copyPairs(1200, 1)}, tiny(), out);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(int(r->epochs.size()), 40);
        const auto& first = r->epochs.front();
        const auto& last = r->epochs.back();
        qInfo("masked-LM loss %.3f → %.3f, held-out masked accuracy %.3f → %.3f (chance < 0.02)",
              first.trainLoss, last.trainLoss, first.evalAccuracy, last.evalAccuracy);
        QVERIFY(last.trainLoss < first.trainLoss);
        // Measured 0.51 (some positions are masked on both sides); without looking across the pair
        // it stays near chance, 1/60.
        QVERIFY2(last.evalAccuracy > 0.3,
                 "masked words were not recovered from the other sentence");

        // An HF masked-LM folder: config says so, no classifier, cls.predictions present.
        const std::string config = readAll(out + "/config.json");
        QVERIFY(config.find("BertForMaskedLM") != std::string::npos);
        QVERIFY(config.find("id2label") == std::string::npos);
        QVERIFY(
            readAll(out + "/model.safetensors").find("cls.predictions.transform.dense.weight") !=
            std::string::npos);
        auto m = Model::load(out);
        QVERIFY2(m.ok(), m.error().c_str());
        QVERIFY(!(*m)->hasClassifier());

        // Fine-tuning starts from exactly these encoder weights and keeps the vocabulary.
        Dataset labelled = copyPairs(200, 2);
        labelled.labelNames = {"same", "different"};
        for (size_t i = 0; i < labelled.examples.size(); i += 2) {
            auto& e = labelled.examples[i];
            e.textB = copyPairs(1, 100 + i).examples[0].textA;
            e.label = "different";
        }
        TrainOptions t;
        t.initFrom = out;
        t.epochs = 1;
        t.batchSize = 32;
        t.learningRate =
            1e-9;  // the weights barely move: the encoder must equal the pre-trained one
        t.warmupProportion = 0.0;
        t.dropout = 0.0;
        t.maxLength = 24;
        const std::string tuned = dir.filePath("tuned").toStdString();
        auto tr = train(labelled, Dataset{}, t, tuned);
        QVERIFY2(tr.ok(), tr.error().c_str());
        QCOMPARE(readAll(tuned + "/vocab.txt"), readAll(out + "/vocab.txt"));
        auto ft = Model::load(tuned);
        QVERIFY2(ft.ok(), ft.error().c_str());
        QVERIFY((*ft)->hasClassifier());
        auto e1 = (*m)->encode("w1 w2 w3", std::string("w1 w2 w3"));
        auto e2 = (*ft)->encode("w1 w2 w3", std::string("w1 w2 w3"));
        QVERIFY(e1.ok() && e2.ok());
        // The masked-LM checkpoint has no classification head: predict() refuses it (issue 12,
        // B2), its attention maps are still there.
        QVERIFY(!(*m)->predict(*e1, true).ok());
        auto a1 = (*m)->attention(*e1);
        auto p2 = (*ft)->predict(*e2, true);
        QVERIFY(a1.ok() && p2.ok());
        Prediction mlm;
        mlm.attention = std::move(*a1);
        const Prediction* p1 = &mlm;
        QCOMPARE(p1->attention.data.size(), p2->attention.data.size());
        float worst = 0;
        for (size_t i = 0; i < p1->attention.data.size(); ++i)
            worst = std::max(worst, std::abs(p1->attention.data[i] - p2->attention.data[i]));
        QVERIFY2(worst < 1e-4, qPrintable(QString("attention moved by %1").arg(worst)));
    }

    // Continued pre-training (--init-from): the checkpoint's shape, vocabulary, encoder and
    // masked-LM head are taken over; the options' shape is ignored; a missing pair head starts
    // fresh. With a learning rate of 1e-9 every taken-over tensor must come back unchanged.
    void continuesFromACheckpoint() {
        QTemporaryDir dir;
        const std::string first = dir.filePath("first").toStdString();
        PretrainOptions a = tiny();
        a.epochs = 3;
        auto ra = pretrainMaskedLm({copyPairs(300, 1)}, a, first);
        QVERIFY2(ra.ok(), ra.error().c_str());

        PretrainOptions c = tiny();
        c.initFrom = first;
        c.layers = 3;  // ignored: the checkpoint has 1 layer of 64
        c.hidden = 32;
        c.vocabSize = 50;
        c.pairTask = true;
        c.epochs = 1;
        c.learningRate = 1e-9;
        c.warmupProportion = 0.0;
        const std::string next = dir.filePath("next").toStdString();
        auto rc = pretrainMaskedLm({copyPairs(300, 7)}, c, next);
        QVERIFY2(rc.ok(), rc.error().c_str());
        QCOMPARE(readAll(next + "/vocab.txt"), readAll(first + "/vocab.txt"));
        const std::string config = readAll(next + "/config.json");
        QVERIFY(config.find("BertForPreTraining") != std::string::npos);
        QVERIFY(config.find("\"hidden_size\": 64") != std::string::npos);
        QVERIFY(config.find("\"num_hidden_layers\": 1") != std::string::npos);
        QVERIFY(readAll(next + "/pretraining_log.json").find(first) != std::string::npos);

        auto before = SafetensorsFile::open(first + "/model.safetensors");
        auto after = SafetensorsFile::open(next + "/model.safetensors");
        QVERIFY(before.ok() && after.ok());
        std::map<std::string, const SafetensorsEntry*> written;
        for (const auto& e : after->entries())
            written[e.name] = &e;
        QVERIFY(written.count("cls.seq_relationship.weight"));
        QVERIFY(written.count("bert.pooler.dense.weight"));
        int compared = 0;
        for (const auto& e : before->entries()) {
            QVERIFY2(written.count(e.name), e.name.c_str());
            const SafetensorsEntry& w = *written[e.name];
            QCOMPARE(w.shape, e.shape);
            QCOMPARE(e.dtype, std::string("F32"));
            const auto* x = reinterpret_cast<const float*>(before->data(e));
            const auto* y = reinterpret_cast<const float*>(after->data(w));
            float worst = 0;
            for (uint64_t i = 0; i < (e.end - e.begin) / 4; ++i)
                worst = std::max(worst, std::abs(x[i] - y[i]));
            QVERIFY2(worst < 1e-5, qPrintable(QString::fromStdString(e.name) +
                                              QString(" moved by %1").arg(worst)));
            ++compared;
        }
        QVERIFY(compared >= 10);  // the encoder and cls.predictions.*

        // More positions than the checkpoint has are refused before any work.
        PretrainOptions tooLong = c;
        tooLong.maxLength = 100;
        auto refused =
            pretrainMaskedLm({copyPairs(50, 1)}, tooLong, dir.filePath("x").toStdString());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().find("exceeds the 24 positions") != std::string::npos,
                 refused.error().c_str());
    }

    void refusesBadInput() {
        QTemporaryDir dir;
        auto empty = pretrainMaskedLm({}, tiny(), dir.filePath("a").toStdString());
        QVERIFY(!empty.ok());
        QVERIFY(empty.error().find("no text") != std::string::npos);
        PretrainOptions bad = tiny();
        bad.maskProbability = 0.0;
        auto r = pretrainMaskedLm({copyPairs(50, 1)}, bad, dir.filePath("b").toStdString());
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("mask probability") != std::string::npos);
        // An existing non-empty folder is not overwritten without the flag.
        std::ofstream(dir.filePath("keep.txt").toStdString()) << "notes";
        auto exists = pretrainMaskedLm({copyPairs(50, 1)}, tiny(), dir.path().toStdString());
        QVERIFY(!exists.ok());
        QVERIFY(exists.error().find("--overwrite") != std::string::npos);
        QCOMPARE(readAll(dir.filePath("keep.txt").toStdString()), std::string("notes"));
    }

    void cancelWritesNothing() {
        QTemporaryDir dir;
        CancelToken cancel;
        cancel.cancel();
        const std::string out = dir.filePath("c").toStdString();
        auto r = pretrainMaskedLm({copyPairs(100, 1)}, tiny(), out, {nullptr, &cancel});
        QVERIFY(!r.ok());
        QVERIFY(r.status().isCancelled());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(out + "/model.safetensors")));
    }
};

QTEST_GUILESS_MAIN(TestPretrainer)
#include "test_pretrainer.moc"
