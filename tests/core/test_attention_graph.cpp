// Attention rollout and attention flow against hand-computed small graphs, and the constraints
// every flow obeys: rollout ≤ flow ≤ 1 (a feasible flow of the rollout's value exists, and a
// token's out-capacity is 1), flow through one layer = that layer's capacity.

#include <QtTest>
#include <random>

#include "attrscope/attribution/attention_flow.h"
#include "attrscope/attribution/rollout.h"

using namespace attrscope;

namespace {

// Two layers, two heads, two tokens. Head means: layer 0 [[.5,.5],[.5,.5]], layer 1
// [[.2,.8],[.6,.4]]; mixed with w = 0.5: Â0 = [[.75,.25],[.25,.75]], Â1 = [[.6,.4],[.3,.7]].
FloatArray handGraph() {
    FloatArray a({2, 2, 2, 2});
    const float l0h0[] = {1.0f, 0.0f, 0.5f, 0.5f}, l0h1[] = {0.0f, 1.0f, 0.5f, 0.5f};
    const float l1[] = {0.2f, 0.8f, 0.6f, 0.4f};
    std::copy(l0h0, l0h0 + 4, a.block({0, 0}));
    std::copy(l0h1, l0h1 + 4, a.block({0, 1}));
    std::copy(l1, l1 + 4, a.block({1, 0}));
    std::copy(l1, l1 + 4, a.block({1, 1}));
    return a;
}

// Row-stochastic random attention [L][H][n][n] with peaked rows (softmax of wide logits).
FloatArray randomAttention(int L, int H, int n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0.0, 2.5);
    FloatArray a({L, H, n, n});
    for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h)
            for (int i = 0; i < n; ++i) {
                std::vector<double> e(static_cast<size_t>(n));
                double s = 0;
                for (auto& v : e) s += (v = std::exp(z(rng)));
                for (int j = 0; j < n; ++j) a.at({l, h, i, j}) = float(e[size_t(j)] / s);
            }
    return a;
}

}  // namespace

