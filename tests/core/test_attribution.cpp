// The attribution engine against the official code's numbers and against mathematics:
// golden maps for both rules, completeness and step probabilities, finite differences, the
// last-layer zero pattern, chunk invariance, convergence of every rule, cancellation.

#include <QtTest>
#include <chrono>
#include <thread>

#include "attrscope/attribution/attribution.h"
#include "attrscope/attribution/official_style.h"
#include "golden.h"

using namespace attrscope;

namespace {

std::optional<std::string> textB(const nlohmann::json& input) {
    if (input["text_b"].is_null()) return std::nullopt;
    return input["text_b"].get<std::string>();
}

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

double meanAbsCompletenessError(const AttributionResult& r) {
    double e = 0;
    for (const auto& l : r.layers) e += std::fabs(l.completeness.error());
    return e / r.layers.size();
}

class CancelAfter : public ProgressSink {
public:
    CancelAfter(CancelToken& token, int chunks) : token_(token), chunks_(chunks) {}
    void onProgress(const JobProgress& p) override {
        if (p.done > 0 && --chunks_ == 0) {
            token_.cancel();
            cancelledAt = std::chrono::steady_clock::now();
        }
    }
    std::chrono::steady_clock::time_point cancelledAt;

private:
    CancelToken& token_;
    int chunks_;
};

}  // namespace

class TestAttribution : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<Model> golden_;
    std::shared_ptr<Model> tiny_;

    Encoding goldenEncoding(const nlohmann::json& g) {
        return *golden_->encode(g["input"]["text_a"].get<std::string>(), textB(g["input"]));
    }

