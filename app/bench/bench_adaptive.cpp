// attrscope-bench --adaptive MODEL_DIR DATA FORMAT SPLIT N [TOL CAP START]: the adaptive rule
// against the CLI default (right, m = 20) on the first N examples of a dataset: wall time,
// completeness error relative to |F(A) − F(0)| per layer, the m each layer used.

#include "bench_adaptive.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/attribution/attribution.h"
#include "attrscope/data/dataset.h"

namespace attrscope::bench {

int adaptiveStudy(const std::string& modelDir, const std::string& data, const std::string& format,
                  const std::string& split, int n, double tol, int cap, int start) {
    auto model = Model::load(modelDir);
    if (!model) return std::fprintf(stderr, "%s\n", model.error().c_str()), 1;
    DatasetOptions dopt;
    dopt.format = format;
    dopt.split = split;
    dopt.limit = n;
    auto ds = loadDataset(data, dopt);
    if (!ds) return std::fprintf(stderr, "%s\n", ds.error().c_str()), 1;
    auto inputs = encodeDataset(**model, *ds, 0, n);
    if (!inputs) return std::fprintf(stderr, "%s\n", inputs.error().c_str()), 1;

    struct Run {
        double seconds = 0, worstRel = 0, sumRel = 0;
        int layers = 0, withinTol = 0;
        std::map<int, int> steps;
    };
    auto measure = [&](const AttributionOptions& o, Run& run) -> bool {
        for (const auto& e : inputs->encodings) {
            const auto t0 = std::chrono::steady_clock::now();
            auto r = attribute(**model, e, o);
            run.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (!r) return std::fprintf(stderr, "%s\n", r.error().c_str()), false;
            for (const auto& l : r->layers) {
                const double scale = std::max(std::fabs(l.completeness.delta()), 1e-3);
                const double rel = std::fabs(l.completeness.error()) / scale;
                run.worstRel = std::max(run.worstRel, rel);
                run.sumRel += rel;
                ++run.layers;
                run.withinTol += rel <= tol;
                ++run.steps[l.steps];
            }
        }
        return true;
    };
    AttributionOptions right;  // the CLI default
    AttributionOptions adaptive;
    adaptive.rule = Rule::Adaptive;
    adaptive.tolerance = tol;
    adaptive.maxSteps = cap;
    adaptive.steps = start;
    Run a, b;
    // Interleaving is not possible per example without doubling the loads; run right first,
    // then adaptive, both in this process (shared CPU: compare the two, not absolute times).
    if (!measure(right, a) || !measure(adaptive, b)) return 1;
    const int N = inputs->size();
    std::printf("%d examples of %s (%s), model %s, tolerance %.3g, cap %d, start %d\n", N,
                data.c_str(), split.c_str(), modelDir.c_str(), tol, cap, start);
    std::printf("%-22s %10s %18s %18s %22s\n", "rule", "mean s", "mean |err|/|Δ|",
                "worst |err|/|Δ|", "layers within tol");
    for (auto* p : {&a, &b})
        std::printf("%-22s %10.4f %18.3e %18.3e %15d / %d\n",
                    p == &a ? "right m=20" : "adaptive", p->seconds / N, p->sumRel / p->layers,
                    p->worstRel, p->withinTol, p->layers);
    std::printf("adaptive m used per layer:");
    for (auto [m, count] : b.steps) std::printf("  m=%d: %d", m, count);
    std::printf("\n");
    return 0;
}

}  // namespace attrscope::bench
