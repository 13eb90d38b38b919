// Every tokenizer format against the official libraries' outputs: the family checkpoints'
// slow-tokenizer goldens (tests/data/tokenizers/families) and the real tokenizer files with their
// Rust-core / slow-tokenizer / sentencepiece goldens (tests/data/tokenizers/*/golden.json).

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attrscope/text/piece_encoding.h"
#include "attrscope/text/text_tokenizer.h"
#include "attrscope/text/tokenizer.h"

using namespace attrscope;
using nlohmann::json;

namespace {

std::string dataDir() {
    return std::string(ATTRSCOPE_TEST_DATA_DIR) + "/tokenizers";
}

json loadJson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        qFatal("missing test data %s", path.c_str());
    return json::parse(in);
}

std::shared_ptr<TextTokenizer> load(const std::string& relative) {
    auto t = loadTokenizer(dataDir() + "/" + relative);
    if (!t)
        qFatal("%s", t.error().c_str());
    return *t;
}

std::optional<std::string> optionalText(const json& j) {
    return j.is_null() ? std::nullopt : std::optional<std::string>(j.get<std::string>());
}

template <typename T>
std::string show(const std::vector<T>& v) {
    return json(v).dump();
}

// Compares one field; appends "id field: got … expected …" on a difference.
template <typename T>
void check(const std::string& id, const char* field, const std::vector<T>& got,
           const json& expected, std::vector<std::string>& failures) {
    auto want = expected.get<std::vector<T>>();
    if (got != want)
        failures.push_back(id + " " + field + ": got " + show(got) + " expected " + show(want));
}

std::vector<int64_t> toInt64(const std::vector<int>& v) {
    return std::vector<int64_t>(v.begin(), v.end());
}

void report(const std::vector<std::string>& failures, size_t cases) {
    for (size_t i = 0; i < failures.size() && i < 12; ++i)
        qWarning("%s", failures[i].c_str());
    QVERIFY2(
        failures.empty(),
        qPrintable(QStringLiteral("%1 differences over %2 cases").arg(failures.size()).arg(cases)));
}

std::string fileName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

}  // namespace

