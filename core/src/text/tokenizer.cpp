#include "attrscope/text/tokenizer.h"

#include "io/checked_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "unicode_text.h"
#include "wordpiece_pipeline.h"

namespace attrscope {

namespace {

// The official WordpieceTokenizer's max_input_chars_per_word.
constexpr size_t kMaxCharsPerWord = 100;

// Whole words the official BasicTokenizer neither lower-cases nor splits (its never_split).
bool isNeverSplit(const std::u32string& word) {
    static const std::u32string kNeverSplit[] = {U"[UNK]", U"[SEP]", U"[PAD]", U"[CLS]", U"[MASK]"};
    return std::find(std::begin(kNeverSplit), std::end(kNeverSplit), word) != std::end(kNeverSplit);
}

std::string invalidUtf8(const std::string& what, size_t byte) {
    return what + " is not valid UTF-8 (byte " + std::to_string(byte) + ")";
}

// Lower-casing, accent stripping and punctuation splitting of one whitespace-separated word.
void splitWord(std::u32string word, const TokenizerSettings& settings,
               std::vector<std::string>& out) {
    if (!isNeverSplit(word)) {
        // HF semantics: an unset strip_accents follows do_lower_case.
        bool strip = settings.stripAccents.value_or(settings.doLowerCase);
        if (settings.doLowerCase)
            word = unicode::pythonLower(word);
        if (strip)
            word = unicode::stripAccents(word);
    }
    if (isNeverSplit(word)) {
        out.push_back(unicode::toUtf8(word));
        return;
    }
    std::string current;
    for (char32_t cp : word) {
        if (unicode::isBertPunctuation(cp)) {
            if (!current.empty())
                out.push_back(std::move(current));
            current.clear();
            std::string mark;
            unicode::appendUtf8(cp, mark);
            out.push_back(std::move(mark));
        } else {
            unicode::appendUtf8(cp, current);
        }
    }
    if (!current.empty())
        out.push_back(std::move(current));
}

// The official BasicTokenizer.tokenize on decoded text.
std::vector<std::string> basicTokens(const std::u32string& text,
                                     const TokenizerSettings& settings) {
    std::u32string cleaned;
    cleaned.reserve(text.size() + 16);
    for (char32_t cp : text) {
        if (cp == 0 || cp == 0xFFFD || unicode::isBertControl(cp))
            continue;
        if (unicode::isBertWhitespace(cp)) {
            cleaned.push_back(U' ');
        } else if (settings.tokenizeChineseChars && unicode::isCjkIdeograph(cp)) {
            cleaned.push_back(U' ');
            cleaned.push_back(cp);
            cleaned.push_back(U' ');
        } else {
            cleaned.push_back(cp);
        }
    }
    // Python's str.split() also splits on U+2028/U+2029, which cleaning leaves in place.
    std::vector<std::string> out;
    size_t i = 0;
    const size_t n = cleaned.size();
    while (i < n) {
        while (i < n && unicode::isPythonSpace(cleaned[i]))
            ++i;
        size_t j = i;
        while (j < n && !unicode::isPythonSpace(cleaned[j]))
            ++j;
        if (j > i)
            splitWord(cleaned.substr(i, j - i), settings, out);
        i = j;
    }
    return out;
}

// Greedy longest-match-first WordPiece of one word; a word with an unmatchable remainder or over
// 100 code points becomes a single [UNK].
void appendWordPieces(const std::string& word, const Vocabulary& vocab,
                      std::vector<std::string>& out) {
    if (word.empty())
        return;
    // Byte offset of each code point, plus the end.
    std::vector<size_t> starts{0};
    for (size_t i = 1; i < word.size(); ++i) {
        if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80)
            starts.push_back(i);
    }
    const size_t chars = starts.size();
    starts.push_back(word.size());
    const std::string unk = vocab.unkId() >= 0 ? vocab.token(vocab.unkId()) : "[UNK]";
    if (chars > kMaxCharsPerWord) {
        out.push_back(unk);
        return;
    }
    std::vector<std::string> pieces;
    std::string candidate;
    size_t start = 0;
    while (start < chars) {
        size_t end = chars;
        bool found = false;
        for (; end > start; --end) {
            candidate.assign(start > 0 ? "##" : "");
            candidate.append(word, starts[start], starts[end] - starts[start]);
            if (vocab.contains(candidate)) {
                found = true;
                break;
            }
        }
        if (!found) {
            out.push_back(unk);
            return;
        }
        pieces.push_back(candidate);
        start = end;
    }
    for (auto& piece : pieces)
        out.push_back(std::move(piece));
}

// The official _truncate_seq_pair: pop from the longer list, from B when they are equal.
void truncatePair(int& lengthA, int& lengthB, int maxTotal) {
    while (lengthA + lengthB > maxTotal) {
        if (lengthA > lengthB)
            --lengthA;
        else
            --lengthB;
    }
}

std::string pieces(int n) {
    return std::to_string(n) + (n == 1 ? " word piece" : " word pieces");
}

Expected<bool> readBool(const nlohmann::json& j, const char* key, bool fallback,
                        const std::string& path) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        return Status::error(path + ": \"" + key + "\" must be true or false");
    return it->get<bool>();
}

}  // namespace

