// Properties that must hold on every family's fixture model (tests/data/families): the
// attribution's gradient against finite differences of F with respect to one layer's attention,
// step chunking, the [CLS]-restricted last layer against the full one, head masks against
// substituted attention, the problem types, and clear refusals of unsupported configs.

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"
#include "family_fixtures.h"
#include "golden.h"

using namespace attrscope;
using attrscope::test::familyDir;
using attrscope::test::kFamilies;
namespace fs = std::filesystem;

namespace {

// The truncated pair A08 (n = 30, long enough for DeBERTa's logarithmic buckets).
Encoding pairInput(const Model& m, const std::string& family) {
    std::ifstream in(familyDir(family) + "/A08.json");
    const auto g = nlohmann::json::parse(in);
    std::vector<int64_t> types;
    if (g.contains("token_type_ids") && g.value("uses_token_type_ids", false))
        types = g["token_type_ids"].get<std::vector<int64_t>>();
    auto e = m.encodeIds(g["input_ids"].get<std::vector<int64_t>>(), types);
    if (!e) qFatal("%s", e.error().c_str());
    return *e;
}

// Layer l's clean attention [H][n][n] from a prediction.
FloatArray layerAttention(const Prediction& p, int l) {
    FloatArray a({p.attention.dim(1), p.attention.dim(2), p.attention.dim(3)});
    std::copy_n(p.attention.data.begin() + static_cast<std::ptrdiff_t>(p.attention.offset({l})),
                a.data.size(), a.data.begin());
    return a;
}

// A copy of a fixture folder with config.json edited by `edit`.
std::string editedCopy(const std::string& family, const std::string& name,
                       const std::function<void(nlohmann::json&)>& edit) {
    const std::string out = QDir::tempPath().toStdString() + "/attrscope_fam_" + name;
    fs::remove_all(out);
    fs::copy(familyDir(family) + "/model", out);
    std::ifstream in(out + "/config.json");
    auto j = nlohmann::json::parse(in);
    in.close();
    edit(j);
    fs::remove(out + "/config.json");
    std::ofstream(out + "/config.json") << j.dump(2);
    return out;
}

}  // namespace

class TestFamilyProperties : public QObject {
    Q_OBJECT

private:
    static std::shared_ptr<Model> load(const std::string& dir) {
        auto m = Model::load(dir);
        if (!m) qFatal("%s: %s", dir.c_str(), m.error().c_str());
        return *m;
    }

    static void addFamilies() {
        QTest::addColumn<QString>("family");
        for (const char* f : kFamilies) QTest::newRow(f) << QString(f);
    }

private Q_SLOTS:
    void initTestCase() { setThreadCount(1); }

