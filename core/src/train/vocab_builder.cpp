#include "attrscope/train/vocab_builder.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "attrscope/text/tokenizer.h"
#include "attrscope/train/wordpiece_trainer.h"
#include "text/unicode_text.h"

namespace attrscope {

namespace {

constexpr size_t kMaxCharsPerWord = 100;  // longer words are [UNK] for WordPiece anyway

using Counts = std::map<std::string, int64_t>;  // ordered: ties resolve alphabetically

// Entries by descending count, then by byte order, keeping those seen at least minCount times.
std::vector<std::string> byFrequency(const Counts& counts, int64_t minCount) {
    std::vector<std::pair<std::string, int64_t>> items;
    for (const auto& item : counts) {
        if (item.second >= minCount)
            items.push_back(item);
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> out;
    out.reserve(items.size());
    for (auto& item : items)
        out.push_back(std::move(item.first));
    return out;
}

// The UTF-8 substrings of a word's code points.
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

}  // namespace

Expected<Vocabulary> buildVocabulary(const std::vector<std::string>& texts,
                                     const VocabBuilderOptions& options) {
    if (options.wordPiece) {
        WordPieceTrainerOptions wo;
        wo.vocabSize = options.maxSize;
        wo.minFrequency = options.minFrequency;
        wo.lowerCase = options.lowerCase;
        auto trained = trainWordPiece(texts, wo);
        if (!trained)
            return trained.status();
        return std::move(trained->vocabulary);
    }
    const std::vector<std::string> specials{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    if (options.maxSize < static_cast<int>(specials.size()))
        return Status::error("vocabulary size " + std::to_string(options.maxSize) +
                             " is too small: the special tokens alone need 5 entries");
    const size_t maxSize = static_cast<size_t>(options.maxSize);
    const int64_t minCount = std::max(1, options.minFrequency);

    auto base = Vocabulary::fromTokens(specials, "special tokens");
    if (!base)
        return base.status();
    TokenizerSettings settings;
    settings.doLowerCase = options.lowerCase;
    const Tokenizer tokenizer(std::move(*base), settings);

    Counts words;
    for (size_t i = 0; i < texts.size(); ++i) {
        auto tokens = tokenizer.basicTokenize(texts[i]);
        if (!tokens)
            return Status::error("training text " + std::to_string(i + 1) + ": " + tokens.error());
        for (const std::string& word : *tokens) {
            if (unicode::codePointCount(word) <= kMaxCharsPerWord)
                ++words[word];
        }
    }
    if (words.empty())
        return Status::error("the training texts contain no words");

    std::vector<std::string> vocab(specials);
    std::set<std::string> present(specials.begin(), specials.end());
    auto add = [&](const std::string& token) {
        if (vocab.size() < maxSize && present.insert(token).second)
            vocab.push_back(token);
    };

    // Every character, alone and as a continuation, so that any word can be spelled out.
    Counts chars;
    for (const auto& [word, count] : words) {
        for (const std::string& c : codePoints(word))
            chars[c] += count;
    }
    for (const std::string& c : byFrequency(chars, 1)) {
        if (vocab.size() + 2 > maxSize)
            break;
        add(c);
        add("##" + c);
    }

    for (const std::string& word : byFrequency(words, minCount))
        add(word);

    // Common endings of the words that did not make it, so that they split into few pieces.
    if (vocab.size() < maxSize) {
        Counts suffixes;
        for (const auto& [word, count] : words) {
            if (present.count(word))
                continue;
            std::vector<std::string> cps = codePoints(word);
            for (size_t length = 2; length <= 4 && length < cps.size(); ++length) {
                std::string piece = "##";
                for (size_t k = cps.size() - length; k < cps.size(); ++k)
                    piece += cps[k];
                suffixes[piece] += count;
            }
        }
        for (const std::string& piece : byFrequency(suffixes, minCount))
            add(piece);
    }
    return Vocabulary::fromTokens(std::move(vocab), "built vocabulary");
}

}  // namespace attrscope
