// attrscope-bench: prints the figures recorded in docs/benchmarks.md. With no arguments it runs
// every configuration, each in a child process (so peak memory is per configuration), and prints
// one table. `attrscope-bench --case NAME N THREADS` runs one case and prints one JSON line.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_adaptive.h"
#include "bench_bf16.h"
#include "bench_kernels.h"

using namespace attrscope;

namespace {

double peakMB() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0;
}

// Spec §6.2: forward m·[(L−1−t)·f(n) + 18nd² + 2n²d] per target layer, backward about the same.
double attributionTflop(int n, int steps, int L = 12, double d = 768) {
    const double f = 24.0 * n * d * d + 4.0 * n * n * d;
    double fwd = 0;
    for (int t = 0; t < L; ++t) fwd += steps * ((L - 1 - t) * f + 18.0 * n * d * d + 2.0 * n * n * d);
    return 2.0 * fwd / 1e12;
}

// What our engine actually computes: the last layer is [CLS]-only (K and V for all rows, the rest
// for one row), and a last-layer target substitutes only row 0. Backward ≈ forward, as in §6.2.
double ourTflop(int n, int steps, int L = 12, double d = 768) {
    const double f = 24.0 * n * d * d + 4.0 * n * n * d;
    const double clsLast = 4.0 * n * d * d + 4.0 * n * d + 20.0 * d * d;
    double fwd = 0;
    for (int t = 0; t < L - 1; ++t)
        fwd += steps * ((L - 2 - t) * f + clsLast + 18.0 * n * d * d + 2.0 * n * n * d);
    fwd += steps * (18.0 * d * d + 2.0 * n * d);
    return 2.0 * fwd / 1e12;
}

// DeBERTa's relative-position terms on top of ourTflop: per full layer above the target, the c2p
// and p2c products over the r = min(2·256, 2n − 1) reachable embedding rows; the [CLS]-only last
// layer does one c2p row and the whole p2c product.
double debertaExtraTflop(int n, int steps, int L = 12, double d = 768) {
    const double r = std::min(512, 2 * n - 1);
    const double full = 4.0 * n * r * d, cls = 2.0 * r * d + 2.0 * r * n * d;
    double fwd = 0;
    for (int t = 0; t < L - 1; ++t) fwd += steps * ((L - 2 - t) * full + cls);
    return 2.0 * fwd / 1e12;
}

int runCase(const std::string& name, int n, int threads, int steps, const std::string& rule,
            const std::string& family) {
    setThreadCount(threads);
    if (name == "gemm") {
        std::printf("{\"gflops\": %.1f, \"peak_mb\": %.0f}\n", bench::gemmRate(), peakMB());
        return 0;
    }
    auto model = bench::bertBase(1, family);
    auto enc = bench::pairOfLength(*model, n);
    if (name == "predict") {
        model->predict(enc, true);  // warm-up
        const int reps = 10;
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) model->predict(enc, true);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps;
        std::printf("{\"seconds\": %.4f, \"peak_mb\": %.0f}\n", s, peakMB());
        return 0;
    }
    if (name == "naive") {
        const double s = bench::naiveAttribution(*model, enc, steps, steps);
        std::printf("{\"seconds\": %.2f, \"peak_mb\": %.0f}\n", s, peakMB());
        return 0;
    }
    AttributionOptions opt;
    opt.steps = steps;
    opt.rule = *parseRule(rule);
    auto r = attribute(*model, enc, opt);
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().c_str());
        return 1;
    }
    double err = 0, rel = 0;
    for (const auto& l : r->layers) {
        err += std::fabs(l.completeness.error());
        rel += std::fabs(l.completeness.error()) / std::max(1e-12, std::fabs(l.completeness.delta()));
    }
    std::printf("{\"seconds\": %.2f, \"peak_mb\": %.0f, \"chunk\": %d, \"completeness_abs\": %.3e, "
                "\"completeness_rel\": %.3e}\n",
                r->timings.totalSeconds, peakMB(), r->timings.chunkSize, err / r->layers.size(),
                rel / r->layers.size());
    return 0;
}

std::string child(const std::vector<std::string>& args) {
    std::string cmd = "/proc/self/exe";
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) cmd.assign(self, static_cast<size_t>(len));
    for (const auto& a : args) cmd += " " + a;
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (fgets(buf, sizeof buf, p)) out += buf;
        pclose(p);
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

double field(const std::string& json, const std::string& key) {
    auto p = json.find("\"" + key + "\":");
    return p == std::string::npos ? NAN : std::atof(json.c_str() + p + key.size() + 3);
}

}  // namespace

