#pragma once
// Builds a WordPiece vocabulary from training texts, for demo models trained with their own
// vocabulary. The result is used with the ordinary Tokenizer, unchanged.

#include <string>
#include <vector>

#include "attrscope/status.h"
#include "attrscope/text/vocabulary.h"

namespace attrscope {

struct VocabBuilderOptions {
    int maxSize = 8000;     // total entries, specials included
    int minFrequency = 2;   // whole words and suffix pieces seen fewer times are left out
    bool lowerCase = true;  // the do_lower_case the model's tokenizer will use
    // Learn subword units by merges (wordpiece_trainer.h) instead of the layout below.
    bool wordPiece = false;
};

// Without wordPiece, the layout, deterministic for the same texts and options:
//   [PAD] [UNK] [CLS] [SEP] [MASK] (ids 0..4),
//   every character seen and its "##" form (most frequent first, so that no word needs [UNK]
//   unless the alphabet alone exceeds maxSize),
//   whole words by descending frequency (ties alphabetical),
//   then "##" suffix pieces of 2-4 characters of the words left out, by the same order.
// Words are those of Tokenizer::basicTokenize with do_lower_case = lowerCase. Fails on invalid
// UTF-8 (naming the text), on maxSize < 5, and when the texts contain no words.
Expected<Vocabulary> buildVocabulary(const std::vector<std::string>& texts,
                                     const VocabBuilderOptions& options);

}  // namespace attrscope
