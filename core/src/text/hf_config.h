#pragma once
// The Hugging Face files beside a tokenizer that set its conventions: tokenizer_config.json,
// special_tokens_map.json, added_tokens.json and config.json (all optional).

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/status.h"
#include "hf_pipeline.h"

namespace attrscope::hf {

struct FolderConfig {
    nlohmann::json tokenizerConfig = nlohmann::json::object();
    nlohmann::json specialTokensMap = nlohmann::json::object();
    nlohmann::json addedTokensJson = nlohmann::json::object();
    nlohmann::json modelConfig = nlohmann::json::object();
    std::string tokenizerClass;  // e.g. "XLMRobertaTokenizer" (empty when absent)
    std::string modelType;       // config.json's model_type
    int modelMaxLength = 0;      // 0: absent or HF's "unlimited" (≥ 1e9)

    // A special token's content ("cls_token" → "[CLS]") from tokenizer_config.json or
    // special_tokens_map.json, else the fallback.
    std::string special(const char* key, const std::string& fallback) const;
    bool flag(const char* key, bool fallback) const;
    // added_tokens_decoder, added_tokens.json and the special tokens (ids via `lookup`, -1 when
    // unknown), as the slow tokenizers split on them: matched in the raw text.
    std::vector<AddedToken> addedTokens(
        const std::function<int64_t(const std::string&)>& lookup) const;
};

Expected<FolderConfig> readFolderConfig(const std::string& dir);

// Reads a whole (small or large) file; errors name the path.
Expected<std::string> readTextFile(const std::string& path, size_t maxBytes = size_t{1} << 30);

}  // namespace attrscope::hf
