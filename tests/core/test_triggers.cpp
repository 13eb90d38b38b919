// Trigger mining and insertion: hand-made patterns and examples for positions, Python rounding,
// the duplicate-position bump and truncation; mined records against the attribution itself;
// the fixed dropped-last-pattern quirk.

#include <QtTest>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "attrscope/json/analysis_json.h"
#include "attrscope/analysis/triggers.h"
#include "golden.h"

using namespace attrscope;

namespace {

Vocabulary smallVocab() {
    auto v = Vocabulary::fromTokens(
        {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "x", "y", "z", "w", "p", "q", "b", "e", "a", "##s"});
    if (!v)
        qFatal("%s", v.error().c_str());
    return *v;
}

// [CLS] a b c [SEP] d e [SEP]: seg_pos 4, len_A 3, len_B 2.
TriggerRecord handRecord(double a1, double a2) {
    TriggerRecord r;
    r.tokens = {"[CLS]", "a", "b", "##s", "[SEP]", "d", "e", "[SEP]"};
    r.segPos = 4;
    r.maxCombinedAttr = {a1, a2};
    r.top1Position = {2, 6};  // b ← e
    r.top2Position = {1, 4};  // a ← [SEP]
    return r;
}

std::vector<std::string> str(std::initializer_list<const char*> l) {
    return std::vector<std::string>(l.begin(), l.end());
}

}  // namespace

