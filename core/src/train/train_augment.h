#pragma once
// Augmented copies of training pairs, added after the held-out split is taken.

#include <string>

#include "attrscope/data/dataset.h"
#include "attrscope/train/trainer.h"

namespace attrscope {

// "A man is playing" → "A man is not playing"; "" when there is no is/are or already a negation.
std::string negate(const std::string& text);
void augmentTrainingSet(Dataset& data, const TrainOptions& options);

}  // namespace attrscope
