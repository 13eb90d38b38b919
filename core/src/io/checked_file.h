#pragma once
// Reading a user-supplied file without trusting it: regular files only (a FIFO would hang, a
// device such as /dev/zero never ends) and a size cap per kind of file, checked before reading.

#include <cstdint>
#include <string>

#include "attrscope/status.h"

namespace attrscope {

// Caps for the side files of a model folder and the JSON files users load.
constexpr uint64_t kMaxSmallJsonBytes = 16ull << 20;  // config.json, tokenizer_config.json, ...
constexpr uint64_t kMaxVocabularyBytes = 64ull << 20;  // vocab.txt (bert-base: 232 kB)
constexpr uint64_t kNoSizeCap = UINT64_MAX;

// The whole file as bytes. `what` names the file's role in messages ("model config").
Expected<std::string> readRegularFile(const std::string& path, const std::string& what,
                                      uint64_t maxBytes = kNoSizeCap);

}  // namespace attrscope
