// libFuzzer target for dataset files (TSV/CSV in every supported format): the first byte picks
// the format and CSV quoting, the rest is the file. Any bytes give a one-line error naming the
// file and line, or examples that all have a text and a label.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "attrscope/data/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    static const std::string path = "/tmp/attrscope-fuzz-dataset-" + std::to_string(::getpid());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    }
    static const char* formats[] = {"sick", "sst2", "rte", "mrpc", "glue-pair", "glue-single"};
    attrscope::DatasetOptions o;
    o.format = formats[data[0] % 6];
    o.csvQuoting = (data[0] >> 3) & 1;
    auto d = attrscope::loadDataset(path, o);
    if (!d) {
        if (d.error().empty() || d.error().find('\n') != std::string::npos) std::abort();
        return 0;
    }
    for (const auto& e : d->examples)
        if (e.label.empty() && d->labelNames.empty()) std::abort();
    return 0;
}