int main(int argc, char** argv) {
    const char* usage =
        "usage: attrscope-bench [--quick]   every configuration (about ten minutes; --quick: 2 "
        "threads only)\n"
        "       attrscope-bench --case NAME N THREADS [STEPS [RULE [FAMILY]]]   one case, one JSON line\n"
        "       attrscope-bench --families [THREADS]   the family table\n"
        "       attrscope-bench --bf16 N THREADS [STEPS]   bf16 vs fp32 attribution\n"
        "       attrscope-bench --adaptive MODEL DATA FORMAT SPLIT N [TOL CAP START]\n";
    if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::fputs(usage, stdout);
        return 0;
    }
    // Anything unknown is a usage error, never the full ten-minute run.
    const bool known = argc == 1 || (argc == 2 && std::strcmp(argv[1], "--quick") == 0) ||
                       (argc >= 5 && argc <= 8 && std::strcmp(argv[1], "--case") == 0) ||
                       (argc <= 3 && std::strcmp(argv[1], "--families") == 0) ||
                       (argc >= 4 && std::strcmp(argv[1], "--bf16") == 0) ||
                       (argc >= 7 && std::strcmp(argv[1], "--adaptive") == 0);
    if (!known) {
        std::fputs(usage, stderr);
        return 2;
    }
    if (argc >= 4 && std::strcmp(argv[1], "--bf16") == 0)  // N THREADS [STEPS]
        return bench::bf16Study(std::atoi(argv[2]), std::atoi(argv[3]), argc > 4 ? std::atoi(argv[4]) : 20);
    if (argc >= 7 && std::strcmp(argv[1], "--adaptive") == 0)  // MODEL DATA FORMAT SPLIT N [TOL CAP START]
        return bench::adaptiveStudy(argv[2], argv[3], argv[4], argv[5], std::atoi(argv[6]),
                                    argc > 7 ? std::atof(argv[7]) : 0.01, argc > 8 ? std::atoi(argv[8]) : 64,
                                    argc > 9 ? std::atoi(argv[9]) : 4);
    if (argc >= 5 && std::strcmp(argv[1], "--case") == 0) {
        const int steps = argc > 5 ? std::atoi(argv[5]) : 20;
        const std::string rule = argc > 6 ? argv[6] : "right";
        const std::string family = argc > 7 ? argv[7] : "bert";
        return runCase(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), steps, rule, family);
    }
    if (argc > 1 && std::strcmp(argv[1], "--families") == 0) {
        const std::string th = argc > 2 ? argv[2] : "2";
        // The GEMM rate is measured right before and after each family's run and their mean is
        // the denominator: on a shared machine the load changes over the table's 18 minutes, and
        // one rate taken at the start made the same graph (bert, roberta) differ by 17 %.
        std::printf("families: bert-base geometry (12 x 768, 12 heads, FFN 3072), random weights, "
                    "n = 40, m = 20, %s thread(s); of GEMM = computed FLOP/s over the mean GEMM "
                    "rate measured just before and after that family's run\n",
                    th.c_str());
        std::printf("%-12s %9s %9s %8s %10s %10s %8s\n", "family", "ours s", "naive s",
                    "speed-up", "GFLOP/s", "GEMM", "of GEMM");
        for (const char* f : {"bert", "roberta", "xlm-roberta", "distilbert", "electra", "albert",
                              "deberta-v2"}) {
            const double before = field(child({"--case", "gemm", "0", th}), "gflops");
            const double ours = field(child({"--case", "ours", "40", th, "20", "right", f}), "seconds");
            const double after = field(child({"--case", "gemm", "0", th}), "gflops");
            const double naive = field(child({"--case", "naive", "40", th, "20", "right", f}), "seconds");
            const double gemm = 0.5 * (before + after);
            double tf = ourTflop(40, 20);
            if (std::string(f) == "deberta-v2") tf += debertaExtraTflop(40, 20);
            std::printf("%-12s %9.2f %9.2f %7.1fx %10.1f %10.1f %7.0f%%\n", f, ours, naive,
                        naive / ours, tf * 1e3 / ours, gemm, 100.0 * tf * 1e3 / ours / gemm);
            std::fflush(stdout);
        }
        return 0;
    }
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    std::printf("AttrScope benchmark: bert-base geometry (12 layers, 768 hidden, 12 heads, FFN 3072), "
                "random weights, m = 20 unless stated\n\n");
    std::vector<int> threadList = quick ? std::vector<int>{2} : std::vector<int>{1, 2};
    for (int th : threadList) {
        const double gemm = field(child({"--case", "gemm", "0", std::to_string(th)}), "gflops");
        std::printf("== %d thread(s): GEMM 2560x768 @ 768x3072 float32: %.1f GFLOP/s\n", th, gemm);
        for (int n : {40, 128}) {
            auto p = child({"--case", "predict", std::to_string(n), std::to_string(th)});
            std::printf("predict n=%-3d  %.3f s  peak %.0f MB\n", n, field(p, "seconds"), field(p, "peak_mb"));
        }
        for (int n : {40, 128}) {
            auto ours = child({"--case", "ours", std::to_string(n), std::to_string(th)});
            const double s = field(ours, "seconds"), tf = attributionTflop(n, 20),
                         real = ourTflop(n, 20);
            std::printf("attribution n=%-3d ours   %6.2f s  spec-6.2 count %.2f TFLOP, computed %.2f TFLOP "
                        "= %5.1f GFLOP/s = %3.0f%% of GEMM  peak %.0f MB  chunk %g\n",
                        n, s, tf, real, real * 1e3 / s, 100.0 * real * 1e3 / s / gemm,
                        field(ours, "peak_mb"), field(ours, "chunk"));
            if (n == 40 && !quick) {
                auto naive = child({"--case", "naive", "40", std::to_string(th)});
                std::printf("attribution n=40  naive  %6.2f s  (official way: padded to 128, clean forward "
                            "per layer, prefix recomputed, parameters with grad)  peak %.0f MB\n",
                            field(naive, "seconds"), field(naive, "peak_mb"));
            }
        }
        std::printf("\n");
    }
    std::printf("== rules at n=40, 2 threads: time and mean completeness error over the 12 layers\n");
    std::printf("%-15s %3s %8s %12s %12s\n", "rule", "m", "seconds", "mean |err|", "mean rel err");
    for (const char* rule : {"right", "left", "midpoint", "gauss-legendre"})
        for (int m : {4, 8, 20}) {
            auto r = child({"--case", "ours", "40", "2", std::to_string(m), rule});
            std::printf("%-15s %3d %8.2f %12.3e %12.3e\n", rule, m, field(r, "seconds"),
                        field(r, "completeness_abs"), field(r, "completeness_rel"));
        }
    return 0;
}