Expected<TokenizerSettings> TokenizerSettings::fromFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return TokenizerSettings{};
    try {
        auto content = readRegularFile(path, "tokenizer settings", kMaxSmallJsonBytes);
        if (!content)
            return content.status();
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(*content);
        } catch (const nlohmann::json::exception& e) {
            // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
            std::string what = e.what();
            size_t bracket = what.find("] ");
            if (what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
                what.erase(0, bracket + 2);
            return Status::error(path + ": invalid JSON (" + what + ")");
        }
        if (!j.is_object())
            return Status::error(path + ": expected a JSON object");

        TokenizerSettings settings;
        auto lower = readBool(j, "do_lower_case", settings.doLowerCase, path);
        if (!lower)
            return lower.status();
        settings.doLowerCase = *lower;
        auto chinese = readBool(j, "tokenize_chinese_chars", settings.tokenizeChineseChars, path);
        if (!chinese)
            return chinese.status();
        settings.tokenizeChineseChars = *chinese;
        auto strip = j.find("strip_accents");
        if (strip != j.end() && !strip->is_null()) {
            if (!strip->is_boolean())
                return Status::error(path + ": \"strip_accents\" must be true, false or null");
            settings.stripAccents = strip->get<bool>();
        }
        return settings;
    } catch (const std::exception& e) {
        return Status::error(path + ": cannot read tokenizer settings (" + e.what() + ")");
    }
}

std::string TokenizerSettings::toJson() const {
    nlohmann::json j = nlohmann::json::object();
    j["do_lower_case"] = doLowerCase;
    j["strip_accents"] = stripAccents ? nlohmann::json(*stripAccents) : nlohmann::json(nullptr);
    j["tokenize_chinese_chars"] = tokenizeChineseChars;
    return j.dump(2);
}

Tokenizer::Tokenizer(Vocabulary vocab, TokenizerSettings settings)
    : vocab_(std::move(vocab)), settings_(std::move(settings)) {
    auto pipeline = hf::makeWordPieceTokenizer(vocab_.tokens(), settings_, hf::FolderConfig{}, "vocab.txt");
    if (pipeline)
        pipeline_ = std::move(*pipeline);
}

Expected<Encoding> Tokenizer::encode(const std::string& textA,
                                     const std::optional<std::string>& textB,
                                     const EncodeOptions& options) const {
    if (!pipeline_)
        return Status::error("the vocabulary has no [CLS] or [SEP] token");
    return pipeline_->encode(textA, textB, options);
}

std::string Tokenizer::idToToken(int64_t id) const {
    return id >= 0 && id < vocab_.size() ? vocab_.token(id) : std::string();
}

std::string Tokenizer::description() const {
    return pipeline_ ? pipeline_->description() : "WordPiece from vocab.txt";
}

Expected<std::vector<std::string>> Tokenizer::basicTokenize(const std::string& text) const {
    std::u32string decoded;
    size_t bad = unicode::decodeUtf8(text, decoded);
    if (bad != std::string::npos)
        return Status::error(invalidUtf8("text", bad));
    return basicTokens(decoded, settings_);
}

