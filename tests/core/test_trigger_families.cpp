// Trigger insertion in every family (tests/data/families): a trigger piece inserted at a word
// start gives exactly what the model's own tokenizer gives for the text with that word spliced
// in (ids, tokens, type ids, truncation); template specials (<s>, </s></s>, [CLS], [SEP]) are
// never chosen; evaluateTriggers runs end to end; a folder without a tokenizer is refused.

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "attrscope/analysis/triggers.h"
#include "attrscope/text/token_roles.h"
#include "family_fixtures.h"

using namespace attrscope;
using attrscope::test::kFamilies;

namespace {

std::string familyModelDir(const std::string& family) {
    return test::familyDir(family) + "/model";
}

// Plain words without punctuation: a tokenizer's words are then the texts' space-separated words.
struct Texts {
    std::string a;
    std::optional<std::string> b;
};
const std::vector<Texts> kTexts = {
    {"A man is playing a guitar", std::string("A man is not playing a guitar")},
    {"the old man is standing in the yard", std::string("a group of kids is playing")},
    {"it is a charming and often affecting journey", std::nullopt},
    {"Terrible movie", std::nullopt},
};

Dataset dataset(const Model& m, const std::vector<Texts>& texts) {
    Dataset d;
    d.path = "memory";
    d.format = "glue-pair";
    d.labelNames = m.config().id2label;
    for (size_t i = 0; i < texts.size(); ++i) {
        Example e;
        e.textA = texts[i].a;
        e.textB = texts[i].b;
        e.label = d.labelNames[i % d.labelNames.size()];
        e.row = static_cast<int>(i) + 1;
        e.id = std::to_string(i);
        d.examples.push_back(e);
    }
    return d;
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::string join(const std::vector<std::string>& w) {
    std::string s;
    for (const auto& x : w)
        s += (s.empty() ? "" : " ") + x;
    return s;
}

// Index of the first piece of each word of segment `seg` (0 = A, 1 = B) of input i.
std::vector<int> wordStarts(const LabelledInputs& in, size_t i, int seg) {
    std::vector<int> starts;
    const bool text = !in.textPiecesA.empty();
    const auto& strings = seg == 0 ? in.piecesA[i] : in.piecesB[i];
    for (size_t k = 0; k < strings.size(); ++k) {
        bool start;
        if (text) {
            const auto& w = (seg == 0 ? in.textPiecesA[i] : in.textPiecesB[i]).words;
            start = k == 0 || w[k] != w[k - 1];
        } else {
            start = strings[k].rfind("##", 0) != 0;
        }
        if (start)
            starts.push_back(static_cast<int>(k));
    }
    return starts;
}

// The last word of the segment that is one piece (not the first word: RoBERTa's has no "Ġ"), so
// that it differs from the words around the insertion points the tests use.
bool singlePieceWord(const LabelledInputs& in, size_t i, int seg, const std::string& text,
                     std::string& piece, std::string& word) {
    const auto starts = wordStarts(in, i, seg);
    const auto& strings = seg == 0 ? in.piecesA[i] : in.piecesB[i];
    const auto w = words(text);
    if (starts.size() != w.size())
        return false;
    for (size_t j = starts.size() - 1; j >= 1; --j) {
        const int end = j + 1 < starts.size() ? starts[j + 1] : static_cast<int>(strings.size());
        if (end - starts[j] == 1) {
            piece = strings[static_cast<size_t>(starts[j])];
            word = w[j];
            return true;
        }
    }
    return false;
}

// The relative position that inserts one piece at index k of a segment of n pieces.
double relativeFor(int k, int n) {
    return double(k) / double(n + 1);
}

void compareEncodings(const Encoding& got, const Encoding& want, const std::string& what) {
    const QByteArray w = QByteArray::fromStdString(what);
    QVERIFY2(got.tokens == want.tokens, w.constData());
    QVERIFY2(got.inputIds == want.inputIds, w.constData());
    QVERIFY2(got.segmentIds == want.segmentIds, w.constData());
    QCOMPARE(got.isPair, want.isPair);
    QCOMPARE(got.lengthA, want.lengthA);
    QCOMPARE(got.lengthB, want.lengthB);
    QCOMPARE(got.truncated, want.truncated);
}

}  // namespace

class TestTriggerFamilies : public QObject {
    Q_OBJECT

private:
    std::map<std::string, std::shared_ptr<Model>> models_;

