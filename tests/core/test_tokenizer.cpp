// The tokenizer against the official tokenizer's outputs (golden A01..A12 and tokenization.json),
// plus WordPiece, settings and error cases.

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "attrscope/text/tokenizer.h"
#include "golden.h"

using namespace attrscope;

namespace QTest {
// Lets QCOMPARE print std::string values on failure.
template <>
inline char* toString(const std::string& s) {
    return qstrdup(s.c_str());
}
}  // namespace QTest

namespace {

std::string vocabPath() {
    return golden::modelDir() + "/vocab.txt";
}

Tokenizer goldenTokenizer() {
    auto vocab = Vocabulary::fromFile(vocabPath());
    auto settings = TokenizerSettings::fromFile(golden::modelDir() + "/tokenizer_config.json");
    if (!vocab || !settings)
        qFatal("cannot load the golden tokenizer");
    return Tokenizer(std::move(*vocab), *settings);
}

QString describe(const std::string& s) {
    return QString::fromStdString(s);
}
QString describe(int64_t v) {
    return QString::number(v);
}

// Empty when equal, else the first difference in words.
template <typename T>
QString difference(const std::vector<T>& actual, const std::vector<T>& expected) {
    size_t n = std::min(actual.size(), expected.size());
    for (size_t i = 0; i < n; ++i) {
        if (actual[i] != expected[i])
            return QStringLiteral("index %1: got '%2', expected '%3'")
                .arg(i)
                .arg(describe(actual[i]), describe(expected[i]));
    }
    if (actual.size() != expected.size())
        return QStringLiteral("got %1 entries, expected %2")
            .arg(actual.size())
            .arg(expected.size());
    return {};
}

#define COMPARE_SEQ(actual, expected)                                                \
    do {                                                                             \
        const QString diff_ = difference(actual, expected);                          \
        QVERIFY2(diff_.isEmpty(), qPrintable(QStringLiteral(#actual ": ") + diff_)); \
    } while (false)

std::optional<std::string> optionalText(const nlohmann::json& j) {
    if (j.is_null())
        return std::nullopt;
    return j.get<std::string>();
}

std::string writeFile(const QTemporaryDir& dir, const char* name, const std::string& content) {
    std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

Tokenizer tinyTokenizer(const std::vector<std::string>& extra, TokenizerSettings settings = {}) {
    std::vector<std::string> tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]"};
    tokens.insert(tokens.end(), extra.begin(), extra.end());
    auto vocab = Vocabulary::fromTokens(tokens);
    if (!vocab)
        qFatal("%s", vocab.error().c_str());
    return Tokenizer(std::move(*vocab), settings);
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        // Fails loudly (not silently skips) when the fixture is missing.
        QVERIFY2(QFile::exists(QString::fromStdString(vocabPath())), vocabPath().c_str());
    }

    void goldenInputs_data() {
        QTest::addColumn<QString>("id");
        for (const std::string& id : golden::inputIds())
            QTest::newRow(id.c_str()) << QString::fromStdString(id);
    }
    void goldenInputs() {
        QFETCH(QString, id);
        const nlohmann::json g = golden::load(id.toStdString() + ".json");
        static const Tokenizer tokenizer = goldenTokenizer();
        auto e = tokenizer.encode(g["input"]["text_a"].get<std::string>(),
                                  optionalText(g["input"]["text_b"]), 128);
        QVERIFY2(e.ok(), e.error().c_str());
        COMPARE_SEQ(e->tokens, g["tokens"].get<std::vector<std::string>>());
        COMPARE_SEQ(e->inputIds, g["input_ids"].get<std::vector<int64_t>>());
        COMPARE_SEQ(e->segmentIds, g["segment_ids"].get<std::vector<int64_t>>());
        QCOMPARE(e->size(), g["n"].get<int>());
        QCOMPARE(e->isPair, !g["input"]["text_b"].is_null());
        QVERIFY(!e->truncated);
        QVERIFY(e->truncationNote.empty());
        QCOMPARE(e->tokens[static_cast<size_t>(e->firstSepIndex())], std::string("[SEP]"));
    }

    void tokenizationCases_data() {
        QTest::addColumn<int>("index");
        const nlohmann::json cases = golden::load("tokenization.json")["cases"];
        QVERIFY(cases.size() >= 7);
        for (size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(cases[i]["id"].get<std::string>().c_str()) << static_cast<int>(i);
    }
    void tokenizationCases() {
        QFETCH(int, index);
        const nlohmann::json all = golden::load("tokenization.json");
        const nlohmann::json& c = all["cases"][static_cast<size_t>(index)];
        static const Tokenizer tokenizer = goldenTokenizer();
        const int maxLength = all["max_seq_length"].get<int>();
        auto e =
            tokenizer.encode(c["text_a"].get<std::string>(), optionalText(c["text_b"]), maxLength);
        QVERIFY2(e.ok(), e.error().c_str());
        COMPARE_SEQ(e->tokens, c["tokens"].get<std::vector<std::string>>());
        COMPARE_SEQ(e->inputIds, c["input_ids"].get<std::vector<int64_t>>());
        COMPARE_SEQ(e->segmentIds, c["segment_ids"].get<std::vector<int64_t>>());
        QCOMPARE(e->size(), c["n"].get<int>());

        const bool single = c["len_b_before"].is_null();
        QCOMPARE(e->isPair, !single);
        QCOMPARE(e->lengthA, c["len_a_after_truncation"].get<int>());
        QCOMPARE(e->originalLengthA, c["len_a_before"].get<int>());
        QCOMPARE(e->lengthB, single ? 0 : c["len_b_after_truncation"].get<int>());
        QCOMPARE(e->originalLengthB, single ? 0 : c["len_b_before"].get<int>());
        const bool truncated = e->lengthA != e->originalLengthA || e->lengthB != e->originalLengthB;
        QCOMPARE(e->truncated, truncated);
        QCOMPARE(e->truncationNote.empty(), !truncated);
    }

    void truncationNote() {
        static const Tokenizer tokenizer = goldenTokenizer();
        const nlohmann::json cases = golden::load("tokenization.json")["cases"];
        auto t2 = tokenizer.encode(cases[1]["text_a"].get<std::string>(),
                                   cases[1]["text_b"].get<std::string>(), 128);
        QVERIFY2(t2.ok(), t2.error().c_str());
        QCOMPARE(t2->truncationNote,
                 std::string("removed 176 word pieces from A and 83 from B to fit 128 tokens"));
        auto t3 = tokenizer.encode(cases[2]["text_a"].get<std::string>(), std::nullopt, 128);
        QVERIFY2(t3.ok(), t3.error().c_str());
        QCOMPARE(t3->truncationNote,
                 std::string("removed 113 word pieces from A to fit 128 tokens"));

        // Small limits: equal lengths pop B; the pair budget is maxLength - 3.
        auto small = tokenizer.encode("a b c", std::string("d e f"), 7);
        QVERIFY(small.ok());
        QCOMPARE(small->lengthA, 2);
        QCOMPARE(small->lengthB, 2);
        QCOMPARE(small->size(), 7);
        QCOMPARE(small->truncationNote,
                 std::string("removed 1 word piece from A and 1 from B to fit 7 tokens"));
        auto single = tokenizer.encode("a b c", std::nullopt, 2);
        QVERIFY(single.ok());
        QCOMPARE(single->tokens, (std::vector<std::string>{"[CLS]", "[SEP]"}));
    }

    // The official code keeps B's budget (maxLength - 3) for a whitespace-only B but appends
    // no B segment, since B has no word pieces.
    void whitespaceOnlyB() {
        static const Tokenizer tokenizer = goldenTokenizer();
        auto e = tokenizer.encode("one two three four", std::string("  \t"), 5);
        QVERIFY2(e.ok(), e.error().c_str());
        QVERIFY(!e->isPair);
        QCOMPARE(e->tokens, (std::vector<std::string>{"[CLS]", "one", "two", "[SEP]"}));
        QCOMPARE(e->segmentIds, (std::vector<int64_t>{0, 0, 0, 0}));
    }

    void basicTokenizer() {
        static const Tokenizer tokenizer = goldenTokenizer();
        auto words = tokenizer.basicTokenize("Héllo,  WORLD!\u2028x\u3000東京 [SEP] [sep] ΟΔΟΣ.");
        QVERIFY(words.ok());
        QCOMPARE(*words, (std::vector<std::string>{"hello", ",", "world", "!", "x", "東", "京",
                                                   "[SEP]", "[", "sep", "]", "οδος", "."}));
        // Python's str.lower() maps İ to i + U+0307; accent stripping then removes the dot.
        auto turkish = tokenizer.basicTokenize("İstanbul");
        QVERIFY(turkish.ok());
        QCOMPARE(*turkish, (std::vector<std::string>{"istanbul"}));
    }

    void accentSettings() {
        auto words = [](bool lower, std::optional<bool> strip, bool chinese = true) {
            TokenizerSettings s;
            s.doLowerCase = lower;
            s.stripAccents = strip;
            s.tokenizeChineseChars = chinese;
            return *tinyTokenizer({}, s).basicTokenize("Café 東京");
        };
        using V = std::vector<std::string>;
        QCOMPARE(words(true, std::nullopt), (V{"cafe", "東", "京"}));
        QCOMPARE(words(true, false), (V{"café", "東", "京"}));
        QCOMPARE(words(false, std::nullopt), (V{"Café", "東", "京"}));
        QCOMPARE(words(false, true), (V{"Cafe", "東", "京"}));
        QCOMPARE(words(true, std::nullopt, false), (V{"cafe", "東京"}));
    }

    void wordPiece() {
        const Tokenizer t = tinyTokenizer({"un", "##aff", "##able", "##a", "a", "ñ", "##ñ", "##o"});
        using V = std::vector<std::string>;
        QCOMPARE(t.wordPiece("unaffable"), (V{"un", "##aff", "##able"}));
        QCOMPARE(t.wordPiece("a"), (V{"a"}));
        QCOMPARE(t.wordPiece("aaa"), (V{"a", "##a", "##a"}));
        QCOMPARE(t.wordPiece("ñño"), (V{"ñ", "##ñ", "##o"}));
        // Any unmatchable remainder makes the whole word [UNK].
        QCOMPARE(t.wordPiece("unaffablex"), (V{"[UNK]"}));
        QCOMPARE(t.wordPiece("xyz"), (V{"[UNK]"}));
        QCOMPARE(t.wordPiece(""), V{});
        // 100 code points are still split; 101 are [UNK] (counted in code points, not bytes).
        std::string hundred;
        for (int i = 0; i < 100; ++i)
            hundred += "ñ";
        QCOMPARE(t.wordPiece(hundred).size(), size_t(100));
        QCOMPARE(t.wordPiece(hundred + "ñ"), (V{"[UNK]"}));
        auto pieces = t.tokenize("Unaffable a!");
        QVERIFY(pieces.ok());
        QCOMPARE(*pieces, (V{"un", "##aff", "##able", "a", "[UNK]"}));
    }

    void settingsFile() {
        auto golden = TokenizerSettings::fromFile(golden::modelDir() + "/tokenizer_config.json");
        QVERIFY2(golden.ok(), golden.error().c_str());
        QVERIFY(golden->doLowerCase);
        QVERIFY(!golden->stripAccents.has_value());
        QVERIFY(golden->tokenizeChineseChars);

        QTemporaryDir dir;
        auto missing = TokenizerSettings::fromFile(dir.path().toStdString() + "/none.json");
        QVERIFY(missing.ok());
        QVERIFY(missing->doLowerCase && !missing->stripAccents && missing->tokenizeChineseChars);

        std::string path = writeFile(
            dir, "cased.json",
            R"({"do_lower_case": false, "strip_accents": true, "tokenize_chinese_chars": false})");
        auto cased = TokenizerSettings::fromFile(path);
        QVERIFY2(cased.ok(), cased.error().c_str());
        QVERIFY(!cased->doLowerCase);
        QCOMPARE(cased->stripAccents, std::optional<bool>(true));
        QVERIFY(!cased->tokenizeChineseChars);
        // toJson round-trips.
        std::string again = writeFile(dir, "again.json", cased->toJson());
        auto reread = TokenizerSettings::fromFile(again);
        QVERIFY(reread.ok());
        QCOMPARE(reread->stripAccents, std::optional<bool>(true));
        QVERIFY(!reread->doLowerCase && !reread->tokenizeChineseChars);
        QVERIFY(nlohmann::json::parse(TokenizerSettings{}.toJson())["strip_accents"].is_null());

        std::string broken = writeFile(dir, "broken.json", "{\"do_lower_case\": tru");
        auto bad = TokenizerSettings::fromFile(broken);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().rfind(broken + ": invalid JSON", 0) == 0, bad.error().c_str());

        std::string wrongType = writeFile(dir, "type.json", "{\"do_lower_case\": \"yes\"}");
        auto typed = TokenizerSettings::fromFile(wrongType);
        QVERIFY(!typed.ok());
        QVERIFY2(typed.error().find("do_lower_case") != std::string::npos, typed.error().c_str());
        QVERIFY(!TokenizerSettings::fromFile(writeFile(dir, "arr.json", "[1]")).ok());
    }

    void encodeErrors() {
        static const Tokenizer tokenizer = goldenTokenizer();
        auto empty = tokenizer.encode("", std::nullopt, 128);
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error(), std::string("text A is empty"));
        auto blank = tokenizer.encode(" \t\n\u3000", std::string("b"), 128);
        QVERIFY(!blank.ok());
        QCOMPARE(blank.error(), std::string("text A is empty"));

        auto invalid = tokenizer.encode("The cat sat on a \xff mat", std::nullopt, 128);
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error(), std::string("text A is not valid UTF-8 (byte 17)"));
        auto invalidB = tokenizer.encode("ok", std::string("ab\xc3"), 128);
        QVERIFY(!invalidB.ok());
        QCOMPARE(invalidB.error(), std::string("text B is not valid UTF-8 (byte 2)"));
        // Overlong forms and surrogates are rejected like Python's decoder does.
        for (const char* bytes :
             {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xe2\x82"}) {
            auto e = tokenizer.encode(std::string("x") + bytes, std::nullopt, 128);
            QVERIFY2(!e.ok(), bytes);
            QCOMPARE(e.error(), std::string("text A is not valid UTF-8 (byte 1)"));
        }
        QVERIFY(!tokenizer.tokenize("\xfe").ok());
        QVERIFY(!tokenizer.basicTokenize("\xfe").ok());

        auto tooSmallPair = tokenizer.encode("a", std::string("b"), 2);
        QVERIFY(!tooSmallPair.ok());
        QVERIFY(tooSmallPair.error().find("too small") != std::string::npos);
        QVERIFY(!tokenizer.encode("a", std::nullopt, 1).ok());
        QVERIFY(tokenizer.encode("a", std::nullopt, 2).ok());
        QVERIFY(tokenizer.encode("a", std::string("b"), 3).ok());
    }

    void vocabularyFile() {
        QTemporaryDir dir;
        // CRLF line ends and no final newline.
        std::string crlf = writeFile(dir, "crlf.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello");
        auto v = Vocabulary::fromFile(crlf);
        QVERIFY2(v.ok(), v.error().c_str());
        QCOMPARE(v->size(), int64_t(5));
        QCOMPARE(v->id("hello"), int64_t(4));
        QCOMPARE(v->id("[SEP]"), int64_t(3));
        QCOMPARE(v->padId(), int64_t(0));
        QCOMPARE(v->unkId(), int64_t(1));
        QCOMPARE(v->clsId(), int64_t(2));
        QCOMPARE(v->id("absent"), int64_t(-1));

        // save() writes what fromFile() reads.
        std::string saved = dir.filePath("saved.txt").toStdString();
        QVERIFY(v->save(saved).ok());
        auto back = Vocabulary::fromFile(saved);
        QVERIFY(back.ok());
        QCOMPARE(back->tokens(), v->tokens());
        QVERIFY(!v->save(dir.path().toStdString() + "/no/such/dir/vocab.txt").ok());

        auto big = Vocabulary::fromFile(vocabPath());
        QVERIFY(big.ok());
        QCOMPARE(big->size(), int64_t(30522));
        QCOMPARE(big->clsId(), int64_t(101));
        QCOMPARE(big->sepId(), int64_t(102));
        QCOMPARE(big->unkId(), int64_t(100));
        QCOMPARE(big->padId(), int64_t(0));
    }

    void vocabularyErrors() {
        QTemporaryDir dir;
        std::string noSep = writeFile(dir, "nosep.txt", "[PAD]\n[UNK]\n[CLS]\nhello\n");
        auto a = Vocabulary::fromFile(noSep);
        QVERIFY(!a.ok());
        QCOMPARE(a.error(), noSep + ": vocabulary has no [SEP] token");

        std::string missing = dir.path().toStdString() + "/missing.txt";
        auto b = Vocabulary::fromFile(missing);
        QVERIFY(!b.ok());
        QCOMPARE(b.error(), missing + ": cannot open vocabulary (No such file or directory)");

        std::string dup = writeFile(dir, "dup.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nx\ny\nx\n");
        auto c = Vocabulary::fromFile(dup);
        QVERIFY(!c.ok());
        QCOMPARE(c.error(), dup + ": duplicate token \"x\" at line 7 (first at line 5)");

        std::string empty = writeFile(dir, "empty.txt", "");
        auto d = Vocabulary::fromFile(empty);
        QVERIFY(!d.ok());
        QCOMPARE(d.error(), empty + ": vocabulary is empty");

        std::string badUtf8 = writeFile(dir, "bad.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nab\xff\n");
        auto e = Vocabulary::fromFile(badUtf8);
        QVERIFY(!e.ok());
        QVERIFY2(e.error().find("line 5 is not valid UTF-8") != std::string::npos,
                 e.error().c_str());

        auto f = Vocabulary::fromTokens({"[CLS]", "[SEP]"}, "list");
        QVERIFY(!f.ok());
        QCOMPARE(f.error(), std::string("list: vocabulary has no [UNK] token"));
        QVERIFY(!Vocabulary::fromTokens({}).ok());
        QVERIFY(!Vocabulary::fromTokens({"[CLS]", "[SEP]", "[UNK]", "a\nb"}).ok());
        QVERIFY(!Vocabulary::fromFile(dir.path().toStdString()).ok());  // a directory
    }

    // Guards against a test that cannot fail: other settings do change the golden tokens.
    void settingsMatter() {
        auto vocab = Vocabulary::fromFile(vocabPath());
        QVERIFY(vocab.ok());
        TokenizerSettings cased;
        cased.doLowerCase = false;
        const Tokenizer tokenizer(std::move(*vocab), cased);
        const nlohmann::json g = golden::load("A01.json");
        auto e = tokenizer.encode(g["input"]["text_a"].get<std::string>(),
                                  optionalText(g["input"]["text_b"]), 128);
        QVERIFY(e.ok());
        QVERIFY(!difference(e->tokens, g["tokens"].get<std::vector<std::string>>()).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
