// The attribution tree against the official examples/attribution_tree.py outputs (golden
// tree_A01..A12.json, generalised to 4 layers), plus the 0/0 layers, errors and thresholds.

#include <QtTest>
#include <algorithm>
#include <cmath>

#include "attrscope/tree/attribution_tree.h"
#include "golden.h"

using namespace attrscope;

namespace {

FloatArray goldenAttribution(const std::string& id) {
    return golden::toArray(golden::load(id + ".json")["attribution"]["left"]);
}

AttributionTree build(const FloatArray& a, double threshold = 0.4) {
    auto tree = buildAttributionTree(a, threshold);
    if (!tree)
        qFatal("buildAttributionTree failed: %s", tree.error().c_str());
    return std::move(tree).value();
}

bool allFinite(const AttributionTree& t) {
    auto finite = [](double v) { return std::isfinite(v); };
    return std::all_of(t.heights.begin(), t.heights.end(), finite) &&
           std::all_of(t.rootScores.begin(), t.rootScores.end(), finite) &&
           std::all_of(t.edges.begin(), t.edges.end(),
                       [](const TreeEdge& e) { return std::isfinite(e.weight); });
}

// Layer `l`, head 0 of a [L][1][n][n] array, written as a dense n×n matrix.
void setLayer(FloatArray& a, int l, const std::vector<std::vector<float>>& m) {
    for (size_t i = 0; i < m.size(); ++i)
        for (size_t j = 0; j < m[i].size(); ++j)
            a.at({l, 0, static_cast<int64_t>(i), static_cast<int64_t>(j)}) = m[i][j];
}

std::vector<std::vector<int>> edgeTriples(const AttributionTree& t) {
    std::vector<std::vector<int>> out;
    for (const TreeEdge& e : t.edges)
        out.push_back({e.parent, e.child, e.layer});
    return out;
}

}  // namespace

