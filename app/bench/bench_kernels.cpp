#include "bench_kernels.h"

#include <ATen/ATen.h>

#include <chrono>
#include <stdexcept>

#include "attrscope/attribution/official_style.h"

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
    auto r = attributeOfficialStyle(model, input, steps, chunk);
    return r ? r->timings.totalSeconds : -1.0;
}

}  // namespace attrscope::bench
