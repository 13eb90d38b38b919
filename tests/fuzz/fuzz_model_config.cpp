// libFuzzer target for config.json: ModelConfig::fromJson plus the load-time validation. Any bytes
// give either a one-line error or a config that cannot fail later at forward time (divisible
// heads, probabilities in [0, 1], pad id inside the vocabulary, named labels).

#include <cstdint>
#include <cstdlib>
#include <string>

#include "attrscope/model/model_config.h"
#include "model/config_validation.h"

namespace {
void requireMessage(const std::string& error) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto config = attrscope::ModelConfig::fromJson(text, "fuzz/config.json");
    if (!config) {
        requireMessage(config.error());
        return 0;
    }
    const auto valid = attrscope::validateModelConfig(*config, "fuzz/config.json");
    if (!valid) {
        requireMessage(valid.message());
        return 0;
    }
    const auto& c = *config;
    if (c.hiddenSize % c.numHeads != 0 || c.numLabels() < 1 || c.padTokenId < 0 ||
        c.padTokenId >= c.vocabSize || !(c.hiddenDropout >= 0 && c.hiddenDropout <= 1) ||
        !(c.attentionDropout >= 0 && c.attentionDropout <= 1))
        std::abort();
    for (const auto& label : c.id2label)
        if (label.empty()) std::abort();
    return 0;
}
