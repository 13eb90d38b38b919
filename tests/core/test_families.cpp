// Every supported family against Hugging Face's own modeling code: tests/data/families holds
// trimmed copies of shared/golden/families (float64 transformers runs on random checkpoints of
// bert, roberta, xlm-roberta, distilbert, electra, albert and deberta-v3; see its README and
// PROVENANCE.md files). Each input is typed as text and encoded by the model's own tokenizer
// files, whose ids must equal the golden ids (the texts come from tests/data/tokenizers/families,
// the same tokenizer files with the same inputs). Tolerances are the README's §7: logits 1e-4, attention 1e-5, attribution per layer
// max(1e-5, 1e-4 · max |golden attr of the layer|), f_full / f_zero 1e-4, predicted class exact.

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"
#include "family_fixtures.h"
#include "golden.h"

using namespace attrscope;
using attrscope::test::familyDir;
using attrscope::test::kFamilies;

namespace {

const char* const kInputs[] = {"A02", "A04", "A08", "A10"};

nlohmann::json loadGolden(const std::string& family, const std::string& id) {
    std::ifstream in(familyDir(family) + "/" + id + ".json");
    if (!in) throw std::runtime_error("cannot open " + family + "/" + id + ".json");
    return nlohmann::json::parse(in);
}

// Max |a − b| over layer l of [L][H][n][n] arrays a (ours) and g (golden).
double layerDiff(const FloatArray& ours, const FloatArray& golden, int64_t l) {
    const size_t size = FloatArray::count({golden.dim(1), golden.dim(2), golden.dim(3)});
    const size_t base = golden.offset({l});
    double m = 0;
    for (size_t i = 0; i < size; ++i)
        m = std::max(m, std::fabs(double(ours.data[base + i]) - double(golden.data[base + i])));
    return m;
}

double layerMaxAbs(const FloatArray& a, int64_t l) {
    const size_t size = FloatArray::count({a.dim(1), a.dim(2), a.dim(3)});
    const size_t base = a.offset({l});
    double m = 0;
    for (size_t i = 0; i < size; ++i) m = std::max(m, std::fabs(double(a.data[base + i])));
    return m;
}

struct MaxErrors {
    double logits = 0, attention = 0, attribution = 0, attributionRatio = 0, ends = 0;
};

}  // namespace

class TestFamilies : public QObject {
    Q_OBJECT

private:
    std::map<std::string, std::shared_ptr<Model>> models_;
    std::map<std::string, MaxErrors> errors_;

    std::shared_ptr<Model> model(const std::string& family) {
        auto it = models_.find(family);
        if (it != models_.end()) return it->second;
        auto m = Model::load(familyDir(family) + "/model");
        if (!m) qFatal("%s: %s", family.c_str(), m.error().c_str());
        models_[family] = *m;
        return *m;
    }

    // The golden input typed as text: its case in the tokenizer goldens of the same files.
    static Expected<Encoding> encodingOf(const Model& m, const std::string& family,
                                         const nlohmann::json& g) {
        const std::string path = std::string(ATTRSCOPE_TEST_DATA_DIR) + "/tokenizers/families/" +
                                 family + "/cases.json";
        std::ifstream in(path);
        if (!in) return Status::error("cannot open " + path);
        const auto cases = nlohmann::json::parse(in)["cases"];
        for (const auto& c : cases) {
            if (c["id"] != g["id"]) continue;
            std::optional<std::string> b;
            if (!c["text_b"].is_null()) b = c["text_b"].get<std::string>();
            return m.encode(c["text_a"].get<std::string>(), b, c["max_length"].get<int>());
        }
        return Status::error(path + ": no case " + g["id"].get<std::string>());
    }

private Q_SLOTS:
    void initTestCase() { setThreadCount(1); }

