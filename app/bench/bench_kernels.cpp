#include "bench_kernels.h"

#include <torch/csrc/autograd/autograd.h>

#include <chrono>
#include <stdexcept>

#include "model/model_impl.h"

namespace attrscope::bench {

std::shared_ptr<Model> bertBase(uint64_t seed, const std::string& family) {
    ModelConfig c;  // defaults are bert-base
    c.modelType = family;
    c.maxPositionEmbeddings = 512;
    c.layerNormEps = 1e-12;
    c.id2label = {"contradiction", "entailment", "neutral"};
    if (family == "roberta" || family == "xlm-roberta") {
        c.maxPositionEmbeddings = 514;
        c.padTokenId = 1;
        c.typeVocabSize = 1;
    } else if (family == "distilbert") {
        c.typeVocabSize = 0;
    } else if (family == "albert") {
        c.embeddingSize = 128;
        c.hiddenAct = "gelu_new";
    } else if (family == "deberta-v2") {  // deberta-v3-base
        c.typeVocabSize = 0;
        c.layerNormEps = 1e-7;
        c.relativeAttention = true;
        c.positionBiasedInput = false;
        c.c2p = c.p2c = true;
        c.positionBuckets = 256;
        c.maxRelativePositions = 512;
        c.normRelEmbedding = true;
    }
    auto m = Model::random(c, seed);
    if (!m) throw std::runtime_error(m.error());
    return *m;
}

Encoding pairOfLength(const Model& model, int n) {
    const auto& v = model.tokenizer().vocabulary();
    Encoding e;
    e.isPair = true;
    e.lengthA = (n - 3) / 2;
    e.lengthB = n - 3 - e.lengthA;
    auto push = [&](int64_t id, int64_t seg) {
        e.inputIds.push_back(id);
        e.segmentIds.push_back(seg);
        e.tokens.push_back(v.token(id));
    };
    push(v.clsId(), 0);
    for (int i = 0; i < e.lengthA; ++i) push(5 + (i * 7) % (v.size() - 5), 0);
    push(v.sepId(), 0);
    for (int i = 0; i < e.lengthB; ++i) push(5 + (i * 11 + 3) % (v.size() - 5), 1);
    push(v.sepId(), 1);
    return e;
}

double gemmRate(int repeats) {
    at::NoGradGuard noGrad;
    auto a = at::randn({2560, 768}), b = at::randn({768, 3072});
    auto c = at::mm(a, b);  // warm-up
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i) c = at::mm(a, b);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return 2.0 * 2560 * 768 * 3072 * repeats / s / 1e9;
}

double naiveAttribution(Model& model, const Encoding& input, int steps, int chunk) {
    auto& impl = model.impl();
    auto& net = *impl.net;
    for (auto& p : impl.net->parameters()) p.set_requires_grad(true);
    const int N = 128, n = input.size(), L = net.numLayers();
    std::vector<int64_t> ids(N, 0), segs(N, 0);
    std::vector<float> mask(N, -10000.0f);
    for (int i = 0; i < n; ++i) {
        ids[i] = input.inputIds[i];
        segs[i] = input.segmentIds[i];
        mask[i] = 0.0f;
    }
    auto idT = at::tensor(ids).view({1, N}), segT = at::tensor(segs).view({1, N});
    auto keyMask = at::tensor(mask).view({1, 1, 1, N});
    const auto t0 = std::chrono::steady_clock::now();
    for (int t = 0; t < L; ++t) {
        // A fresh clean forward per target layer, graph recorded (parameters require grad).
        auto clean = net.forward(idT, segT, keyMask, {}, true, false);
        auto A = clean.attention[t].detach();
        const int target = static_cast<int>(clean.logits.argmax(-1).item<int64_t>());
        auto step = A * (1.0 / steps);
        at::Tensor total;
        for (int s = 0; s < steps; s += chunk) {
            const int c = std::min(chunk, steps - s);
            auto k = at::arange(s, s + c, at::kFloat).view({c, 1, 1, 1});
            auto X = (step * k).requires_grad_(true);
            auto h = net.embed(idT, segT);
            for (int l = 0; l < L; ++l) {  // layers below t recomputed for every chunk
                LayerHooks hooks;
                hooks.keyMask = &keyMask;
                if (l == t) hooks.replaceProbs = &X;
                h = net.layer(l, h, hooks);
            }
            auto p = at::softmax(net.classify(h.select(1, 0)), -1).select(1, target);
            auto g = torch::autograd::grad({p.sum()}, {X})[0].sum(0);
            total = total.defined() ? total + g : g;
        }
        auto attr = (total * step[0]).narrow(1, 0, n).narrow(2, 0, n);
        (void)attr;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (auto& p : impl.net->parameters()) p.set_requires_grad(false);
    return s;
}

}  // namespace attrscope::bench
