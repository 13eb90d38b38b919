#pragma once
// The planted-task metric and training recipe shared by test_planted (committed checkpoints),
// test_planted_training (the slow statistical test) and make_planted_checkpoints (which wrote
// the committed checkpoints). See test_planted.cpp for the metric's design and history.

#include <QtGlobal>
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/train/trainer.h"
#include "planted_task.h"

namespace planted {

using namespace attrscope;

// The data every planted test and the checkpoint maker use: fixed seeds, never the training seed.
inline Dataset trainSet() { return toDataset(generate(3000, 1)); }
inline Dataset evalSet() { return toDataset(generate(300, 2)); }
inline std::vector<PlantedExample> probe() { return generate(100, 3); }  // 50 "yes", 50 "no"

// The recipe: a 2-layer, 4-head model trained from scratch for 20 epochs.
inline TrainOptions recipe(uint64_t seed) {
    TrainOptions o;
    o.layers = 2;
    o.hidden = 64;
    o.heads = 4;
    o.intermediate = 128;
    o.maxLength = 32;
    o.vocabSize = 200;  // every word of the task stays one token
    o.minFrequency = 1;
    o.epochs = 20;
    o.evalEvery = o.epochs;  // keep the final (sharper) model
    o.batchSize = 32;
    o.learningRate = 1e-3;
    o.warmupProportion = 0.1;
    o.dropout = 0.0;
    // Matching tokens across segments sits on a long loss plateau from a plain
    // initialisation; equal query/key weights in layer 0 start it off (see TrainOptions).
    o.matchInit = 0.15;
    o.seed = seed;
    return o;
}

// Negative control: same shape, vocabulary and initialisation (seed 1), practically untrained.
inline TrainOptions controlRecipe() {
    TrainOptions c = recipe(1);
    c.epochs = 1;
    c.evalEvery = 1;
    c.learningRate = 1e-12;  // must be positive; no weight moves measurably
    return c;
}

inline AttributionOptions attributionOptions() {
    AttributionOptions ao;
    ao.rule = Rule::GaussLegendre;
    ao.steps = 20;
    return ao;
}

struct Best {
    int layer = -1, head = -1, i = -1, j = -1;
    float value = -1e30f;
};

// One layer's [H][n][n]: the strongest single entry (perHead) or the strongest sum over heads.
inline void scanLayer(const float* a, int layer, int H, int n, const std::vector<bool>& special,
               bool perHead, Best& best) {
    for (int i = 0; i < n; ++i) {
        if (special[i]) continue;
        for (int j = 0; j < n; ++j) {
            if (special[j] || i == j) continue;  // interactions link two tokens
            float sum = 0;
            for (int h = 0; h < H; ++h) {
                const float v = a[(static_cast<size_t>(h) * n + i) * n + j];
                sum += v;
                if (perHead && v > best.value) best = {layer, h, i, j, v};
            }
            if (!perHead && sum > best.value) best = {layer, -1, i, j, sum};
        }
    }
}

// Positions of the planted tokens: the occurrenceA-th colour word of A and the colour word of B.
inline bool plantedPositions(const Encoding& e, const PlantedExample& p, int& pa, int& pb) {
    static const std::set<std::string> colours(colourWords().begin(),
                                               colourWords().end());
    const int sep = e.firstSepIndex();
    pa = pb = -1;
    int seen = 0;
    for (int i = 1; i < sep; ++i)
        if (colours.count(e.tokens[i]) && seen++ == p.occurrenceA) pa = i;
    for (int i = sep + 1; i < e.size(); ++i)
        if (colours.count(e.tokens[i])) pb = i;
    return pa > 0 && pb > 0 && e.tokens[pa] == p.colourA && e.tokens[pb] == p.colourB;
}

inline bool links(const Best& s, int pa, int pb) {
    return (s.i == pa && s.j == pb) || (s.i == pb && s.j == pa);
}

struct Rates {
    int counted = 0, correct = 0;  // "yes" examples
    int attrSum = 0, attrHead = 0, attnHead = 0, attnMean = 0;
    int noCount = 0, noCorrect = 0;
    double completenessError = 0;  // mean |Σ attr − (F(A) − F(0))| over layers and examples
    double pct(int x) const { return counted ? 100.0 * x / counted : 0.0; }
    double attrRate() const { return counted ? double(attrSum) / counted : 0.0; }
};

inline Rates measure(Model& model, const std::vector<PlantedExample>& probe,
              const AttributionOptions& ao, int show) {
    Rates r;
    for (const auto& p : probe) {
        auto enc = model.encode(p.example.textA, p.example.textB);
        if (!enc.ok()) qFatal("encode failed: %s", enc.error().c_str());
        if (!p.planted()) {
            auto pred = model.predict(*enc, false);
            ++r.noCount;
            r.noCorrect += pred.ok() && pred->predictedLabel == p.example.label;
            continue;
        }
        int pa, pb;
        if (!plantedPositions(*enc, p, pa, pb)) qFatal("planted tokens not found");
        const int n = enc->size();
        std::vector<bool> special(static_cast<size_t>(n), false);
        for (int i = 0; i < n; ++i)
            special[i] = enc->tokens[i] == "[CLS]" || enc->tokens[i] == "[SEP]";
        auto res = attribute(model, *enc, ao);
        if (!res.ok()) qFatal("attribution failed: %s", res.error().c_str());
        const int H = res->numHeads, L = res->numLayers;
        Best aSum, aHead, tHead, tMean;
        for (const auto& layer : res->layers) {
            scanLayer(layer.attribution.data.data(), layer.layer, H, n, special, false, aSum);
            scanLayer(layer.attribution.data.data(), layer.layer, H, n, special, true, aHead);
            r.completenessError += std::abs(layer.completeness.error()) / res->layers.size();
        }
        for (int l = 0; l < L; ++l) {
            const float* a = res->prediction.attention.data.data() + static_cast<size_t>(l) * H * n * n;
            scanLayer(a, l, H, n, special, true, tHead);
            scanLayer(a, l, H, n, special, false, tMean);  // sum = H × mean: same arg-max
        }
        ++r.counted;
        r.correct += res->targetLabel == p.example.label;
        r.attrSum += links(aSum, pa, pb);
        r.attrHead += links(aHead, pa, pb);
        r.attnHead += links(tHead, pa, pb);
        r.attnMean += links(tMean, pa, pb);
        if (r.counted <= show)
            qInfo("%s | %s (planted %d,%d): attribution L%d %d→%d (%.3f), attention L%d H%d "
                  "%d→%d (%.3f)",
                  p.example.textA.c_str(), p.example.textB->c_str(), pa, pb, aSum.layer, aSum.i,
                  aSum.j, aSum.value, tHead.layer, tHead.head, tHead.i, tHead.j, tHead.value);
    }
    if (r.counted) r.completenessError /= r.counted;
    return r;
}

// Accuracy on held-out examples (the "learned the task" check).
inline double heldOutAccuracy(Model& model, const Dataset& data) {
    int right = 0;
    for (const auto& e : data.examples) {
        auto enc = model.encode(e.textA, e.textB);
        if (!enc.ok()) qFatal("encode failed: %s", enc.error().c_str());
        auto pred = model.predict(*enc, false);
        right += pred.ok() && pred->predictedLabel == e.label;
    }
    return data.examples.empty() ? 0.0 : double(right) / data.examples.size();
}

}  // namespace planted
