#pragma once
// Unicode regular expressions (PCRE2, 32-bit code units so match positions are char indices),
// for the byte-level, Whitespace and Split pre-tokenizers.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "attrscope/status.h"

namespace attrscope::hf {

class Regex {
public:
    static Expected<std::shared_ptr<const Regex>> compile(const std::u32string& pattern);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    // Every non-overlapping match, as [begin, end) char ranges.
    std::vector<std::pair<size_t, size_t>> findAll(const std::u32string& text) const;

private:
    Regex() = default;
    void* code_ = nullptr;
};

// The GPT-2 split pattern, with \s spelled as Unicode White_Space (as the Rust core's Oniguruma
// reads it).
const std::u32string& gpt2Pattern();

}  // namespace attrscope::hf
