// The vocabulary builder on SICK sentences: layout, coverage (no needless [UNK]), determinism.

#include <QtTest>
#include <fstream>
#include <set>

#include "attrscope/text/tokenizer.h"
#include "attrscope/train/vocab_builder.h"

using namespace attrscope;

namespace {

// sentence_A and sentence_B of the first `rows` data rows of SICK.txt.
std::vector<std::string> sickSentences(int rows) {
    std::ifstream in(std::string(ATTRSCOPE_TEST_DATA_DIR) + "/datasets/sick/SICK.txt");
    std::vector<std::string> out;
    std::string line;
    std::getline(in, line);  // header
    for (int r = 0; r < rows && std::getline(in, line); ++r) {
        size_t a = line.find('\t'), b = line.find('\t', a + 1), c = line.find('\t', b + 1);
        if (c == std::string::npos)
            continue;
        out.push_back(line.substr(a + 1, b - a - 1));
        out.push_back(line.substr(b + 1, c - b - 1));
    }
    return out;
}

}  // namespace

class TestVocabBuilder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        texts_ = sickSentences(200);
        QCOMPARE(texts_.size(), size_t(400));
        // Characters that SICK lacks: accents, CJK, punctuation, a word over 100 characters.
        texts_.push_back("Crème brûlée at the café — 東京, \"quoted\"! " + std::string(120, 'z'));
    }

    void layout() {
        VocabBuilderOptions options;
        options.maxSize = 1000;
        auto vocab = buildVocabulary(texts_, options);
        QVERIFY2(vocab.ok(), vocab.error().c_str());
        const auto& tokens = vocab->tokens();
        QCOMPARE(std::vector<std::string>(tokens.begin(), tokens.begin() + 5),
                 (std::vector<std::string>{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}));
        QCOMPARE(vocab->padId(), int64_t(0));
        QCOMPARE(vocab->unkId(), int64_t(1));
        QCOMPARE(vocab->clsId(), int64_t(2));
        QCOMPARE(vocab->sepId(), int64_t(3));
        QVERIFY(vocab->size() <= 1000);
        // Characters (lower-cased, accents stripped) with their continuation forms.
        for (const char* c : {"a", "##a", "e", "##e", "東", "##東", "—", ",", "\""})
            QVERIFY2(vocab->contains(c), c);
        QVERIFY(!vocab->contains("è"));
        QVERIFY(!vocab->contains("A"));
        // Frequent words are whole entries; words seen once (minFrequency 2) are not.
        for (const char* w : {"man", "the", "is", "playing", "woman"})
            QVERIFY2(vocab->contains(w), w);
        QVERIFY(!vocab->contains("creme"));
        QVERIFY(!vocab->contains(std::string(120, 'z')));
        // "the" is more frequent than "man", so it comes first.
        QVERIFY(vocab->id("the") < vocab->id("man"));
    }

    void noUnknownWhenRetokenising() {
        auto vocab = buildVocabulary(texts_, VocabBuilderOptions{});
        QVERIFY2(vocab.ok(), vocab.error().c_str());
        const Tokenizer tokenizer(*vocab, TokenizerSettings{});
        size_t pieces = 0, words = 0;
        for (size_t i = 0; i + 1 < texts_.size(); ++i) {
            auto tokens = tokenizer.tokenize(texts_[i]);
            QVERIFY(tokens.ok());
            for (const std::string& t : *tokens)
                QVERIFY2(t != "[UNK]", texts_[i].c_str());
            pieces += tokens->size();
            words += tokenizer.basicTokenize(texts_[i])->size();
        }
        // Frequent words stay whole, so there are hardly more pieces than words.
        QVERIFY2(pieces < words * 11 / 10,
                 qPrintable(QStringLiteral("%1 pieces for %2 words").arg(pieces).arg(words)));
        // Only the over-long word of the last text becomes [UNK].
        auto last = tokenizer.tokenize(texts_.back());
        QVERIFY(last.ok());
        QCOMPARE(std::count(last->begin(), last->end(), std::string("[UNK]")), 1L);
    }

    void deterministic() {
        VocabBuilderOptions options;
        options.maxSize = 150;
        auto a = buildVocabulary(texts_, options);
        auto b = buildVocabulary(texts_, options);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->tokens(), b->tokens());
        QCOMPARE(a->size(), int64_t(150));  // full: more words than room
        // Text order does not matter either.
        std::vector<std::string> reversed(texts_.rbegin(), texts_.rend());
        auto c = buildVocabulary(reversed, options);
        QVERIFY(c.ok());
        QCOMPARE(c->tokens(), a->tokens());
    }

    void suffixPieces() {
        // "walking", "talking", ... each seen twice: kept whole; "##ing" is a frequent ending of
        // the words seen once.
        std::vector<std::string> texts{"jumping singing dancing", "walking walking"};
        VocabBuilderOptions options;
        options.maxSize = 100;
        auto vocab = buildVocabulary(texts, options);
        QVERIFY2(vocab.ok(), vocab.error().c_str());
        QVERIFY(vocab->contains("walking"));
        QVERIFY(!vocab->contains("jumping"));
        QVERIFY(vocab->contains("##ing"));
        QVERIFY(vocab->contains("##ng"));
        const Tokenizer tokenizer(*vocab, TokenizerSettings{});
        QCOMPARE(*tokenizer.tokenize("singing"), (std::vector<std::string>{"s", "##ing", "##ing"}));
    }

    void casedAndSmall() {
        VocabBuilderOptions cased;
        cased.lowerCase = false;
        cased.maxSize = 400;
        auto vocab = buildVocabulary(texts_, cased);
        QVERIFY(vocab.ok());
        QVERIFY(vocab->contains("A"));
        QVERIFY(vocab->contains("è"));

        // When the alphabet alone does not fit, the most frequent characters are kept.
        VocabBuilderOptions tiny;
        tiny.maxSize = 9;
        auto small = buildVocabulary({"aaa ab"}, tiny);
        QVERIFY(small.ok());
        QCOMPARE(small->tokens(), (std::vector<std::string>{"[PAD]", "[UNK]", "[CLS]", "[SEP]",
                                                            "[MASK]", "a", "##a", "b", "##b"}));
    }

    void errors() {
        VocabBuilderOptions options;
        options.maxSize = 4;
        QVERIFY(!buildVocabulary(texts_, options).ok());
        auto empty = buildVocabulary({"", "  \t"}, VocabBuilderOptions{});
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error(), std::string("the training texts contain no words"));
        auto bad = buildVocabulary({"fine", "bro\xffken"}, VocabBuilderOptions{});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error(), std::string("training text 2: text is not valid UTF-8 (byte 3)"));
    }

private:
    std::vector<std::string> texts_;
};

QTEST_APPLESS_MAIN(TestVocabBuilder)
#include "test_vocab_builder.moc"
