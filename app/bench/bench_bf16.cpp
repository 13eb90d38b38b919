// attrscope-bench --bf16 N THREADS [STEPS]: the bf16 fast mode against float32 on bert-base
// geometry, in one process and one run (the CPU is shared: compare the two, not absolutes):
// seconds of each, per layer the max |bf16 − fp32| relative to the layer's max |fp32|, the
// overlap of the top-10 head-summed interactions, and whether the attribution trees are equal.

#include "bench_bf16.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "attrscope/tree/attribution_tree.h"
#include "bench_kernels.h"

namespace attrscope::bench {

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// GEMM seconds of a 2560×768 @ 768×3072 product in the given dtype (mean of `reps`).
double gemmSeconds(at::ScalarType dtype, int reps) {
    auto a = at::randn({2560, 768}).to(dtype), b = at::randn({768, 3072}).to(dtype);
    at::matmul(a, b);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) at::matmul(a, b);
    return seconds(t0) / reps;
}

std::set<int64_t> top10(const FloatArray& a, int64_t layer) {  // head-summed [n][n]
    const int64_t H = a.dim(1), n = a.dim(2);
    std::vector<std::pair<float, int64_t>> s;
    for (int64_t k = 0; k < n * n; ++k) {
        float v = 0;
        for (int64_t h = 0; h < H; ++h) v += a.block({layer, h})[k];
        s.push_back({v, k});
    }
    std::partial_sort(s.begin(), s.begin() + 10, s.end(),
                      [](const auto& x, const auto& y) { return x.first > y.first; });
    std::set<int64_t> out;
    for (int i = 0; i < 10; ++i) out.insert(s[size_t(i)].second);
    return out;
}

}  // namespace

int bf16Study(int n, int threads, int steps) {
    setThreadCount(threads);
    std::printf("GEMM 2560x768 @ 768x3072: fp32 %.4f s, bf16 %.4f s (same process)\n",
                gemmSeconds(at::kFloat, 10), gemmSeconds(at::kBFloat16, 10));
    auto model = bertBase();
    auto enc = pairOfLength(*model, n);
    AttributionOptions o;
    o.steps = steps;
    model->predict(enc, true);  // warm-up
    auto t0 = std::chrono::steady_clock::now();
    auto ref = attribute(*model, enc, o);
    const double fp32 = seconds(t0);
    o.precision = Precision::Bf16;
    t0 = std::chrono::steady_clock::now();
    auto fast = attribute(*model, enc, o);
    const double bf16 = seconds(t0);
    if (!ref || !fast) return std::fprintf(stderr, "attribution failed\n"), 1;
    const auto a = ref->attributionArray(), b = fast->attributionArray();
    std::printf("bert-base geometry, n = %d, %d thread(s), right m = %d\n", n, threads, steps);
    std::printf("attribution: fp32 %.2f s, bf16 %.2f s, speed-up %.2fx\n", fp32, bf16, fp32 / bf16);
    std::printf("%5s %22s %14s %16s %16s\n", "layer", "max err / max|attr|", "top-10 overlap",
                "compl. err fp32", "compl. err bf16");
    const int64_t L = a.dim(0), per = a.dim(1) * a.dim(2) * a.dim(3);
    double worst = 0;
    int minOverlap = 10;
    for (int64_t l = 0; l < L; ++l) {
        double err = 0, scale = 0;
        for (int64_t k = 0; k < per; ++k) {
            scale = std::max(scale, double(std::fabs(a.block({l})[k])));
            err = std::max(err, double(std::fabs(a.block({l})[k] - b.block({l})[k])));
        }
        const auto ta = top10(a, l), tb = top10(b, l);
        int overlap = 0;
        for (auto k : ta) overlap += tb.count(k) > 0;
        worst = std::max(worst, err / scale);
        minOverlap = std::min(minOverlap, overlap);
        std::printf("%5lld %21.3f%% %11d/10 %16.3e %16.3e\n", static_cast<long long>(l),
                    100 * err / scale, overlap, ref->layers[size_t(l)].completeness.error(),
                    fast->layers[size_t(l)].completeness.error());
    }
    auto treeA = buildAttributionTree(a), treeB = buildAttributionTree(b);
    bool equal = treeA.ok() && treeB.ok() && treeA->root == treeB->root &&
                 treeA->edges.size() == treeB->edges.size();
    if (equal)
        for (size_t e = 0; e < treeA->edges.size(); ++e)
            equal &= treeA->edges[e].parent == treeB->edges[e].parent &&
                     treeA->edges[e].child == treeB->edges[e].child &&
                     treeA->edges[e].layer == treeB->edges[e].layer;
    std::printf("worst layer error %.3f %%, worst top-10 overlap %d/10, trees (tau = 0.4) %s\n",
                100 * worst, minOverlap, equal ? "equal" : "different");
    return 0;
}

}  // namespace attrscope::bench
