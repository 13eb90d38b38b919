// Attention knockout: the batched knockout forward against the model's own single-layer
// substitution (evaluateWithAttention), k = 0 against the clean prediction, nested top-k sets,
// the random band, and a planted ranking whose curve must fall monotonically.

#include <QtTest>

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

    void plantedRankingFallsMonotonically() {
        // Planted: rank the [CLS] row of the last layer first, by attention. Removing its
        // entries one after another starves [CLS] of context; once every key is gone the layer's
        // attention output is zero. The target is the class whose probability that lowers, so
        // the curve must fall, monotonically along the nested top-k sets of the planted
        // ranking, and end at the fully knocked-out value.
        const int64_t L = 3, n = input_.size();
        FloatArray scores({L, n, n});
        for (int64_t j = 0; j < n; ++j) scores.at({2, 0, j}) = 100.0f + clean_.attention.at({2, 0, 0, j});
        std::vector<int> ks;
        for (int k = 1; k <= n; ++k) ks.push_back(k);
        // Which class does emptying [CLS]'s last attention lower?
        int target = -1;
        double drop = 0;
        for (int c = 0; c < 3; ++c) {
            auto all = knockoutCurve(*model_, input_, c, scores, {int(n)});
            QVERIFY(all.ok());
            if (clean_.probs[c] - (*all)[0] > drop) drop = clean_.probs[c] - (*all)[0], target = c;
        }
        QVERIFY(target >= 0);
        auto p = knockoutCurve(*model_, input_, target, scores, ks);
        QVERIFY(p.ok());
        int rises = 0;
        for (size_t i = 1; i < p->size(); ++i) rises += (*p)[i] > (*p)[i - 1] + 1e-6;
        qInfo("planted curve: %.4f → %.4f over %d removals, %d rises", clean_.probs[target],
              p->back(), int(n), rises);
        QVERIFY(p->back() < clean_.probs[target]);
        QCOMPARE(rises, 0);
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
