#pragma once
// One tokenised model input: the family's template around A (and B), with what users see of it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attrscope {

struct Encoding {
    std::vector<std::string> tokens;  // vocabulary strings (`Ġ`/`▁` pieces, [UNK] for unknowns)
    std::vector<int64_t> inputIds;
    std::vector<int64_t> segmentIds;  // the token type ids (0 for A, 1 for B in BERT's template)
    bool isPair = false;
    int lengthA = 0;          // word pieces of A kept (without specials)
    int lengthB = 0;          // word pieces of B kept (0 for a single sentence)
    int originalLengthA = 0;  // before truncation
    int originalLengthB = 0;
    bool truncated = false;
    std::string truncationNote;  // empty unless truncated, e.g. "removed 12 word pieces from A"

    // Filled by every TextTokenizer (the BERT Tokenizer's own encode leaves them empty).
    std::vector<int> specialTokensMask;  // 1 for the template's special tokens
    std::vector<int> sequenceIds;        // 0 for A, 1 for B, -1 for template specials
    std::vector<int> wordIds;            // word index within its text, -1 for template specials
    // Byte offsets [begin, end) into the text the token came from (see sequenceIds); {0, 0} for
    // template specials.
    std::vector<std::pair<int, int>> offsets;
    bool hasTokenTypeIds = true;     // false where the family's tokenizer returns none
    std::string sourceFile;          // the tokenizer file that produced this encoding
    std::string truncationStrategy;  // "longest_first", "only_first", "only_second" or "none"

    int size() const { return static_cast<int>(tokens.size()); }
    const std::vector<int64_t>& tokenTypeIds() const { return segmentIds; }
    // Index of the first [SEP] (the boundary between A and B).
    int firstSepIndex() const { return lengthA + 1; }
};

}  // namespace attrscope
