#pragma once
// Masked-LM pre-training inputs: BERT's 80/10/10 masking of one batch, and the next-sentence
// task's positive and negative pairs. Used by pretrainer.cpp only.

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "attrscope/text/vocabulary.h"
#include "train_batches.h"

namespace attrscope {

struct MaskedBatch {
    BatchTensors tensors;  // ids with the masks applied
    at::Tensor positions;  // [M] flat indices into [B·n]
    at::Tensor targets;    // [M] original ids
};

class Masker {
public:
    Masker(const Vocabulary& v, double p) : probability_(p), vocabSize_(v.size()) {
        maskId_ = v.contains("[MASK]") ? v.id("[MASK]") : -1;
        for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
            if (v.contains(s))
                special_.push_back(v.id(s));
        for (const auto& t : {"[CLS]", "[SEP]", "[PAD]"})
            if (v.contains(t))
                notPredicted_.push_back(v.id(t));
    }
    bool usable() const { return maskId_ >= 0; }

    // Masks one batch's sequences in place and pads them into tensors.
    MaskedBatch apply(std::vector<TrainItem> batch, int64_t padId, const at::Device& device,
                      std::mt19937_64& rng) const {
        std::vector<int64_t> positions, targets;
        size_t n = 0;
        for (const TrainItem& it : batch)
            n = std::max(n, it.ids.size());
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        for (size_t b = 0; b < batch.size(); ++b) {
            TrainItem& it = batch[b];
            std::vector<size_t> candidates;
            for (size_t i = 0; i < it.ids.size(); ++i)
                if (std::find(notPredicted_.begin(), notPredicted_.end(), it.ids[i]) ==
                    notPredicted_.end())
                    candidates.push_back(i);
            std::vector<size_t> chosen;
            for (size_t i : candidates)
                if (uniform(rng) < probability_)
                    chosen.push_back(i);
            if (chosen.empty() && !candidates.empty())
                chosen.push_back(candidates[rng() % candidates.size()]);
            for (size_t i : chosen) {
                positions.push_back(static_cast<int64_t>(b * n + i));
                targets.push_back(it.ids[i]);
                const double r = uniform(rng);
                if (r < 0.8)
                    it.ids[i] = maskId_;
                else if (r < 0.9)
                    it.ids[i] = randomOrdinary(rng);
            }
        }
        std::vector<int> all(batch.size());
        std::iota(all.begin(), all.end(), 0);
        MaskedBatch out;
        out.tensors = collate(batch, all, padId, device);
        out.positions = at::tensor(positions, at::kLong).to(device);
        out.targets = at::tensor(targets, at::kLong).to(device);
        return out;
    }

    int64_t randomOrdinary(std::mt19937_64& rng) const {
        for (;;) {
            const auto id = static_cast<int64_t>(rng() % static_cast<uint64_t>(vocabSize_));
            if (std::find(special_.begin(), special_.end(), id) == special_.end())
                return id;
        }
    }

private:
    double probability_;
    int64_t vocabSize_;
    int64_t maskId_ = -1;
    std::vector<int64_t> special_, notPredicted_;
};

// The next-sentence task's inputs for one batch: label 0 keeps the pair, label 1 gives A another
// pair's B or B with a share of its word pieces replaced. Single sentences keep label 0 and are
// left out of the pair loss (label -1).
std::vector<TrainItem> pairTaskItems(const std::vector<TrainItem>& items,
                                     const std::vector<int>& batch, const Masker& masker,
                                     int64_t sepId, double replaceShare, int maxLength,
                                     std::mt19937_64& rng);

}  // namespace attrscope
