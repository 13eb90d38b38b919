#include "attrscope/train/wordpiece_trainer.h"

#include <algorithm>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "attrscope/text/tokenizer.h"
#include "text/unicode_text.h"

namespace attrscope {

namespace {

constexpr size_t kMaxCharsPerWord = 100;  // longer words are [UNK] for WordPiece anyway
const std::vector<std::string> kSpecials{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

std::vector<std::string> codePoints(const std::string& word) {
    std::vector<std::string> out;
    for (size_t i = 0; i < word.size(); ++i) {
        if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80)
            out.emplace_back(1, word[i]);
        else if (!out.empty())
            out.back().push_back(word[i]);
    }
    return out;
}

using PairKey = uint64_t;
PairKey pairKey(int a, int b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}
int leftOf(PairKey k) {
    return static_cast<int>(k >> 32);
}
int rightOf(PairKey k) {
    return static_cast<int>(k & 0xFFFFFFFFu);
}

struct Word {
    std::vector<int> units;
    int64_t count = 0;
};

// The merge loop: pair counts are kept up to date incrementally, and a max-heap with lazy
// deletion finds the most frequent pair (a popped entry whose count is stale is pushed again
// with its current count), so each merge only touches the words that contain the pair.
class Merger {
public:
    Merger(std::vector<Word> words, std::vector<std::string> names)
        : words_(std::move(words)), names_(std::move(names)), heap_(Order{&names_}) {
        for (size_t i = 0; i < names_.size(); ++i)
            ids_.emplace(names_[i], static_cast<int>(i));
        for (size_t w = 0; w < words_.size(); ++w) {
            const auto& u = words_[w].units;
            for (size_t i = 0; i + 1 < u.size(); ++i) {
                const PairKey k = pairKey(u[i], u[i + 1]);
                counts_[k] += words_[w].count;
                where_[k].push_back(static_cast<int>(w));
            }
        }
        for (const auto& [k, c] : counts_)
            heap_.push({c, k});
    }

    // The next pair to merge and its count; count 0 when none is left.
    std::pair<PairKey, int64_t> best() {
        while (!heap_.empty()) {
            const Entry top = heap_.top();
            heap_.pop();
            const auto it = counts_.find(top.pair);
            const int64_t current = it == counts_.end() ? 0 : it->second;
            if (current == top.count)
                return {top.pair, current};
            if (current > 0)
                heap_.push({current, top.pair});
        }
        return {0, 0};
    }

    // Merges the pair everywhere; returns the merged unit's name and whether it is new.
    std::pair<std::string, bool> merge(PairKey pair) {
        const int a = leftOf(pair), b = rightOf(pair);
        const std::string name = names_[static_cast<size_t>(a)] +
                                 names_[static_cast<size_t>(b)].substr(2);  // b is "##…"
        auto [it, isNew] = ids_.emplace(name, static_cast<int>(names_.size()));
        if (isNew)
            names_.push_back(name);
        const int merged = it->second;

        std::vector<int> touched = std::move(where_[pair]);
        where_.erase(pair);
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        std::unordered_set<PairKey> grown;
        for (int w : touched) {
            Word& word = words_[static_cast<size_t>(w)];
            std::vector<int>& u = word.units;
            std::vector<int> next;
            next.reserve(u.size());
            bool found = false;
            for (size_t i = 0; i < u.size(); ++i) {
                if (i + 1 < u.size() && u[i] == a && u[i + 1] == b) {
                    next.push_back(merged);
                    ++i;
                    found = true;
                } else {
                    next.push_back(u[i]);
                }
            }
            if (!found)
                continue;  // a stale entry: an earlier merge removed the pair from this word
            for (size_t i = 0; i + 1 < u.size(); ++i)
                counts_[pairKey(u[i], u[i + 1])] -= word.count;
            for (size_t i = 0; i + 1 < next.size(); ++i) {
                const PairKey k = pairKey(next[i], next[i + 1]);
                counts_[k] += word.count;
                if (next[i] == merged || next[i + 1] == merged) {
                    where_[k].push_back(w);
                    grown.insert(k);
                }
            }
            u = std::move(next);
        }
        counts_.erase(pair);
        // Only pairs with the merged unit can have grown; sorted so the heap is built the same
        // way on every run.
        std::vector<PairKey> pushed(grown.begin(), grown.end());
        std::sort(pushed.begin(), pushed.end());
        for (PairKey k : pushed)
            if (counts_[k] > 0)
                heap_.push({counts_[k], k});
        return {name, isNew};
    }

