// libFuzzer target for the safetensors reader: any bytes must give either a clean error or a file
// whose every tensor lies inside the data section with shape × dtype = byte length, no overlaps.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/safetensors_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    auto file = attrscope::SafetensorsFile::parse(bytes, "fuzz.safetensors");
    if (!file) {
        if (file.error().empty()) std::abort();  // an error must say something
        return 0;
    }
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const auto& e : file->entries()) {
        const int item = attrscope::SafetensorsFile::dtypeSize(e.dtype);
        if (item == 0 || e.begin > e.end) std::abort();
        uint64_t numel = 1;
        for (int64_t d : e.shape) {
            if (d < 0) std::abort();
            numel *= static_cast<uint64_t>(d);
        }
        if (numel * static_cast<uint64_t>(item) != e.end - e.begin) std::abort();
        const uint8_t* p = file->data(e);
        // Touch the first and last byte: ASan reports any read outside the parsed copy.
        if (e.end > e.begin) {
            volatile uint8_t first = p[0], last = p[e.end - e.begin - 1];
            (void)first;
            (void)last;
        }
        ranges.emplace_back(e.begin, e.end);
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second) std::abort();
    return 0;
}
