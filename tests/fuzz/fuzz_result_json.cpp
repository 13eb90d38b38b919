// libFuzzer target for result JSON and session files (the GUI and `tree --result` read both):
// any bytes give a one-line error or a result whose arrays agree with its token count.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "attrscope/json/result_json.h"
#include "attrscope/json/session.h"

// The writers in result_json.cpp need these two (defined in attribution.cpp, which needs
// LibTorch); the parsers under test never call them.
namespace attrscope {
const LayerAttribution* AttributionResult::layer(int) const { std::abort(); }
FloatArray AttributionResult::attributionArray() const { std::abort(); }
}  // namespace attrscope

namespace {
void requireMessage(const std::string& error) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto result = attrscope::resultFromJson(text, "fuzz/result.json");
    if (!result) {
        requireMessage(result.error());
    } else {
        const size_t n = result->encoding.tokens.size();
        if (result->encoding.inputIds.size() != n || result->encoding.segmentIds.size() != n)
            std::abort();
        for (const auto& layer : result->layers)
            if (layer.attribution.data.size() != attrscope::FloatArray::count(layer.attribution.shape))
                std::abort();
    }
    auto session = attrscope::sessionFromJson(text, "fuzz/session.json");
    if (!session) requireMessage(session.error());
    return 0;
}
