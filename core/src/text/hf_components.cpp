#include "hf_components.h"

#include <algorithm>

#include "unicode_text.h"

namespace attrscope::hf {

// ---- AlignedText ----

AlignedText AlignedText::fromOriginal(const std::u32string& decoded) {
    AlignedText t;
    t.chars = decoded;
    t.spans.reserve(decoded.size());
    int offset = 0;
    for (char32_t c : decoded) {
        int len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        t.spans.push_back({offset, offset + len});
        offset += len;
    }
    return t;
}

AlignedText AlignedText::slice(size_t begin, size_t end) const {
    AlignedText t;
    t.chars = chars.substr(begin, end - begin);
    t.spans.assign(spans.begin() + static_cast<long>(begin),
                   spans.begin() + static_cast<long>(end));
    return t;
}

std::string AlignedText::utf8() const {
    return unicode::toUtf8(chars);
}

size_t PostTemplate::specialCount(bool isPair) const {
    size_t n = 0;
    for (const TemplateItem& item : isPair ? pair : single) {
        if (item.sequence < 0) {
            auto it = specials.find(item.special);
            n += it == specials.end() ? 0 : it->second.ids.size();
        }
    }
    return n;
}

Expected<SplitBehavior> parseBehavior(const std::string& name) {
    if (name == "Removed")
        return SplitBehavior::Removed;
    if (name == "Isolated")
        return SplitBehavior::Isolated;
    if (name == "MergedWithPrevious")
        return SplitBehavior::MergedWithPrevious;
    if (name == "MergedWithNext")
        return SplitBehavior::MergedWithNext;
    if (name == "Contiguous")
        return SplitBehavior::Contiguous;
    return Status::error("split behavior '" + name + "' is not supported");
}

void splitAt(const AlignedText& piece, const std::vector<std::pair<size_t, size_t>>& matches,
             SplitBehavior behavior, std::vector<AlignedText>& out) {
    // Rust core: the text alternates unmatched / matched segments.
    std::vector<std::pair<std::pair<size_t, size_t>, bool>> parts;  // range, isMatch
    size_t pos = 0;
    for (const auto& m : matches) {
        if (m.first > pos)
            parts.push_back({{pos, m.first}, false});
        if (m.second > m.first) {
            if (behavior == SplitBehavior::Contiguous && !parts.empty() && parts.back().second &&
                parts.back().first.second == m.first)
                parts.back().first.second = m.second;
            else
                parts.push_back({m, true});
        }
        pos = m.second;
    }
    if (pos < piece.size())
        parts.push_back({{pos, piece.size()}, false});

    std::vector<std::pair<size_t, size_t>> ranges;
    switch (behavior) {
        case SplitBehavior::Removed:
            for (auto& p : parts)
                if (!p.second)
                    ranges.push_back(p.first);
            break;
        case SplitBehavior::Isolated:
        case SplitBehavior::Contiguous:
            for (auto& p : parts)
                ranges.push_back(p.first);
            break;
        case SplitBehavior::MergedWithPrevious: {
            bool previousMatch = false;
            for (auto& p : parts) {
                if (p.second && !ranges.empty() && !previousMatch)
                    ranges.back().second = p.first.second;
                else
                    ranges.push_back(p.first);
                previousMatch = p.second;
            }
            break;
        }
        case SplitBehavior::MergedWithNext: {
            bool nextMatch = false;
            for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
                if (it->second && !nextMatch && !ranges.empty())
                    ranges.back().first = it->first.first;
                else
                    ranges.push_back(it->first);
                nextMatch = it->second;
            }
            std::reverse(ranges.begin(), ranges.end());
            break;
        }
    }
    for (auto& r : ranges)
        if (r.second > r.first)
            out.push_back(piece.slice(r.first, r.second));
}

std::vector<std::pair<size_t, size_t>> findLiteral(const std::u32string& text,
                                                   const std::u32string& literal) {
    std::vector<std::pair<size_t, size_t>> out;
    if (literal.empty())
        return out;
    size_t pos = text.find(literal);
    while (pos != std::u32string::npos) {
        out.emplace_back(pos, pos + literal.size());
        pos = text.find(literal, pos + literal.size());
    }
    return out;
}