private Q_SLOTS:
    void initTestCase() {
        setThreadCount(2);
        auto m = Model::load(golden::modelDir());
        QVERIFY2(m.ok(), m.error().c_str());
        golden_ = *m;
        auto t = Model::random(tinyConfig(), 1234);
        QVERIFY2(t.ok(), t.error().c_str());
        tiny_ = *t;
    }

    void golden_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("rule");
        for (const auto& id : golden::inputIds())
            for (const char* rule : {"left", "right"})
                QTest::newRow((id + "/" + rule).c_str()) << QString::fromStdString(id) << rule;
    }

    // Maps within 1e-5, completeness and step probabilities within 5e-5 of the official code.
    void golden() {
        QFETCH(QString, id);
        QFETCH(QString, rule);
        const std::string r = rule.toStdString();
        const auto g = golden::load(id.toStdString() + ".json");
        AttributionOptions opt;
        opt.steps = 20;
        opt.rule = *parseRule(r);
        auto res = attribute(*golden_, goldenEncoding(g), opt);
        QVERIFY2(res.ok(), res.error().c_str());
        QCOMPARE(res->target, g["predicted"].get<int>());
        const double d = golden::maxAbsDiff(res->attributionArray(),
                                            golden::toArray(g["attribution"][r]));
        QVERIFY2(d <= 1e-5, qPrintable(QString("attribution differs by %1").arg(d)));
        const auto& comp = g["completeness"][r];
        const auto& steps = g["step_probs"][r];
        for (int l = 0; l < res->numLayers; ++l) {
            const auto* la = res->layer(l);
            QVERIFY(la);
            QVERIFY(std::fabs(la->completeness.sumAttr - comp[l]["sum_attr"].get<double>()) <= 5e-5);
            QVERIFY(std::fabs(la->completeness.fFull - comp[l]["f_full"].get<double>()) <= 5e-5);
            QVERIFY(std::fabs(la->completeness.fZero - comp[l]["f_zero"].get<double>()) <= 5e-5);
            const auto sp = steps[l].get<std::vector<double>>();
            QCOMPARE(la->stepProbs.size(), sp.size());
            for (size_t k = 0; k < sp.size(); ++k) QVERIFY(std::fabs(la->stepProbs[k] - sp[k]) <= 5e-5);
        }
    }

    // Attribution with one right-rule point is A ⊙ ∂F/∂A at A: compare the gradient with
    // central differences of F.
    void gradientMatchesFiniteDifferences() {
        auto enc = *tiny_->encode("the man is playing a guitar", std::string("a dog is running"));
        AttributionOptions opt;
        opt.steps = 1;
        opt.rule = Rule::Right;
        auto res = attribute(*tiny_, enc, opt);
        QVERIFY2(res.ok(), res.error().c_str());
        const int n = enc.size();
        const float eps = 1e-2f;
        int checked = 0;
        double worst = 0;
        for (int t = 0; t < 3; ++t) {
            const auto* la = res->layer(t);
            FloatArray A({4, n, n});
            std::copy(res->prediction.attention.block({t}), res->prediction.attention.block({t}) + A.data.size(), A.data.begin());
            for (int h = 0; h < 4; ++h)
                for (int i : {0, 2, n - 1})
                    for (int j : {0, 1, n / 2}) {
                        const float a = A.at({h, i, j});
                        if (a < 1e-3f) continue;
                        const double grad = la->attribution.at({h, i, j}) / a;
                        FloatArray plus = A, minus = A;
                        plus.at({h, i, j}) += eps;
                        minus.at({h, i, j}) -= eps;
                        const double fp = *evaluateWithAttention(*tiny_, enc, t, plus, res->target);
                        const double fm = *evaluateWithAttention(*tiny_, enc, t, minus, res->target);
                        const double fd = (fp - fm) / (2 * eps);
                        worst = std::max(worst, std::fabs(fd - grad));
                        QVERIFY2(std::fabs(fd - grad) <= 2e-3 + 2e-2 * std::fabs(grad),
                                 qPrintable(QString("layer %1 head %2 (%3,%4): grad %5 vs fd %6")
                                                .arg(t).arg(h).arg(i).arg(j).arg(grad).arg(fd)));
                        ++checked;
                    }
        }
        QVERIFY(checked > 20);
        qInfo("finite differences: %d entries, worst |fd - grad| = %.2e", checked, worst);
    }

    void lastLayerOnlyClsRow() {
        auto enc = *tiny_->encode("a woman is not playing", std::string("the cat"));
        auto res = attribute(*tiny_, enc, AttributionOptions());
        QVERIFY(res.ok());
        const auto& last = res->layer(2)->attribution;
        const int n = enc.size();
        double row0 = 0;
        for (int h = 0; h < 4; ++h)
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    if (i > 0) QCOMPARE(last.at({h, i, j}), 0.0f);
                    else row0 = std::max(row0, double(std::fabs(last.at({h, i, j}))));
                }
        QVERIFY(row0 > 0);
    }

    void chunkSizesAgree() {
        auto enc = *tiny_->encode("the man is playing a guitar", std::string("a woman is running"));
        AttributionOptions opt;
        opt.steps = 20;
        opt.chunkSize = 20;
        auto ref = attribute(*tiny_, enc, opt);
        for (int chunk : {1, 7}) {
            opt.chunkSize = chunk;
            auto r = attribute(*tiny_, enc, opt);
            QVERIFY(r.ok());
            QVERIFY(golden::maxAbsDiff(r->attributionArray(), ref->attributionArray()) <= 1e-6);
            for (int l = 0; l < 3; ++l)
                for (size_t k = 0; k < 20; ++k)
                    QVERIFY(std::fabs(r->layer(l)->stepProbs[k] - ref->layer(l)->stepProbs[k]) < 1e-6);
        }
    }

    void oneCleanForwardPerRun() {
        // Every layer from one cached clean pass (spec §6.3.1), the prediction included.
        auto enc = *tiny_->encode("a dog runs", std::string("the cat sleeps"));
        const uint64_t before = tiny_->forwardPasses();
        auto r = attribute(*tiny_, enc, AttributionOptions{});
        QVERIFY(r.ok());
        QCOMPARE(tiny_->forwardPasses() - before, uint64_t(1));
        QCOMPARE(r->timings.cleanForwards, 1);
        QVERIFY(r->isComplete());
    }

    void officialStyleGivesTheSameMaps() {
        // The official computation (padded, a clean forward per layer, prefix recomputed per
        // chunk) and the engine's optimised one are the same maps (spec §6.3).
        auto enc = *tiny_->encode("the man is playing a guitar", std::string("a dog"));
        AttributionOptions opt;
        opt.rule = Rule::Left;
        opt.steps = 8;
        auto fast = attribute(*tiny_, enc, opt);
        auto slow = attributeOfficialStyle(*tiny_, enc, 8, 3, 40);
        QVERIFY2(slow.ok(), slow.ok() ? "" : slow.error().c_str());
        QCOMPARE(slow->target, fast->target);
        QCOMPARE(slow->layers.size(), fast->layers.size());
        for (const auto& l : fast->layers) {
            double scale = 0.0;
            for (float v : l.attribution.data)
                scale = std::max(scale, double(std::fabs(v)));
            const double diff = golden::maxAbsDiff(slow->layer(l.layer)->attribution, l.attribution);
            QVERIFY2(diff <= 1e-5 * std::max(scale, 1e-3),
                     qPrintable(QString("layer %1: %2 (max %3)").arg(l.layer).arg(diff).arg(scale)));
        }
    }

    void layerSubsetAndOrder() {
        auto enc = *tiny_->encode("a dog", std::string("the cat"));
        AttributionOptions opt;
        auto all = attribute(*tiny_, enc, opt);
        opt.layers = {2, 0};
        struct Order : AttributionListener {
            std::vector<int> layers;
            void onLayer(const LayerAttribution& l) override { layers.push_back(l.layer); }
        } order;
        auto some = attribute(*tiny_, enc, opt, {}, &order);
        QVERIFY(some.ok());
        QCOMPARE(order.layers, (std::vector<int>{2, 0}));
        QCOMPARE(some->layers.size(), size_t(2));
        QVERIFY(!some->layer(1));
        QVERIFY(golden::maxAbsDiff(some->layer(2)->attribution, all->layer(2)->attribution) <= 1e-7);
    }

    // Completeness error falls as m grows, for every rule; Gauss–Legendre beats right at equal m.
    void convergence() {
        std::vector<Encoding> inputs;
        for (const auto& id : {"A01", "A04", "A09"}) inputs.push_back(goldenEncoding(golden::load(std::string(id) + ".json")));
        for (Rule rule : {Rule::Right, Rule::Left, Rule::Midpoint, Rule::GaussLegendre}) {
            std::vector<double> errors;
            for (int m : {4, 16, 64}) {
                double e = 0;
                for (const auto& enc : inputs) {
                    AttributionOptions opt;
                    opt.steps = m;
                    opt.rule = rule;
                    e += meanAbsCompletenessError(*attribute(*golden_, enc, opt));
                }
                errors.push_back(e / inputs.size());
            }
            qInfo("%-15s mean |completeness error| m=4: %.3e  m=16: %.3e  m=64: %.3e",
                  ruleName(rule).c_str(), errors[0], errors[1], errors[2]);
            // Falls with m until it reaches float32 noise (~1e-6 for these probabilities).
            const double floor = 1e-6;
            QVERIFY(errors[1] < errors[0]);
            QVERIFY(errors[2] < errors[1] || errors[2] < floor);
        }
        double right = 0, gauss = 0;
        for (const auto& id : golden::inputIds()) {
            auto enc = goldenEncoding(golden::load(id + ".json"));
            AttributionOptions opt;
            opt.steps = 20;
            right += meanAbsCompletenessError(*attribute(*golden_, enc, opt));
            opt.rule = Rule::GaussLegendre;
            gauss += meanAbsCompletenessError(*attribute(*golden_, enc, opt));
        }
        qInfo("m=20 over the 12 golden inputs: right %.3e, gauss-legendre %.3e", right / 12, gauss / 12);
        QVERIFY(gauss < right);
    }

    void quadratureIntegratesPolynomials() {
        for (int m : {1, 2, 5, 20}) {
            auto q = Quadrature::make(Rule::GaussLegendre, m);
            for (int p = 0; p < 2 * m; ++p) {  // exact up to degree 2m − 1
                double s = 0;
                for (int k = 0; k < m; ++k) s += q.weights[k] * std::pow(q.alphas[k], p);
                QVERIFY(std::fabs(s - 1.0 / (p + 1)) < 1e-12);
            }
        }
        auto left = Quadrature::make(Rule::Left, 20);
        QCOMPARE(left.alphas.front(), 0.0);
        QCOMPARE(Quadrature::make(Rule::Right, 20).alphas.back(), 1.0);
    }

    void cancelStopsWithinAChunk() {
        ModelConfig c = tinyConfig();
        c.numLayers = 6;
        auto m = *Model::random(c, 5);
        auto enc = *m->encode("the man is playing a guitar in the park", std::string("a dog"));
        CancelToken token;
        CancelAfter sink(token, 3);
        AttributionOptions opt;
        opt.steps = 40;
        opt.chunkSize = 2;
        auto r = attribute(*m, enc, opt, {&sink, &token});
        QVERIFY(!r.ok());
        QVERIFY(r.status().isCancelled());
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sink.cancelledAt).count();
        QVERIFY2(ms < 500, qPrintable(QString("cancel took %1 ms").arg(ms)));
        // The model is still usable and gives the same result as a fresh one.
        opt.chunkSize = 0;
        auto again = attribute(*m, enc, opt);
        auto fresh = attribute(**Model::random(c, 5), enc, opt);
        QVERIFY(again.ok() && fresh.ok());
        QCOMPARE(golden::maxAbsDiff(again->attributionArray(), fresh->attributionArray()), 0.0);
    }

    void badOptions() {
        auto enc = *tiny_->encode("a dog", std::nullopt);
        AttributionOptions opt;
        opt.steps = 0;
        QVERIFY(attribute(*tiny_, enc, opt).error().find("steps") != std::string::npos);
        opt = AttributionOptions();
        opt.target = "7";
        QVERIFY(attribute(*tiny_, enc, opt).error().find("out of range") != std::string::npos);
        opt.target = "maybe";
        auto r = attribute(*tiny_, enc, opt);
        QVERIFY(r.error().find("unknown target label 'maybe'") != std::string::npos);
        QVERIFY(r.error().find("entailment") != std::string::npos);
        opt.target = "Entailment";
        QCOMPARE(attribute(*tiny_, enc, opt)->target, 1);
        opt = AttributionOptions();
        opt.layers = {0, 3};
        QVERIFY(attribute(*tiny_, enc, opt).error().find("layer 3 is out of range") != std::string::npos);
        opt.layers = {1, 1};
        QVERIFY(attribute(*tiny_, enc, opt).error().find("twice") != std::string::npos);
        QVERIFY(!parseRule("trapezoid"));
    }
};

QTEST_GUILESS_MAIN(TestAttribution)
#include "test_attribution.moc"
