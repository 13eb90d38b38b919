// Head importance against the official prune_head_with_attr.py (golden head_importance.json),
// cancel + resume, the Taylor baseline against finite differences, accuracy difference.

#include <QtTest>
#include <cmath>

#include "attrscope/analysis/head_importance.h"
#include "attrscope/analysis/pruning.h"
#include "golden.h"

using namespace attrscope;

namespace {


class CancelAfterExamples : public ProgressSink {
public:
    CancelAfterExamples(CancelToken& token, int examples) : token_(token), examples_(examples) {}
    void onProgress(const JobProgress& p) override {
        if (p.done >= examples_)
            token_.cancel();
    }

private:
    CancelToken& token_;
    int examples_;
};

}  // namespace

class TestHeadImportance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void inputsAreTheGoldenOnes() {
        const auto g = golden::load("head_importance.json");
        const auto inputs = golden::sickInputs(20);
        QCOMPARE(inputs.size(), 20);
        for (int k = 0; k < 20; ++k) {
            const auto& e = g["per_example"][k];
            QCOMPARE(inputs.encodings[k].inputIds, e["input_ids"].get<std::vector<int64_t>>());
            QCOMPARE(inputs.encodings[k].segmentIds, e["segment_ids"].get<std::vector<int64_t>>());
            QCOMPARE(inputs.labels[k], e["label_id"].get<int>());  // via mapLabelsToClasses
        }
    }

    void attributionImportanceMatchesGolden() {
        const auto g = golden::load("head_importance.json");
        const auto inputs = golden::sickInputs(20);
        HeadImportanceOptions o;  // defaults: left rule, m = 20, gold label, first 200
        auto r = computeHeadImportance(*golden::model(), inputs, o);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(r->complete);
        QCOMPARE(r->examplesDone, 20);
        const auto expected = g["importance"].get<std::vector<double>>();
        QCOMPARE(r->attributionSum.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::fabs(r->attributionSum[i] - expected[i]) <= 1e-4,
                     qPrintable(QString("head %1: %2 vs %3")
                                    .arg(i)
                                    .arg(r->attributionSum[i])
                                    .arg(expected[i])));
        // Per-example maxima too (the golden per_example head_max).
        for (int k = 0; k < 20; ++k) {
            const auto hm = g["per_example"][k]["head_max"].get<std::vector<double>>();
            for (size_t h = 0; h < hm.size(); ++h)
                QVERIFY(std::fabs(r->perExampleAttribution[k][h] - hm[h]) <= 1e-5);
        }
        const auto mean = r->attributionMean();
        QCOMPARE(mean[3], r->attributionSum[3] / 20.0);
        // The ranking, exactly.
        const auto prune = golden::load("prune.json");
        QCOMPARE(ascendingOrder(r->attributionSum),
                 prune["ascending_order"].get<std::vector<int>>());
        QCOMPARE(ascendingOrder(expected), prune["ascending_order"].get<std::vector<int>>());
    }

    void attentionBaselineIsMaxAttention() {
        const auto inputs = golden::sickInputs(3);
        HeadImportanceOptions o;
        o.attribution = false;
        auto r = computeHeadImportance(*golden::model(), inputs, o);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(r->attributionSum.empty());
        std::vector<double> expected(16, 0.0);
        for (int k = 0; k < 3; ++k) {
            auto p = golden::model()->predict(inputs.encodings[k], true);
            QVERIFY(p.ok());
            const int64_t n = inputs.encodings[k].size();
            for (int h = 0; h < 16; ++h) {
                const float* b = p->attention.block({h / 4, h % 4});
                expected[h] += *std::max_element(b, b + n * n);
            }
        }
        for (int h = 0; h < 16; ++h)
            QVERIFY(std::fabs(r->attentionSum[h] - expected[h]) < 1e-6);
    }

    void cancelAndResumeGiveTheSameSums() {
        const auto inputs = golden::sickInputs(12);
        HeadImportanceOptions o;
        auto full = computeHeadImportance(*golden::model(), inputs, o);
        QVERIFY(full.ok());

        CancelToken token;
        CancelAfterExamples sink(token, 5);
        auto part = computeHeadImportance(*golden::model(), inputs, o, nullptr, {&sink, &token});
        QVERIFY2(part.ok(), part.error().c_str());
        QVERIFY(!part->complete);
        QCOMPARE(part->examplesDone, 5);
        QCOMPARE(part->perExampleAttribution.size(), size_t(5));

        token.reset();
        auto rest = computeHeadImportance(*golden::model(), inputs, o, &*part, {nullptr, &token});
        QVERIFY2(rest.ok(), rest.error().c_str());
        QVERIFY(rest->complete);
        QCOMPARE(rest->examplesDone, 12);
        QCOMPARE(rest->attributionSum, full->attributionSum);  // same order of additions
        QCOMPARE(rest->attentionSum, full->attentionSum);
        QCOMPARE(rest->perExampleAttribution, full->perExampleAttribution);

        // Resuming with other settings is refused.
        HeadImportanceOptions other = o;
        other.steps = 10;
        QVERIFY(!computeHeadImportance(*golden::model(), inputs, other, &*part).ok());
    }

    void taylorLastLayerEqualsFiniteDifference() {
        // In the last layer only [CLS] has a non-zero gradient, so Σ_tokens |⟨ctx, ∂S/∂ctx⟩| is
        // |∂S/∂g_h| for a gate g_h on the head's probabilities: a finite difference of the
        // head mask checks the whole backward pass.
        const auto inputs = golden::sickInputs(1);
        auto& model = *golden::model();
        for (auto objective : {TaylorObjective::LogitSum, TaylorObjective::Loss}) {
            TaylorOptions o;
            o.objective = objective;
            auto t = computeTaylorImportance(model, inputs, o);
            QVERIFY2(t.ok(), t.error().c_str());
            QVERIFY(t->complete);
            for (int h = 0; h < 4; ++h) {
                auto S = [&](float gate) {
                    HeadMask m = HeadMask::ones(4, 4);
                    m.at(3, h) = gate;
                    auto p = model.predictBatch({inputs.encodings[0]}, &m);
                    double s = 0.0;
                    if (objective == TaylorObjective::LogitSum) {
                        for (float v : (*p)[0].logits)
                            s += v;
                    } else {
                        s = -std::log(double((*p)[0].probs[inputs.labels[0]]));
                    }
                    return s;
                };
                const double eps = 1e-2;
                const double fd = std::fabs((S(1 + eps) - S(1 - eps)) / (2 * eps));
                const double got = t->raw[12 + h];
                QVERIFY2(std::fabs(got - fd) <= 2e-3 + 2e-2 * fd,
                         qPrintable(QString("%1 head %2: %3 vs fd %4")
                                        .arg(QString::fromStdString(taylorObjectiveName(objective)))
                                        .arg(h)
                                        .arg(got)
                                        .arg(fd)));
            }
        }
    }

    void taylorIsBatchInvariantAndNormalised() {
        const auto inputs = golden::sickInputs(10);
        TaylorOptions one;
        one.batchSize = 1;
        TaylorOptions many;
        many.batchSize = 32;  // padded batches: padding must contribute nothing
        auto a = computeTaylorImportance(*golden::model(), inputs, one);
        auto b = computeTaylorImportance(*golden::model(), inputs, many);
        QVERIFY(a.ok() && b.ok());
        for (int i = 0; i < 16; ++i)
            QVERIFY(std::fabs(a->raw[i] - b->raw[i]) <= 1e-4 * (1.0 + std::fabs(a->raw[i])));
        for (int l = 0; l < 4; ++l) {
            double ss = 0.0;
            for (int h = 0; h < 4; ++h)
                ss += b->normalized[l * 4 + h] * b->normalized[l * 4 + h];
            QVERIFY(std::fabs(ss - 1.0) < 1e-9);
        }
        QCOMPARE(taylorObjectiveName(TaylorObjective::LogitSum), std::string("logit-sum"));
    }

    void accuracyDifferenceMasksOneHead() {
        const auto inputs = golden::sickInputs(30);
        auto r = computeAccuracyDifference(*golden::model(), inputs, 16);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(r->complete);
        auto base = evaluateInputs(*golden::model(), inputs);
        QCOMPARE(r->baseAccuracy, base->accuracy);
        for (int h : {0, 7, 15}) {
            HeadMask m = HeadMask::ones(4, 4);
            m.values[h] = 0.0f;
            auto masked = evaluateInputs(*golden::model(), inputs, &m);
            QCOMPARE(r->maskedAccuracy[h], masked->accuracy);
            QCOMPARE(r->drop[h], base->accuracy - masked->accuracy);
        }
    }
};

QTEST_GUILESS_MAIN(TestHeadImportance)
#include "test_head_importance.moc"
