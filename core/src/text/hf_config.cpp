#include "hf_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace attrscope::hf {

namespace fs = std::filesystem;
using nlohmann::json;

Expected<std::string> readTextFile(const std::string& path, size_t maxBytes) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return Status::error(path + ": no such file");
    auto size = fs::file_size(path, ec);
    if (ec || size > maxBytes)
        return Status::error(path + ": file is too large to be a tokenizer file");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in)
        return Status::error(path + ": cannot read the file");
    return content.str();
}

namespace {

Expected<json> readJson(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return json::object();
    auto text = readTextFile(path, size_t{64} << 20);
    if (!text)
        return text.status();
    try {
        json j = json::parse(*text);
        if (!j.is_object())
            return Status::error(path + ": expected a JSON object");
        return j;
    } catch (const json::exception& e) {
        return Status::error(path + ": invalid JSON (" + std::string(e.what()) + ")");
    }
}

std::string contentOf(const json& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v.at("content").is_string())
        return v.at("content").get<std::string>();
    return {};
}

bool boolOf(const json& o, const char* key, bool fallback) {
    return o.is_object() && o.contains(key) && o.at(key).is_boolean() ? o.at(key).get<bool>()
                                                                      : fallback;
}

}  // namespace

std::string FolderConfig::special(const char* key, const std::string& fallback) const {
    for (const json* j : {&tokenizerConfig, &specialTokensMap}) {
        if (j->contains(key)) {
            std::string c = contentOf(j->at(key));
            if (!c.empty())
                return c;
        }
    }
    return fallback;
}

bool FolderConfig::flag(const char* key, bool fallback) const {
    return boolOf(tokenizerConfig, key, fallback);
}

std::vector<AddedToken> FolderConfig::addedTokens(
    const std::function<int64_t(const std::string&)>& lookup) const {
    std::vector<AddedToken> out;
    auto has = [&out](const std::string& c) {
        for (const AddedToken& t : out)
            if (t.content == c)
                return true;
        return false;
    };
    if (tokenizerConfig.contains("added_tokens_decoder") &&
        tokenizerConfig.at("added_tokens_decoder").is_object()) {
        const json& d = tokenizerConfig.at("added_tokens_decoder");
        for (auto it = d.begin(); it != d.end(); ++it) {
            AddedToken t;
            t.content = contentOf(it.value());
            try {
                t.id = std::stoll(it.key());
            } catch (const std::exception&) {
                continue;
            }
            if (t.content.empty() || t.id < 0 || has(t.content))
                continue;
            t.special = boolOf(it.value(), "special", true);
            t.lstrip = boolOf(it.value(), "lstrip", false);
            t.rstrip = boolOf(it.value(), "rstrip", false);
            t.singleWord = boolOf(it.value(), "single_word", false);
            out.push_back(std::move(t));
        }
    }
    for (auto it = addedTokensJson.begin(); it != addedTokensJson.end(); ++it) {
        if (!it.value().is_number_integer() || has(it.key()))
            continue;
        AddedToken t;
        t.content = it.key();
        t.id = it.value().get<int64_t>();
        out.push_back(std::move(t));
    }
    for (const char* key : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
                            "cls_token", "mask_token"}) {
        std::string c = special(key, "");
        if (c.empty() || has(c))
            continue;
        int64_t id = lookup(c);
        if (id < 0)
            continue;
        AddedToken t;
        t.content = c;
        t.id = id;
        t.special = true;
        for (const json* j : {&tokenizerConfig, &specialTokensMap})
            if (j->contains(key) && j->at(key).is_object()) {
                t.lstrip = boolOf(j->at(key), "lstrip", false);
                t.rstrip = boolOf(j->at(key), "rstrip", false);
            }
        out.push_back(std::move(t));
    }
    return out;
}

Expected<FolderConfig> readFolderConfig(const std::string& dir) {
    FolderConfig c;
    struct Item {
        const char* name;
        json* target;
    } items[] = {{"tokenizer_config.json", &c.tokenizerConfig},
                 {"special_tokens_map.json", &c.specialTokensMap},
                 {"added_tokens.json", &c.addedTokensJson},
                 {"config.json", &c.modelConfig}};
    for (const Item& item : items) {
        auto j = readJson((fs::path(dir) / item.name).string());
        if (!j)
            return j.status();
        *item.target = std::move(*j);
    }
    if (c.tokenizerConfig.contains("tokenizer_class") &&
        c.tokenizerConfig.at("tokenizer_class").is_string())
        c.tokenizerClass = c.tokenizerConfig.at("tokenizer_class").get<std::string>();
    if (c.modelConfig.contains("model_type") && c.modelConfig.at("model_type").is_string())
        c.modelType = c.modelConfig.at("model_type").get<std::string>();
    if (c.tokenizerConfig.contains("model_max_length") &&
        c.tokenizerConfig.at("model_max_length").is_number()) {
        double v = c.tokenizerConfig.at("model_max_length").get<double>();
        c.modelMaxLength = v >= 1 && v < 1e9 ? static_cast<int>(v) : 0;
    }
    return c;
}

}  // namespace attrscope::hf
