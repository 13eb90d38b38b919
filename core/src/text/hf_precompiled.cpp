#include "hf_precompiled.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "hf_unicode.h"
#include "unicode_text.h"

namespace attrscope::hf {

namespace {

Expected<std::string> decodeBase64(const std::string& text) {
    std::string out;
    out.reserve(text.size() / 4 * 3);
    uint32_t bits = 0;
    int count = 0;
    size_t padding = 0;
    for (char ch : text) {
        int v;
        if (ch >= 'A' && ch <= 'Z')
            v = ch - 'A';
        else if (ch >= 'a' && ch <= 'z')
            v = ch - 'a' + 26;
        else if (ch >= '0' && ch <= '9')
            v = ch - '0' + 52;
        else if (ch == '+')
            v = 62;
        else if (ch == '/')
            v = 63;
        else if (ch == '=' && ++padding <= 2)
            continue;
        else
            return Status::error("precompiled_charsmap is not valid base64");
        if (padding > 0)  // data after '='
            return Status::error("precompiled_charsmap is not valid base64");
        bits = (bits << 6) | static_cast<uint32_t>(v);
        if (++count == 4) {
            out.push_back(static_cast<char>(bits >> 16));
            out.push_back(static_cast<char>(bits >> 8));
            out.push_back(static_cast<char>(bits));
            bits = 0;
            count = 0;
        }
    }
    if (count == 1)
        return Status::error("precompiled_charsmap is not valid base64");
    if (count == 2)
        out.push_back(static_cast<char>(bits >> 4));
    if (count == 3) {
        out.push_back(static_cast<char>(bits >> 10));
        out.push_back(static_cast<char>(bits >> 2));
    }
    return out;
}

uint32_t readLe32(const std::string& blob, size_t at) {
    auto b = [&](size_t i) {
        return static_cast<uint32_t>(static_cast<unsigned char>(blob[at + i]));
    };
    return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
}

class PrecompiledNormalizer : public Normalizer {
public:
    PrecompiledNormalizer(std::vector<uint32_t> units, std::string replacements)
        : units_(std::move(units)), replacements_(std::move(replacements)) {}

    void normalize(AlignedText& t) const override {
        AlignedText out;
        out.chars.reserve(t.size());
        out.spans.reserve(t.size());
        std::string key;
        size_t i = 0;
        while (i < t.size()) {
            const size_t j = graphemeEnd(t, i);
            key.clear();
            for (size_t k = i; k < j; ++k)
                unicode::appendUtf8(t.chars[k], key);
            // The Rust core looks short graphemes up whole; its first (shortest) prefix match
            // replaces the whole grapheme, even when it covers only part of it.
            if (key.size() < 6) {
                if (auto r = lookup(key)) {
                    emit(*r, Span{t.spans[i].begin, t.spans[j - 1].end}, out);
                    i = j;
                    continue;
                }
            }
            for (size_t k = i; k < j; ++k) {
                key.clear();
                unicode::appendUtf8(t.chars[k], key);
                if (auto r = lookup(key))
                    emit(*r, t.spans[k], out);
                else
                    out.push(t.chars[k], t.spans[k]);
            }
            i = j;
        }
        t = std::move(out);
    }

private:
    static void emit(const std::u32string& replacement, Span s, AlignedText& out) {
        for (char32_t c : replacement)
            out.push(c, s);
    }

    // The replacement of the shortest key that prefixes `key`; out-of-range positions and
    // offsets (a malformed map) mean no match.
    std::optional<std::u32string> lookup(const std::string& key) const {
        auto offset = [](uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); };
        size_t pos = offset(units_[0]);
        for (char ch : key) {
            auto c = static_cast<unsigned char>(ch);
            if (c == 0)
                break;
            pos ^= c;
            if (pos >= units_.size())
                return std::nullopt;
            uint32_t unit = units_[pos];
            if ((unit & ((1u << 31) | 0xFFu)) != c)
                return std::nullopt;
            pos ^= offset(unit);
            if (pos >= units_.size())
                return std::nullopt;
            if ((unit >> 8) & 1u)
                return replacementAt(units_[pos] & ((1u << 31) - 1));
        }
        return std::nullopt;
    }

    std::optional<std::u32string> replacementAt(size_t at) const {
        if (at >= replacements_.size())
            return std::nullopt;
        size_t end = replacements_.find('\0', at);
        std::u32string out;
        if (unicode::decodeUtf8(replacements_.substr(at, end == std::string::npos ? end : end - at),
                                out) != std::string::npos)
            return std::nullopt;  // an offset inside a character
        return out;
    }

    std::vector<uint32_t> units_;
    std::string replacements_;
};

}  // namespace

Expected<std::unique_ptr<Normalizer>> precompiledNormalizer(const std::string& charsmapBase64) {
    auto blob = decodeBase64(charsmapBase64);
    if (!blob)
        return blob.status();
    const std::string prefix = "precompiled_charsmap ";
    if (blob->size() < 4)
        return Status::error(prefix + "is empty or truncated (no trie size)");
    uint32_t trieBytes = readLe32(*blob, 0);
    if (trieBytes == 0 || trieBytes % 4 != 0)
        return Status::error(prefix + "has a bad trie size (" + std::to_string(trieBytes) + ")");
    if (trieBytes > blob->size() - 4)
        return Status::error(prefix + "is truncated (trie of " + std::to_string(trieBytes) +
                             " bytes, " + std::to_string(blob->size() - 4) + " present)");
    std::vector<uint32_t> units(trieBytes / 4);
    for (size_t i = 0; i < units.size(); ++i)
        units[i] = readLe32(*blob, 4 + 4 * i);
    std::string replacements = blob->substr(4 + trieBytes);
    std::u32string ignored;
    if (unicode::decodeUtf8(replacements, ignored) != std::string::npos)
        return Status::error(prefix + "has replacements that are not valid UTF-8");
    return std::unique_ptr<Normalizer>(
        new PrecompiledNormalizer(std::move(units), std::move(replacements)));
}

}  // namespace attrscope::hf
