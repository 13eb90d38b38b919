#include "hf_pipeline.h"

#include <algorithm>

#include "hf_unicode.h"
#include "unicode_text.h"

namespace attrscope {

std::string truncationName(TruncationStrategy s) {
    switch (s) {
        case TruncationStrategy::LongestFirst:
            return "longest_first";
        case TruncationStrategy::OnlyFirst:
            return "only_first";
        case TruncationStrategy::OnlySecond:
            return "only_second";
        case TruncationStrategy::DoNotTruncate:
            return "do_not_truncate";
    }
    return "longest_first";
}

Expected<TruncationStrategy> parseTruncation(const std::string& name) {
    for (auto s : {TruncationStrategy::LongestFirst, TruncationStrategy::OnlyFirst,
                   TruncationStrategy::OnlySecond, TruncationStrategy::DoNotTruncate})
        if (truncationName(s) == name)
            return s;
    return Status::error("unknown truncation strategy '" + name +
                         "' (longest_first, only_first, only_second or do_not_truncate)");
}

}  // namespace attrscope

namespace attrscope::hf {

namespace {

struct Segment {
    AlignedText text;
    const AddedToken* token = nullptr;  // set when the segment is an added token
    bool normalized = false;
};

bool isWordChar(char32_t c) {
    return isAlphanumeric(c) || c == U'_';
}

void splitOnAdded(const Segment& seg, const AddedPatterns& patterns, std::vector<Segment>& out) {
    for (const AddedSplit& sp : splitOnAddedTokens(seg.text.chars, patterns))
        out.push_back({seg.text.slice(sp.begin, sp.end), sp.token, seg.normalized});
}

std::string pieces(size_t n) {
    return std::to_string(n) + (n == 1 ? " token" : " tokens");
}

}  // namespace

// The Rust AddedVocabulary's matching: leftmost-longest occurrences of the tokens' contents,
// then single_word, lstrip and rstrip.
std::vector<AddedSplit> splitOnAddedTokens(const std::u32string& s, const AddedPatterns& patterns) {
    std::vector<AddedSplit> out;
    size_t startOffset = 0;
    size_t i = 0;
    while (i < s.size() && !patterns.empty()) {
        const AddedToken* best = nullptr;
        size_t bestLen = 0;
        for (const auto& [content, token] : patterns) {
            if (content.size() > bestLen && s.compare(i, content.size(), content) == 0) {
                best = token;
                bestLen = content.size();
            }
        }
        if (!best) {
            ++i;
            continue;
        }
        size_t start = i, stop = i + bestLen;
        if (best->singleWord) {
            bool startOk = start == 0 || !isWordChar(s[start - 1]);
            bool stopOk = stop == s.size() || !isWordChar(s[stop]);
            if (!startOk || !stopOk) {
                i = stop;  // the automaton moves past a rejected match
                continue;
            }
        }
        if (best->lstrip) {
            size_t b = start;
            while (b > 0 && isWhitespace(s[b - 1]))
                --b;
            start = std::max(b, startOffset);
        }
        if (best->rstrip)
            while (stop < s.size() && isWhitespace(s[stop]))
                ++stop;
        if (startOffset < start)
            out.push_back({startOffset, start, nullptr});
        out.push_back({start, stop, best});
        startOffset = stop;
        i = stop;
    }
    if (startOffset < s.size() || out.empty())
        out.push_back({startOffset, s.size(), nullptr});
    return out;
}

PipelineTokenizer::PipelineTokenizer(Pipeline pipeline, std::string source, std::string description,
                                     int modelMaxLength, int defaultMaxLength)
    : p_(std::move(pipeline)),
      description_(std::move(description)),
      defaultMaxLength_(defaultMaxLength) {
    sourceFile_ = std::move(source);
    modelMaxLength_ = modelMaxLength;
    for (const AddedToken& t : p_.added) {
        addedById_[t.id] = &t;
        addedByContent_[t.content] = t.id;
        std::u32string content;
        unicode::decodeUtf8(t.content, content);
        if (content.empty())
            continue;
        if (t.normalized) {  // matched in normalised text, so normalised like it
            AlignedText n = AlignedText::fromOriginal(content);
            normalize(n);
            if (!n.empty())
                normalizedPatterns_.emplace_back(n.chars, &t);
        } else {
            rawPatterns_.emplace_back(content, &t);
        }
    }
}

void PipelineTokenizer::normalize(AlignedText& text) const {
    for (const auto& n : p_.normalizers)
        n->normalize(text);
}

int64_t PipelineTokenizer::vocabSize() const {
    int64_t n = p_.model->size();
    for (const AddedToken& t : p_.added)
        n = std::max(n, t.id + 1);
    return n;
}

int64_t PipelineTokenizer::tokenToId(const std::string& token) const {
    auto it = addedByContent_.find(token);
    return it != addedByContent_.end() ? it->second : p_.model->tokenToId(token);
}

std::string PipelineTokenizer::idToToken(int64_t id) const {
    auto it = addedById_.find(id);
    return it != addedById_.end() ? it->second->content : p_.model->idToToken(id);
}

Expected<std::vector<Token>> PipelineTokenizer::tokenizeText(const std::string& text,
                                                             const char* what) const {
    std::u32string decoded;
    size_t bad = unicode::decodeUtf8(text, decoded);
    if (bad != std::string::npos)
        return Status::error(std::string(what) + " is not valid UTF-8 (byte " +
                             std::to_string(bad) + ")");

    std::vector<Segment> segments;
    splitOnAdded({AlignedText::fromOriginal(decoded), nullptr, false}, rawPatterns_, segments);
    std::vector<Segment> ready;
    for (Segment& seg : segments) {
        if (seg.token) {
            ready.push_back(std::move(seg));
            continue;
        }
        normalize(seg.text);
        seg.normalized = true;
        splitOnAdded(seg, normalizedPatterns_, ready);
    }

    std::vector<Token> out;
    int word = 0;
    bool first = true;
    for (const Segment& seg : ready) {
        if (seg.token) {
            Span s = seg.text.empty()
                         ? Span{}
                         : Span{seg.text.spans.front().begin, seg.text.spans.back().end};
            out.push_back({seg.token->id, seg.text.utf8(), s, word++});
            first = false;
            continue;
        }
        std::vector<AlignedText> words{seg.text};
        for (const auto& pre : p_.preTokenizers)
            pre->split(words, first);
        first = false;
        for (const AlignedText& w : words) {
            if (w.empty())
                continue;
            size_t before = out.size();
            p_.model->tokenize(w, out);
            for (size_t k = before; k < out.size(); ++k)
                out[k].word = word;
            ++word;
        }
    }
    return out;
}

Expected<Encoding> PipelineTokenizer::encode(const std::string& textA,
                                             const std::optional<std::string>& textB,
                                             const EncodeOptions& options) const {
    Sequences seq;
    auto a = tokenizeText(textA, "text A");
    if (!a)
        return a.status();
    seq.a = std::move(*a);
    if (textB) {
        auto b = tokenizeText(*textB, "text B");
        if (!b)
            return b.status();
        seq.b = std::move(*b);
        seq.hasB = true;
    }
    return encodeSequences(std::move(seq), options);
}

Expected<Encoding> PipelineTokenizer::encodeSequences(Sequences seq,
                                                      const EncodeOptions& options) const {
    int maxLength = options.maxLength > 0   ? options.maxLength
                    : defaultMaxLength_ > 0 ? defaultMaxLength_
                                            : modelMaxLength_;
    auto e = assemble(std::move(seq), p_.post, p_.pairCut, options, maxLength);
    if (!e)
        return e;
    e->sourceFile = sourceFile_;
    e->hasTokenTypeIds = p_.hasTokenTypeIds;
    if (p_.tokensFromIds)
        for (size_t i = 0; i < e->tokens.size(); ++i)
            e->tokens[i] = idToToken(e->inputIds[i]);
    return e;
}

namespace {
// How long a text looks to the Rust core's pair truncation: its pieces up to the end of the word
// at which they reach the maximum length; a longer text's rest never enters the formula. Measured
// on npm tokenizers 0.23.2 (docs/tokenizers.md): with M = 8, nine one-piece words cut like eight,
// "a a a a a a xqz" (9 pieces, the last word 3) like nine.
size_t seenLength(const std::vector<Token>& t, size_t maxLength) {
    if (t.size() <= maxLength || maxLength == 0)
        return t.size();
    size_t n = maxLength;
    const int word = t[n - 1].word;
    while (word >= 0 && n < t.size() && t[n].word == word)
        ++n;
    return n;
}
}  // namespace

Expected<Encoding> assemble(Sequences seq, const PostTemplate& post, PairCut cut,
                            const EncodeOptions& options, int maxLength) {
    Encoding e;
    e.truncationStrategy = truncationName(options.truncation);
    const size_t n1 = seq.a.size(), n2 = seq.b.size();
    e.originalLengthA = static_cast<int>(n1);
    e.originalLengthB = static_cast<int>(n2);
    size_t k1 = n1, k2 = n2;
    const size_t specials = post.present ? post.specialCount(seq.hasB) : 0;
    if (maxLength > 0 && options.truncation != TruncationStrategy::DoNotTruncate) {
        if (static_cast<size_t>(maxLength) < specials)
            return Status::error("maximum length " + std::to_string(maxLength) +
                                 " is too small: the template adds " + pieces(specials));
        const size_t budget = static_cast<size_t>(maxLength) - specials;
        if (budget == 0) {  // the Rust core then empties both texts, whatever the strategy
            k1 = k2 = 0;
        } else if (k1 + k2 > budget) {
            const size_t toRemove = k1 + k2 - budget;
            if (!seq.hasB || options.truncation == TruncationStrategy::LongestFirst) {
                if (!seq.hasB) {
                    if (options.truncation == TruncationStrategy::OnlySecond)
                        return Status::error("truncation only_second needs a second text");
                    k1 = budget;
                } else if (cut == PairCut::Slow) {
                    for (size_t r = 0; r < toRemove; ++r) {
                        if (k1 > k2)
                            --k1;
                        else
                            --k2;
                    }
                } else {
                    // The Rust core: the shorter side keeps what it can, the longer the rest; when
                    // both must be cut the shorter gets the smaller half (A on a tie). Lengths
                    // are as the core sees them (seenLength), not the texts' whole lengths.
                    const size_t m1 = seenLength(seq.a, size_t(maxLength));
                    const size_t m2 = seenLength(seq.b, size_t(maxLength));
                    size_t s1 = std::min(m1, m2), s2;
                    const bool swapped = m1 > m2;
                    s2 = s1 > budget ? s1 : std::max(s1, budget - s1);
                    if (s1 + s2 > budget) {
                        s1 = budget / 2;
                        s2 = s1 + budget % 2;
                    }
                    if (swapped)
                        std::swap(s1, s2);
                    k1 = std::min(k1, s1);
                    k2 = std::min(k2, s2);
                }
            } else {
                size_t& target = options.truncation == TruncationStrategy::OnlyFirst ? k1 : k2;
                if (target <= toRemove)
                    return Status::error("truncation " + truncationName(options.truncation) +
                                         " cannot fit " + std::to_string(maxLength) +
                                         " tokens: the other text alone is too long");
                target -= toRemove;
            }
        }
    }
    seq.a.resize(k1);
    seq.b.resize(k2);
    e.lengthA = static_cast<int>(k1);
    e.lengthB = static_cast<int>(k2);
    e.isPair = seq.hasB;
    if (k1 < n1 || k2 < n2) {
        e.truncated = true;
        std::string what;
        if (k1 < n1)
            what = pieces(n1 - k1) + " from A";
        if (k2 < n2)
            what +=
                (what.empty() ? pieces(n2 - k2) : " and " + std::to_string(n2 - k2)) + " from B";
        e.truncationNote = "removed " + what + " to fit " + std::to_string(maxLength) +
                           " tokens (" + e.truncationStrategy + ")";
    }

    auto addSequence = [&e](const std::vector<Token>& tokens, int sequence, int typeId) {
        for (const Token& t : tokens) {
            e.tokens.push_back(t.value);
            e.inputIds.push_back(t.id);
            e.segmentIds.push_back(typeId);
            e.specialTokensMask.push_back(0);
            e.sequenceIds.push_back(sequence);
            e.wordIds.push_back(t.word);
            e.offsets.emplace_back(t.offsets.begin, t.offsets.end);
        }
    };
    if (!post.present) {
        addSequence(seq.a, 0, 0);
        if (seq.hasB)
            addSequence(seq.b, 1, 1);
        return e;
    }
    for (const TemplateItem& item : seq.hasB ? post.pair : post.single) {
        if (item.sequence >= 0) {
            addSequence(item.sequence == 0 ? seq.a : seq.b, item.sequence, item.typeId);
            continue;
        }
        auto it = post.specials.find(item.special);
        if (it == post.specials.end())
            continue;
        for (size_t i = 0; i < it->second.ids.size(); ++i) {
            e.tokens.push_back(it->second.tokens[i]);
            e.inputIds.push_back(it->second.ids[i]);
            e.segmentIds.push_back(item.typeId);
            e.specialTokensMask.push_back(1);
            e.sequenceIds.push_back(-1);
            e.wordIds.push_back(-1);
            e.offsets.emplace_back(0, 0);
        }
    }
    return e;
}

}  // namespace attrscope::hf
