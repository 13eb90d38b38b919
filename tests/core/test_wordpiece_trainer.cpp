// The WordPiece trainer on a public-domain novel excerpt (tests/data/wordpiece): its merges equal
// those of a naive reference that recounts every pair after each merge; frequent words stay
// whole; rare words split into few pieces, fewer than with the whole-words-plus-endings builder;
// deterministic; bad options are refused.

#include <QtTest>
#include <algorithm>
#include <fstream>
#include <map>

#include "attrscope/text/tokenizer.h"
#include "attrscope/train/vocab_builder.h"
#include "attrscope/train/wordpiece_trainer.h"

using namespace attrscope;

namespace {

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            out.push_back(line);
    return out;
}

Tokenizer lowerCasing(Vocabulary v) {
    TokenizerSettings s;
    s.doLowerCase = true;
    return Tokenizer(std::move(v), s);
}

std::map<std::string, int64_t> wordCounts(const std::vector<std::string>& texts) {
    auto specials = Vocabulary::fromTokens({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"});
    const Tokenizer t = lowerCasing(std::move(*specials));
    std::map<std::string, int64_t> counts;
    for (const auto& text : texts) {
        const auto words = t.basicTokenize(text);
        for (const auto& w : *words)
            ++counts[w];
    }
    return counts;
}

bool alphabetic(const std::string& w) {
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// The definition: units start as characters ("##" after the first); repeatedly count every
// adjacent pair over all words (weighted by frequency), merge the most frequent (ties: smaller
// left, then right, in byte order) left to right in every word.
std::vector<std::pair<std::string, std::string>> naiveMerges(
    const std::map<std::string, int64_t>& counts, size_t merges) {
    std::vector<std::pair<std::vector<std::string>, int64_t>> words;
    for (const auto& [w, c] : counts) {
        std::vector<std::string> units;
        for (size_t i = 0; i < w.size(); ++i)
            units.push_back((i ? "##" : "") + w.substr(i, 1));
        words.emplace_back(units, c);
    }
    std::vector<std::pair<std::string, std::string>> out;
    while (out.size() < merges) {
        std::map<std::pair<std::string, std::string>, int64_t> pairs;
        for (const auto& [u, c] : words)
            for (size_t i = 0; i + 1 < u.size(); ++i)
                pairs[{u[i], u[i + 1]}] += c;
        if (pairs.empty())
            break;
        auto best = pairs.begin();
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (it->second > best->second)
                best = it;  // map order: the first of the most frequent is the smallest
        if (best->second < 2)
            break;
        const auto [a, b] = best->first;
        out.emplace_back(a, b);
        for (auto& [u, c] : words) {
            std::vector<std::string> next;
            for (size_t i = 0; i < u.size(); ++i) {
                if (i + 1 < u.size() && u[i] == a && u[i + 1] == b) {
                    next.push_back(a + b.substr(2));
                    ++i;
                } else {
                    next.push_back(u[i]);
                }
            }
            u = std::move(next);
        }
    }
    return out;
}

}  // namespace

class TestWordPieceTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        texts_ = readLines(std::string(ATTRSCOPE_TEST_DATA_DIR) + "/wordpiece/persuasion-part.txt");
        QVERIFY(texts_.size() > 400);
        counts_ = wordCounts(texts_);
        WordPieceTrainerOptions o;
        o.vocabSize = 3000;
        auto trained = trainWordPiece(texts_, o);
        QVERIFY2(trained, trained ? "" : trained.error().c_str());
        trained_ = std::move(*trained);
    }

    void mergesMatchNaiveReference() {
        // ASCII letters only, so that the reference can work on bytes.
        std::map<std::string, int64_t> small;
        for (const auto& [w, c] : counts_)
            if (alphabetic(w) && small.size() < 1500)
                small[w] = c;
        WordPieceTrainerOptions o;
        o.vocabSize = 5 + 2 * 26 + 400;
        o.minFrequency = 2;
        auto trained = trainWordPieceFromCounts(small, o);
        QVERIFY(trained);
        const auto reference = naiveMerges(small, trained->merges.size() + 1);
        QVERIFY(trained->merges.size() >= 300);
        QCOMPARE(trained->merges.size(), std::min(reference.size(), trained->merges.size()));
        for (size_t i = 0; i < trained->merges.size(); ++i) {
            QCOMPARE(trained->merges[i].first, reference[i].first);
            QCOMPARE(trained->merges[i].second, reference[i].second);
        }
        // Full vocabulary: the next reference merge exists, so the trainer stopped at the size.
        QCOMPARE(trained->vocabulary.size(), int64_t(o.vocabSize));
    }

    void layoutAndContinuations() {
        const Vocabulary& v = trained_.vocabulary;
        QCOMPARE(v.size(), int64_t(3000));
        QCOMPARE(v.token(0), std::string("[PAD]"));
        QCOMPARE(v.token(4), std::string("[MASK]"));
        QVERIFY(v.contains("e") && v.contains("##e") && v.contains("the"));
        // "##" pieces longer than one character are real word endings, learned by merging.
        int longContinuations = 0;
        for (const auto& t : v.tokens())
            if (t.rfind("##", 0) == 0 && t.size() >= 5)
                ++longContinuations;
        QVERIFY2(longContinuations >= 100, std::to_string(longContinuations).c_str());
        for (const char* ending : {"##ing", "##ed", "##ly", "##ness"})
            QVERIFY2(v.contains(ending), ending);
    }

    void commonWordsStayWhole() {
        std::vector<std::pair<int64_t, std::string>> byCount;
        for (const auto& [w, c] : counts_)
            if (alphabetic(w))
                byCount.emplace_back(c, w);
        std::sort(byCount.rbegin(), byCount.rend());
        const Tokenizer t = lowerCasing(trained_.vocabulary);
        for (size_t i = 0; i < 500; ++i) {
            const auto pieces = t.wordPiece(byCount[i].second);
            QVERIFY2(pieces.size() == 1, byCount[i].second.c_str());
        }
    }

    void rareWordsSplitIntoFewPieces() {
        // Words seen once, of at least 8 letters: WordPiece spells them with a few subwords,
        // fewer than the whole-words-plus-endings builder of the same size needs.
        VocabBuilderOptions old;
        old.maxSize = 3000;
        auto oldVocab = buildVocabulary(texts_, old);
        QVERIFY(oldVocab);
        const Tokenizer wp = lowerCasing(trained_.vocabulary);
        const Tokenizer ww = lowerCasing(std::move(*oldVocab));
        int64_t words = 0, wpPieces = 0, wwPieces = 0, wpUnk = 0;
        for (const auto& [w, c] : counts_) {
            if (c != 1 || !alphabetic(w) || w.size() < 8)
                continue;
            ++words;
            const auto pieces = wp.wordPiece(w);
            wpPieces += static_cast<int64_t>(pieces.size());
            wpUnk += std::count(pieces.begin(), pieces.end(), "[UNK]");
            wwPieces += static_cast<int64_t>(ww.wordPiece(w).size());
        }
        QVERIFY(words > 200);
        const double wpMean = double(wpPieces) / double(words);
        const double wwMean = double(wwPieces) / double(words);
        qInfo("%lld rare words: %.2f pieces each with WordPiece, %.2f with whole words + endings",
              static_cast<long long>(words), wpMean, wwMean);
        QCOMPARE(wpUnk, int64_t(0));
        QVERIFY(wpMean <= 3.5);
        QVERIFY(wpMean < 0.8 * wwMean);
    }

    void deterministicAndWiredIntoBuilder() {
        VocabBuilderOptions o;
        o.maxSize = 3000;
        o.wordPiece = true;
        auto again = buildVocabulary(texts_, o);
        QVERIFY(again);
        QVERIFY(again->tokens() == trained_.vocabulary.tokens());
    }

    void refusesBadInput() {
        WordPieceTrainerOptions o;
        o.vocabSize = 6;
        QVERIFY(!trainWordPiece(texts_, o));
        o.vocabSize = 100;
        auto none = trainWordPiece({"", "  ", "\t"}, o);
        QVERIFY(!none);
        QVERIFY(none.error().find("no words") != std::string::npos);
        auto bad = trainWordPiece({"ok", std::string("\xff\xfe")}, o);
        QVERIFY(!bad);
        QVERIFY(bad.error().find("training text 2") != std::string::npos);
    }

private:
    std::vector<std::string> texts_;
    std::map<std::string, int64_t> counts_;
    WordPieceTraining trained_;
};

QTEST_APPLESS_MAIN(TestWordPieceTrainer)
#include "test_wordpiece_trainer.moc"