    std::shared_ptr<Model> model(const std::string& family) {
        auto it = models_.find(family);
        if (it != models_.end())
            return it->second;
        auto m = Model::load(familyModelDir(family));
        if (!m)
            qFatal("%s: %s", family.c_str(), m.error().c_str());
        return models_[family] = *m;
    }

    static void families() {
        QTest::addColumn<QString>("family");
        for (const char* f : kFamilies)
            QTest::newRow(f) << QString(f);
    }

    // Inserts the piece of `word` at word index `at` of A (and B's at `atB`, when given) of input
    // i and compares with the tokenizer's encoding of the spliced texts.
    void checkSplice(const Model& m, const LabelledInputs& in, size_t i, const Texts& t, size_t atA,
                     std::optional<size_t> atB, int maxLength, const std::string& family) {
        std::string pieceA, wordA, pieceB, wordB;
        QVERIFY2(singlePieceWord(in, i, 0, t.a, pieceA, wordA), (family + ": " + t.a).c_str());
        TriggerInsertion plan;
        auto wa = words(t.a);
        const auto startsA = wordStarts(in, i, 0);
        const int nA = static_cast<int>(in.piecesA[i].size());
        plan.tokensA = {pieceA};
        plan.relativeA = {relativeFor(startsA[atA], nA)};
        QCOMPARE(insertionIndices(nA, plan.relativeA), std::vector<int>{startsA[atA]});
        wa.insert(wa.begin() + static_cast<long>(atA), wordA);
        std::optional<std::string> b = t.b;
        if (atB) {
            QVERIFY2(singlePieceWord(in, i, 1, *t.b, pieceB, wordB), (family + ": B").c_str());
            auto wb = words(*t.b);
            const auto startsB = wordStarts(in, i, 1);
            const int nB = static_cast<int>(in.piecesB[i].size());
            plan.tokensB = {pieceB};
            plan.relativeB = {relativeFor(startsB[*atB], nB)};
            wb.insert(wb.begin() + static_cast<long>(*atB), wordB);
            b = join(wb);
        }
        auto got = insertTrigger(m, in, static_cast<int>(i), plan);
        QVERIFY2(got.ok(), got.error().c_str());
        auto want = m.encode(join(wa), b, maxLength);
        QVERIFY2(want.ok(), want.error().c_str());
        compareEncodings(*got, *want, family + ": " + join(wa) + " | " + b.value_or("-"));
        QVERIFY(got->size() <= maxLength);
    }

private Q_SLOTS:
    void initTestCase() { setThreadCount(1); }