    const std::string& name(int id) const { return names_[static_cast<size_t>(id)]; }

private:
    struct Entry {
        int64_t count;
        PairKey pair;
    };
    // Max-heap order: higher count first, then the smaller (left, right) names.
    struct Order {
        const std::vector<std::string>* names;
        bool operator()(const Entry& x, const Entry& y) const {
            if (x.count != y.count)
                return x.count < y.count;
            const auto& n = *names;
            const auto& xl = n[static_cast<size_t>(leftOf(x.pair))];
            const auto& yl = n[static_cast<size_t>(leftOf(y.pair))];
            if (xl != yl)
                return xl > yl;
            return n[static_cast<size_t>(rightOf(x.pair))] >
                   n[static_cast<size_t>(rightOf(y.pair))];
        }
    };

    std::vector<Word> words_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, int> ids_;
    std::unordered_map<PairKey, int64_t> counts_;
    std::unordered_map<PairKey, std::vector<int>> where_;
    std::priority_queue<Entry, std::vector<Entry>, Order> heap_;
};

}  // namespace

Expected<WordPieceTraining> trainWordPieceFromCounts(const std::map<std::string, int64_t>& counts,
                                                     const WordPieceTrainerOptions& options) {
    const size_t specials = kSpecials.size();
    if (options.vocabSize < static_cast<int>(specials) + 2)
        return Status::error("vocabulary size " + std::to_string(options.vocabSize) +
                             " is too small: the special tokens and one character need 7");
    const auto vocabSize = static_cast<size_t>(options.vocabSize);
    const int64_t minCount = std::max(1, options.minFrequency);

    WordPieceTraining out;
    std::map<std::string, int64_t> chars;  // ordered: ties resolve in byte order
    for (const auto& [word, count] : counts) {
        if (count <= 0 || word.empty())
            continue;
        out.words += count;
        ++out.distinctWords;
        for (const std::string& c : codePoints(word))
            chars[c] += count;
    }
    if (chars.empty())
        return Status::error("the training texts contain no words");
    std::vector<std::pair<std::string, int64_t>> alphabet(chars.begin(), chars.end());
    std::stable_sort(alphabet.begin(), alphabet.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    const size_t room = (vocabSize - specials) / 2;
    alphabet.resize(
        std::min({alphabet.size(), room, static_cast<size_t>(std::max(1, options.alphabetLimit))}));

    std::vector<std::string> vocab(kSpecials);
    std::unordered_map<std::string, int> unitId;  // alphabet unit → its index in `names`
    std::vector<std::string> names;
    for (const auto& [c, count] : alphabet) {
        for (const std::string& unit : {c, "##" + c}) {
            unitId.emplace(unit, static_cast<int>(names.size()));
            names.push_back(unit);
            vocab.push_back(unit);
        }
    }
    std::vector<Word> words;
    for (const auto& [word, count] : counts) {
        if (count <= 0 || word.empty())
            continue;
        Word w{{}, count};
        bool spellable = true;
        const std::vector<std::string> cps = codePoints(word);
        for (size_t i = 0; i < cps.size() && spellable; ++i) {
            const auto it = unitId.find(i == 0 ? cps[i] : "##" + cps[i]);
            spellable = it != unitId.end();
            if (spellable)
                w.units.push_back(it->second);
        }
        if (spellable)  // words with a rare character stay [UNK], as with any WordPiece vocab
            words.push_back(std::move(w));
    }

    Merger merger(std::move(words), std::move(names));
    while (vocab.size() < vocabSize) {
        const auto [pair, count] = merger.best();
        if (count < minCount)
            break;
        out.merges.emplace_back(merger.name(leftOf(pair)), merger.name(rightOf(pair)));
        auto [name, isNew] = merger.merge(pair);
        if (isNew)
            vocab.push_back(std::move(name));
    }
    auto v = Vocabulary::fromTokens(std::move(vocab), "trained WordPiece vocabulary");
    if (!v)
        return v.status();
    out.vocabulary = std::move(*v);
    return out;
}

Expected<WordPieceTraining> trainWordPiece(const std::vector<std::string>& texts,
                                           const WordPieceTrainerOptions& options) {
    auto base = Vocabulary::fromTokens(kSpecials, "special tokens");
    if (!base)
        return base.status();
    TokenizerSettings settings;
    settings.doLowerCase = options.lowerCase;
    const Tokenizer tokenizer(std::move(*base), settings);
    std::map<std::string, int64_t> counts;
    for (size_t i = 0; i < texts.size(); ++i) {
        auto tokens = tokenizer.basicTokenize(texts[i]);
        if (!tokens)
            return Status::error("training text " + std::to_string(i + 1) + ": " + tokens.error());
        for (const std::string& word : *tokens)
            if (unicode::codePointCount(word) <= kMaxCharsPerWord)
                ++counts[word];
    }
    if (counts.empty())
        return Status::error("the training texts contain no words");
    return trainWordPieceFromCounts(counts, options);
}

}  // namespace attrscope
