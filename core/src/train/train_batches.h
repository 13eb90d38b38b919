#pragma once
// Tokenised examples, length-bucketed batches and padded batch tensors, shared by the trainer and
// the evaluator. Torch appears only in the .cpp files that include this header.

#include <ATen/ATen.h>

#include <cstdint>
#include <random>
#include <vector>

#include "attrscope/data/dataset.h"
#include "attrscope/model/model.h"

namespace attrscope {

struct TrainItem {
    std::vector<int64_t> ids;
    std::vector<int64_t> segments;
    int label = 0;
};

// Encodes every example to at most maxLength word pieces; labels are model class indices.
Expected<std::vector<TrainItem>> encodeItems(const Model& model, const Dataset& data,
                                             const std::vector<int>& labels, int maxLength,
                                             int* truncated = nullptr);

// Batches of similar length: indices sorted by (length, random tie-break), cut into batches,
// then the batch order is shuffled. With rng == nullptr: sorted by length, no shuffling.
std::vector<std::vector<int>> lengthBatches(const std::vector<TrainItem>& items, int batchSize,
                                            std::mt19937_64* rng);

struct BatchTensors {
    at::Tensor ids;       // [B, n] int64, padded with padId
    at::Tensor segments;  // [B, n] int64
    at::Tensor keyMask;   // [B, 1, 1, n] float, 0 on tokens and −10000 on padding (as the engine)
    at::Tensor labels;    // [B] int64
};
BatchTensors collate(const std::vector<TrainItem>& items, const std::vector<int>& batch,
                     int64_t padId, const at::Device& device);

// Linear warm-up over warmupSteps, then linear decay to 0 at totalSteps: the factor on the peak lr.
double linearSchedule(int64_t step, int64_t totalSteps, int64_t warmupSteps);

}  // namespace attrscope
