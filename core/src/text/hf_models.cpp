// The three vocabulary models of the Rust tokenizers core: WordPiece (greedy longest match),
// BPE (merge the lowest-ranked adjacent pair first) and Unigram (Viterbi over piece scores).

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>

#include "hf_pipeline.h"
#include "unicode_text.h"

namespace attrscope::hf {

namespace {

std::string byteToken(unsigned char b) {
    static const char* hex = "0123456789ABCDEF";
    return std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
}

class VocabModel : public TokenModel {
public:
    int64_t tokenToId(const std::string& token) const override {
        auto it = ids_.find(token);
        return it == ids_.end() ? -1 : it->second;
    }
    std::string idToToken(int64_t id) const override {
        return id >= 0 && id < static_cast<int64_t>(tokens_.size())
                   ? tokens_[static_cast<size_t>(id)]
                   : std::string();
    }
    int64_t size() const override { return static_cast<int64_t>(tokens_.size()); }

protected:
    void setVocab(const std::unordered_map<std::string, int64_t>& ids) {
        ids_ = ids;
        int64_t maxId = -1;
        for (const auto& [t, id] : ids_)
            maxId = std::max(maxId, id);
        tokens_.assign(static_cast<size_t>(maxId + 1), std::string());
        for (const auto& [t, id] : ids_)
            tokens_[static_cast<size_t>(id)] = t;
    }
    std::unordered_map<std::string, int64_t> ids_;
    std::vector<std::string> tokens_;
};

class WordPieceModel : public VocabModel {
public:
    WordPieceModel(std::vector<std::string> vocab, std::string unk, std::string prefix,
                   size_t maxChars)
        : unk_(std::move(unk)), prefix_(std::move(prefix)), maxChars_(maxChars) {
        std::unordered_map<std::string, int64_t> ids;
        for (size_t i = 0; i < vocab.size(); ++i)
            ids.emplace(vocab[i], static_cast<int64_t>(i));
        setVocab(ids);
    }
    void tokenize(const AlignedText& piece, std::vector<Token>& out) const override {
        if (piece.empty())
            return;
        Span whole{piece.spans.front().begin, piece.spans.back().end};
        if (piece.size() > maxChars_) {
            out.push_back({tokenToId(unk_), unk_, whole});
            return;
        }
        std::vector<Token> pieces;
        std::string candidate;
        size_t start = 0;
        while (start < piece.size()) {
            size_t end = piece.size();
            bool found = false;
            for (; end > start; --end) {
                candidate = start > 0 ? prefix_ : std::string();
                for (size_t i = start; i < end; ++i)
                    unicode::appendUtf8(piece.chars[i], candidate);
                if (ids_.count(candidate)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                out.push_back({tokenToId(unk_), unk_, whole});
                return;
            }
            pieces.push_back({ids_.at(candidate),
                              candidate,
                              {piece.spans[start].begin, piece.spans[end - 1].end}});
            start = end;
        }
        out.insert(out.end(), pieces.begin(), pieces.end());
    }

private:
    std::string unk_, prefix_;
    size_t maxChars_;
};

struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const {
        return std::hash<int64_t>()(p.first * 1000003 + p.second);
    }
};

class BpeModel : public VocabModel {
public:
    BpeModel(std::unordered_map<std::string, int64_t> vocab, BpeSettings s) : s_(std::move(s)) {
        setVocab(vocab);
    }
    Status addMerges(const std::vector<std::pair<std::string, std::string>>& merges) {
        const size_t prefixLen = s_.continuingPrefix.size();
        for (size_t rank = 0; rank < merges.size(); ++rank) {
            const auto& [a, b] = merges[rank];
            int64_t ia = tokenToId(a), ib = tokenToId(b);
            std::string merged =
                a + (b.compare(0, prefixLen, s_.continuingPrefix) == 0 ? b.substr(prefixLen) : b);
            int64_t im = tokenToId(merged);
            if (ia < 0 || ib < 0 || im < 0)
                return Status::error("merge " + std::to_string(rank + 1) + " ('" + a + " " + b +
                                     "') uses a token that is not in the vocabulary");
            merges_.emplace(std::make_pair(ia, ib), std::make_pair(static_cast<int64_t>(rank), im));
        }
        return Status::success();
    }
    void tokenize(const AlignedText& piece, std::vector<Token>& out) const override {
        if (piece.empty())
            return;
        if (s_.ignoreMerges) {
            std::string whole = piece.utf8();
            auto it = ids_.find(whole);
            if (it != ids_.end()) {
                out.push_back(
                    {it->second, whole, {piece.spans.front().begin, piece.spans.back().end}});
                return;
            }
        }
        struct Sym {
            int64_t id;
            Span span;
        };
        std::vector<Sym> syms;
        syms.reserve(piece.size());
        const int64_t unkId = s_.unk ? tokenToId(*s_.unk) : -1;
        bool lastWasUnk = false;
        for (size_t i = 0; i < piece.size(); ++i) {
            std::string sym;
            unicode::appendUtf8(piece.chars[i], sym);
            if (i > 0)
                sym = s_.continuingPrefix + sym;
            if (i + 1 == piece.size())
                sym += s_.endOfWordSuffix;
            Span span = piece.spans[i];
            auto it = ids_.find(sym);
            if (it != ids_.end()) {
                syms.push_back({it->second, span});
                lastWasUnk = false;
                continue;
            }
            if (s_.byteFallback) {
                std::string utf8;
                unicode::appendUtf8(piece.chars[i], utf8);
                std::vector<Sym> bytes;
                for (unsigned char b : utf8) {
                    int64_t id = tokenToId(byteToken(b));
                    if (id < 0)
                        break;
                    bytes.push_back({id, span});
                }
                if (bytes.size() == utf8.size()) {
                    syms.insert(syms.end(), bytes.begin(), bytes.end());
                    lastWasUnk = false;
                    continue;
                }
            }
            if (unkId < 0)
                continue;  // the Rust core drops unknown chars when there is no unk token
            if (s_.fuseUnk && lastWasUnk)
                syms.back().span.end = span.end;
            else
                syms.push_back({unkId, span});
            lastWasUnk = true;
        }
        // Merge the lowest-ranked adjacent pair (leftmost among equals) until none applies; a
        // queue keeps long words linear-logarithmic, as in the Rust core.
        const size_t n = syms.size();
        std::vector<long> prev(n), next(n);
        std::vector<bool> alive(n, true);
        for (size_t i = 0; i < n; ++i) {
            prev[i] = static_cast<long>(i) - 1;
            next[i] = i + 1 < n ? static_cast<long>(i) + 1 : -1;
        }
        using Entry = std::pair<int64_t, long>;  // rank, position
        std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
        auto pushPair = [&](long i) {
            if (i < 0 || next[static_cast<size_t>(i)] < 0)
                return;
            auto it = merges_.find({syms[static_cast<size_t>(i)].id,
                                    syms[static_cast<size_t>(next[static_cast<size_t>(i)])].id});
            if (it != merges_.end())
                queue.push({it->second.first, i});
        };
        for (size_t i = 0; i + 1 < n; ++i)
            pushPair(static_cast<long>(i));
        while (!queue.empty()) {
            auto [rank, pos] = queue.top();
            queue.pop();
            const auto upos = static_cast<size_t>(pos);
            if (!alive[upos] || next[upos] < 0)
                continue;
            const auto unext = static_cast<size_t>(next[upos]);
            auto it = merges_.find({syms[upos].id, syms[unext].id});
            if (it == merges_.end() || it->second.first != rank)
                continue;  // stale: one side was merged since
            syms[upos].id = it->second.second;
            syms[upos].span.end = syms[unext].span.end;
            alive[unext] = false;
            next[upos] = next[unext];
            if (next[upos] >= 0)
                prev[static_cast<size_t>(next[upos])] = pos;
            pushPair(prev[upos]);
            pushPair(pos);
        }
        std::vector<Sym> merged;
        for (size_t i = 0; i < n; ++i)
            if (alive[i])
                merged.push_back(syms[i]);
        syms = std::move(merged);
        for (const Sym& s : syms)
            out.push_back({s.id, tokens_[static_cast<size_t>(s.id)], s.span});
    }

private:
    BpeSettings s_;
    std::unordered_map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>, PairHash> merges_;
};

class UnigramModel : public VocabModel {
public:
    UnigramModel(std::vector<UnigramPiece> vocab, std::optional<int64_t> unk, bool byteFallback)
        : unk_(unk), byteFallback_(byteFallback) {
        std::unordered_map<std::string, int64_t> ids;
        double minScore = std::numeric_limits<double>::max();
        for (size_t i = 0; i < vocab.size(); ++i) {
            ids.emplace(vocab[i].piece, static_cast<int64_t>(i));
            scores_.push_back(vocab[i].score);
            minScore = std::min(minScore, vocab[i].score);
            maxChars_ = std::max(maxChars_, unicode::codePointCount(vocab[i].piece));
        }
        unkScore_ = (vocab.empty() ? 0.0 : minScore) - 10.0;  // the Rust core's K_UNK_PENALTY
        setVocab(ids);
    }
    void tokenize(const AlignedText& piece, std::vector<Token>& out) const override {
        const size_t n = piece.size();
        if (n == 0)
            return;
        struct Node {
            bool reached = false;
            size_t start = 0;
            int64_t id = -1;
            double score = 0;
        };
        std::vector<Node> best(n + 1);
        best[0].reached = true;
        std::string candidate;
        for (size_t start = 0; start < n; ++start) {
            if (!best[start].reached)
                continue;
            const double base = best[start].score;
            bool single = false;
            candidate.clear();
            for (size_t end = start + 1; end <= n && end - start <= maxChars_; ++end) {
                unicode::appendUtf8(piece.chars[end - 1], candidate);
                auto it = ids_.find(candidate);
                if (it == ids_.end())
                    continue;
                double score = base + scores_[static_cast<size_t>(it->second)];
                Node& target = best[end];
                if (!target.reached || score > target.score)
                    target = {true, start, it->second, score};
                single = single || end == start + 1;
            }
            if (!single && unk_) {
                Node& target = best[start + 1];
                double score = base + unkScore_;
                if (!target.reached || score > target.score)
                    target = {true, start, *unk_, score};
            }
        }
        if (!best[n].reached)
            return;
        // Back from the end, fusing runs of unknowns into one surface string.
        std::vector<std::pair<size_t, size_t>> ranges;
        size_t end = n;
        size_t unkEnd = 0;
        bool inUnk = false;
        while (end > 0) {
            const Node& node = best[end];
            if (unk_ && node.id == *unk_) {
                if (!inUnk)
                    unkEnd = end;
                inUnk = true;
            } else {
                if (inUnk)
                    ranges.emplace_back(end, unkEnd);
                inUnk = false;
                ranges.emplace_back(node.start, end);
            }
            end = node.start;
        }
        if (inUnk)
            ranges.emplace_back(0, unkEnd);
        std::reverse(ranges.begin(), ranges.end());
        for (const auto& [b, e] : ranges) {
            AlignedText part = piece.slice(b, e);
            std::string surface = part.utf8();
            Span span{part.spans.front().begin, part.spans.back().end};
            auto it = ids_.find(surface);
            if (it != ids_.end()) {
                out.push_back({it->second, surface, span});
                continue;
            }
            if (byteFallback_) {
                std::vector<Token> bytes;
                for (unsigned char c : surface) {
                    std::string name = byteToken(c);
                    int64_t id = tokenToId(name);
                    if (id < 0)
                        break;
                    bytes.push_back({id, name, span});
                }
                if (bytes.size() == surface.size()) {
                    out.insert(out.end(), bytes.begin(), bytes.end());
                    continue;
                }
            }
            out.push_back({*unk_, surface, span});
        }
    }

private:
    std::optional<int64_t> unk_;
    bool byteFallback_;
    std::vector<double> scores_;
    size_t maxChars_ = 1;
    double unkScore_ = 0;
};

}  // namespace

std::unique_ptr<TokenModel> wordPieceModel(std::vector<std::string> vocab, std::string unk,
                                           std::string prefix, size_t maxChars) {
    return std::make_unique<WordPieceModel>(std::move(vocab), std::move(unk), std::move(prefix),
                                            maxChars);
}

Expected<std::unique_ptr<TokenModel>> bpeModel(
    std::unordered_map<std::string, int64_t> vocab,
    const std::vector<std::pair<std::string, std::string>>& merges, BpeSettings settings) {
    auto model = std::make_unique<BpeModel>(std::move(vocab), std::move(settings));
    Status s = model->addMerges(merges);
    if (!s)
        return s;
    return std::unique_ptr<TokenModel>(std::move(model));
}

Expected<std::unique_ptr<TokenModel>> unigramModel(std::vector<UnigramPiece> vocab,
                                                   std::optional<int64_t> unkId,
                                                   bool byteFallback) {
    if (unkId && (*unkId < 0 || *unkId >= static_cast<int64_t>(vocab.size())))
        return Status::error("Unigram unk_id " + std::to_string(*unkId) +
                             " is outside the vocabulary");
    return std::unique_ptr<TokenModel>(
        std::make_unique<UnigramModel>(std::move(vocab), unkId, byteFallback));
}

}  // namespace attrscope::hf
