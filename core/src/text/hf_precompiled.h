#pragma once
// The tokenizer.json normalizer "Precompiled": SentencePiece's precompiled_charsmap (a Darts-clone
// double-array trie of UTF-8 keys and a blob of NUL-terminated replacements), applied per
// grapheme as the Rust core (spm_precompiled) does.

#include <memory>
#include <string>

#include "hf_pipeline.h"

namespace attrscope::hf {

// `charsmapBase64` is the JSON field's value; a malformed map is refused with the reason.
Expected<std::unique_ptr<Normalizer>> precompiledNormalizer(const std::string& charsmapBase64);

}  // namespace attrscope::hf