class TestTextTokenizers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void families_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("file");
        QTest::newRow("bert") << "bert"
                              << "vocab.txt";
        QTest::newRow("distilbert") << "distilbert"
                                    << "vocab.txt";
        QTest::newRow("electra") << "electra"
                                 << "vocab.txt";
        QTest::newRow("roberta") << "roberta"
                                 << "vocab.json";
        QTest::newRow("xlm-roberta") << "xlm-roberta"
                                     << "sentencepiece.bpe.model";
        QTest::newRow("albert") << "albert"
                                << "spiece.model";
        QTest::newRow("deberta-v3") << "deberta-v3"
                                    << "spm.model";
    }
    void families() {
        QFETCH(QString, family);
        QFETCH(QString, file);
        const std::string dir = "families/" + family.toStdString();
        auto tokenizer = load(dir);
        QCOMPARE(QString::fromStdString(fileName(tokenizer->sourceFile())), file);
        const json g = loadJson(dataDir() + "/" + dir + "/cases.json");
        std::vector<std::string> failures;
        for (const json& c : g["cases"]) {
            const std::string id = c["id"];
            EncodeOptions options;
            options.maxLength = c["max_length"];
            auto e = tokenizer->encode(c["text_a"], optionalText(c["text_b"]), options);
            QVERIFY2(e.ok(), e.error().c_str());
            check(id, "tokens", e->tokens, c["tokens"], failures);
            check(id, "input_ids", e->inputIds, c["input_ids"], failures);
            if (e->hasTokenTypeIds != c.contains("token_type_ids"))
                failures.push_back(
                    id + ": token type ids returned where the golden has none or vice versa");
            if (c.contains("token_type_ids"))
                check(id, "token_type_ids", e->segmentIds, c["token_type_ids"], failures);
            const json& t = c["tokenization"];
            if (e->truncated != t["truncated"].get<bool>() ||
                e->lengthA != t["len_a_after"].get<int>() ||
                e->originalLengthA != t["len_a_before"].get<int>())
                failures.push_back(id + ": truncation lengths differ");
            if (e->truncated && e->truncationNote.empty())
                failures.push_back(id + ": truncated without a note");
        }
        report(failures, g["cases"].size());
    }

    // Real tokenizer files against the Rust core (npm tokenizers), the slow HF tokenizers and raw
    // sentencepiece, over the same 60 cases each.
    void realFiles_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("reference");
        QTest::newRow("bert-base-uncased tokenizer.json") << "bert-base-uncased-json"
                                                          << "bert-base-uncased-json"
                                                          << "rust";
        QTest::newRow("bert-base-uncased vocab.txt") << "bert-base-uncased"
                                                     << "bert-base-uncased-json"
                                                     << "hf_slow_ids";
        QTest::newRow("bert-base-cased vocab.txt") << "bert-base-cased"
                                                   << "bert-base-cased"
                                                   << "slow";
        QTest::newRow("all-MiniLM-L6-v2 tokenizer.json") << "all-MiniLM-L6-v2"
                                                         << "all-MiniLM-L6-v2"
                                                         << "unpadded";
        QTest::newRow("roberta-base tokenizer.json") << "roberta-base"
                                                     << "roberta-base"
                                                     << "rust";
        QTest::newRow("roberta-base vocab.json + merges.txt") << "roberta-base/vocab.json"
                                                              << "roberta-base"
                                                              << "hf_slow_ids";
        QTest::newRow("deberta-v3-base spm.model") << "deberta-v3-base"
                                                   << "deberta-v3-base"
                                                   << "hf_slow";
        QTest::newRow("bpemb sentencepiece BPE") << "bpemb-en-wiki-vs100000"
                                                 << "bpemb-en-wiki-vs100000"
                                                 << "spm";
    }
    void realFiles() {
        QFETCH(QString, path);
        QFETCH(QString, golden);
        QFETCH(QString, reference);
        auto tokenizer = load(path.toStdString());
        const json g = loadJson(dataDir() + "/" + golden.toStdString() + "/golden.json");
        const std::string ref = reference.toStdString();
        std::vector<std::string> failures;
        for (const json& c : g["cases"]) {
            const std::string id = c["id"];
            if (ref == "spm") {  // raw ids of each text, no template
                for (const char* side : {"a", "b"}) {
                    const json& text = c[std::string("text_") + side];
                    if (text.is_null())
                        continue;
                    auto e = tokenizer->encode(text, std::nullopt, {});
                    QVERIFY2(e.ok(), e.error().c_str());
                    check(id + side, "ids", e->inputIds, c[std::string("spm_ids_") + side],
                          failures);
                    auto pieces =
                        c[std::string("spm_pieces_") + side].get<std::vector<std::string>>();
                    for (size_t i = 0; i < pieces.size() && i < e->tokens.size(); ++i)
                        if (e->inputIds[i] != 0 && e->tokens[i] != pieces[i])
                            failures.push_back(id + side + " piece " + std::to_string(i) + ": " +
                                               e->tokens[i]);
                }
                continue;
            }
            auto e = tokenizer->encode(c["text_a"], optionalText(c["text_b"]), {});
            QVERIFY2(e.ok(), (id + ": " + e.error()).c_str());
            if (ref == "hf_slow_ids") {
                check(id, "ids", e->inputIds, c["hf_slow_ids"], failures);
            } else if (ref == "hf_slow") {
                check(id, "ids", e->inputIds, c["hf_slow"]["ids"], failures);
                check(id, "tokens", e->tokens, c["hf_slow"]["tokens"], failures);
                check(id, "type_ids", e->segmentIds, c["hf_slow"]["token_type_ids"], failures);
            } else {
                const json& r = ref == "unpadded" ? c["unpadded"] : c;
                check(id, "ids", e->inputIds, r["ids"], failures);
                check(id, "tokens", e->tokens, r["tokens"], failures);
                check(id, "type_ids", e->segmentIds, r["type_ids"], failures);
                if (r.contains("special_tokens_mask"))
                    check(id, "special_tokens_mask", toInt64(e->specialTokensMask),
                          r["special_tokens_mask"], failures);
            }
        }
        report(failures, g["cases"].size());
    }

    // HF precedence: tokenizer.json wins over vocab.json + merges.txt in the same folder.
    void precedence() {
        QCOMPARE(QString::fromStdString(fileName(load("roberta-base")->sourceFile())),
                 QStringLiteral("tokenizer.json"));
        auto e = load("roberta-base")->encode("hi", std::nullopt, {});
        QVERIFY(e.ok());
        QCOMPARE(QString::fromStdString(fileName(e->sourceFile)), QStringLiteral("tokenizer.json"));
    }

    // The Rust core cuts pairs to ⌊budget/2⌋ + rest; the slow tokenizers one piece at a time.
    void truncationStrategies() {
        auto fast = load("bert-base-uncased-json");
        auto slow = load("bert-base-uncased");
        const std::string a = "one two three four five six seven eight nine ten";
        const std::string b = "alpha beta gamma delta epsilon zeta eta theta iota kappa";
        EncodeOptions o;
        o.maxLength = 8;  // budget 5 of 10 + 10
        auto ef = fast->encode(a, b, o);
        auto es = slow->encode(a, b, o);
        QVERIFY(ef.ok() && es.ok());
        QCOMPARE(ef->lengthA, 2);
        QCOMPARE(ef->lengthB, 3);
        QCOMPARE(es->lengthA, 3);
        QCOMPARE(es->lengthB, 2);
        QVERIFY(ef->truncationNote.find("8 tokens") != std::string::npos);
        o.truncation = TruncationStrategy::OnlySecond;
        o.maxLength = 15;
        auto e2 = fast->encode(a, b, o);
        QVERIFY(e2.ok());
        QCOMPARE(e2->lengthA, 10);
        QCOMPARE(e2->lengthB, 2);
        QCOMPARE(e2->truncationStrategy, std::string("only_second"));
        o.truncation = TruncationStrategy::OnlyFirst;
        o.maxLength = 12;  // B alone needs 10 + 3
        auto e3 = fast->encode(a, b, o);
        QVERIFY(!e3.ok());
        o.maxLength = 2;
        o.truncation = TruncationStrategy::LongestFirst;
        auto e4 = fast->encode(a, b, o);
        QVERIFY(!e4.ok());
        QVERIFY(e4.error().find("too small") != std::string::npos);
    }

    // The Rust core cuts a longest_first pair by the lengths it sees: a text's pieces up to the
    // end of the word at which they reach the maximum length (docs/tokenizers.md). Expected
    // splits measured with npm tokenizers 0.23.2 on this tokenizer.json (2026-12-05); the plain
    // formula on whole lengths gets rows 1, 3, 4 and 6 wrong.
    void longestFirstSeesWordsUpToTheMaximum_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("maxLength");
        QTest::addColumn<int>("lengthA");
        QTest::addColumn<int>("lengthB");
        QTest::newRow("9 one-piece words vs 8") << "a a a a a a a a a"
                                                << "b b b b b b b b" << 8 << 2 << 3;
        QTest::newRow("last word of A in 3 pieces") << "a a a a a a xqz"
                                                    << "b b b b b b b b" << 8 << 3 << 2;
        QTest::newRow("first word of A in 3 pieces") << "xqz a a a a a a"
                                                     << "b b b b b b b b" << 8 << 2 << 3;
        QTest::newRow("10 vs 9") << "a a a a a a a a a a"
                                 << "b b b b b b b b b" << 8 << 2 << 3;
        QTest::newRow("9 vs 7") << "a a a a a a a a a"
                                << "b b b b b b b" << 8 << 3 << 2;
        QTest::newRow("A 10 pieces, B 12") << "a a a a a a a xqz"
                                           << "b b b b b b b b b b b b" << 8 << 3 << 2;
        QTest::newRow("12 vs 10, M 11") << "a a a a a a a a a a a a"
                                        << "b b b b b b b b b b" << 11 << 4 << 4;
    }
    void longestFirstSeesWordsUpToTheMaximum() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, maxLength);
        auto fast = load("bert-base-uncased-json");
        EncodeOptions o;
        o.maxLength = maxLength;
        auto e = fast->encode(a.toStdString(), b.toStdString(), o);
        QVERIFY(e.ok());
        QTEST(e->lengthA, "lengthA");
        QTEST(e->lengthB, "lengthB");
    }

    // Trigger insertion re-encodes pieces: the untruncated pieces of a text, through
    // encodePieces, give what encode() gives for the text, truncation included (the fast
    // tokenizers' pair cut reads the words).
    void piecesReencodeLikeText_data() {
        QTest::addColumn<QString>("path");
        for (const char* p : {"bert-base-uncased-json", "roberta-base", "roberta-base/vocab.json",
                              "deberta-v3-base", "all-MiniLM-L6-v2", "bpemb-en-wiki-vs100000"})
            QTest::newRow(p) << p;
    }
    void piecesReencodeLikeText() {
        QFETCH(QString, path);
        auto t = load(path.toStdString());
        const std::vector<std::pair<std::string, std::optional<std::string>>> texts = {
            {"a a a a a a xqz", std::string("b b b b b b b b")},
            {"xqz a a a a a a", std::string("b b b b b b b b")},
            {"A man is playing a guitar.", std::string("Nobody plays; unbelievable!!")},
            {"Crème brûlée in a São Paulo café.", std::nullopt},
            {"short", std::string("")}};
        for (const auto& [a, b] : texts) {
            EncodeOptions whole;
            whole.truncation = TruncationStrategy::DoNotTruncate;
            auto full = t->encode(a, b, whole);
            QVERIFY2(full.ok(), full.error().c_str());
            std::optional<TextPieces> pb;
            if (b)
                pb = sequencePieces(*full, 1);
            for (int maxLength : {0, 5, 8, 11, 64}) {
                EncodeOptions o;
                o.maxLength = maxLength;
                auto want = t->encode(a, b, o);
                auto got = encodePieces(*t, sequencePieces(*full, 0), pb, o);
                QCOMPARE(got.ok(), want.ok());
                if (!want.ok())
                    continue;
                const std::string what = a + " | " + std::to_string(maxLength);
                QVERIFY2(got->inputIds == want->inputIds, what.c_str());
                QVERIFY2(got->tokens == want->tokens, what.c_str());
                QVERIFY2(got->segmentIds == want->segmentIds, what.c_str());
                QCOMPARE(got->specialTokensMask, want->specialTokensMask);
                QCOMPARE(got->lengthA, want->lengthA);
                QCOMPARE(got->lengthB, want->lengthB);
                QCOMPARE(got->truncated, want->truncated);
            }
        }
        // BERT's own Tokenizer builds its template itself (triggers.h): a clear refusal.
        auto v = Vocabulary::fromTokens({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"});
        QVERIFY(v.ok());
        Tokenizer bert(*v, TokenizerSettings{});
        auto refused = encodePieces(bert, TextPieces{}, std::nullopt, EncodeOptions{});
        QVERIFY(!refused.ok());
    }

    void offsetsAndWords() {
        auto t = load("bert-base-uncased-json");
        const std::string text = "Héllo, wonderful world!";
        auto e = t->encode(text, std::nullopt, {});
        QVERIFY(e.ok());
        QCOMPARE(e->specialTokensMask.front(), 1);
        for (size_t i = 1; i + 1 < e->tokens.size(); ++i) {
            auto [b, end] = e->offsets[i];
            QVERIFY(b >= 0 && end <= static_cast<int>(text.size()) && b < end);
        }
        QCOMPARE(text.substr(static_cast<size_t>(e->offsets[1].first),
                             static_cast<size_t>(e->offsets[1].second - e->offsets[1].first)),
                 std::string("Héllo"));
        // "wonderful" may be several pieces, all of word 2.
        QCOMPARE(e->wordIds[1], 0);
        QCOMPARE(e->wordIds[2], 1);
        QCOMPARE(e->wordIds.front(), -1);
        auto r = load("roberta-base")->encode("Hello world", std::nullopt, {});
        QVERIFY(r.ok());
        QCOMPARE(r->offsets[2].first, 5);  // "Ġworld" starts at the space
        QCOMPARE(r->offsets[2].second, 11);
    }

    void refusals_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const QString model =
            R"("model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}, "unk_token": "[UNK]"})";
        // Malformed charsmaps are refused when loading (npm tokenizers 0.23.2 panics on some).
        const auto charsmap = [&](const char* base64) {
            return QString(
                       "{\"normalizer\": {\"type\": \"Precompiled\", \"precompiled_charsmap\": "
                       "\"") +
                   base64 + "\"}, " + model + "}";
        };
        QTest::newRow("charsmap empty") << charsmap("") << "precompiled_charsmap is empty";
        QTest::newRow("charsmap null")
            << R"({"normalizer": {"type": "Precompiled", "precompiled_charsmap": null}, )" + model +
                   "}"
            << "precompiled_charsmap is empty";
        QTest::newRow("charsmap base64") << charsmap("!!") << "not valid base64";
        QTest::newRow("charsmap trie size") << charsmap("AQAAAA==") << "bad trie size (1)";
        QTest::newRow("charsmap truncated") << charsmap("CAAAAAAA") << "is truncated";
        QTest::newRow("charsmap utf-8") << charsmap("BAAAAAAAAAD/") << "not valid UTF-8";
        QTest::newRow("pre-tokenizer")
            << R"({"pre_tokenizer": {"type": "UnicodeScripts"}, )" + model + "}"
            << "pre-tokenizer 'UnicodeScripts' is not supported";
        QTest::newRow("model") << R"({"model": {"type": "WordLevel", "vocab": {}}})"
                               << "model 'WordLevel' is not supported";
        QTest::newRow("dropout")
            << R"({"model": {"type": "BPE", "dropout": 0.1, "vocab": {}, "merges": []}})"
            << "BPE dropout is not supported";
        QTest::newRow("not json") << "{"
                                  << "invalid tokenizer.json";
        QTest::newRow("bad merge")
            << R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})"
            << "not in the vocabulary";
    }
    void refusals() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const std::string path = dir.filePath("tokenizer.json").toStdString();
        std::ofstream(path, std::ios::binary) << json.toStdString();
        auto t = loadTokenizer(dir.path().toStdString());
        QVERIFY(!t.ok());
        QVERIFY2(t.error().find(message.toStdString()) != std::string::npos, t.error().c_str());
        QVERIFY2(t.error().find("tokenizer.json") != std::string::npos, t.error().c_str());
    }

    // A folder whose tokenizer.json cannot be used (here an empty Precompiled charsmap) falls
    // back to its SentencePiece model and says why; the fallback's ids are the slow tokenizer's
    // goldens.
    void unsupportedTokenizerJsonFallsBack() {
        QTemporaryDir dir;
        const std::string src = dataDir() + "/families/albert";
        for (const auto& entry : std::filesystem::directory_iterator(src))
            std::filesystem::copy_file(
                entry.path(), dir.filePath(QString::fromStdString(entry.path().filename().string()))
                                  .toStdString());
        std::ofstream(dir.filePath("tokenizer.json").toStdString(), std::ios::binary)
            << R"({"normalizer": {"type": "Precompiled", "precompiled_charsmap": ""},)"
            << R"( "model": {"type": "Unigram", "vocab": [["<unk>", 0.0]]}})";
        auto t = loadTokenizer(dir.path().toStdString());
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().c_str());
        QCOMPARE(QString::fromStdString(fileName((*t)->sourceFile())), QString("spiece.model"));
        QVERIFY2((*t)->loadNote().find("tokenizer.json not used") != std::string::npos &&
                     (*t)->loadNote().find("precompiled_charsmap is empty") != std::string::npos,
                 (*t)->loadNote().c_str());
        const json g = loadJson(src + "/cases.json");
        for (const json& c : g["cases"]) {
            EncodeOptions options;
            options.maxLength = c["max_length"];
            auto e = (*t)->encode(c["text_a"], optionalText(c["text_b"]), options);
            QVERIFY2(e.ok(), e.error().c_str());
            QCOMPARE(e->inputIds, c["input_ids"].get<std::vector<int64_t>>());
        }
        // Alone, the same tokenizer.json is refused with the component named.
        auto alone = loadTokenizer(dir.filePath("tokenizer.json").toStdString());
        QVERIFY(!alone.ok());
        QVERIFY2(alone.error().find("Precompiled") != std::string::npos, alone.error().c_str());
    }

    // A real precompiled_charsmap (DeBERTa-v3's) against the Rust core's tokens and ids.
    void precompiledGolden() {
        auto t = load("deberta-v3-precompiled/tokenizer.json");
        const json g = loadJson(dataDir() + "/deberta-v3-precompiled/golden.json");
        std::vector<std::string> failures;
        for (const json& c : g["cases"]) {
            auto e = t->encode(c["text"], std::nullopt, EncodeOptions{});
            QVERIFY2(e.ok(), e.ok() ? "" : e.error().c_str());
            const std::string id = c["text"].dump();
            check(id, "ids", e->inputIds, c["ids"], failures);
            check(id, "tokens", e->tokens, c["tokens"], failures);
        }
        report(failures, g["cases"].size());
    }

    // Hand-built tries that load but point outside the map: lookups stop, nothing crashes.
    void precompiledBadTrie_data() {
        QTest::addColumn<uint>("value");
        QTest::addColumn<QString>("replacements");
        QTest::addColumn<QString>("token");
        QTest::newRow("match") << 0u << "b"
                               << "b";
        QTest::newRow("offset past the end") << 1000u << "b"
                                             << "a";
        QTest::newRow("offset inside a char") << 1u << "é"
                                              << "a";
    }
    void precompiledBadTrie() {
        QFETCH(uint, value);
        QFETCH(QString, replacements);
        QFETCH(QString, token);
        // Root at 0 with offset 0: byte 'a' (0x61) lands on unit 0x61, a leaf whose value sits at
        // 0x61 ^ 1; other bytes meet a wrong label (0) or fall outside the array.
        std::vector<uint32_t> units(0x62, 0);
        units[0x61] = (1u << 10) | (1u << 8) | 0x61;
        units[0x60] = value;
        std::string blob(4 + units.size() * 4, '\0');
        const auto put = [&](size_t at, uint32_t v) {
            for (int i = 0; i < 4; ++i)
                blob[at + i] = static_cast<char>(v >> (8 * i));
        };
        put(0, static_cast<uint32_t>(units.size() * 4));
        for (size_t i = 0; i < units.size(); ++i)
            put(4 + 4 * i, units[i]);
        blob += replacements.toStdString() + '\0';
        const QString base64 = QString::fromLatin1(QByteArray::fromStdString(blob).toBase64());
        QTemporaryDir dir;
        const std::string path = dir.filePath("tokenizer.json").toStdString();
        std::ofstream(path, std::ios::binary)
            << "{\"normalizer\": {\"type\": \"Precompiled\", \"precompiled_charsmap\": \""
            << base64.toStdString() << "\"}, "
            << R"("model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "b": 2},)"
            << R"( "unk_token": "[UNK]"}})";
        auto t = loadTokenizer(path);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().c_str());
        for (const char* text : {"a", "aa\x01\x7f", "😀a", ""}) {
            auto e = (*t)->encode(text, std::nullopt, EncodeOptions{});
            QVERIFY2(e.ok(), e.ok() ? "" : e.error().c_str());
        }
        auto e = (*t)->encode("a", std::nullopt, EncodeOptions{});
        QCOMPARE(e->tokens, std::vector<std::string>{token.toStdString()});
    }

    // The BERT Tokenizer is one implementation of the interface: same ids as its own encode.
    void legacyTokenizerAsInterface() {
        auto vocab = Vocabulary::fromFile(dataDir() + "/families/bert/vocab.txt");
        QVERIFY(vocab.ok());
        Tokenizer legacy(std::move(*vocab), TokenizerSettings{});
        const TextTokenizer& asInterface = legacy;
        EncodeOptions o;
        o.maxLength = 12;
        auto a =
            legacy.encode("A man is playing a guitar in the park today.", std::string("No."), 12);
        auto b = asInterface.encode("A man is playing a guitar in the park today.",
                                    std::string("No."), o);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(b->inputIds, a->inputIds);
        QCOMPARE(b->segmentIds, a->segmentIds);
        QCOMPARE(b->truncated, a->truncated);
    }

    void badInput() {
        auto t = load("roberta-base");
        auto e = t->encode(std::string("ok \xC3"), std::nullopt, {});
        QVERIFY(!e.ok());
        QVERIFY(e.error().find("text A is not valid UTF-8 (byte 3)") != std::string::npos);
        QVERIFY(!loadTokenizer(dataDir() + "/does-not-exist").ok());
    }
};

QTEST_GUILESS_MAIN(TestTextTokenizers)
#include "test_text_tokenizers.moc"