class TestAttributionTree : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void goldenTrees_data() {
        QTest::addColumn<QString>("id");
        for (const std::string& id : golden::inputIds())
            QTest::newRow(id.c_str()) << QString::fromStdString(id);
    }

    void goldenTrees() {
        QFETCH(QString, id);
        const nlohmann::json expected = golden::load("tree_" + id.toStdString() + ".json");
        const FloatArray a = goldenAttribution(id.toStdString());
        const AttributionTree tree = build(a, expected["tau"].get<double>());
        const int n = static_cast<int>(a.dim(2));

        QCOMPARE(tree.numLayers, expected["num_layers"].get<int>());
        QCOMPARE(tree.numTokens, n);
        QCOMPARE(tree.root, expected["root"].get<int>());
        QCOMPARE(edgeTriples(tree), expected["edges"].get<std::vector<std::vector<int>>>());
        QCOMPARE(tree.nodeState, expected["node_state"].get<std::vector<int>>());

        const auto heights = expected["heights"].get<std::vector<double>>();
        QCOMPARE(tree.heights.size(), heights.size());
        for (size_t i = 0; i < heights.size(); ++i)
            QVERIFY2(std::fabs(tree.heights[i] - heights[i]) <= 1e-9,
                     qPrintable(QString::number(i)));

        // Root scores are computed like numpy (pairwise row sums), so they match closely.
        const auto scores = expected["diagnostics"]["root_scores"].get<std::vector<double>>();
        QCOMPARE(tree.rootScores.size(), scores.size());
        for (size_t i = 0; i < scores.size(); ++i)
            QVERIFY(std::fabs(tree.rootScores[i] - scores[i]) <= 1e-12);

        // Each weight is the normalised entry that admitted the edge, and it passed tau.
        const FloatArray p = normalisedLayerSums(a);
        QCOMPARE(p.shape, (std::vector<int64_t>{a.dim(0), n, n}));
        for (const TreeEdge& e : tree.edges) {
            QVERIFY(e.weight > 0.4f);
            QCOMPARE(e.weight, p.at({e.layer, e.parent, e.child}));
        }
        QVERIFY(allFinite(tree));

        std::vector<int> nodes;
        for (int i = 0; i < n; ++i)
            if (tree.nodeState[i] != -1)
                nodes.push_back(i);
        QCOMPARE(tree.nodes(), nodes);
        QCOMPARE(tree.empty(), expected["edges"].empty());
    }

    void emptyTreeA11() {
        const AttributionTree tree = build(goldenAttribution("A11"));
        QVERIFY(tree.empty());
        QCOMPARE(tree.nodes(), std::vector<int>{33});
    }

    // The last layer is non-zero only in row 0, so the official code divides 0/0 there. Here
    // and in any all-zero layer the result must stay finite, with no edges from that layer.
    void zeroLayersStayFinite() {
        const FloatArray golden = goldenAttribution("A04");
        const FloatArray p = normalisedLayerSums(golden);
        QVERIFY(
            std::all_of(p.data.begin(), p.data.end(), [](float v) { return std::isfinite(v); }));
        for (int64_t i = 0; i < p.dim(1); ++i)  // last layer: treated as having no entries
            for (int64_t j = 0; j < p.dim(2); ++j)
                QCOMPARE(p.at({3, i, j}), 0.0f);

        for (int zeroLayer = 0; zeroLayer < 4; ++zeroLayer) {
            FloatArray a = golden;
            const size_t block = FloatArray::count({a.dim(1), a.dim(2), a.dim(3)});
            std::fill_n(a.data.begin() + zeroLayer * block, block, 0.0f);
            const AttributionTree tree = build(a);
            QVERIFY2(allFinite(tree), qPrintable(QString::number(zeroLayer)));
            for (const TreeEdge& e : tree.edges)
                QVERIFY(e.layer != zeroLayer);
        }

        FloatArray zeros({4, 2, 6, 6});
        const AttributionTree tree = build(zeros);
        QVERIFY(allFinite(tree));
        QVERIFY(tree.empty());
        QCOMPARE(tree.root, 5);  // all scores tie at 0: the highest position, never [CLS]
        QVERIFY(std::all_of(tree.rootScores.begin(), tree.rootScores.end(),
                            [](double v) { return v == 0.0; }));
    }

    void rejectsBadInput() {
        QVERIFY(!buildAttributionTree(FloatArray({4, 6, 6})).ok());     // rank 3
        QVERIFY(!buildAttributionTree(FloatArray({1, 2, 6, 6})).ok());  // one layer
        QVERIFY(!buildAttributionTree(FloatArray({4, 2, 1, 1})).ok());  // one token
        QVERIFY(!buildAttributionTree(FloatArray({4, 2, 6, 5})).ok());  // not square
        QVERIFY(!buildAttributionTree(FloatArray({4, 0, 6, 6})).ok());  // no heads
        QVERIFY(!buildAttributionTree(FloatArray({4, 2, 6, 6}), std::nan("")).ok());
        QVERIFY(!buildAttributionTree(FloatArray({4, 2, 6, 6}), INFINITY).ok());
        FloatArray withNan({4, 2, 6, 6});
        withNan.data[7] = NAN;
        QVERIFY(!buildAttributionTree(withNan).ok());
        FloatArray truncated({4, 2, 6, 6});
        truncated.data.pop_back();
        QVERIFY(!buildAttributionTree(truncated).ok());
        QVERIFY(normalisedLayerSums(FloatArray({4, 6, 6})).empty());

        auto error = buildAttributionTree(FloatArray({4, 2, 6, 5}));
        QVERIFY(QString::fromStdString(error.error()).contains("square"));
        QVERIFY(buildAttributionTree(FloatArray({2, 1, 2, 2})).ok());  // smallest valid input
    }

    // The official construction is greedy, so raising tau can re-parent a node, but the set of
    // nodes (and so the number of edges, nodes - 1) can only shrink, and every edge passes tau.
    void raisingThresholdNeverAddsNodes() {
        for (const std::string& id : golden::inputIds()) {
            const FloatArray a = goldenAttribution(id);
            AttributionTree previous = build(a, 0.05);
            for (double tau = 0.1; tau < 1.2; tau += 0.05) {
                const AttributionTree tree = build(a, tau);
                const std::vector<int> lower = previous.nodes(), higher = tree.nodes();
                QVERIFY2(std::includes(lower.begin(), lower.end(), higher.begin(), higher.end()),
                         qPrintable(QString("%1 tau %2").arg(id.c_str()).arg(tau)));
                QVERIFY(tree.edges.size() <= previous.edges.size());
                QCOMPARE(tree.edges.size() + 1, higher.size());
                QCOMPARE(tree.root, previous.root);  // the root does not depend on tau
                for (const TreeEdge& e : tree.edges)
                    QVERIFY(e.weight > tau);
                previous = tree;
            }
            QVERIFY(previous.empty());  // nothing passes tau > 1 outside the [CLS] row
        }
    }

    // A hand-made 4-layer case that walks through the official rules step by step.
    void officialRulesByHand() {
        FloatArray a({4, 1, 4, 4});
        // Layer 2 (root edges): 1 -> 2 at P = 0.5; the 1.0 in row 3 only sets the scale.
        setLayer(a, 2, {{0, 0, 0, 0}, {0, 0, 0.5f, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}});
        // Layer 1: 1 -> 2 at 0.7/0.9, 2 -> 3 at 1.
        setLayer(a, 1, {{0, 0, 0, 0}, {0, 0, 0.7f, 0}, {0, 0, 0, 0.9f}, {0, 0, 0, 0}});
        // Layer 0 is all zero; layer 3 is non-zero only in row 0, as a real last layer.
        setLayer(a, 3, {{0, 0.3f, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}});

        const AttributionTree low = build(a, 0.4);
        QCOMPARE(low.root, 1);  // row sums of T: 1.2, 0.9, 1.0 (over max 1.2)
        QCOMPARE(edgeTriples(low), (std::vector<std::vector<int>>{{1, 2, 2}, {2, 3, 1}}));
        QCOMPARE(low.nodeState, (std::vector<int>{-1, 1, 1, 0}));
        // The root's children keep height 0, so theirs go negative: (0 * 4 - 1) / 4.
        QCOMPARE(low.heights, (std::vector<double>{0.0, 0.75, 0.0, -0.25}));

        const AttributionTree high = build(a, 0.6);  // 1 -> 2 now comes from layer 1
        QCOMPARE(edgeTriples(high), (std::vector<std::vector<int>>{{1, 2, 1}, {2, 3, 1}}));
        QCOMPARE(high.heights, (std::vector<double>{0.0, 0.75, 0.5, 0.25}));
        QCOMPARE(high.nodes(), low.nodes());
        QCOMPARE(high.edges[0].weight, static_cast<float>(double(0.7f) / double(0.9f)));
    }
};

QTEST_GUILESS_MAIN(TestAttributionTree)
#include "test_attribution_tree.moc"