    // With m = 1 and the right rule, attr = A ⊙ ∂F/∂A at A: compare ∂F/∂A to central
    // differences of F for the entries with the largest attributions, in the first layer and
    // (the [CLS]-restricted path) the last.
    void gradientMatchesFiniteDifferences_data() { addFamilies(); }
    void gradientMatchesFiniteDifferences() {
        QFETCH(QString, family);
        auto m = load(familyDir(family.toStdString()) + "/model");
        const Encoding input = pairInput(*m, family.toStdString());
        const int L = m->config().numLayers;
        AttributionOptions o;
        o.steps = 1;
        auto r = attribute(*m, input, o);
        QVERIFY2(r.ok(), r.error().c_str());
        for (int l : {0, L - 1}) {
            const FloatArray A = layerAttention(r->prediction, l);
            const FloatArray& attr = r->layers[static_cast<size_t>(l)].attribution;
            std::vector<size_t> order(attr.data.size());
            for (size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::partial_sort(order.begin(), order.begin() + 3, order.end(), [&](size_t a, size_t b) {
                return std::fabs(attr.data[a]) > std::fabs(attr.data[b]);
            });
            const double eps = 1e-2;
            for (int k = 0; k < 3; ++k) {
                const size_t i = order[static_cast<size_t>(k)];
                QVERIFY(A.data[i] > 1e-3f);
                const double grad = double(attr.data[i]) / double(A.data[i]);
                FloatArray plus = A, minus = A;
                plus.data[i] += float(eps);
                minus.data[i] -= float(eps);
                auto fp = evaluateWithAttention(*m, input, l, plus, r->target);
                auto fm = evaluateWithAttention(*m, input, l, minus, r->target);
                QVERIFY(fp.ok() && fm.ok());
                const double fd = (*fp - *fm) / (2 * eps);
                QVERIFY2(std::fabs(fd - grad) <= 2e-3 + 2e-2 * std::fabs(grad),
                         qPrintable(QString("layer %1 entry %2: gradient %3, finite difference %4")
                                        .arg(l).arg(i).arg(grad).arg(fd)));
            }
        }
    }

    // The restricted last layer (only the [CLS] query row) equals the full one: F along the
    // path from the full attention matrix equals the engine's restricted step values, and no
    // other row changes F at all.
    void restrictedLastLayerEqualsFull_data() { addFamilies(); }
    void restrictedLastLayerEqualsFull() {
        QFETCH(QString, family);
        auto m = load(familyDir(family.toStdString()) + "/model");
        const Encoding input = pairInput(*m, family.toStdString());
        const int last = m->config().numLayers - 1;
        AttributionOptions o;
        o.layers = {last};
        auto r = attribute(*m, input, o);
        QVERIFY2(r.ok(), r.error().c_str());
        const auto& la = r->layers.front();
        auto full = evaluatePath(*m, input, last, la.alphas, r->target);
        QVERIFY2(full.ok(), full.error().c_str());
        for (size_t k = 0; k < la.alphas.size(); ++k)
            QVERIFY2(std::fabs((*full)[k] - la.stepProbs[k]) <= 1e-6,
                     qPrintable(QString("step %1: full %2, restricted %3")
                                    .arg(k).arg((*full)[k]).arg(la.stepProbs[k])));
        const int64_t n = input.size();
        for (int64_t h = 0; h < la.attribution.dim(0); ++h)
            for (int64_t i = 1; i < n; ++i)
                for (int64_t j = 0; j < n; ++j) QCOMPARE(la.attribution.at({h, i, j}), 0.0f);
        FloatArray A = layerAttention(r->prediction, last);
        auto clean = evaluateWithAttention(*m, input, last, A, r->target);
        for (int64_t j = 0; j < n; ++j) A.at({0, n - 1, j}) = 0.5f;  // a row [CLS] never reads
        auto changed = evaluateWithAttention(*m, input, last, A, r->target);
        QVERIFY(clean.ok() && changed.ok());
        QCOMPARE(*changed, *clean);
    }

    // Step chunking is a memory setting only.
    void chunkSizesAgree_data() { addFamilies(); }
    void chunkSizesAgree() {
        QFETCH(QString, family);
        auto m = load(familyDir(family.toStdString()) + "/model");
        const Encoding input = pairInput(*m, family.toStdString());
        FloatArray reference;
        for (int chunk : {20, 1, 7}) {
            AttributionOptions o;
            o.chunkSize = chunk;
            auto r = attribute(*m, input, o);
            QVERIFY2(r.ok(), r.error().c_str());
            if (reference.empty()) {
                reference = r->attributionArray();
                continue;
            }
            const double d = golden::maxAbsDiff(r->attributionArray(), reference);
            QVERIFY2(d <= 1e-6, qPrintable(QString("chunk %1 differs by %2").arg(chunk).arg(d)));
        }
    }

    // A mask of ones changes nothing; pruning one head equals running with that head's
    // attention zeroed (the layers above recompute theirs in both).
    void headMasks_data() { addFamilies(); }
    void headMasks() {
        QFETCH(QString, family);
        auto m = load(familyDir(family.toStdString()) + "/model");
        const Encoding input = pairInput(*m, family.toStdString());
        const auto& c = m->config();
        auto plain = m->predict(input, true);
        HeadMask ones = HeadMask::ones(c.numLayers, c.numHeads);
        auto masked = m->predict(input, true, &ones);
        QVERIFY(plain.ok() && masked.ok());
        QCOMPARE(masked->logits, plain->logits);
        QCOMPARE(masked->attention.data, plain->attention.data);
        auto batch = m->predictBatch({input, input}, &ones);
        QVERIFY(batch.ok());
        for (size_t k = 0; k < plain->logits.size(); ++k)
            QVERIFY(std::fabs((*batch)[1].logits[k] - plain->logits[k]) <= 1e-5);

        const int layer = 0, head = c.numHeads - 1;
        HeadMask pruned = ones;
        pruned.at(layer, head) = 0.0f;
        auto p = m->predict(input, false, &pruned);
        QVERIFY(p.ok());
        FloatArray A = layerAttention(*plain, layer);
        const int64_t n = input.size();
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j) A.at({head, i, j}) = 0.0f;
        auto f = evaluateWithAttention(*m, input, layer, A, plain->predicted);
        QVERIFY(f.ok());
        QVERIFY2(std::fabs(*f - p->probs[size_t(plain->predicted)]) <= 1e-6,
                 qPrintable(QString("%1 vs %2").arg(*f).arg(p->probs[size_t(plain->predicted)])));
        QVERIFY(std::fabs(*f - plain->probs[size_t(plain->predicted)]) > 1e-6);
    }