std::vector<std::string> Tokenizer::wordPiece(const std::string& word) const {
    std::vector<std::string> out;
    appendWordPieces(word, vocab_, out);
    return out;
}

Expected<std::vector<std::string>> Tokenizer::tokenize(const std::string& text) const {
    auto words = basicTokenize(text);
    if (!words)
        return words.status();
    std::vector<std::string> out;
    out.reserve(words->size() + words->size() / 4);
    for (const std::string& word : *words)
        appendWordPieces(word, vocab_, out);
    return out;
}

Expected<Encoding> Tokenizer::encode(const std::string& textA,
                                     const std::optional<std::string>& textB, int maxLength) const {
    if (vocab_.clsId() < 0 || vocab_.sepId() < 0 || vocab_.unkId() < 0)
        return Status::error("the vocabulary has no [CLS], [SEP] or [UNK] token");
    // Like the official `if example.text_b:`, only an absent or empty B means a single sentence.
    const bool hasB = textB.has_value() && !textB->empty();
    const int specials = hasB ? 3 : 2;
    if (maxLength < specials)
        return Status::error("maximum length " + std::to_string(maxLength) + " is too small: " +
                             (hasB ? "a pair needs at least 3 tokens"
                                   : "a single sentence needs at least 2 tokens"));

    std::u32string decoded;
    size_t bad = unicode::decodeUtf8(textA, decoded);
    if (bad != std::string::npos)
        return Status::error(invalidUtf8("text A", bad));
    if (std::all_of(decoded.begin(), decoded.end(), unicode::isPythonSpace))
        return Status::error("text A is empty");
    std::vector<std::string> tokensA;
    for (const std::string& word : basicTokens(decoded, settings_))
        appendWordPieces(word, vocab_, tokensA);

    std::vector<std::string> tokensB;
    if (hasB) {
        bad = unicode::decodeUtf8(*textB, decoded);
        if (bad != std::string::npos)
            return Status::error(invalidUtf8("text B", bad));
        for (const std::string& word : basicTokens(decoded, settings_))
            appendWordPieces(word, vocab_, tokensB);
    }

    Encoding e;
    e.originalLengthA = static_cast<int>(tokensA.size());
    e.originalLengthB = static_cast<int>(tokensB.size());
    int lengthA = e.originalLengthA, lengthB = e.originalLengthB;
    if (hasB)
        truncatePair(lengthA, lengthB, maxLength - 3);
    else
        lengthA = std::min(lengthA, maxLength - 2);
    tokensA.resize(static_cast<size_t>(lengthA));
    tokensB.resize(static_cast<size_t>(lengthB));

    // The official code appends B and its [SEP] only when B kept at least one piece.
    e.isPair = !tokensB.empty();
    e.lengthA = lengthA;
    e.lengthB = lengthB;
    const size_t total = tokensA.size() + tokensB.size() + (e.isPair ? 3 : 2);
    e.tokens.reserve(total);
    e.segmentIds.reserve(total);
    e.tokens.push_back(vocab_.token(vocab_.clsId()));
    for (auto& t : tokensA)
        e.tokens.push_back(std::move(t));
    e.tokens.push_back(vocab_.token(vocab_.sepId()));
    e.segmentIds.assign(e.tokens.size(), 0);
    if (e.isPair) {
        for (auto& t : tokensB)
            e.tokens.push_back(std::move(t));
        e.tokens.push_back(vocab_.token(vocab_.sepId()));
        e.segmentIds.resize(e.tokens.size(), 1);
    }
    e.inputIds.reserve(total);
    for (const std::string& t : e.tokens)
        e.inputIds.push_back(vocab_.id(t));

    const int removedA = e.originalLengthA - lengthA;
    const int removedB = e.originalLengthB - lengthB;
    e.truncated = removedA > 0 || removedB > 0;
    if (e.truncated) {
        std::string what;
        if (removedA > 0 && removedB > 0)
            what = pieces(removedA) + " from A and " + std::to_string(removedB) + " from B";
        else if (removedA > 0)
            what = pieces(removedA) + " from A";
        else
            what = pieces(removedB) + " from B";
        e.truncationNote = "removed " + what + " to fit " + std::to_string(maxLength) + " tokens";
    }
    return e;
}

}  // namespace attrscope
