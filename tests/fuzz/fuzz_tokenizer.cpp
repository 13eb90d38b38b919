// libFuzzer target for the tokenizer: arbitrary bytes as one or two texts, encoded with the
// bert-base-uncased vocabulary under every settings combination. Must never crash, and every
// encoding must satisfy the invariants below (a violation aborts, which libFuzzer records).
//
// Input layout: byte 0 = maximum length (0..255) with its top bit also choosing "" vs absent B,
// byte 1 = settings bits, rest = text A, then 0xFF (never in valid UTF-8), then text B.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "attrscope/text/tokenizer.h"

using namespace attrscope;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

#define CHECK(condition)      \
    do {                      \
        if (!(condition))     \
            fail(#condition); \
    } while (false)

// The eight settings combinations, over one vocabulary loaded once.
const std::vector<std::unique_ptr<Tokenizer>>& tokenizers() {
    static const std::vector<std::unique_ptr<Tokenizer>> all = [] {
        auto vocab =
            Vocabulary::fromFile(ATTRSCOPE_TEST_DATA_DIR "/golden/tiny-uncased-3cls/model/vocab.txt");
        if (!vocab) {
            std::fprintf(stderr, "%s\n", vocab.error().c_str());
            std::abort();
        }
        std::vector<std::unique_ptr<Tokenizer>> out;
        for (int bits = 0; bits < 8; ++bits) {
            TokenizerSettings s;
            s.doLowerCase = bits & 1;
            s.tokenizeChineseChars = bits & 2;
            if (bits & 4)
                s.stripAccents = !s.doLowerCase;
            out.push_back(std::make_unique<Tokenizer>(*vocab, s));
        }
        return out;
    }();
    return all;
}

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

void checkEncoding(const Tokenizer& t, const Encoding& e, const std::string& textA,
                   const std::optional<std::string>& textB, int maxLength) {
    const Vocabulary& v = t.vocabulary();
    const bool hasB = textB && !textB->empty();
    CHECK(e.size() <= maxLength);
    CHECK(e.inputIds.size() == e.tokens.size());
    CHECK(e.segmentIds.size() == e.tokens.size());
    CHECK(e.size() == e.lengthA + e.lengthB + (e.isPair ? 3 : 2));
    CHECK(e.isPair == (e.lengthB > 0));
    CHECK(!e.isPair || hasB);
    CHECK(e.lengthA + e.lengthB <= maxLength - (hasB ? 3 : 2));
    CHECK(e.lengthA >= 0 && e.lengthA <= e.originalLengthA);
    CHECK(e.lengthB >= 0 && e.lengthB <= e.originalLengthB);
    const int removedA = e.originalLengthA - e.lengthA, removedB = e.originalLengthB - e.lengthB;
    CHECK(e.truncated == (removedA > 0 || removedB > 0));
    CHECK(e.truncationNote.empty() == !e.truncated);
    // Longest-first: A only loses pieces while it is the longer one, B while it is not shorter.
    if (hasB && removedA > 0)
        CHECK(e.lengthA >= e.lengthB);
    if (hasB && removedB > 0)
        CHECK(e.lengthB + 1 >= e.lengthA);
    if (!hasB)
        CHECK(removedA == 0 || e.lengthA == maxLength - 2);

    CHECK(e.tokens.front() == "[CLS]" && e.inputIds.front() == v.clsId());
    CHECK(e.tokens[static_cast<size_t>(e.firstSepIndex())] == "[SEP]");
    CHECK(e.tokens.back() == "[SEP]" && e.inputIds.back() == v.sepId());
    for (size_t i = 0; i < e.tokens.size(); ++i) {
        CHECK(e.inputIds[i] >= 0 && e.inputIds[i] < v.size());
        CHECK(v.token(e.inputIds[i]) == e.tokens[i]);
        CHECK(e.segmentIds[i] == (static_cast<int>(i) <= e.firstSepIndex() ? 0 : 1));
    }
    // The kept pieces are the prefix of tokenize() of each text.
    auto piecesA = t.tokenize(textA);
    CHECK(piecesA.ok() && static_cast<int>(piecesA->size()) == e.originalLengthA);
    for (int i = 0; i < e.lengthA; ++i)
        CHECK((*piecesA)[static_cast<size_t>(i)] == e.tokens[static_cast<size_t>(i + 1)]);
    if (e.isPair) {
        auto piecesB = t.tokenize(*textB);
        CHECK(piecesB.ok() && static_cast<int>(piecesB->size()) == e.originalLengthB);
        for (int i = 0; i < e.lengthB; ++i)
            CHECK((*piecesB)[static_cast<size_t>(i)] ==
                  e.tokens[static_cast<size_t>(e.lengthA + 2 + i)]);
    }
}

void checkWords(const Tokenizer& t, const std::string& text) {
    auto words = t.basicTokenize(text);
    if (!words)
        return;
    for (const std::string& w : *words) {
        CHECK(!w.empty());
        CHECK(w.find(' ') == std::string::npos);
        auto pieces = t.wordPiece(w);
        CHECK(!pieces.empty());
        for (const std::string& p : pieces)
            CHECK(t.vocabulary().contains(p));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2)
        return 0;
    const int maxLength = data[0] & 0x7F;
    const bool emptyMeansPresent = data[0] & 0x80;
    const Tokenizer& t = *tokenizers()[data[1] & 7];
    std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
    std::string textA = rest;
    std::optional<std::string> textB;
    size_t split = rest.find('\xFF');
    if (split != std::string::npos) {
        textA = rest.substr(0, split);
        textB = rest.substr(split + 1);
    } else if (emptyMeansPresent) {
        textB = std::string();
    }

    auto e = t.encode(textA, textB, maxLength);
    if (e.ok()) {
        checkEncoding(t, *e, textA, textB, maxLength);
    } else {
        const std::string& m = e.error();
        CHECK(startsWith(m, "text A is") || startsWith(m, "text B is") ||
              startsWith(m, "maximum length"));
    }
    checkWords(t, textA);
    return 0;
}
