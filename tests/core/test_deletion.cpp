// Attention knockout: the batched knockout forward against the model's own single-layer
// substitution (evaluateWithAttention), k = 0 against the clean prediction, nested top-k sets,
// the random band, and a planted model on which every curve must fall monotonically.

#include <QtTest>
#include <map>

#include "attrscope/analysis/deletion.h"

using namespace attrscope;

namespace {

ModelConfig tinyConfig() {
    ModelConfig c;
    c.numLayers = 3;
    c.hiddenSize = 32;
    c.numHeads = 4;
    c.intermediateSize = 64;
    c.vocabSize = 200;
    c.maxPositionEmbeddings = 64;
    c.layerNormEps = 1e-5;
    c.id2label = {"contradiction", "entailment", "neutral"};
    return c;
}

}  // namespace

class TestDeletion : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<Model> model_;
    Encoding input_;
    Prediction clean_;

private Q_SLOTS:
    void initTestCase() {
        setThreadCount(2);
        auto m = Model::random(tinyConfig(), 4321);
        QVERIFY(m.ok());
        model_ = *m;
        auto e = model_->encode("the cat sat on the mat", std::string("a dog ran home"));
        QVERIFY(e.ok());
        input_ = *e;
        auto p = model_->predict(input_, true);
        QVERIFY(p.ok());
        clean_ = *p;
    }

    void zeroKIsTheCleanPrediction() {
        const int64_t L = 3, n = input_.size();
        FloatArray scores({L, n, n});
        auto p = knockoutCurve(*model_, input_, 1, scores, {0});
        QVERIFY(p.ok());
        QVERIFY(std::fabs((*p)[0] - clean_.probs[1]) < 1e-5);
    }

    void knockoutEqualsSubstitutedAttention() {
        // Knock out 5 chosen entries of layer 1 (every head) by ranking them first; the model's
        // own path with those entries zeroed must give the same probability.
        const int64_t L = 3, H = 4, n = input_.size();
        const std::vector<std::pair<int64_t, int64_t>> chosen = {{0, 0}, {2, 3}, {5, 1}, {3, 3}, {1, 7}};
        FloatArray scores({L, n, n});
        for (auto [i, j] : chosen) scores.at({1, i, j}) = 1.0f;
        const int target = 2;
        auto p = knockoutCurve(*model_, input_, target, scores, {5, 3});
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().c_str());
        FloatArray probs({H, n, n});
        std::copy(clean_.attention.block({1}), clean_.attention.block({1}) + H * n * n,
                  probs.data.begin());
        for (int64_t h = 0; h < H; ++h)
            for (auto [i, j] : chosen) probs.at({h, i, j}) = 0.0f;
        auto want = evaluateWithAttention(*model_, input_, 1, probs, target);
        QVERIFY(want.ok());
        qInfo("knockout %.7f, substituted path %.7f, clean %.7f", (*p)[0], *want,
              clean_.probs[target]);
        QVERIFY(std::fabs((*p)[0] - *want) < 1e-5);
        QVERIFY(std::fabs((*p)[0] - clean_.probs[target]) > 1e-4);  // the knockout did something
        // k = 3 takes the first three by index (ties) — differs from k = 5.
        QVERIFY(std::fabs((*p)[1] - (*p)[0]) > 1e-6);
    }

    void lastLayerRowsBelowClsAreNotCandidates() {
        const int64_t L = 3, n = input_.size();
        FloatArray scores({L, n, n});
        for (int64_t i = 1; i < n; ++i)
            for (int64_t j = 0; j < n; ++j) scores.at({2, i, j}) = 10.0f;  // never reach [CLS]
        scores.at({0, 0, 0}) = 1.0f;
        auto p = knockoutCurve(*model_, input_, 0, scores, {1});
        QVERIFY(p.ok());
        // The one removed entry is (0, 0, 0), not a last-layer row that cannot matter.
        QVERIFY(std::fabs((*p)[0] - clean_.probs[0]) > 1e-6);
    }

    void plantedModelCurvesFallMonotonically() {
        // tests/data/planted-knockout: p(high) is increasing in the attention mass head 1 of
        // [CLS] keeps (head 0 carries nothing: its slice of the value vector is zero). Every
        // knockout lowers that mass or leaves it, so every curve must fall monotonically; and
        // the rankings that see head 1's weight (AttAttr, gradient-weighted) remove the most
        // mass for each k, so their curves lie under attention's, rollout's and random's (here
        // head 1's [CLS] row is so peaked that attention's ranking happens to be optimal too).
        auto m = Model::load(std::string(ATTRSCOPE_TEST_DATA_DIR) + "/planted-knockout");
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().c_str());
        auto enc = (*m)->encode("a b c d e f g a b", std::nullopt);
        QVERIFY(enc.ok());
        DeletionOptions o;
        o.maxK = 16;
        o.randomRankings = 8;
        auto r = deletionCurves(**m, *enc, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        QCOMPARE((*m)->config().id2label.at(size_t(r->target)), std::string("high"));
        std::map<std::string, const DeletionCurve*> by;
        for (const auto& c : r->curves) {
            by[c.method] = &c;
            double previous = r->fullProb;
            QString line;
            for (double p : c.probs) {
                QVERIFY2(p <= previous + 1e-6, (c.method + " rises").c_str());
                previous = p;
                line += QString(" %1").arg(p, 0, 'f', 4);
            }
            qInfo("%-15s AUC %.4f:%s", c.method.c_str(), c.auc, qPrintable(line));
            QVERIFY(c.probs.back() < r->fullProb - 1e-3);
        }
        for (size_t i = 0; i < r->ks.size(); ++i)
            for (const char* faithful : {"attattr", "grad-attention"})
                for (const char* other : {"attention", "rollout"}) {
                    QVERIFY(by[faithful]->probs[i] <= by[other]->probs[i] + 1e-6);
                    QVERIFY(by[faithful]->probs[i] <= by["random"]->low[i] + 1e-6);
                }
        QVERIFY(by["attattr"]->auc < by["random"]->auc);
    }

    void curvesForEveryMethod() {
        DeletionOptions o;
        o.maxK = 64;
        o.randomRankings = 4;
        o.attribution.steps = 8;
        auto r = deletionCurves(*model_, input_, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        QCOMPARE(r->ks, (std::vector<int>{1, 2, 4, 8, 16, 32, 64}));
        QCOMPARE(int(r->curves.size()), 5);
        for (const auto& c : r->curves) {
            QCOMPARE(c.probs.size(), r->ks.size());
            QVERIFY(c.auc >= 0.0 && c.auc <= 1.0);
            qInfo("%-15s AUC %.4f  p(k=64) %.4f", c.method.c_str(), c.auc, c.probs.back());
            if (c.method == "random") {
                for (size_t i = 0; i < c.probs.size(); ++i)
                    QVERIFY(c.low[i] <= c.probs[i] + 1e-9 && c.probs[i] <= c.high[i] + 1e-9);
            }
        }
        auto study = deletionStudy(*model_, {input_, input_}, o);
        QVERIFY(study.ok());
        QVERIFY(study->complete);
        for (size_t m = 0; m < study->methods.size(); ++m)
            QVERIFY(std::fabs(study->meanAuc[m] - r->curves[m].auc) < 1e-9);
    }

    // The GUI passes the run's AttAttr instead of computing it again: the same curve, and a
    // wrongly shaped one is an error, not a silent recomputation.
    void precomputedAttributionRanksTheSame() {
        DeletionOptions o;
        o.maxK = 64;
        o.methods = {DeletionMethod::Attribution};
        o.attribution.steps = 8;
        auto computed = deletionCurves(*model_, input_, o);
        QVERIFY(computed.ok());
        AttributionOptions ao = o.attribution;
        ao.target = std::to_string(computed->target);
        auto a = attribute(*model_, input_, ao);
        QVERIFY(a.ok());
        const FloatArray all = a->attributionArray();
        const int64_t L = all.dim(0), H = all.dim(1), n = all.dim(2);
        FloatArray sum({L, n, n});
        for (int64_t l = 0; l < L; ++l)
            for (int64_t h = 0; h < H; ++h)
                for (int64_t k = 0; k < n * n; ++k) sum.block({l})[k] += all.block({l, h})[k];
        o.attributionScores = sum;
        auto reused = deletionCurves(*model_, input_, o);
        QVERIFY(reused.ok());
        QCOMPARE(reused->curves[0].probs, computed->curves[0].probs);
        o.attributionScores = FloatArray({L, n, n + 1});
        QVERIFY(!deletionCurves(*model_, input_, o).ok());
    }

    void badInputIsAnError() {
        QVERIFY(!knockoutCurve(*model_, input_, 0, FloatArray({2, 2, 2}), {1}).ok());
        DeletionOptions o;
        o.maxK = 0;
        QVERIFY(!deletionCurves(*model_, input_, o).ok());
        QCOMPARE(parseDeletionMethod("attattr"), std::optional<DeletionMethod>(DeletionMethod::Attribution));
        QVERIFY(!parseDeletionMethod("nonsense"));
    }
};

QTEST_GUILESS_MAIN(TestDeletion)
#include "test_deletion.moc"
