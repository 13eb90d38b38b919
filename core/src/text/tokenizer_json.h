#pragma once
// Builds a PipelineTokenizer from a Hugging Face tokenizer.json. Every component the file names
// is either implemented exactly or refused with a message naming it.

#include <memory>
#include <string>

#include "attrscope/status.h"
#include "hf_pipeline.h"

namespace attrscope::hf {

// `path` names the file in messages; `modelMaxLength` comes from tokenizer_config.json.
Expected<std::shared_ptr<PipelineTokenizer>> parseTokenizerJson(const std::string& text,
                                                                const std::string& path,
                                                                int modelMaxLength);

}  // namespace attrscope::hf
