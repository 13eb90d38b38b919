#include "train_batches.h"

#include <algorithm>
#include <numeric>

namespace attrscope {

Expected<std::vector<TrainItem>> encodeItems(const Model& model, const Dataset& data,
                                             const std::vector<int>& labels, int maxLength,
                                             int* truncated) {
    std::vector<TrainItem> items;
    items.reserve(data.examples.size());
    if (truncated)
        *truncated = 0;
    for (size_t i = 0; i < data.examples.size(); ++i) {
        const Example& ex = data.examples[i];
        auto enc = model.encode(ex.textA, ex.textB, maxLength);
        if (!enc)
            return Status::error(data.path + " line " + std::to_string(ex.row) + ": " +
                                 enc.error());
        if (enc->truncated && truncated)
            ++*truncated;
        items.push_back({std::move(enc->inputIds), std::move(enc->segmentIds), labels[i]});
    }
    return items;
}

std::vector<std::vector<int>> lengthBatches(const std::vector<TrainItem>& items, int batchSize,
                                            std::mt19937_64* rng) {
    std::vector<int> order(items.size());
    std::iota(order.begin(), order.end(), 0);
    // Random tie-break among equal lengths so that each epoch's batches differ.
    std::vector<uint64_t> key(items.size(), 0);
    if (rng)
        for (auto& k : key)
            k = (*rng)();
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if (items[a].ids.size() != items[b].ids.size())
            return items[a].ids.size() < items[b].ids.size();
        return key[a] < key[b];
    });
    std::vector<std::vector<int>> batches;
    for (size_t i = 0; i < order.size(); i += static_cast<size_t>(batchSize))
        batches.emplace_back(
            order.begin() + static_cast<long>(i),
            order.begin() + static_cast<long>(std::min(order.size(), i + size_t(batchSize))));
    if (rng)
        std::shuffle(batches.begin(), batches.end(), *rng);
    return batches;
}

BatchTensors collate(const std::vector<TrainItem>& items, const std::vector<int>& batch,
                     int64_t padId, const at::Device& device) {
    size_t maxLen = 0;
    for (int i : batch)
        maxLen = std::max(maxLen, items[i].ids.size());
    const int64_t B = static_cast<int64_t>(batch.size()), n = static_cast<int64_t>(maxLen);
    std::vector<int64_t> ids(static_cast<size_t>(B * n), padId),
        segs(static_cast<size_t>(B * n), 0), labels(static_cast<size_t>(B));
    std::vector<float> mask(static_cast<size_t>(B * n), -10000.0f);
    for (int64_t b = 0; b < B; ++b) {
        const TrainItem& it = items[batch[b]];
        labels[b] = it.label;
        for (size_t i = 0; i < it.ids.size(); ++i) {
            ids[b * n + i] = it.ids[i];
            segs[b * n + i] = it.segments[i];
            mask[b * n + i] = 0.0f;
        }
    }
    BatchTensors t;
    t.ids = at::tensor(ids, at::kLong).view({B, n}).to(device);
    t.segments = at::tensor(segs, at::kLong).view({B, n}).to(device);
    t.keyMask = at::tensor(mask, at::kFloat).view({B, 1, 1, n}).to(device);
    t.labels = at::tensor(labels, at::kLong).to(device);
    return t;
}

double linearSchedule(int64_t step, int64_t totalSteps, int64_t warmupSteps) {
    if (totalSteps <= 0)
        return 1.0;
    if (step < warmupSteps)
        return double(step + 1) / double(warmupSteps);
    if (totalSteps <= warmupSteps)
        return 1.0;
    return std::max(0.0, double(totalSteps - step) / double(totalSteps - warmupSteps));
}

}  // namespace attrscope
