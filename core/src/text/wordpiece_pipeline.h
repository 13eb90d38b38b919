#pragma once
// vocab.txt as a pipeline: BertNormalizer + BertPreTokenizer + WordPiece + [CLS] A [SEP] (B [SEP]),
// with the slow BertTokenizer's pair truncation and special-token splitting.

#include <memory>
#include <string>
#include <vector>

#include "attrscope/text/tokenizer.h"
#include "hf_config.h"
#include "hf_pipeline.h"

namespace attrscope::hf {

Expected<std::shared_ptr<PipelineTokenizer>> makeWordPieceTokenizer(
    const std::vector<std::string>& vocab, const TokenizerSettings& settings,
    const FolderConfig& config, const std::string& path);

}  // namespace attrscope::hf
