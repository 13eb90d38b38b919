#include "hf_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 32
#include <pcre2.h>

#include "unicode_text.h"

namespace attrscope::hf {

Expected<std::shared_ptr<const Regex>> Regex::compile(const std::u32string& pattern) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* code =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                      PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &error, &offset, nullptr);
    if (!code) {
        PCRE2_UCHAR buffer[256];
        pcre2_get_error_message(error, buffer, 256);
        std::string message;
        for (PCRE2_UCHAR* c = buffer; *c; ++c)
            unicode::appendUtf8(static_cast<char32_t>(*c), message);
        return Status::error("regular expression '" + unicode::toUtf8(pattern) +
                             "' is not supported: " + message + " at character " +
                             std::to_string(offset));
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
    std::shared_ptr<Regex> regex(new Regex());
    regex->code_ = code;
    return std::shared_ptr<const Regex>(std::move(regex));
}

Regex::~Regex() {
    pcre2_code_free(static_cast<pcre2_code*>(code_));
}

std::vector<std::pair<size_t, size_t>> Regex::findAll(const std::u32string& text) const {
    std::vector<std::pair<size_t, size_t>> out;
    auto* code = static_cast<pcre2_code*>(code_);
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(code, nullptr);
    if (!data)
        return out;
    size_t start = 0;
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    while (start <= text.size()) {
        int rc = pcre2_match(code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, data, nullptr);
        if (rc < 0)
            break;
        PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
        size_t b = ovector[0], e = ovector[1];
        if (e > b)
            out.emplace_back(b, e);
        start = e > b ? e : e + 1;  // step over an empty match
    }
    pcre2_match_data_free(data);
    return out;
}

const std::u32string& gpt2Pattern() {
    static const std::u32string pattern = [] {
        const std::u32string ws =
            U"\\t-\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}"
            U"\\x{205F}\\x{3000}";
        return U"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^" + ws + U"\\p{L}\\p{N}]+|[" + ws +
               U"]+(?![^" + ws + U"])|[" + ws + U"]+";
    }();
    return pattern;
}

}  // namespace attrscope::hf