    // F is the target's softmax probability, sigmoid or raw output by problem_type.
    void problemTypes() {
        for (const char* type : {"multi_label_classification", "regression"}) {
            const std::string dir = editedCopy("roberta", type, [&](nlohmann::json& j) {
                j["problem_type"] = type;
            });
            auto m = load(dir);
            const bool multi = std::string(type) == "multi_label_classification";
            QVERIFY(m->config().problemType ==
                    (multi ? ProblemType::MultiLabel : ProblemType::Regression));
            QCOMPARE(QString::fromStdString(m->config().problemTypeName()), QString(type));
            const Encoding input = pairInput(*m, "roberta");
            auto p = m->predict(input, false);
            QVERIFY(p.ok());
            for (size_t k = 0; k < p->logits.size(); ++k) {
                const double expected = multi ? 1.0 / (1.0 + std::exp(-p->logits[k])) : p->logits[k];
                QVERIFY(std::fabs(p->probs[k] - expected) <= 1e-6);
            }
            AttributionOptions o;
            o.layers = {0};
            auto r = attribute(*m, input, o);
            QVERIFY2(r.ok(), r.error().c_str());
            QVERIFY(std::fabs(r->layers[0].completeness.fFull - p->probs[size_t(r->target)]) <=
                    1e-5);
            fs::remove_all(dir);
        }
    }

    void refusals_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("message");
        QTest::newRow("encoder-decoder") << R"({"model_type": "t5"})" << "encoder-decoder";
        QTest::newRow("decoder-only") << R"({"model_type": "gpt2"})" << "decoder-only";
        QTest::newRow("modernbert") << R"({"model_type": "modernbert"})" << "ModernBERT";
        QTest::newRow("unknown") << R"({"model_type": "frobnicator"})" << "'frobnicator'";
        QTest::newRow("token head") << R"({"model_type": "roberta",
            "architectures": ["RobertaForTokenClassification"]})" << "ForSequenceClassification";
        QTest::newRow("deberta v1") << R"({"model_type": "deberta"})" << "deberta-v2";
        QTest::newRow("albert inner groups")
            << R"({"model_type": "albert", "inner_group_num": 2})" << "inner_group_num";
        QTest::newRow("problem type") << R"({"problem_type": "ranking"})" << "ranking";
    }
    void refusals() {
        QFETCH(QString, config);
        QFETCH(QString, message);
        auto c = ModelConfig::fromJson(config.toStdString(), "config.json");
        QVERIFY(!c.ok());
        QVERIFY2(c.error().find(message.toStdString()) != std::string::npos, c.error().c_str());
        if (!message.contains("inner") && !message.contains("ranking") &&
            !message.contains("Sequence"))
            QVERIFY2(c.error().find("bert, roberta, xlm-roberta, distilbert, electra, albert, "
                                    "deberta-v2") != std::string::npos,
                     c.error().c_str());
    }

    // DistilBERT's own key names and the defaults of the families' configs.
    void familyConfigKeys() {
        auto d = ModelConfig::fromJson(R"({"model_type": "distilbert", "dim": 64, "n_layers": 2,
            "n_heads": 4, "hidden_dim": 96, "activation": "relu"})", "c");
        QVERIFY2(d.ok(), d.error().c_str());
        QCOMPARE(d->hiddenSize, 64);
        QCOMPARE(d->numLayers, 2);
        QCOMPARE(d->numHeads, 4);
        QCOMPARE(d->intermediateSize, 96);
        QCOMPARE(QString::fromStdString(d->hiddenAct), QString("relu"));
        QVERIFY(!d->usesTokenTypes());
        auto r = ModelConfig::fromJson(R"({"model_type": "roberta", "max_position_embeddings": 514})",
                                       "c");
        QVERIFY(r.ok());
        QCOMPARE(r->padTokenId, 1);
        QCOMPARE(r->maxSequenceLength(), 512);
        auto back = ModelConfig::fromJson(d->toJson(), "round trip");
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->hiddenSize, 64);
        QCOMPARE(back->intermediateSize, 96);
    }

    // A config that implies far more weights than the file holds is refused before allocating.
    void oversizedConfigRefused() {
        const std::string dir = editedCopy("electra", "oversized", [](nlohmann::json& j) {
            j["vocab_size"] = 1 << 28;
        });
        auto m = Model::load(dir);
        QVERIFY(!m.ok());
        // The config's own cap (2^21 word pieces) catches this one first; a config within the
        // caps that still implies far more weights than the file holds is the second guard.
        QVERIFY2(m.error().find("vocab_size is 268435456") != std::string::npos, m.error().c_str());
        const std::string dir2 = editedCopy("electra", "oversized2", [](nlohmann::json& j) {
            j["vocab_size"] = 1 << 21;
            j["hidden_size"] = 4096;
            j["num_attention_heads"] = 4;
        });
        auto m2 = Model::load(dir2);
        QVERIFY(!m2.ok());
        fs::remove_all(dir);
    }
};

QTEST_GUILESS_MAIN(TestFamilyProperties)
#include "test_family_properties.moc"