namespace {

// Matches of a predicate on single chars.
template <typename Pred>
std::vector<std::pair<size_t, size_t>> charMatches(const AlignedText& t, Pred pred) {
    std::vector<std::pair<size_t, size_t>> m;
    for (size_t i = 0; i < t.size(); ++i)
        if (pred(t.chars[i]))
            m.emplace_back(i, i + 1);
    return m;
}

template <typename F>
void eachPiece(std::vector<AlignedText>& pieces, F f) {
    std::vector<AlignedText> out;
    out.reserve(pieces.size() * 2);
    for (const AlignedText& p : pieces)
        f(p, out);
    pieces = std::move(out);
}

// ---- normalizers ----

class BertNormalizer : public Normalizer {
public:
    BertNormalizer(bool clean, bool chinese, bool strip, bool lower, bool dropUnassigned)
        : clean_(clean),
          chinese_(chinese),
          strip_(strip),
          lower_(lower),
          dropUnassigned_(dropUnassigned) {}
    void normalize(AlignedText& t) const override {
        AlignedText out;
        out.chars.reserve(t.size());
        out.spans.reserve(t.size());
        for (size_t i = 0; i < t.size(); ++i) {
            char32_t c = t.chars[i];
            if (clean_) {
                if (c == 0 || c == 0xFFFD ||
                    (unicode::isBertControl(c) && (dropUnassigned_ || !isUnassigned(c))))
                    continue;
                if (isWhitespace(c))
                    c = U' ';
            }
            if (chinese_ && unicode::isCjkIdeograph(c)) {
                out.push(U' ', t.spans[i]);
                out.push(c, t.spans[i]);
                out.push(U' ', t.spans[i]);
            } else {
                out.push(c, t.spans[i]);
            }
        }
        t = std::move(out);
        if (strip_) {
            normalizeForm(t, NormalForm::NFD);
            removeMarks(t);
        }
        if (lower_)
            lowercase(t);
    }
    static void removeMarks(AlignedText& t) {
        AlignedText out;
        for (size_t i = 0; i < t.size(); ++i)
            if (!isNonspacingMark(t.chars[i]))
                out.push(t.chars[i], t.spans[i]);
        t = std::move(out);
    }

private:
    bool clean_, chinese_, strip_, lower_, dropUnassigned_;
};

class FormNormalizer : public Normalizer {
public:
    explicit FormNormalizer(NormalForm f) : form_(f) {}
    void normalize(AlignedText& t) const override { normalizeForm(t, form_); }

private:
    NormalForm form_;
};

class LowercaseNormalizer : public Normalizer {
public:
    void normalize(AlignedText& t) const override { lowercase(t); }
};

class StripAccentsNormalizer : public Normalizer {
public:
    void normalize(AlignedText& t) const override { BertNormalizer::removeMarks(t); }
};

class ReplaceNormalizer : public Normalizer {
public:
    ReplaceNormalizer(std::shared_ptr<const Regex> re, std::u32string literal,
                      std::u32string content)
        : re_(std::move(re)), literal_(std::move(literal)), content_(std::move(content)) {}
    void normalize(AlignedText& t) const override {
        auto matches = re_ ? re_->findAll(t.chars) : findLiteral(t.chars, literal_);
        if (matches.empty())
            return;
        AlignedText out;
        size_t pos = 0;
        for (const auto& m : matches) {
            for (; pos < m.first; ++pos)
                out.push(t.chars[pos], t.spans[pos]);
            Span s{t.spans[m.first].begin, t.spans[m.second - 1].end};
            for (char32_t c : content_)
                out.push(c, s);
            pos = m.second;
        }
        for (; pos < t.size(); ++pos)
            out.push(t.chars[pos], t.spans[pos]);
        t = std::move(out);
    }

private:
    std::shared_ptr<const Regex> re_;
    std::u32string literal_, content_;
};

class StripNormalizer : public Normalizer {
public:
    StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
    void normalize(AlignedText& t) const override {
        size_t b = 0, e = t.size();
        if (left_)
            while (b < e && isWhitespace(t.chars[b]))
                ++b;
        if (right_)
            while (e > b && isWhitespace(t.chars[e - 1]))
                --e;
        t = t.slice(b, e);
    }

private:
    bool left_, right_;
};

class PrependNormalizer : public Normalizer {
public:
    explicit PrependNormalizer(std::u32string p) : prefix_(std::move(p)) {}
    void normalize(AlignedText& t) const override {
        if (t.empty())
            return;
        AlignedText out;
        Span s{t.spans[0].begin, t.spans[0].begin};
        for (char32_t c : prefix_)
            out.push(c, s);
        out.chars += t.chars;
        out.spans.insert(out.spans.end(), t.spans.begin(), t.spans.end());
        t = std::move(out);
    }

private:
    std::u32string prefix_;
};

// ---- pre-tokenizers ----

class BertPreTokenizer : public PreTokenizer {
public:
    void split(std::vector<AlignedText>& pieces, bool) const override {
        eachPiece(pieces, [](const AlignedText& p, std::vector<AlignedText>& out) {
            std::vector<AlignedText> words;
            splitAt(p, charMatches(p, isWhitespace), SplitBehavior::Removed, words);
            for (const AlignedText& w : words)
                splitAt(w, charMatches(w, unicode::isBertPunctuation), SplitBehavior::Isolated,
                        out);
        });
    }
};

// GPT-2's byte-to-printable-char table.
const std::vector<char32_t>& byteChars() {
    static const std::vector<char32_t> table = [] {
        std::vector<char32_t> t(256);
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            t[static_cast<size_t>(b)] = printable ? static_cast<char32_t>(b) : next++;
        }
        return t;
    }();
    return table;
}

