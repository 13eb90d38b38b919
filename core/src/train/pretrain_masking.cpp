#include "pretrain_masking.h"

namespace attrscope {

// The next-sentence task's inputs for one batch: label 0 keeps the pair, label 1 gives A another
// pair's B or B with a share of its word pieces replaced. Single sentences keep label 0 and are
// left out of the pair loss (label -1).
std::vector<TrainItem> pairTaskItems(const std::vector<TrainItem>& items,
                                     const std::vector<int>& batch, const Masker& masker,
                                     int64_t sepId, double replaceShare, int maxLength,
                                     std::mt19937_64& rng) {
    auto firstSep = [&](const TrainItem& it) {
        return static_cast<size_t>(std::find(it.ids.begin(), it.ids.end(), sepId) - it.ids.begin());
    };
    std::vector<TrainItem> out;
    for (int i : batch) {
        TrainItem it = items[i];
        const size_t sep = firstSep(it);
        if (sep + 1 >= it.ids.size()) {  // a single sentence
            it.label = -1;
            out.push_back(std::move(it));
            continue;
        }
        const uint64_t r = rng() % 4;
        it.label = r < 2 ? 0 : 1;
        if (r == 2) {
            const TrainItem& other = items[rng() % items.size()];
            const size_t otherSep = firstSep(other);
            if (otherSep + 1 < other.ids.size()) {
                it.ids.resize(sep + 1);
                it.segments.resize(sep + 1);
                for (size_t k = otherSep + 1; k < other.ids.size(); ++k) {
                    it.ids.push_back(other.ids[k]);
                    it.segments.push_back(1);
                }
                if (it.ids.size() > static_cast<size_t>(maxLength)) {  // keep the final [SEP]
                    it.ids.resize(static_cast<size_t>(maxLength));
                    it.segments.resize(static_cast<size_t>(maxLength));
                    it.ids.back() = sepId;
                }
            }
        } else if (r == 3) {
            std::vector<size_t> positions;
            for (size_t k = sep + 1; k + 1 < it.ids.size(); ++k)
                positions.push_back(k);
            std::shuffle(positions.begin(), positions.end(), rng);
            const auto count = std::max<size_t>(
                1, static_cast<size_t>(replaceShare * double(positions.size()) + 0.5));
            for (size_t k = 0; k < std::min(count, positions.size()); ++k)
                it.ids[positions[k]] = masker.randomOrdinary(rng);
        }
        out.push_back(std::move(it));
    }
    return out;
}

}  // namespace attrscope
