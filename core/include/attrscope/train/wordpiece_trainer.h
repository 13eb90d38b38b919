#pragma once
// Learns a WordPiece vocabulary by frequency-based merges, as Hugging Face's WordPieceTrainer
// does: every word starts as its characters (the first one bare, the rest as "##" continuations)
// and the most frequent adjacent pair of units is merged into a new unit until the vocabulary is
// full. Frequent words thus end up whole and rare words split into frequent stems and endings
// ("##ing", "##ness"). The result is used with the ordinary greedy longest-match Tokenizer.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "attrscope/status.h"
#include "attrscope/text/vocabulary.h"

namespace attrscope {

struct WordPieceTrainerOptions {
    int vocabSize = 16000;    // total entries, specials included
    int minFrequency = 2;     // a pair seen fewer times is never merged
    int alphabetLimit = 300;  // most frequent characters kept (each alone and as "##c")
    bool lowerCase = true;    // the do_lower_case the model's tokenizer will use
};

struct WordPieceTraining {
    Vocabulary vocabulary;
    std::vector<std::pair<std::string, std::string>> merges;  // in the order they were made
    int64_t words = 0;                                        // running words counted
    int64_t distinctWords = 0;                                // of at most 100 characters
};

// Layout, deterministic for the same texts and options: [PAD] [UNK] [CLS] [SEP] [MASK] (ids
// 0..4), the alphabet (most frequent first, each character then its "##" form), then the merged
// units in merge order. Ties between equally frequent pairs go to the smaller (left, right) in
// byte order. Words are those of Tokenizer::basicTokenize. Fails on invalid UTF-8 (naming the
// text), on vocabSize < 5 + 2, and when the texts contain no words.
Expected<WordPieceTraining> trainWordPiece(const std::vector<std::string>& texts,
                                           const WordPieceTrainerOptions& options);

// The same from words already counted (word → occurrences; words are not split further).
Expected<WordPieceTraining> trainWordPieceFromCounts(const std::map<std::string, int64_t>& words,
                                                     const WordPieceTrainerOptions& options);

}  // namespace attrscope
