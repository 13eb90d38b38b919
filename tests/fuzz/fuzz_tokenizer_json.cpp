// libFuzzer target for tokenizer.json: the input up to the first 0xFF byte is parsed as a
// tokenizer.json; when it loads, the rest (split at the next 0xFF into A and B) is tokenized with
// every truncation strategy. Parsing and tokenizing must never crash or hang, and every encoding
// must be self-consistent (a violation aborts, which libFuzzer records).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "text/tokenizer_json.h"

using namespace attrscope;

namespace {

#define CHECK(condition)                                                  \
    do {                                                                  \
        if (!(condition)) {                                               \
            std::fprintf(stderr, "invariant violated: %s\n", #condition); \
            std::abort();                                                 \
        }                                                                 \
    } while (false)

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    size_t cut = input.find('\xFF');
    std::string json = input.substr(0, cut);
    auto tokenizer = hf::parseTokenizerJson(json, "fuzz.json", 0);
    if (!tokenizer || cut == std::string::npos)
        return 0;
    std::string rest = input.substr(cut + 1);
    size_t second = rest.find('\xFF');
    std::string a = rest.substr(0, second);
    std::optional<std::string> b;
    if (second != std::string::npos)
        b = rest.substr(second + 1);
    for (auto strategy : {TruncationStrategy::LongestFirst, TruncationStrategy::OnlyFirst,
                          TruncationStrategy::OnlySecond}) {
        EncodeOptions o;
        o.maxLength = static_cast<int>(size % 24);
        o.truncation = strategy;
        auto e = (*tokenizer)->encode(a, b, o);
        if (!e)
            continue;
        const size_t n = e->tokens.size();
        CHECK(e->inputIds.size() == n && e->segmentIds.size() == n);
        CHECK(e->specialTokensMask.size() == n && e->wordIds.size() == n && e->offsets.size() == n);
        if (o.maxLength > 0)
            CHECK(n <= static_cast<size_t>(o.maxLength));
        for (const auto& [begin, end] : e->offsets)
            CHECK(begin >= 0 && begin <= end);
    }
    return 0;
}