    void loadsEveryFamily_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("modelType");
        for (const char* f : kFamilies)
            QTest::newRow(f) << QString(f)
                             << QString(std::string(f) == "deberta-v3" ? "deberta-v2" : f);
    }

    void loadsEveryFamily() {
        QFETCH(QString, family);
        QFETCH(QString, modelType);
        auto m = model(family.toStdString());
        QCOMPARE(QString::fromStdString(m->config().modelType), modelType);
        QVERIFY(m->hasClassifier());
        QVERIFY(m->config().problemType == ProblemType::SingleLabel);
        // WordPiece folders get BERT's tokenizer, the others their own files; all read text.
        const bool wordPiece = family == "bert" || family == "distilbert" || family == "electra";
        QCOMPARE(m->hasTokenizer(), wordPiece);
        QVERIFY(m->canEncodeText());
        QVERIFY(m->tokenizerVocabSize() > 0 && m->tokenizerVocabSize() <= m->config().vocabSize);
        QVERIFY(m->warnings().empty());
    }

    // B4 for every family: a config.json that disagrees with the weights is refused from the
    // file's header, before the (here 2,000,000-row) embedding would be allocated; a checkpoint
    // with more layers than num_hidden_layers is an error (ALBERT shares its layers: no index).
    void shapesComparedBeforeAllocating() {
        for (const char* family : kFamilies) {
            for (const bool fewerLayers : {false, true}) {
                if (fewerLayers && std::string(family) == "albert") continue;
                QTemporaryDir dir;
                const std::filesystem::path src = familyDir(family) + "/model";
                for (const auto& entry : std::filesystem::directory_iterator(src))
                    if (entry.path().filename() != "config.json")
                        std::filesystem::create_symlink(
                            entry.path(), dir.filePath(QString::fromStdString(
                                                           entry.path().filename().string()))
                                              .toStdString());
                std::ifstream in(src / "config.json");
                auto config = nlohmann::json::parse(in);
                if (fewerLayers)
                    config[std::string(family) == "distilbert" ? "n_layers" : "num_hidden_layers"] =
                        1;
                else
                    config["vocab_size"] = 2000000;
                std::ofstream(dir.filePath("config.json").toStdString()) << config.dump();
                QElapsedTimer t;
                t.start();
                auto m = Model::load(dir.path().toStdString());
                QVERIFY2(!m.ok(), family);
                const char* expected =
                    fewerLayers ? "has layer 1" : "word_embeddings.weight' has shape";
                QVERIFY2(m.error().find(expected) != std::string::npos, m.error().c_str());
                QVERIFY2(t.elapsed() < 3000, family);
            }
        }
    }

    void golden_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("id");
        for (const char* f : kFamilies)
            for (const char* id : kInputs)
                QTest::newRow((std::string(f) + "/" + id).c_str()) << QString(f) << QString(id);
    }

    void golden() {
        QFETCH(QString, family);
        QFETCH(QString, id);
        const std::string fam = family.toStdString();
        const auto g = loadGolden(fam, id.toStdString());
        auto m = model(fam);
        MaxErrors& err = errors_[fam];
        auto enc = encodingOf(*m, fam, g);
        QVERIFY2(enc.ok(), enc.error().c_str());
        QCOMPARE(enc->size(), g["n"].get<int>());
        QCOMPARE(enc->inputIds, g["input_ids"].get<std::vector<int64_t>>());
        QCOMPARE(enc->tokens, g["tokens"].get<std::vector<std::string>>());
        if (g.contains("token_type_ids") && g.value("uses_token_type_ids", false))
            QCOMPARE(enc->segmentIds, g["token_type_ids"].get<std::vector<int64_t>>());
        if (g.contains("position_ids"))  // RoBERTa counts from padding_idx + 1
            QCOMPARE(m->config().positionOffset(), g["position_ids"][0].get<int>());

        auto p = m->predict(*enc, true);
        QVERIFY2(p.ok(), p.error().c_str());
        const auto logits = g["logits"].get<std::vector<double>>();
        QCOMPARE(p->logits.size(), logits.size());
        for (size_t c = 0; c < logits.size(); ++c)
            err.logits = std::max(err.logits, std::fabs(p->logits[c] - logits[c]));
        QVERIFY2(err.logits <= 1e-4, qPrintable(QString("logits differ by %1").arg(err.logits)));
        QCOMPARE(p->predicted, g["predicted"].get<int>());
        const FloatArray attention = golden::toArray(g["attention"]);
        QCOMPARE(p->attention.shape, attention.shape);
        const double att = golden::maxAbsDiff(p->attention, attention);
        err.attention = std::max(err.attention, att);
        QVERIFY2(att <= 1e-5, qPrintable(QString("attention differs by %1").arg(att)));

        for (const char* ruleName : {"right", "left"}) {
            AttributionOptions o;
            o.steps = g["m"].get<int>();
            o.rule = *parseRule(ruleName);
            auto r = attribute(*m, *enc, o);
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->target, g["predicted"].get<int>());
            const FloatArray ours = r->attributionArray();
            const FloatArray gold = golden::toArray(g["attribution"][ruleName]);
            QCOMPARE(ours.shape, gold.shape);
            for (int64_t l = 0; l < gold.dim(0); ++l) {
                const double scale = layerMaxAbs(gold, l);
                const double d = layerDiff(ours, gold, l);
                const double tol = std::max(1e-5, 1e-4 * scale);
                err.attribution = std::max(err.attribution, d);
                err.attributionRatio = std::max(err.attributionRatio, d / tol);
                QVERIFY2(d <= tol, qPrintable(QString("%1 rule, layer %2: attribution differs by "
                                                      "%3 (tolerance %4)")
                                                  .arg(ruleName)
                                                  .arg(l)
                                                  .arg(d)
                                                  .arg(tol)));
                const auto& c = g["completeness"][ruleName][static_cast<size_t>(l)];
                const auto& ours_c = r->layers[static_cast<size_t>(l)].completeness;
                const double ends =
                    std::max(std::fabs(ours_c.fFull - c["f_full"].get<double>()),
                             std::fabs(ours_c.fZero - c["f_zero"].get<double>()));
                err.ends = std::max(err.ends, ends);
                QVERIFY2(ends <= 1e-4,
                         qPrintable(QString("layer %1: F(A) or F(0) differs by %2").arg(l).arg(ends)));
            }
        }
    }

    void cleanupTestCase() {
        for (const auto& [family, e] : errors_)
            qInfo("%-12s max |Δ| logits %.2e  attention %.2e  attribution %.2e (%.3f of the "
                  "tolerance)  F(A)/F(0) %.2e",
                  family.c_str(), e.logits, e.attention, e.attribution, e.attributionRatio, e.ends);
    }
};

QTEST_GUILESS_MAIN(TestFamilies)
#include "test_families.moc"
