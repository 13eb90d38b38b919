// The shipped demo models (resources/models) against their cards (issue 15):
//  - every accuracy in a model's evaluation.json (written by tools/demo-models/evaluate.sh and
//    quoted in its MODEL_CARD) is reproduced within 0.5 points on the repository's copies of
//    the data (SST-2 dev, SICK TEST, and the everyday sets in tests/data/everyday);
//  - at most 3 % of the everyday sentences' ordinary words are split into pieces;
//  - the NLI model's attribution tree for the guitar negation pair contains "not" (the paper's
//    kind of finding).

#include <QFile>
#include <QRegularExpression>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "attrscope/attribution/attribution.h"
#include "attrscope/data/dataset.h"
#include "attrscope/model/model.h"
#include "attrscope/train/trainer.h"
#include "attrscope/tree/attribution_tree.h"

using namespace attrscope;

namespace {

std::string modelDir(const std::string& name) {
    return std::string(ATTRSCOPE_MODELS_DIR) + "/" + name;
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return nlohmann::json::parse(s.str(), nullptr, false);
}

}  // namespace

class TestDemoModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cardAccuraciesReproduce_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("sick-nli") << "sick-nli";
        QTest::newRow("sst2-sentiment") << "sst2-sentiment";
    }

    void cardAccuraciesReproduce() {
        QFETCH(QString, model);
        const std::string dir = modelDir(model.toStdString());
        const nlohmann::json card = readJson(dir + "/evaluation.json");
        QVERIFY2(card.is_object() && card.contains("evaluations"), "evaluation.json missing");
        QVERIFY(card["evaluations"].size() >= 2);  // the task's test set and the everyday set
        auto loaded = Model::load(dir);
        QVERIFY2(loaded.ok(), loaded.error().c_str());
        for (const auto& e : card["evaluations"]) {
            DatasetOptions o;
            o.format = e["format"].get<std::string>();
            if (!e["split"].is_null())
                o.split = e["split"].get<std::string>();
            const std::string path =
                std::string(ATTRSCOPE_TEST_DATA_DIR) + "/" + e["data"].get<std::string>();
            auto data = loadDataset(path, o);
            QVERIFY2(data.ok(), data.error().c_str());
            auto report = evaluate(**loaded, *data);
            QVERIFY2(report.ok(), report.error().c_str());
            const double card = e["accuracy"].get<double>();
            qInfo("%s on %s: %d examples, accuracy %.2f %% (card %.2f %%, majority %.2f %%)",
                  qPrintable(model), e["name"].get<std::string>().c_str(), report->examples,
                  100 * report->accuracy, 100 * card, 100 * report->majorityBaseline);
            QCOMPARE(report->examples, e["examples"].get<int>());
            QVERIFY2(std::abs(report->accuracy - card) <= 0.005,
                     "accuracy differs from the model's card by more than 0.5 points");
            QVERIFY(report->accuracy > report->majorityBaseline);
        }
    }

    // Issue 15: at most 3 % of the ordinary words of the everyday sentences (letters only, as
    // BERT's basic tokenizer splits them) become more than one word piece.
    void everydayWordsStayWhole_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : {"base-en", "sick-nli", "sst2-sentiment"})
            QTest::newRow(m) << m;
    }

    void everydayWordsStayWhole() {
        QFETCH(QString, model);
        auto loaded = Model::load(modelDir(model.toStdString()));
        QVERIFY2(loaded.ok(), loaded.error().c_str());
        QFile file(QString(ATTRSCOPE_TEST_DATA_DIR) + "/everyday/sentences.txt");
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList words = QString::fromUtf8(file.readAll())
                                      .split(QRegularExpression("[^\\p{L}]+"), Qt::SkipEmptyParts);
        QStringList split;
        for (const QString& w : words) {
            auto enc = (*loaded)->encode(w.toStdString(), std::nullopt);
            QVERIFY2(enc.ok(), enc.error().c_str());
            if (enc->tokens.size() > 3)  // [CLS] pieces… [SEP]
                split << QString::fromStdString(enc->tokens[1] + " " + enc->tokens[2] + "…");
        }
        const double rate = double(split.size()) / double(words.size());
        qInfo("%s: %lld of %lld everyday words split (%.1f %%): %s", qPrintable(model),
              qlonglong(split.size()), qlonglong(words.size()), 100 * rate,
              qPrintable(split.join(", ")));
        QVERIFY(words.size() >= 300);
        // sick-nli is still the 2-layer model with a SICK-only vocabulary (45 % split): its
        // base-en replacement does not yet reach its accuracy (docs/demo-models.md). When it is
        // replaced, this XPASS fails the test: remove the expectation then.
        QEXPECT_FAIL("sick-nli", "sick-nli still has its SICK-only vocabulary (issue 15)",
                     Continue);
        QVERIFY2(rate <= 0.03, "more than 3 % of the everyday words are split");
    }

    void negationTreeContainsNot() {
        auto loaded = Model::load(modelDir("sick-nli"));
        QVERIFY2(loaded.ok(), loaded.error().c_str());
        Model& model = **loaded;
        auto enc = model.encode("A man is playing a guitar.", "A man is not playing a guitar.");
        QVERIFY2(enc.ok(), enc.error().c_str());
        auto result = attribute(model, *enc, AttributionOptions{});  // the paper's right, m = 20
        QVERIFY2(result.ok(), result.error().c_str());
        QCOMPARE(QString::fromStdString(result->prediction.predictedLabel).toLower(),
                 QStringLiteral("contradiction"));
        auto tree = buildAttributionTree(result->attributionArray());  // τ = 0.4
        QVERIFY2(tree.ok(), tree.error().c_str());
        QStringList nodes;
        for (int i : tree->nodes())
            nodes << QString::fromStdString(enc->tokens[size_t(i)]);
        qInfo("tree nodes at the default threshold: %s", qPrintable(nodes.join(' ')));
        // Today's 2-layer sick-nli model links "guitar" to "guitar" only; the pre-trained
        // replacement (issue 15, docs/demo-models.md) must find the negation. When it does, this
        // XPASS fails the test: remove the expectation then.
        QEXPECT_FAIL("", "the 2-layer sick-nli model's tree is guitar - guitar (issue 15)",
                     Continue);
        QVERIFY2(nodes.contains(QStringLiteral("not")), "the tree does not contain \"not\"");
    }
};

QTEST_GUILESS_MAIN(TestDemoModels)
#include "test_demo_models.moc"
