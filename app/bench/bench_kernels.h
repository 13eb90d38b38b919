#pragma once
// The measured pieces of the benchmark, each run in its own process so peak memory is its own.

#include <memory>

#include "attrscope/attribution/attribution.h"

namespace attrscope::bench {

// bert-base geometry (12 × 768, 12 heads, FFN 3072) with random weights, of the given family
// (bert, roberta, xlm-roberta, distilbert, electra, albert, deberta-v2 with DeBERTa-v3-base's
// attention settings). Every family keeps 12 layers and a 30522-token vocabulary so the rows
// compare the encoders alone.
std::shared_ptr<Model> bertBase(uint64_t seed = 1, const std::string& family = "bert");
// A sentence pair of exactly n word pieces from the model's synthetic vocabulary.
Encoding pairOfLength(const Model& model, int n);
// GFLOP/s of a 2560×768 @ 768×3072 float32 product.
double gemmRate(int repeats = 20);
// The official code's way (spec §6.1): input padded to 128, a clean forward per target layer,
// layers below t recomputed per chunk, parameters requiring grad. Returns seconds.
double naiveAttribution(Model& model, const Encoding& input, int steps, int chunk);

}  // namespace attrscope::bench
