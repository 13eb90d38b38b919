// Differential test: AttrScope and the official Hugging Face tokenizers (npm package, Rust core)
// tokenize the same generated strings — random Unicode mixes, pairs, truncation lengths — with
// each tokenizer.json file; every id, token, type id and special-token flag must agree.
// The npm package is installed by the CTest fixture (setup-npm-tokenizers.sh); without it the
// test reports itself skipped.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "attrscope/text/text_tokenizer.h"

using namespace attrscope;
using nlohmann::json;

namespace {

constexpr int kCasesPerFile = 2000;

std::string dataDir() {
    return std::string(ATTRSCOPE_TEST_DATA_DIR) + "/tokenizers";
}

// Building blocks chosen to hit every pipeline stage: accents and combining marks, CJK, scripts
// without spaces, emoji sequences, odd whitespace and controls, special-token strings, and
// compatibility characters for NFKC and Precompiled (full-width, circled, ligatures, half-width
// kana, a compatibility char carrying a combining mark).
const std::vector<std::string>& fragments() {
    static const std::vector<std::string> f = {"hello",
                                               "World",
                                               "naïve",
                                               "café",
                                               "São Paulo",
                                               "UNAFFORDABLE",
                                               "don't",
                                               "it's",
                                               "we'll",
                                               "I'm",
                                               "they're",
                                               "2010",
                                               "3.14",
                                               "$1.8",
                                               "e-mail",
                                               "https://a.b/c?d=1",
                                               "mail@x.y",
                                               "e\xCC\x81",
                                               "A\xCC\x8A",
                                               "ñ",
                                               "ü",
                                               "ß",
                                               "İstanbul",
                                               "ΟΔΟΣ",
                                               "Привет",
                                               "中文字",
                                               "日本語",
                                               "かな",
                                               "한국어",
                                               "مرحبا",
                                               "नमस्ते",
                                               "ไทย",
                                               "😀",
                                               "👍🏽",
                                               "👨‍👩‍👧",
                                               "🇯🇵",
                                               "Ａｂｃ",
                                               "ﬁ",
                                               "½",
                                               "①②",
                                               "⑳",
                                               "㍿",
                                               "™",
                                               "Ⅻ",
                                               "ℌ",
                                               "㈱",
                                               "\xE2\x84\xA6",
                                               "\xE2\x84\xAB",
                                               "ǅ",
                                               "ｈｅｌｌｏ！",
                                               "ｶﾞ",
                                               "ﾊﾟﾝ",
                                               "Ａ\xCC\x81",
                                               "A\xCC\x82\xCC\x81",
                                               "①\xCC\x81",
                                               "\xE2\x80\x8D",
                                               "\xEF\xBB\xBF",
                                               "\xE2\x80\x8E",
                                               "\xC2\xAD",
                                               "²",
                                               "…",
                                               "—",
                                               "«»",
                                               "\xE2\x80\x8B",
                                               "\xC2\xA0",
                                               "\xE2\x80\x89",
                                               "\xE3\x80\x80",
                                               "\t",
                                               "\n",
                                               "\r\n",
                                               "\x07",
                                               "\xEF\xBF\xBD",
                                               "\xE2\x80\xA8",
                                               "\xC2\x85",
                                               "\xE1\xA0\x8E",
                                               "[CLS]",
                                               "[SEP]",
                                               "[MASK]",
                                               "[UNK]",
                                               "<s>",
                                               "</s>",
                                               "<mask>",
                                               "<pad>",
                                               "'s",
                                               "''",
                                               "``",
                                               "_",
                                               "##",
                                               "Ġ",
                                               "▁",
                                               "a",
                                               "the",
                                               "quick",
                                               "brown",
                                               "fox",
                                               ".",
                                               ",",
                                               "!",
                                               "?",
                                               "(",
                                               ")",
                                               "\"",
                                               "%",
                                               "&",
                                               "'",
                                               "-",
                                               "/",
                                               ":",
                                               ";",
                                               "@",
                                               "#",
                                               "a1b2",
                                               "x_y",
                                               "CamelCase"};
    return f;
}

std::string randomText(std::mt19937& rng) {
    std::uniform_int_distribution<int> count(0, 14),
        pick(0, static_cast<int>(fragments().size()) - 1), kind(0, 9), spaces(0, 3), letter(0, 25);
    std::string s;
    int n = count(rng);
    if (n == 0 && kind(rng) < 5)
        return s;
    for (int i = 0; i < n; ++i) {
        int k = kind(rng);
        if (k == 0) {  // a long word
            int len = 20 + letter(rng) * 5;
            for (int j = 0; j < len; ++j)
                s.push_back(static_cast<char>('a' + letter(rng)));
        } else if (k == 1) {  // a random code point from a few planes
            std::uniform_int_distribution<int> plane(0, 3);
            static const std::pair<int, int> ranges[] = {
                {0x20, 0x7E},     {0xA0, 0x24F},      {0x300, 0x36F},   {0x3040, 0x30FF},
                {0x4E00, 0x4FFF}, {0x1F300, 0x1F64F}, {0x2000, 0x206F}, {0x2460, 0x24FF},
                {0x3300, 0x33FF}, {0xFB00, 0xFB4F},   {0xFF00, 0xFFEF}};
            std::uniform_int_distribution<int> r(0, 10);
            auto [lo, hi] = ranges[r(rng)];
            std::uniform_int_distribution<int> cp(lo, hi);
            int c = cp(rng);
            if (c < 0x80) {
                s.push_back(static_cast<char>(c));
            } else if (c < 0x800) {
                s.push_back(static_cast<char>(0xC0 | (c >> 6)));
                s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
            } else if (c < 0x10000) {
                s.push_back(static_cast<char>(0xE0 | (c >> 12)));
                s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
                s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
            } else {
                s.push_back(static_cast<char>(0xF0 | (c >> 18)));
                s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
                s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
                s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
            }
        } else {
            s += fragments()[static_cast<size_t>(pick(rng))];
        }
        int sp = spaces(rng);
        s.append(static_cast<size_t>(sp == 3 ? 0 : sp == 2 ? 2 : 1), ' ');
    }
    return s;
}

json generateCases(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dice(0, 5), length(4, 40), strategy(0, 2);
    static const char* strategies[] = {"longest_first", "only_first", "only_second"};
    json cases = json::array();
    for (int i = 0; i < kCasesPerFile; ++i) {
        json c;
        c["a"] = randomText(rng);
        c["b"] = dice(rng) < 2 ? json(randomText(rng)) : json(nullptr);
        bool truncate = dice(rng) < 2;
        c["max_length"] = truncate ? length(rng) : 0;
        c["strategy"] = strategies[truncate ? strategy(rng) : 0];
        cases.push_back(std::move(c));
    }
    return cases;
}

QString npmDir() {
    QByteArray env = qgetenv("ATTRSCOPE_NPM_TOKENIZERS_DIR");
    return env.isEmpty() ? QStringLiteral(ATTRSCOPE_NPM_TOKENIZERS_DIR)
                         : QString::fromLocal8Bit(env);
}

}  // namespace