class ByteLevelPreTokenizer : public PreTokenizer {
public:
    ByteLevelPreTokenizer(bool prefix, std::shared_ptr<const Regex> re)
        : prefix_(prefix), re_(std::move(re)) {}
    void split(std::vector<AlignedText>& pieces, bool) const override {
        eachPiece(pieces, [this](const AlignedText& p, std::vector<AlignedText>& out) {
            AlignedText text = p;
            if (prefix_ && (text.empty() || text.chars[0] != U' ')) {
                Span s = text.empty() ? Span{} : Span{text.spans[0].begin, text.spans[0].begin};
                text.chars.insert(text.chars.begin(), U' ');
                text.spans.insert(text.spans.begin(), s);
            }
            std::vector<AlignedText> parts;
            if (re_)
                splitAt(text, re_->findAll(text.chars), SplitBehavior::Isolated, parts);
            else if (!text.empty())
                parts.push_back(text);
            const auto& table = byteChars();
            for (const AlignedText& part : parts) {
                AlignedText bytes;
                std::string utf8;
                for (size_t i = 0; i < part.size(); ++i) {
                    utf8.clear();
                    unicode::appendUtf8(part.chars[i], utf8);
                    for (unsigned char b : utf8)
                        bytes.push(table[b], part.spans[i]);
                }
                out.push_back(std::move(bytes));
            }
        });
    }

private:
    bool prefix_;
    std::shared_ptr<const Regex> re_;
};

class WhitespacePreTokenizer : public PreTokenizer {
public:
    explicit WhitespacePreTokenizer(std::shared_ptr<const Regex> re) : re_(std::move(re)) {}
    void split(std::vector<AlignedText>& pieces, bool) const override {
        eachPiece(pieces, [this](const AlignedText& p, std::vector<AlignedText>& out) {
            for (const auto& m : re_->findAll(p.chars))
                out.push_back(p.slice(m.first, m.second));
        });
    }

private:
    std::shared_ptr<const Regex> re_;
};

template <typename Pred>
class CharSplitPreTokenizer : public PreTokenizer {
public:
    CharSplitPreTokenizer(Pred pred, SplitBehavior b) : pred_(pred), behavior_(b) {}
    void split(std::vector<AlignedText>& pieces, bool) const override {
        eachPiece(pieces, [this](const AlignedText& p, std::vector<AlignedText>& out) {
            splitAt(p, charMatches(p, pred_), behavior_, out);
        });
    }

private:
    Pred pred_;
    SplitBehavior behavior_;
};

template <typename Pred>
std::unique_ptr<PreTokenizer> charSplit(Pred pred, SplitBehavior b) {
    return std::make_unique<CharSplitPreTokenizer<Pred>>(pred, b);
}

class SplitPreTokenizer : public PreTokenizer {
public:
    SplitPreTokenizer(std::shared_ptr<const Regex> re, std::u32string literal, SplitBehavior b,
                      bool invert)
        : re_(std::move(re)), literal_(std::move(literal)), behavior_(b), invert_(invert) {}
    void split(std::vector<AlignedText>& pieces, bool) const override {
        eachPiece(pieces, [this](const AlignedText& p, std::vector<AlignedText>& out) {
            auto matches = re_ ? re_->findAll(p.chars) : findLiteral(p.chars, literal_);
            if (invert_) {
                std::vector<std::pair<size_t, size_t>> gaps;
                size_t pos = 0;
                for (const auto& m : matches) {
                    if (m.first > pos)
                        gaps.emplace_back(pos, m.first);
                    pos = m.second;
                }
                if (pos < p.size())
                    gaps.emplace_back(pos, p.size());
                matches = std::move(gaps);
            }
            splitAt(p, matches, behavior_, out);
        });
    }

private:
    std::shared_ptr<const Regex> re_;
    std::u32string literal_;
    SplitBehavior behavior_;
    bool invert_;
};