class TestTriggers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pythonRoundHalfToEven() {
        QCOMPARE(pythonRound(0.5), 0LL);
        QCOMPARE(pythonRound(1.5), 2LL);
        QCOMPARE(pythonRound(2.5), 2LL);
        QCOMPARE(pythonRound(3.5), 4LL);
        QCOMPARE(pythonRound(2.4999999), 2LL);
        QCOMPARE(pythonRound(2.5000001), 3LL);
        QCOMPARE(pythonRound(5 * (2.0 / 3.0)), 3LL);  // 3.333…
    }

    void planUsesTopPairUnlessRatioOrAll() {
        // a2/a1 = 0.1 < 0.2: only the top-1 pair (positions 2 and 6).
        auto p = planInsertion(handRecord(0.5, 0.05), false);
        QVERIFY(p.ok());
        QCOMPARE(p->positions, (std::vector<int>{2, 6}));
        QCOMPARE(p->tokensA, str({"b"}));
        QCOMPARE(p->relativeA, (std::vector<double>{2.0 / 3.0}));
        QCOMPARE(p->tokensB, str({"e"}));
        QCOMPARE(p->relativeB, (std::vector<double>{1.0}));  // (6 − 4) / (8 − 2 − 4)
        // a2/a1 = 0.4: both pairs; [SEP] at 4 is dropped; sorted and unique.
        auto both = planInsertion(handRecord(0.5, 0.2), false);
        QCOMPARE(both->positions, (std::vector<int>{1, 2, 6}));
        QCOMPARE(both->tokensA, str({"a", "b"}));
        QCOMPARE(both->relativeA, (std::vector<double>{1.0 / 3.0, 2.0 / 3.0}));
        // --all forces both pairs even for a small ratio.
        QCOMPARE(planInsertion(handRecord(0.5, 0.05), true)->positions,
                 (std::vector<int>{1, 2, 6}));
        // A "##" piece is inserted as it is.
        TriggerRecord piece = handRecord(0.5, 0.01);
        piece.top1Position = {3, 3};
        QCOMPARE(planInsertion(piece, false)->tokensA, str({"##s"}));
        // Only specials: nothing to insert.
        TriggerRecord specials = handRecord(0.5, 0.01);
        specials.top1Position = {0, 4};
        auto none = planInsertion(specials, false);
        QVERIFY(none->tokensA.empty() && none->tokensB.empty());
    }

    void insertionIndicesRoundAndBump() {
        // (4 + 1) · 0.5 = 2.5 → 2 (half to even; half-up would give 3); 5 · 0.7 = 3.5 → 4.
        QCOMPARE(insertionIndices(4, {0.5}), (std::vector<int>{2}));
        QCOMPARE(insertionIndices(4, {0.7}), (std::vector<int>{4}));
        // (1 + 2) · 0.3 = 0.9 → 1 and 3 · 0.35 = 1.05 → 1, bumped to 2.
        QCOMPARE(insertionIndices(1, {0.3, 0.35}), (std::vector<int>{1, 2}));
        // k counts all words inserted into the segment: (4 + 2) · 1/3 = 2, 6 · 2/3 = 4.
        QCOMPARE(insertionIndices(4, {1.0 / 3.0, 2.0 / 3.0}), (std::vector<int>{2, 4}));
    }

    void insertBuildsEncodingFromTokens() {
        const Vocabulary v = smallVocab();
        auto plan = planInsertion(handRecord(0.5, 0.05), false);  // b at 2/3 of A, e at end of B
        const auto A = str({"x", "y", "z", "w"}), B = str({"p", "q"});
        Encoding e = insertTrigger(v, *plan, A, B, true, 128);
        // A: (4 + 1) · 2/3 = 3.33 → 3; B: (2 + 1) · 1 = 3 → appended.
        QCOMPARE(e.tokens,
                 str({"[CLS]", "x", "y", "z", "b", "w", "[SEP]", "p", "q", "e", "[SEP]"}));
        QCOMPARE(e.segmentIds, (std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
        QCOMPARE(e.inputIds, (std::vector<int64_t>{2, 4, 5, 6, 10, 7, 3, 8, 9, 11, 3}));
        QVERIFY(e.isPair);
        QCOMPARE(e.lengthA, 5);
        QCOMPARE(e.firstSepIndex(), 6);
        QVERIFY(!e.truncated);

        // Truncation after insertion, longest first: budget 9 − 3 = 6 for A (5) + B (3):
        // pop A → 4, pop A → 3 (the inserted b goes with it).
        Encoding t = insertTrigger(v, *plan, A, B, true, 9);
        QCOMPARE(t.tokens, str({"[CLS]", "x", "y", "z", "[SEP]", "p", "q", "e", "[SEP]"}));
        QVERIFY(t.truncated);
        QCOMPARE(t.originalLengthA, 5);
        // Equal lengths pop B: A 3 + B 3 into a budget of 5.
        Encoding eq = insertTrigger(v, TriggerInsertion{}, str({"x", "y", "z"}),
                                    str({"p", "q", "w"}), true, 8);
        QCOMPARE(eq.tokens, str({"[CLS]", "x", "y", "z", "[SEP]", "p", "q", "[SEP]"}));

        // A single sentence ignores B's trigger words and keeps maxLength − 2 pieces.
        Encoding s = insertTrigger(v, *plan, A, {}, false, 5);
        QCOMPARE(s.tokens, str({"[CLS]", "x", "y", "z", "[SEP]"}));
        QVERIFY(!s.isPair);
        // A word missing from the vocabulary becomes [UNK].
        TriggerInsertion unknown;
        unknown.tokensA = {"nope"};
        unknown.relativeA = {0.0};
        QCOMPARE(insertTrigger(v, unknown, A, B, true, 128).inputIds[1], int64_t(1));
    }

    void miningPicksTheStrongestHead() {
        const auto inputs = golden::sickInputs(3);
        TriggerMiningOptions o;
        o.examples = 3;
        o.steps = 20;
        auto m = mineTriggers(*golden::model(), inputs, o);
        QVERIFY2(m.ok(), m.error().c_str());
        QVERIFY(m->complete);
        QCOMPARE(m->records.size(), size_t(3));
        for (size_t i = 1; i < m->records.size(); ++i)
            QVERIFY(m->records[i - 1].combined() >= m->records[i].combined());
        for (const auto& r : m->records) {
            AttributionOptions a;
            a.steps = 20;
            a.rule = Rule::Left;
            auto res = attribute(*golden::model(), inputs.encodings[r.exampleIndex], a);
            QVERIFY(res.ok());
            QCOMPARE(r.targetLabel, res->prediction.predicted);
            QCOMPARE(r.goldenLabel, inputs.labels[r.exampleIndex]);
            const FloatArray all = res->attributionArray();
            const float mx = *std::max_element(all.data.begin(), all.data.end());
            QCOMPARE(float(r.maxCombinedAttr[0]), mx);
            QVERIFY(r.maxCombinedAttr[0] >= r.maxCombinedAttr[1]);
            const int64_t n = res->encoding.size();
            QCOMPARE(all.at({r.layer, r.head, r.top1Position[0], r.top1Position[1]}), mx);
            QCOMPARE(float(r.maxCombinedAttr[1]),
                     all.at({r.layer, r.head, r.top2Position[0], r.top2Position[1]}));
            QVERIFY(r.top1Position != r.top2Position);
            QCOMPARE(r.tokens[r.segPos], std::string("[SEP]"));
            QCOMPARE(r.top1Pattern[0], r.tokens[r.top1Position[0]]);
            QVERIFY(r.top1Position[0] < n);
        }
        // Short examples are skipped.
        o.minTokens = 1000;
        auto none = mineTriggers(*golden::model(), inputs, o);
        QCOMPARE(none->skipped, 3);
        QVERIFY(none->records.empty());
    }

    void evaluationKeepsTheLastPatternAndRoundTrips() {
        const auto inputs = golden::sickInputs(30);
        // Three patterns, all above the threshold: the official loop would evaluate two.
        std::vector<TriggerRecord> recs = {handRecord(0.5, 0.05), handRecord(0.3, 0.2),
                                           handRecord(0.1, 0.01)};
        recs[0].tokens = {"[CLS]", "a", "man", "not", "[SEP]", "no", "dog", "[SEP]"};
        recs[1].tokens = recs[0].tokens;
        recs[2].tokens = recs[0].tokens;
        recs[2].top1Position = {0, 4};  // only specials: nothing inserted
        for (int i = 0; i < 3; ++i)
            recs[i].exampleIndex = i;
        TriggerEvalOptions o;
        auto ev = evaluateTriggers(*golden::model(), inputs, recs, o);
        QVERIFY2(ev.ok(), ev.error().c_str());
        QCOMPARE(ev->qualifying, 3);
        QCOMPARE(ev->results.size(), size_t(3));
        QVERIFY(ev->complete);
        QCOMPARE(ev->results[2].accuracy, ev->cleanAccuracy);
        QCOMPARE(ev->results[0].insertion.tokensA, str({"man"}));
        QCOMPARE(ev->results[0].insertion.tokensB, str({"dog"}));
        int counted = 0;
        for (int c : ev->classCounts)
            counted += c;
        QCOMPARE(counted, 30);
        // A repeat of the first pattern (weaker, so it sorts last) reuses its numbers.
        auto repeat = recs;
        repeat.push_back(recs[0]);
        repeat.back().maxCombinedAttr = {0.05, 0.001};
        repeat.back().exampleIndex = 3;
        auto ev4 = evaluateTriggers(*golden::model(), inputs, repeat, o);
        QCOMPARE(ev4->results.size(), size_t(4));
        QCOMPARE(ev4->results[3].sameAs, 0);
        QCOMPARE(ev4->results[3].accuracy, ev4->results[0].accuracy);
        QCOMPARE(ev4->strongest().size(), size_t(3));
        o.threshold = 0.2;  // 0.55, 0.5 ≥ 0.2 > 0.11
        QCOMPARE(evaluateTriggers(*golden::model(), inputs, recs, o)->qualifying, 2);

        // The JSON files read back.
        TriggerMining m;
        m.records = recs;
        const std::string path =
            QDir::temp().filePath("attrscope_test_patterns.json").toStdString();
        {
            std::ofstream f(path);
            f << triggerMiningToJson(m, AnalysisSource{},
                                     {"contradiction", "entailment", "neutral"});
        }
        auto back = readTriggerRecords(path);
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->size(), size_t(3));
        QCOMPARE((*back)[1].top2Position, recs[1].top2Position);
        QCOMPARE((*back)[1].maxCombinedAttr, recs[1].maxCombinedAttr);
        std::remove(path.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTriggers)
#include "test_triggers.moc"
