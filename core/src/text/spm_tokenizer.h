#pragma once
// SentencePiece .model files (libsentencepiece) with the id conventions and templates of the
// slow Hugging Face tokenizers that use them.

#include <memory>
#include <string>

#include "attrscope/text/text_tokenizer.h"
#include "hf_config.h"

namespace attrscope::hf {

enum class SpmFamily {
    Raw,         // the model's own ids, no template (e.g. BPEmb)
    XlmRoberta,  // ids shifted by one, <s> <pad> </s> <unk> = 0..3, <mask> last
    Albert,      // ALBERT's preprocessing and digit-comma rule, [CLS] A [SEP] (B [SEP])
    DebertaV2,   // whole text to sentencepiece, [CLS] A [SEP] (B [SEP])
};

Expected<std::shared_ptr<TextTokenizer>> loadSentencePiece(const std::string& path,
                                                           const FolderConfig& config,
                                                           SpmFamily family);

}  // namespace attrscope::hf
