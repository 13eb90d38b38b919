#include "attrscope/text/vocabulary.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "io/checked_file.h"
#include "unicode_text.h"

namespace attrscope {

namespace {

// How the entries are named in messages: lines of a file (1-based) or indices of a list.
enum class Origin { kFile, kList };

std::string position(Origin origin, size_t index) {
    return origin == Origin::kFile ? "line " + std::to_string(index + 1)
                                   : "index " + std::to_string(index);
}

}  // namespace

Expected<Vocabulary> Vocabulary::fromFile(const std::string& path) {
    auto read = readRegularFile(path, "vocabulary", kMaxVocabularyBytes);
    if (!read)
        return read.status();
    std::string content = std::move(read.value());
    // A UTF-8 byte-order mark would otherwise become part of the first token.
    if (content.compare(0, 3, "\xEF\xBB\xBF") == 0)
        content.erase(0, 3);
    if (content.empty())
        return Status::error(path + ": vocabulary is empty");

    std::vector<std::string> tokens;
    size_t start = 0;
    while (start < content.size()) {
        size_t end = content.find('\n', start);
        if (end == std::string::npos)
            end = content.size();  // no final newline
        std::string line = content.substr(start, end - start);
        // Like the official load_vocab's str.strip(): surrounding ASCII whitespace (and the \r of
        // CRLF files) is not part of the token.
        size_t first = line.find_first_not_of(" \t\r\f\v");
        size_t last = line.find_last_not_of(" \t\r\f\v");
        line = first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
        tokens.push_back(std::move(line));
        start = end + 1;
    }
    return fromTokensImpl(std::move(tokens), path, true);
}

Expected<Vocabulary> Vocabulary::fromTokens(std::vector<std::string> tokens,
                                            const std::string& sourceName) {
    return fromTokensImpl(std::move(tokens), sourceName, false);
}

Expected<Vocabulary> Vocabulary::fromTokensImpl(std::vector<std::string> tokens,
                                                const std::string& name, bool fromLines) {
    Origin origin = fromLines ? Origin::kFile : Origin::kList;
    if (tokens.empty())
        return Status::error(name + ": vocabulary is empty");
    Vocabulary vocab;
    vocab.ids_.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
        const std::string& token = tokens[i];
        std::u32string decoded;
        size_t bad = unicode::decodeUtf8(token, decoded);
        if (bad != std::string::npos)
            return Status::error(name + ": " + position(origin, i) + " is not valid UTF-8 (byte " +
                                 std::to_string(bad) + ")");
        if (token.find_first_of("\r\n") != std::string::npos)
            return Status::error(name + ": " + position(origin, i) + " contains a line break");
        auto inserted = vocab.ids_.emplace(token, static_cast<int64_t>(i));
        if (!inserted.second) {
            size_t previous = static_cast<size_t>(inserted.first->second);
            return Status::error(name + ": duplicate token \"" + token + "\" at " +
                                 position(origin, i) + " (first at " + position(origin, previous) +
                                 ")");
        }
    }
    vocab.tokens_ = std::move(tokens);
    for (const char* required : {"[CLS]", "[SEP]", "[UNK]"}) {
        if (!vocab.contains(required))
            return Status::error(name + ": vocabulary has no " + required + " token");
    }
    vocab.cls_ = vocab.id("[CLS]");
    vocab.sep_ = vocab.id("[SEP]");
    vocab.unk_ = vocab.id("[UNK]");
    vocab.pad_ = vocab.id("[PAD]");
    return vocab;
}

int64_t Vocabulary::id(const std::string& token) const {
    auto it = ids_.find(token);
    return it == ids_.end() ? -1 : it->second;
}

Status Vocabulary::save(const std::string& path) const {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!file)
        return Status::error(path + ": cannot write vocabulary (" + std::strerror(errno) + ")");
    for (const std::string& token : tokens_) {
        if (std::fwrite(token.data(), 1, token.size(), file.get()) != token.size() ||
            std::fputc('\n', file.get()) == EOF)
            return Status::error(path + ": cannot write vocabulary (" + std::strerror(errno) + ")");
    }
    FILE* raw = file.release();
    if (std::fclose(raw) != 0)
        return Status::error(path + ": cannot write vocabulary (" + std::strerror(errno) + ")");
    return Status::success();
}

}  // namespace attrscope
