#include "hf_unicode.h"

#include <utf8proc.h>

#include <cstdlib>

#include "unicode_text.h"

namespace attrscope::hf {

namespace {

utf8proc_category_t category(char32_t c) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

}  // namespace

bool isWhitespace(char32_t c) {
    return (c >= 0x9 && c <= 0xD) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

bool isNumeric(char32_t c) {
    auto k = category(c);
    return k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

bool isAlphanumeric(char32_t c) {
    auto k = category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LT ||
           k == UTF8PROC_CATEGORY_LM || k == UTF8PROC_CATEGORY_LO || isNumeric(c);
}

bool isNonspacingMark(char32_t c) {
    return category(c) == UTF8PROC_CATEGORY_MN;
}

bool isUnassigned(char32_t c) {
    return category(c) == UTF8PROC_CATEGORY_CN;
}

bool isCombining(char32_t c) {
    const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
    return p->combining_class != 0;
}

size_t graphemeEnd(const AlignedText& text, size_t begin) {
    utf8proc_int32_t state = 0;
    size_t j = begin + 1;
    while (j < text.size() &&
           !utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(text.chars[j - 1]),
                                             static_cast<utf8proc_int32_t>(text.chars[j]), &state))
        ++j;
    return j;
}

void normalizeForm(AlignedText& text, NormalForm form) {
    int options = UTF8PROC_STABLE;
    switch (form) {
        case NormalForm::NFC:
            options |= UTF8PROC_COMPOSE;
            break;
        case NormalForm::NFD:
            options |= UTF8PROC_DECOMPOSE;
            break;
        case NormalForm::NFKC:
            options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
            break;
        case NormalForm::NFKD:
            options |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
            break;
    }
    bool ascii = true;
    for (char32_t c : text.chars)
        ascii = ascii && c < 0x80;
    if (ascii)  // every normal form leaves ASCII alone
        return;
    AlignedText out;
    out.chars.reserve(text.size());
    out.spans.reserve(text.size());
    size_t i = 0;
    std::u32string cluster;
    std::string encoded;
    while (i < text.size()) {
        const size_t j = graphemeEnd(text, i);
        Span span{text.spans[i].begin, text.spans[j - 1].end};
        encoded.clear();
        for (size_t k = i; k < j; ++k)
            unicode::appendUtf8(text.chars[k], encoded);
        utf8proc_uint8_t* mapped = nullptr;
        utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(encoded.data()),
                                          static_cast<utf8proc_ssize_t>(encoded.size()), &mapped,
                                          static_cast<utf8proc_option_t>(options));
        if (n >= 0 && mapped) {
            cluster.clear();
            unicode::decodeUtf8(
                std::string(reinterpret_cast<char*>(mapped), static_cast<size_t>(n)), cluster);
            // One char in, one char out keeps its own span; otherwise the cluster's.
            for (char32_t c : cluster)
                out.push(c, j - i == cluster.size() && j - i == 1 ? text.spans[i] : span);
        } else {
            for (size_t k = i; k < j; ++k)
                out.push(text.chars[k], text.spans[k]);
        }
        std::free(mapped);
        i = j;
    }
    text = std::move(out);
}

void lowercase(AlignedText& text) {
    AlignedText out;
    out.chars.reserve(text.size());
    out.spans.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t c = text.chars[i];
        if (c == 0x130) {  // İ's full lower-case mapping is two chars
            out.push(U'i', text.spans[i]);
            out.push(0x307, text.spans[i]);
        } else {
            out.push(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))),
                     text.spans[i]);
        }
    }
    text = std::move(out);
}

}  // namespace attrscope::hf
