// Forward pass against the official code's outputs (golden fixture): tokens, logits, probs and
// every layer's attention for all 12 inputs, from both checkpoint formats.

#include <QtTest>
#include <filesystem>

#include "attrscope/model/model.h"
#include "golden.h"

using namespace attrscope;

class TestForward : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<Model> model_;

    static std::optional<std::string> textB(const nlohmann::json& input) {
        if (input["text_b"].is_null()) return std::nullopt;
        return input["text_b"].get<std::string>();
    }

private Q_SLOTS:
    void initTestCase() {
        setThreadCount(1);
        auto m = Model::load(golden::modelDir());
        QVERIFY2(m.ok(), m.error().c_str());
        model_ = *m;
        QVERIFY(model_->hasClassifier());
        QCOMPARE(model_->config().layerNormEps, 1e-5);
        QCOMPARE(model_->config().numLabels(), 3);
    }

    void goldenInputs_data() {
        QTest::addColumn<QString>("id");
        for (const auto& id : golden::inputIds()) QTest::newRow(id.c_str()) << QString::fromStdString(id);
    }

    void goldenInputs() {
        QFETCH(QString, id);
        const auto g = golden::load(id.toStdString() + ".json");
        auto enc = model_->encode(g["input"]["text_a"].get<std::string>(), textB(g["input"]));
        QVERIFY2(enc.ok(), enc.error().c_str());
        QCOMPARE(enc->tokens, g["tokens"].get<std::vector<std::string>>());
        QCOMPARE(enc->inputIds, g["input_ids"].get<std::vector<int64_t>>());
        QCOMPARE(enc->segmentIds, g["segment_ids"].get<std::vector<int64_t>>());

        auto p = model_->predict(*enc, true);
        QVERIFY2(p.ok(), p.error().c_str());
        const auto logits = g["logits"].get<std::vector<double>>();
        const auto probs = g["probs"].get<std::vector<double>>();
        QCOMPARE(p->logits.size(), logits.size());
        double maxLogit = 0, maxProb = 0;
        for (size_t c = 0; c < logits.size(); ++c) {
            maxLogit = std::max(maxLogit, std::fabs(p->logits[c] - logits[c]));
            maxProb = std::max(maxProb, std::fabs(p->probs[c] - probs[c]));
        }
        QVERIFY2(maxLogit <= 5e-5, qPrintable(QString("logits differ by %1").arg(maxLogit)));
        QVERIFY2(maxProb <= 5e-5, qPrintable(QString("probs differ by %1").arg(maxProb)));
        QCOMPARE(p->predicted, g["predicted"].get<int>());
        QCOMPARE(p->predictedLabel, g["predicted_label"].get<std::string>());
        const double att = golden::maxAbsDiff(p->attention, golden::toArray(g["attention"]));
        QVERIFY2(att <= 5e-5, qPrintable(QString("attention differs by %1").arg(att)));
    }

    // tokenization.json cases also carry logits of a clean forward.
    void tokenizationCases() {
        const auto g = golden::load("tokenization.json");
        const auto& cases = g.contains("cases") ? g["cases"] : g;
        int checked = 0;
        for (const auto& item : cases.items()) {
            const auto& c = item.value();
            if (!c.is_object() || !c.contains("logits")) continue;
            std::optional<std::string> b;
            if (c.contains("text_b") && c["text_b"].is_string()) b = c["text_b"].get<std::string>();
            auto enc = model_->encode(c["text_a"].get<std::string>(), b);
            QVERIFY2(enc.ok(), enc.error().c_str());
            auto p = model_->predict(*enc, false);
            QVERIFY2(p.ok(), p.error().c_str());
            auto logits = c["logits"].get<std::vector<double>>();
            for (size_t k = 0; k < logits.size(); ++k)
                QVERIFY2(std::fabs(p->logits[k] - logits[k]) <= 5e-5, item.key().c_str());
            ++checked;
        }
        QVERIFY(checked >= 5);
    }

    // The .bin and .safetensors checkpoints hold the same weights bit for bit.
    void binMatchesSafetensors() {
        QTemporaryDir dir;
        namespace fs = std::filesystem;
        for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json", "pytorch_model.bin"})
            fs::copy_file(golden::modelDir() + "/" + f, dir.path().toStdString() + "/" + f);
        auto bin = Model::load(dir.path().toStdString());
        QVERIFY2(bin.ok(), bin.error().c_str());
        QVERIFY((*bin)->weightsFile().find("pytorch_model.bin") != std::string::npos);
        for (const auto& id : golden::inputIds()) {
            const auto g = golden::load(id + ".json");
            auto enc = model_->encode(g["input"]["text_a"].get<std::string>(), textB(g["input"]));
            auto a = model_->predict(*enc, true);
            auto b = (*bin)->predict(*enc, true);
            QVERIFY(a.ok() && b.ok());
            QCOMPARE(a->logits, b->logits);
            QCOMPARE(golden::maxAbsDiff(a->attention, b->attention), 0.0);
        }
    }

    void batchMatchesSingle() {
        std::vector<Encoding> encs;
        for (const auto& id : golden::inputIds()) {
            const auto g = golden::load(id + ".json");
            encs.push_back(*model_->encode(g["input"]["text_a"].get<std::string>(), textB(g["input"])));
        }
        auto batch = model_->predictBatch(encs);
        QVERIFY2(batch.ok(), batch.error().c_str());
        for (size_t i = 0; i < encs.size(); ++i) {
            auto single = model_->predict(encs[i], false);
            for (size_t c = 0; c < single->logits.size(); ++c)
                QVERIFY(std::fabs(single->logits[c] - (*batch)[i].logits[c]) < 1e-4);
        }
    }

    void headMaskZeroesEverything() {
        auto enc = model_->encode("A man is playing a guitar.", std::string("A man plays."));
        HeadMask all = HeadMask::ones(4, 4);
        std::fill(all.values.begin(), all.values.end(), 0.0f);
        auto a = model_->predict(*enc, false, &all);
        auto enc2 = model_->encode("Completely different words here", std::string("and there"));
        auto b = model_->predict(*enc2, false, &all);
        QVERIFY(a.ok() && b.ok());
        // With every head masked, only position-0 embeddings reach [CLS]: same logits whatever
        // the rest of the text (as prune.json records at rate 1.0).
        for (size_t c = 0; c < a->logits.size(); ++c) QVERIFY(std::fabs(a->logits[c] - b->logits[c]) < 1e-5);
    }

    void tooLongAndBadIds() {
        Encoding e = *model_->encode("hello", std::nullopt);
        e.inputIds[1] = 1 << 30;
        auto p = model_->predict(e);
        QVERIFY(!p.ok());
        QVERIFY(p.error().find("outside the vocabulary") != std::string::npos);
        auto tooLong = model_->encode("hello", std::nullopt, 4096);
        QVERIFY(!tooLong.ok());
        QVERIFY(tooLong.error().find("max_position_embeddings") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestForward)
#include "test_forward.moc"
