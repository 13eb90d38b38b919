#pragma once
// A WordPiece vocabulary (vocab.txt: one token per line, id = line number).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "attrscope/status.h"

namespace attrscope {

class Vocabulary {
public:
    static Expected<Vocabulary> fromFile(const std::string& path);
    static Expected<Vocabulary> fromTokens(std::vector<std::string> tokens,
                                           const std::string& sourceName = "vocabulary");

    int64_t size() const { return static_cast<int64_t>(tokens_.size()); }
    bool contains(const std::string& token) const { return ids_.count(token) != 0; }
    // -1 when absent.
    int64_t id(const std::string& token) const;
    const std::string& token(int64_t id) const { return tokens_.at(static_cast<size_t>(id)); }
    const std::vector<std::string>& tokens() const { return tokens_; }

    int64_t clsId() const { return cls_; }
    int64_t sepId() const { return sep_; }
    int64_t unkId() const { return unk_; }
    int64_t padId() const { return pad_; }  // -1 when the vocabulary has no [PAD]

    Status save(const std::string& path) const;

private:
    // fromLines: entries are named "line N" (1-based) in messages, else "index N".
    static Expected<Vocabulary> fromTokensImpl(std::vector<std::string> tokens,
                                               const std::string& name, bool fromLines);

    std::vector<std::string> tokens_;
    std::unordered_map<std::string, int64_t> ids_;
    int64_t cls_ = -1, sep_ = -1, unk_ = -1, pad_ = -1;
};

}  // namespace attrscope