    void splicedWordMatchesTheTokenizer_data() { families(); }
    void splicedWordMatchesTheTokenizer() {
        QFETCH(QString, family);
        const std::string f = family.toStdString();
        auto m = model(f);
        auto in = encodeDataset(*m, dataset(*m, kTexts), 64);
        QVERIFY2(in.ok(), in.error().c_str());
        for (size_t i = 0; i < kTexts.size(); ++i) {
            const size_t last = words(kTexts[i].a).size() - 1;
            // Into A at the second and at the last word start; into both texts of a pair.
            checkSplice(*m, *in, i, kTexts[i], 1, std::nullopt, 64, f);
            checkSplice(*m, *in, i, kTexts[i], last, std::nullopt, 64, f);
            if (kTexts[i].b)
                checkSplice(*m, *in, i, kTexts[i], 2, words(*kTexts[i].b).size() - 1, 64, f);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void truncationAfterInsertionIsLongestFirst_data() { families(); }
    void truncationAfterInsertionIsLongestFirst() {
        QFETCH(QString, family);
        const std::string f = family.toStdString();
        auto m = model(f);
        for (size_t i : {size_t(0), size_t(1), size_t(2)}) {
            const Texts& t = kTexts[i];
            auto full = m->encode(t.a, t.b, 64);
            QVERIFY2(full.ok(), full.error().c_str());
            // Two pieces too many once one is inserted into A and one into B.
            const int maxLength = full->size() - 1;
            auto in = encodeDataset(*m, dataset(*m, {t}), maxLength);
            QVERIFY2(in.ok(), in.error().c_str());
            checkSplice(*m, *in, 0, t, 1, t.b ? std::optional<size_t>(1) : std::nullopt, maxLength,
                        f);
            TriggerInsertion plan;
            plan.tokensA = {in->piecesA[0][1]};
            plan.relativeA = {0.5};
            if (t.b) {
                plan.tokensB = {in->piecesB[0][1]};
                plan.relativeB = {0.5};
            }
            auto e = insertTrigger(*m, *in, 0, plan);
            QVERIFY2(e.ok(), e.error().c_str());
            QCOMPARE(e->size(), maxLength);
            QVERIFY(e->truncated);
            // The slow tokenizers' rule (these folders have no tokenizer.json): one piece at a
            // time from the longer text, from B on a tie.
            int a = static_cast<int>(in->piecesA[0].size()) + 1;
            int b = t.b ? static_cast<int>(in->piecesB[0].size()) + 1 : 0;
            QCOMPARE(e->originalLengthA, a);
            QCOMPARE(e->originalLengthB, b);
            for (int removed = t.b ? 3 : 2; removed > 0; --removed)
                (t.b && a <= b ? b : a) -= 1;
            QCOMPARE(e->lengthA, a);
            QCOMPARE(e->lengthB, b);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void specialsAreNeverTriggers_data() { families(); }
    void specialsAreNeverTriggers() {
        QFETCH(QString, family);
        auto m = model(family.toStdString());
        auto in = encodeDataset(*m, dataset(*m, kTexts), 64);
        QVERIFY2(in.ok(), in.error().c_str());
        TriggerMiningOptions o;
        o.examples = 1;
        o.steps = 4;
        auto mined = mineTriggers(*m, *in, o);
        QVERIFY2(mined.ok(), mined.error().c_str());
        QCOMPARE(mined->records.size(), size_t(1));
        const TriggerRecord& rec = mined->records[0];
        const Encoding& enc = in->encodings[0];
        QCOMPARE(rec.tokens, enc.tokens);
        const TokenRoles roles = tokenRoles(enc);
        // A: the pieces before the first special after the leading one; B: the pieces after.
        std::vector<int> a, b;
        int firstSpecial = -1;
        for (int p = 0; p < enc.size(); ++p) {
            if (roles.special[static_cast<size_t>(p)]) {
                if (p > 0 && firstSpecial < 0)
                    firstSpecial = p;
                continue;
            }
            (firstSpecial < 0 ? a : b).push_back(p);
        }
        QCOMPARE(rec.segPos, firstSpecial);
        QVERIFY(!b.empty());
        for (int p = 0; p < enc.size(); ++p) {
            TriggerRecord r = rec;
            r.maxCombinedAttr = {1.0, 0.0};
            r.top1Position = {p, p};
            auto plan = planInsertion(r, false);
            QVERIFY2(plan.ok(), plan.error().c_str());
            const std::string where = family.toStdString() + " position " + std::to_string(p);
            if (roles.special[static_cast<size_t>(p)]) {
                QVERIFY2(plan->tokensA.empty() && plan->tokensB.empty(), where.c_str());
                continue;
            }
            auto inA = std::find(a.begin(), a.end(), p);
            if (inA != a.end()) {
                QCOMPARE(plan->tokensA, std::vector<std::string>{enc.tokens[size_t(p)]});
                QCOMPARE(plan->relativeA[0], double(inA - a.begin() + 1) / double(a.size()));
            } else {
                auto inB = std::find(b.begin(), b.end(), p);
                QVERIFY2(inB != b.end(), where.c_str());
                QCOMPARE(plan->tokensB, std::vector<std::string>{enc.tokens[size_t(p)]});
                QCOMPARE(plan->relativeB[0], double(inB - b.begin() + 1) / double(b.size()));
            }
        }
    }

    void evaluationRunsInEveryFamily_data() { families(); }
    void evaluationRunsInEveryFamily() {
        QFETCH(QString, family);
        auto m = model(family.toStdString());
        auto in = encodeDataset(*m, dataset(*m, kTexts), 64);
        QVERIFY2(in.ok(), in.error().c_str());
        TriggerMiningOptions o;
        o.examples = 3;
        o.steps = 8;
        auto mined = mineTriggers(*m, *in, o);
        QVERIFY2(mined.ok(), mined.error().c_str());
        // A pattern on the first piece of A and the last of B, strongest, so evaluated first.
        TriggerRecord pick = mined->records[0];
        for (const auto& r : mined->records)
            if (r.exampleIndex == 0)
                pick = r;
        pick.maxCombinedAttr = {100.0, 0.0};
        pick.top1Position = {1, static_cast<int>(pick.tokens.size()) - 2};
        auto records = mined->records;
        records.insert(records.begin(), pick);
        TriggerEvalOptions eo;
        eo.threshold = -1e9;
        auto ev = evaluateTriggers(*m, *in, records, eo);
        QVERIFY2(ev.ok(), ev.error().c_str());
        QVERIFY(ev->complete);
        QCOMPARE(ev->results.size(), records.size());
        QCOMPARE(ev->results[0].insertion.tokensA, std::vector<std::string>{pick.tokens[1]});
        QCOMPARE(ev->results[0].insertion.tokensB.size(), size_t(1));
        for (const auto& r : ev->results) {
            QVERIFY(std::isfinite(r.overallAccuracy) && std::isfinite(r.meanDrop));
            for (size_t c = 0; c < r.accuracy.size(); ++c) {
                if (ev->classCounts[c] == 0)
                    continue;
                QVERIFY(r.accuracy[c] >= 0.0 && r.accuracy[c] <= 1.0);
                QCOMPARE(r.drop[c], ev->cleanAccuracy[c] - r.accuracy[c]);
            }
            for (const auto& t : r.insertion.tokensA)
                QVERIFY2(!isSpecialTokenString(t), t.c_str());
            for (const auto& t : r.insertion.tokensB)
                QVERIFY2(!isSpecialTokenString(t), t.c_str());
        }
    }

    void folderWithoutTokenizerIsRefused() {
        QTemporaryDir dir;
        const std::filesystem::path src = familyModelDir("roberta");
        for (const char* f : {"config.json", "model.safetensors"})
            std::filesystem::copy_file(src / f,
                                       std::filesystem::path(dir.path().toStdString()) / f);
        auto m = Model::load(dir.path().toStdString());
        QVERIFY2(m.ok(), m.error().c_str());
        QVERIFY(!(*m)->canEncodeText());
        auto enc = (*m)->encodeIds({0, 5, 6, 2});
        QVERIFY2(enc.ok(), enc.error().c_str());
        LabelledInputs in;
        in.encodings = {*enc};
        in.labels = {0};
        in.classNames = (*m)->config().id2label;
        TriggerRecord r;
        r.tokens = enc->tokens;
        r.maxCombinedAttr = {1.0, 0.0};
        r.top1Position = {1, 2};
        auto ev = evaluateTriggers(**m, in, {r}, TriggerEvalOptions{});
        QVERIFY(!ev.ok());
        QVERIFY2(ev.error().find("tokenizer") != std::string::npos, ev.error().c_str());
        QVERIFY(ev.error().find('\n') == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTriggerFamilies)
#include "test_trigger_families.moc"
