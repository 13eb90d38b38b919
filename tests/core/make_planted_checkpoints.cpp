// Writes the planted-task checkpoints that test_planted reads (tests/data/planted): seeds 1, 2, 3
// of planted::recipe and the untrained control. Run once; see tests/data/planted/PROVENANCE.md.
//   make_planted_checkpoints OUT_DIR

#include <cstdio>
#include <string>

#include "blas_info.h"
#include "planted_metric.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_planted_checkpoints OUT_DIR\n");
        return 2;
    }
    const std::string outDir = argv[1];
    attrscope::setThreadCount(1);
    std::printf("BLAS: %s\n", blas::kernelName().c_str());
    const auto trainSet = planted::trainSet();
    const auto evalSet = planted::evalSet();
    auto run = [&](const attrscope::TrainOptions& o, const std::string& name) {
        auto report = attrscope::train(trainSet, evalSet, o, outDir + "/" + name);
        if (!report) {
            std::fprintf(stderr, "%s: %s\n", name.c_str(), report.error().c_str());
            return false;
        }
        std::printf("%s: held-out accuracy %.3f, final train loss %.4f, %.1f s\n", name.c_str(),
                    report->bestEvalAccuracy, report->epochs.back().trainLoss, report->seconds);
        std::fflush(stdout);
        return true;
    };
    for (uint64_t seed : {1, 2, 3})
        if (!run(planted::recipe(seed), "seed-" + std::to_string(seed))) return 1;
    return run(planted::controlRecipe(), "control") ? 0 : 1;
}