class TestTokenizerDifferential : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void againstRustCore_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<uint>("seed");
        QTest::newRow("bert-base-uncased") << "bert-base-uncased-json/tokenizer.json" << 11u;
        QTest::newRow("all-MiniLM-L6-v2") << "all-MiniLM-L6-v2/tokenizer.json" << 12u;
        QTest::newRow("roberta-base") << "roberta-base/tokenizer.json" << 13u;
        QTest::newRow("deberta-v3-precompiled") << "deberta-v3-precompiled/tokenizer.json" << 14u;
    }
    void againstRustCore() {
        QFETCH(QString, file);
        QFETCH(uint, seed);
        if (!QFile::exists(npmDir() + "/node_modules/tokenizers/package.json"))
            QSKIP(qPrintable("npm tokenizers not installed in " + npmDir() +
                             " (npm unreachable?): differential test skipped"));
        const std::string path = dataDir() + "/" + file.toStdString();
        QTemporaryDir tmp;
        const QString casesPath = tmp.filePath("cases.json"), outPath = tmp.filePath("out.json");
        const json cases = generateCases(seed);
        std::ofstream(casesPath.toStdString(), std::ios::binary) << cases.dump();

        QProcess node;
        node.start("node", {QStringLiteral(ATTRSCOPE_NPM_SCRIPT), npmDir(),
                            QString::fromStdString(path), casesPath, outPath});
        QVERIFY2(node.waitForFinished(240000), "node did not finish");
        QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
        std::ifstream in(outPath.toStdString(), std::ios::binary);
        const json reference = json::parse(in);
        QCOMPARE(reference.size(), cases.size());

        auto tokenizer = loadTokenizer(path);
        QVERIFY2(tokenizer.ok(), tokenizer.error().c_str());
        int differences = 0, errorsBoth = 0, compared = 0;
        for (size_t i = 0; i < cases.size(); ++i) {
            const json& c = cases[i];
            const json& r = reference[i];
            EncodeOptions o;
            o.maxLength = c["max_length"];
            o.truncation = *parseTruncation(c["strategy"]);
            std::optional<std::string> b;
            if (!c["b"].is_null())
                b = c["b"].get<std::string>();
            auto e = (*tokenizer)->encode(c["a"], b, o);
            ++compared;
            if (r.contains("error") || !e.ok()) {
                if (r.contains("error") && !e.ok()) {
                    ++errorsBoth;
                    continue;
                }
                ++differences;
                qWarning("case %zu: %s vs %s (%s)", i,
                         r.contains("error") ? "Rust error" : "Rust ok",
                         e.ok() ? "ours ok" : e.error().c_str(), c.dump().c_str());
                continue;
            }
            std::vector<int64_t> mask(e->specialTokensMask.begin(), e->specialTokensMask.end());
            if (e->inputIds != r["ids"].get<std::vector<int64_t>>() ||
                e->tokens != r["tokens"].get<std::vector<std::string>>() ||
                e->segmentIds != r["type_ids"].get<std::vector<int64_t>>() ||
                mask != r["special_tokens_mask"].get<std::vector<int64_t>>()) {
                if (++differences <= 10)
                    qWarning("case %zu differs: %s\n  ours %s\n  rust %s", i, c.dump().c_str(),
                             json(e->tokens).dump().c_str(), r["tokens"].dump().c_str());
            }
        }
        qInfo("%s: %d cases compared, %d differences (%d where both refuse)", qPrintable(file),
              compared, differences, errorsBoth);
        QCOMPARE(differences, 0);
    }
};

QTEST_GUILESS_MAIN(TestTokenizerDifferential)
#include "test_tokenizer_differential.moc"