class TestAttentionGraph : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rolloutMatchesHandComputation() {
        auto mixed = mixedAttention(handGraph());
        QVERIFY(mixed.ok());
        const float m0[] = {0.75f, 0.25f, 0.25f, 0.75f}, m1[] = {0.6f, 0.4f, 0.3f, 0.7f};
        for (int k = 0; k < 4; ++k) {
            QVERIFY(std::fabs(mixed->block({0})[k] - m0[k]) < 1e-6);
            QVERIFY(std::fabs(mixed->block({1})[k] - m1[k]) < 1e-6);
        }
        auto r = attentionRollout(handGraph());
        QVERIFY(r.ok());
        // R1 = Â1·Â0 = [[.55,.45],[.4,.6]]; R0 = Â0.
        const float r1[] = {0.55f, 0.45f, 0.4f, 0.6f};
        for (int k = 0; k < 4; ++k) {
            QVERIFY(std::fabs(r->block({0})[k] - m0[k]) < 1e-6);
            QVERIFY2(std::fabs(r->block({1})[k] - r1[k]) < 1e-6, qPrintable(QString::number(k)));
        }
        // Without the residual the rollout is the plain product of the head means.
        auto plain = attentionRollout(handGraph(), RolloutOptions{0.0});
        QVERIFY(plain.ok());
        QVERIFY(std::fabs(plain->at({1, 0, 0}) - 0.5f) < 1e-6);  // .2·.5 + .8·.5
    }

    void rolloutEdgeScoresMatchHandComputation() {
        auto s = rolloutEdgeScores(handGraph());
        QVERIFY(s.ok());
        // Top layer: [CLS] weight 1 on row 0 only, (1 − w)·mean A1[0] = [.1, .4].
        const float top[] = {0.1f, 0.4f, 0.0f, 0.0f};
        // Layer 0: row weights Â1[0] = [.6, .4] times .5·mean A0 = .25 everywhere.
        const float bottom[] = {0.15f, 0.15f, 0.1f, 0.1f};
        for (int k = 0; k < 4; ++k) {
            QVERIFY(std::fabs(s->block({1})[k] - top[k]) < 1e-6);
            QVERIFY(std::fabs(s->block({0})[k] - bottom[k]) < 1e-6);
        }
    }

    void flowMatchesHandComputation() {
        auto f = attentionFlow(handGraph());
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().c_str());
        // Through one layer the only path is the edge itself.
        const float m0[] = {0.75f, 0.25f, 0.25f, 0.75f};
        for (int k = 0; k < 4; ++k) QVERIFY(std::fabs(f->block({0})[k] - m0[k]) < 1e-6);
        // Two disjoint two-edge paths each: min(.6,.75)+min(.4,.25) = .85, min(.6,.25)+
        // min(.4,.75) = .65, min(.3,.75)+min(.7,.25) = .55, min(.3,.25)+min(.7,.75) = .95.
        const float f1[] = {0.85f, 0.65f, 0.55f, 0.95f};
        for (int k = 0; k < 4; ++k)
            QVERIFY2(std::fabs(f->block({1})[k] - f1[k]) < 1e-6,
                     qPrintable(QString("%1: %2").arg(k).arg(f->block({1})[k])));
    }

    void flowWithASharedBottleneck() {
        // Three tokens, one head, two layers, no residual. Layer 1 sends [CLS] (row 0) half to
        // token 1 and half to token 2; in layer 0 token 1 attends to token 0 with .9, token 2
        // with .1. Max-flow 0→0 = min(.5,.9) + min(.5,.1) = .6; rollout = .5·.9 + .5·.1 = .5.
        FloatArray a({2, 1, 3, 3});
        const float l0[] = {1, 0, 0, 0.9f, 0.1f, 0, 0.1f, 0, 0.9f};
        const float l1[] = {0, 0.5f, 0.5f, 0, 1, 0, 0, 0, 1};
        std::copy(l0, l0 + 9, a.block({0}));
        std::copy(l1, l1 + 9, a.block({1}));
        FlowOptions o;
        o.mixing.residualWeight = 0.0;
        o.clsOnly = true;
        auto f = attentionFlow(a, o);
        auto r = attentionRollout(a, o.mixing);
        QVERIFY(f.ok() && r.ok());
        QVERIFY(std::fabs(f->at({1, 0, 0}) - 0.6f) < 1e-6);
        QVERIFY(std::fabs(r->at({1, 0, 0}) - 0.5f) < 1e-6);
        QVERIFY(f->at({1, 1, 0}) == 0.0f);  // clsOnly leaves the other rows unsolved
    }

    void flowIsBetweenRolloutAndOne() {
        for (uint64_t seed : {1u, 2u, 3u}) {
            const auto a = randomAttention(3, 2, 6, seed);
            auto f = attentionFlow(a);
            auto r = attentionRollout(a);
            auto m = mixedAttention(a);
            QVERIFY(f.ok() && r.ok() && m.ok());
            int strict = 0;
            for (size_t k = 0; k < f->data.size(); ++k) {
                QVERIFY2(f->data[k] >= r->data[k] - 1e-5,
                         qPrintable(QString("flow %1 < rollout %2").arg(f->data[k]).arg(r->data[k])));
                QVERIFY(f->data[k] <= 1.0f + 1e-5f);
                strict += f->data[k] > r->data[k] + 1e-4;
            }
            QVERIFY(strict > 0);  // a real max-flow, not the rollout again
            for (size_t k = 0; k < 36; ++k)  // layer 0 of [3][6][6]
                QVERIFY(std::fabs(f->data[k] - m->data[k]) < 1e-6);  // layer 0 = capacities
        }
    }

    void rolloutRowsStayStochastic() {
        auto r = attentionRollout(randomAttention(4, 3, 7, 9));
        QVERIFY(r.ok());
        for (int64_t l = 0; l < 4; ++l)
            for (int64_t i = 0; i < 7; ++i) {
                double s = 0;
                for (int64_t j = 0; j < 7; ++j) s += r->at({l, i, j});
                QVERIFY(std::fabs(s - 1.0) < 1e-5);
            }
    }

    void badInputIsAnError() {
        QVERIFY(!attentionRollout(FloatArray({2, 3, 4})).ok());
        QVERIFY(!attentionRollout(FloatArray({1, 1, 2, 3})).ok());
        QVERIFY(!attentionRollout(handGraph(), RolloutOptions{1.5}).ok());
        FlowOptions o;
        o.layers = {5};
        QVERIFY(!attentionFlow(handGraph(), o).ok());
        CancelToken cancel;
        cancel.cancel();
        auto f = attentionFlow(handGraph(), {}, {nullptr, &cancel});
        QVERIFY(!f.ok() && f.status().isCancelled());
    }
};

QTEST_GUILESS_MAIN(TestAttentionGraph)
#include "test_attention_graph.moc"