class MetaspacePreTokenizer : public PreTokenizer {
public:
    MetaspacePreTokenizer(char32_t r, PrependScheme s, bool split)
        : replacement_(r), scheme_(s), split_(split) {}
    void split(std::vector<AlignedText>& pieces, bool firstOfText) const override {
        bool first = true;
        eachPiece(pieces, [&](const AlignedText& p, std::vector<AlignedText>& out) {
            AlignedText t = p;
            for (char32_t& c : t.chars)
                if (c == U' ')
                    c = replacement_;
            bool prepend = scheme_ == PrependScheme::Always ||
                           (scheme_ == PrependScheme::First && first && firstOfText);
            first = false;
            if (prepend && !t.empty() && t.chars[0] != replacement_) {
                t.chars.insert(t.chars.begin(), replacement_);
                t.spans.insert(t.spans.begin(), Span{t.spans[0].begin, t.spans[0].begin});
            }
            if (split_) {
                splitAt(t, charMatches(t, [this](char32_t c) { return c == replacement_; }),
                        SplitBehavior::MergedWithNext, out);
            } else if (!t.empty()) {
                out.push_back(std::move(t));
            }
        });
    }

private:
    char32_t replacement_;
    PrependScheme scheme_;
    bool split_;
};

}  // namespace

std::unique_ptr<Normalizer> bertNormalizer(bool clean, bool chinese, bool strip, bool lower,
                                           bool dropUnassigned) {
    return std::make_unique<BertNormalizer>(clean, chinese, strip, lower, dropUnassigned);
}
std::unique_ptr<Normalizer> formNormalizer(NormalForm form) {
    return std::make_unique<FormNormalizer>(form);
}
std::unique_ptr<Normalizer> lowercaseNormalizer() {
    return std::make_unique<LowercaseNormalizer>();
}
std::unique_ptr<Normalizer> stripAccentsNormalizer() {
    return std::make_unique<StripAccentsNormalizer>();
}
std::unique_ptr<Normalizer> replaceNormalizer(std::shared_ptr<const Regex> pattern,
                                              std::u32string literal, std::u32string content) {
    return std::make_unique<ReplaceNormalizer>(std::move(pattern), std::move(literal),
                                               std::move(content));
}
std::unique_ptr<Normalizer> stripNormalizer(bool left, bool right) {
    return std::make_unique<StripNormalizer>(left, right);
}
std::unique_ptr<Normalizer> prependNormalizer(std::u32string prefix) {
    return std::make_unique<PrependNormalizer>(std::move(prefix));
}

std::unique_ptr<PreTokenizer> bertPreTokenizer() {
    return std::make_unique<BertPreTokenizer>();
}
std::unique_ptr<PreTokenizer> byteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) {
    std::shared_ptr<const Regex> re;
    if (useRegex) {
        auto compiled = Regex::compile(gpt2Pattern());
        if (compiled)
            re = *compiled;
    }
    return std::make_unique<ByteLevelPreTokenizer>(addPrefixSpace, std::move(re));
}
std::unique_ptr<PreTokenizer> whitespacePreTokenizer(std::shared_ptr<const Regex> wordRegex) {
    return std::make_unique<WhitespacePreTokenizer>(std::move(wordRegex));
}
std::unique_ptr<PreTokenizer> whitespaceSplitPreTokenizer() {
    return charSplit(isWhitespace, SplitBehavior::Removed);
}
std::unique_ptr<PreTokenizer> punctuationPreTokenizer(SplitBehavior behavior) {
    return charSplit(unicode::isBertPunctuation, behavior);
}
std::unique_ptr<PreTokenizer> digitsPreTokenizer(bool individual) {
    return charSplit(isNumeric, individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
}
std::unique_ptr<PreTokenizer> splitPreTokenizer(std::shared_ptr<const Regex> pattern,
                                                std::u32string literal, SplitBehavior behavior,
                                                bool invert) {
    return std::make_unique<SplitPreTokenizer>(std::move(pattern), std::move(literal), behavior,
                                               invert);
}
std::unique_ptr<PreTokenizer> metaspacePreTokenizer(char32_t replacement, PrependScheme scheme,
                                                    bool split) {
    return std::make_unique<MetaspacePreTokenizer>(replacement, scheme, split);
}

}  // namespace attrscope::hf
