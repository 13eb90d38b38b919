#pragma once
// One tokenised model input: [CLS] A [SEP] (B [SEP]).

#include <cstdint>
#include <string>
#include <vector>

namespace attrscope {

struct Encoding {
    std::vector<std::string> tokens;
    std::vector<int64_t> inputIds;
    std::vector<int64_t> segmentIds;
    bool isPair = false;
    int lengthA = 0;          // word pieces of A kept (without specials)
    int lengthB = 0;          // word pieces of B kept (0 for a single sentence)
    int originalLengthA = 0;  // before truncation
    int originalLengthB = 0;
    bool truncated = false;
    std::string truncationNote;  // empty unless truncated, e.g. "removed 12 word pieces from A"

    int size() const { return static_cast<int>(tokens.size()); }
    // Index of the first [SEP] (the boundary between A and B).
    int firstSepIndex() const { return lengthA + 1; }
};

}  // namespace attrscope
