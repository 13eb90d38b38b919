#include "unicode_text.h"

#include <utf8proc.h>

#include <algorithm>
#include <iterator>
#include <vector>

namespace attrscope::unicode {

namespace {

utf8proc_category_t category(char32_t cp) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

// Approximations of the Unicode properties Cased and Case_Ignorable that CPython's final-sigma
// rule consults; utf8proc exposes categories and case mappings, which cover the common cases.
bool isCased(char32_t cp) {
    auto c = category(cp);
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT)
        return true;
    // Other_Lowercase / Other_Uppercase letters and symbols that have no case mapping (the Lm
    // ones are case-ignorable, which the final-sigma rule checks first).
    if (cp == 0xAA || cp == 0xBA || (cp >= 0x1F130 && cp <= 0x1F149) ||
        (cp >= 0x1F150 && cp <= 0x1F169) || (cp >= 0x1F170 && cp <= 0x1F189))
        return true;
    auto i = static_cast<utf8proc_int32_t>(cp);
    return utf8proc_tolower(i) != i || utf8proc_toupper(i) != i;
}

bool isCaseIgnorable(char32_t cp) {
    switch (category(cp)) {
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_SK:
            return true;
        default:
            break;
    }
    // Word_Break MidLetter, MidNumLet and Single_Quote.
    static const char32_t kMidWord[] = {0x27,   0x2E,   0x3A,   0xB7,   0x387,  0x55F,
                                        0x5F4,  0x2018, 0x2019, 0x2024, 0x2027, 0xFE13,
                                        0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A};
    return std::find(std::begin(kMidWord), std::end(kMidWord), cp) != std::end(kMidWord);
}

// CPython's handle_capital_sigma: Σ lowers to ς when a cased letter precedes it and none follows
// (skipping case-ignorable characters on both sides).
bool isFinalSigma(const std::u32string& text, size_t i) {
    size_t j = i;
    bool casedBefore = false;
    while (j > 0) {
        --j;
        if (!isCaseIgnorable(text[j])) {
            casedBefore = isCased(text[j]);
            break;
        }
    }
    if (!casedBefore)
        return false;
    for (size_t k = i + 1; k < text.size(); ++k) {
        if (!isCaseIgnorable(text[k]))
            return !isCased(text[k]);
    }
    return true;
}

}  // namespace

size_t decodeUtf8(const std::string& text, std::u32string& out) {
    out.clear();
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) {
            out.push_back(b);
            ++i;
            continue;
        }
        size_t len;
        char32_t cp;
        char32_t minimum;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2, cp = b & 0x1F, minimum = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3, cp = b & 0x0F, minimum = 0x800;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4, cp = b & 0x07, minimum = 0x10000;
        } else {
            return i;  // continuation byte, overlong lead C0/C1, or F5..FF
        }
        if (n - i < len)
            return i;
        for (size_t k = 1; k < len; ++k) {
            unsigned char c = s[i + k];
            if ((c & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        out.push_back(cp);
        i += len;
    }
    return std::string::npos;
}

void appendUtf8(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string toUtf8(const std::u32string& text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text)
        appendUtf8(cp, out);
    return out;
}

size_t codePointCount(const std::string& utf8) {
    size_t count = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

bool isBertWhitespace(char32_t cp) {
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
        return true;
    return category(cp) == UTF8PROC_CATEGORY_ZS;
}

bool isBertControl(char32_t cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return false;
    switch (category(cp)) {
        case UTF8PROC_CATEGORY_CN:  // unassigned code points are "Cn" in Python too
        case UTF8PROC_CATEGORY_CC:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_CS:
        case UTF8PROC_CATEGORY_CO:
            return true;
        default:
            return false;
    }
}

bool isBertPunctuation(char32_t cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
        (cp >= 123 && cp <= 126))
        return true;
    auto c = category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

bool isCjkIdeograph(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
           (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool isPythonSpace(char32_t cp) {
    // Bidi classes WS, B, S or category Zs (CPython's _PyUnicode_IsWhitespace table).
    if ((cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || (cp >= 0x2000 && cp <= 0x200A))
        return true;
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

std::u32string pythonLower(const std::u32string& text) {
    std::u32string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t cp = text[i];
        if (cp < 0x80) {
            out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        } else if (cp == 0x130) {  // the only unconditional multi-character lower-case mapping
            out.push_back(U'i');
            out.push_back(0x307);
        } else if (cp == 0x3A3) {
            out.push_back(isFinalSigma(text, i) ? 0x3C2 : 0x3C3);
        } else {
            out.push_back(
                static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
        }
    }
    return out;
}

std::u32string stripAccents(const std::u32string& text) {
    std::u32string out;
    out.reserve(text.size());
    // utf8proc_decompose wants UTF-8 in and gives code points out, canonically ordered.
    std::string utf8 = toUtf8(text);
    std::vector<utf8proc_int32_t> buffer(text.size() * 2 + 8);
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STABLE);
    for (;;) {
        utf8proc_ssize_t count =
            utf8proc_decompose(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                               static_cast<utf8proc_ssize_t>(utf8.size()), buffer.data(),
                               static_cast<utf8proc_ssize_t>(buffer.size()), options);
        if (count < 0)
            return text;  // cannot happen on valid UTF-8; keep the text as it is
        if (static_cast<size_t>(count) > buffer.size()) {
            buffer.resize(static_cast<size_t>(count));
            continue;
        }
        for (utf8proc_ssize_t k = 0; k < count; ++k) {
            auto cp = static_cast<char32_t>(buffer[static_cast<size_t>(k)]);
            if (category(cp) != UTF8PROC_CATEGORY_MN)
                out.push_back(cp);
        }
        return out;
    }
}

}  // namespace attrscope::unicode
