#include "spm_tokenizer.h"

#include <dlfcn.h>
#include <utf8proc.h>

#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include "hf_unicode.h"
#include "spm_shim.h"
#include "unicode_text.h"

namespace attrscope::hf {

namespace {

// The shim's functions, resolved once (see spm_shim.h for why it is opened by hand).
struct SpmApi {
    decltype(&attrscope_spm_load) load = nullptr;
    decltype(&attrscope_spm_free) free = nullptr;
    decltype(&attrscope_spm_size) size = nullptr;
    decltype(&attrscope_spm_piece_to_id) pieceToId = nullptr;
    decltype(&attrscope_spm_id_to_piece) idToPiece = nullptr;
    decltype(&attrscope_spm_is_unknown) isUnknown = nullptr;
    decltype(&attrscope_spm_encode) encode = nullptr;
    std::string error;
};

const SpmApi& spmApi() {
    static const SpmApi api = [] {
        SpmApi a;
        std::vector<std::string> candidates;
        if (const char* env = std::getenv("ATTRSCOPE_SPM_SHIM"))
            candidates.push_back(env);
        candidates.push_back(ATTRSCOPE_SPM_SHIM_BUILD);
        candidates.push_back(ATTRSCOPE_SPM_SHIM_INSTALL);
        void* lib = nullptr;
        for (const std::string& path : candidates) {
            lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
            if (lib)
                break;
            const char* why = dlerror();
            a.error = "cannot load the SentencePiece support library " + path + " (" +
                      (why ? why : "") + ")";
        }
        if (!lib)
            return a;
        a.load = reinterpret_cast<decltype(a.load)>(dlsym(lib, "attrscope_spm_load"));
        a.free = reinterpret_cast<decltype(a.free)>(dlsym(lib, "attrscope_spm_free"));
        a.size = reinterpret_cast<decltype(a.size)>(dlsym(lib, "attrscope_spm_size"));
        a.pieceToId =
            reinterpret_cast<decltype(a.pieceToId)>(dlsym(lib, "attrscope_spm_piece_to_id"));
        a.idToPiece =
            reinterpret_cast<decltype(a.idToPiece)>(dlsym(lib, "attrscope_spm_id_to_piece"));
        a.isUnknown =
            reinterpret_cast<decltype(a.isUnknown)>(dlsym(lib, "attrscope_spm_is_unknown"));
        a.encode = reinterpret_cast<decltype(a.encode)>(dlsym(lib, "attrscope_spm_encode"));
        if (!a.load || !a.free || !a.size || !a.pieceToId || !a.idToPiece || !a.isUnknown ||
            !a.encode)
            a.error = "the SentencePiece support library lacks its functions";
        else
            a.error.clear();
        return a;
    }();
    return api;
}

struct SpmPiece {
    std::string piece;
    int id;
    uint32_t begin, end;
};

// One loaded model behind the shim.
class SpmModel {
public:
    SpmModel(const SpmApi& api, void* handle) : api_(api), handle_(handle) {}
    ~SpmModel() { api_.free(handle_); }
    SpmModel(const SpmModel&) = delete;
    SpmModel& operator=(const SpmModel&) = delete;

    int size() const { return api_.size(handle_); }
    int pieceToId(const std::string& p) const {
        return api_.pieceToId(handle_, p.data(), p.size());
    }
    std::string idToPiece(int id) const { return api_.idToPiece(handle_, id); }
    bool isUnknown(int id) const { return api_.isUnknown(handle_, id) != 0; }
    std::vector<SpmPiece> encode(const std::string& text) const {
        std::vector<SpmPiece> out;
        api_.encode(
            handle_, text.data(), text.size(),
            [](void* user, const char* piece, size_t length, int id, uint32_t b, uint32_t e) {
                static_cast<std::vector<SpmPiece>*>(user)->push_back(
                    {std::string(piece, length), id, b, e});
            },
            &out);
        return out;
    }

private:
    const SpmApi& api_;
    void* handle_;
};

const std::string kUnderline = "\xE2\x96\x81";  // ▁

struct Piece {
    int64_t id;
    std::string piece;
    Span span;
};

// AlbertTokenizer.preprocess_text: collapse whitespace, `` and '' to ", NFKD without combining
// marks, lower case.
std::string albertPreprocess(const std::string& text, bool removeSpace, bool keepAccents,
                             bool lower) {
    std::u32string s;
    unicode::decodeUtf8(text, s);
    if (removeSpace) {
        std::u32string joined;
        size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && unicode::isPythonSpace(s[i]))
                ++i;
            size_t j = i;
            while (j < s.size() && !unicode::isPythonSpace(s[j]))
                ++j;
            if (j > i) {
                if (!joined.empty())
                    joined.push_back(U' ');
                joined.append(s, i, j - i);
            }
            i = j;
        }
        s = std::move(joined);
    }
    for (const char32_t* quote : {U"``", U"''"}) {
        size_t pos = 0;
        while ((pos = s.find(quote, pos)) != std::u32string::npos) {
            s.replace(pos, 2, U"\"");
            pos += 1;
        }
    }
    if (!keepAccents) {
        std::string utf8 = unicode::toUtf8(s);
        utf8proc_uint8_t* mapped =
            utf8proc_NFKD(reinterpret_cast<const utf8proc_uint8_t*>(utf8.c_str()));
        if (mapped) {
            unicode::decodeUtf8(reinterpret_cast<char*>(mapped), s);
            std::free(mapped);
        }
        std::u32string kept;
        for (char32_t c : s)
            if (!isCombining(c))
                kept.push_back(c);
        s = std::move(kept);
    }
    if (lower)
        s = unicode::pythonLower(s);
    return unicode::toUtf8(s);
}

class SpmTokenizer : public TextTokenizer, public SequenceEncoder {
public:
    SpmTokenizer(std::unique_ptr<SpmModel> sp, SpmFamily family, const FolderConfig& config,
                 std::string path)
        : sp_(std::move(sp)), family_(family) {
        sourceFile_ = std::move(path);
        modelMaxLength_ = config.modelMaxLength;
        const int n = sp_->size();
        if (family_ == SpmFamily::XlmRoberta) {
            fixed_ = {{"<s>", 0}, {"<pad>", 1}, {"</s>", 2}, {"<unk>", 3}};
            fixed_[config.special("mask_token", "<mask>")] = n + 1;
        }
        if (family_ == SpmFamily::Albert) {
            removeSpace_ = config.flag("remove_space", true);
            keepAccents_ = config.flag("keep_accents", false);
            lower_ = config.flag("do_lower_case", true);
        }
        if (family_ != SpmFamily::Raw) {
            added_ = config.addedTokens([this](const std::string& t) { return tokenToId(t); });
            for (AddedToken& t : added_) {
                fixed_.emplace(t.content, t.id);
                std::u32string c;
                unicode::decodeUtf8(t.content, c);
                if (!c.empty())
                    patterns_.emplace_back(c, &t);
            }
            const bool xlmr = family_ == SpmFamily::XlmRoberta;
            std::string cls = config.special("cls_token", xlmr ? "<s>" : "[CLS]");
            std::string sep = config.special("sep_token", xlmr ? "</s>" : "[SEP]");
            post_.specials["cls"] = {{tokenToId(cls)}, {cls}};
            post_.specials["sep"] = {{tokenToId(sep)}, {sep}};
            post_.single = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}};
            if (xlmr)
                post_.pair = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0},
                              {-1, "sep", 0}, {1, {}, 0}, {-1, "sep", 0}};
            else
                post_.pair = {
                    {-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}, {1, {}, 1}, {-1, "sep", 1}};
            post_.present = true;
            hasTypeIds_ = !xlmr;
        }
    }

    bool valid() const {
        for (const auto& [name, ids] : post_.specials)
            if (ids.ids[0] < 0)
                return false;
        return true;
    }

    Expected<Encoding> encode(const std::string& textA, const std::optional<std::string>& textB,
                              const EncodeOptions& options) const override {
        Sequences seq;
        auto a = tokenize(textA, "text A");
        if (!a)
            return a.status();
        seq.a = std::move(*a);
        if (textB) {
            auto b = tokenize(*textB, "text B");
            if (!b)
                return b.status();
            seq.b = std::move(*b);
            seq.hasB = true;
        }
        return encodeSequences(std::move(seq), options);
    }

    Expected<Encoding> encodeSequences(Sequences seq, const EncodeOptions& options) const override {
        int maxLength = options.maxLength > 0 ? options.maxLength : modelMaxLength_;
        auto e = assemble(std::move(seq), post_, PairCut::Slow, options, maxLength);
        if (!e)
            return e;
        e->sourceFile = sourceFile_;
        e->hasTokenTypeIds = hasTypeIds_;
        return e;
    }

    int64_t vocabSize() const override {
        int64_t n = sp_->size() + (family_ == SpmFamily::XlmRoberta ? 1 : 0);
        for (const auto& [t, id] : fixed_)
            n = std::max(n, id + 1);
        return n;
    }

    int64_t tokenToId(const std::string& token) const override {
        auto it = fixed_.find(token);
        if (it != fixed_.end())
            return it->second;
        int id = sp_->pieceToId(token);
        if (sp_->isUnknown(id) && token != sp_->idToPiece(id))
            return -1;
        return family_ == SpmFamily::XlmRoberta ? id + 1 : id;
    }

    std::string idToToken(int64_t id) const override {
        for (const auto& [t, i] : fixed_)
            if (i == id)
                return t;
        int64_t spmId = family_ == SpmFamily::XlmRoberta ? id - 1 : id;
        return spmId >= 0 && spmId < sp_->size() ? sp_->idToPiece(static_cast<int>(spmId))
                                                 : std::string();
    }

    std::string description() const override {
        static const char* names[] = {"raw ids, no template", "XLM-R ids and template",
                                      "ALBERT preprocessing and template", "DeBERTa-v2 template"};
        return std::string("SentencePiece model (") + names[static_cast<int>(family_)] + ")";
    }

private:
    int64_t mapId(int spmId) const {
        if (family_ != SpmFamily::XlmRoberta)
            return spmId;
        return sp_->isUnknown(spmId) ? fixed_.at("<unk>") : spmId + 1;
    }

    std::vector<Piece> encodeChunk(const std::string& chunk) const {
        std::vector<Piece> out;
        for (const SpmPiece& p : sp_->encode(chunk)) {
            Span span{static_cast<int>(p.begin), static_cast<int>(p.end)};
            if (family_ == SpmFamily::Albert && p.piece.size() > 1 && p.piece.back() == ',' &&
                unicode::codePointCount(p.piece) > 1) {
                // AlbertTokenizer re-encodes "9," style pieces without the comma.
                std::string body = p.piece.substr(0, p.piece.size() - 1);
                char before = body.back();
                if (before >= '0' && before <= '9') {
                    std::string plain;
                    for (size_t k = 0; k < body.size();) {
                        if (body.compare(k, kUnderline.size(), kUnderline) == 0)
                            k += kUnderline.size();
                        else
                            plain.push_back(body[k++]);
                    }
                    std::vector<std::string> cur;
                    for (const SpmPiece& q : sp_->encode(plain))
                        cur.push_back(q.piece);
                    if (p.piece.rfind(kUnderline, 0) != 0 && !cur.empty() &&
                        cur[0].rfind(kUnderline, 0) == 0) {
                        if (cur[0] == kUnderline)
                            cur.erase(cur.begin());
                        else
                            cur[0] = cur[0].substr(kUnderline.size());
                    }
                    cur.push_back(",");
                    for (const std::string& c : cur)
                        out.push_back({mapId(sp_->pieceToId(c)), c, span});
                    continue;
                }
            }
            out.push_back({mapId(p.id), p.piece, span});
        }
        return out;
    }

    Expected<std::vector<Token>> tokenize(const std::string& text, const char* what) const {
        std::u32string decoded;
        size_t bad = unicode::decodeUtf8(text, decoded);
        if (bad != std::string::npos)
            return Status::error(std::string(what) + " is not valid UTF-8 (byte " +
                                 std::to_string(bad) + ")");
        AlignedText aligned = AlignedText::fromOriginal(decoded);
        std::vector<Token> out;
        int word = -1;
        for (const AddedSplit& split : splitOnAddedTokens(decoded, patterns_)) {
            if (split.end == split.begin)
                continue;
            const int base = aligned.spans[split.begin].begin;
            const int limit = aligned.spans[split.end - 1].end;
            if (split.token) {
                out.push_back({split.token->id, split.token->content, {base, limit}, ++word});
                continue;
            }
            std::string chunk =
                unicode::toUtf8(decoded.substr(split.begin, split.end - split.begin));
            if (family_ == SpmFamily::Albert)
                chunk = albertPreprocess(chunk, removeSpace_, keepAccents_, lower_);
            bool firstPiece = true;
            for (const Piece& p : encodeChunk(chunk)) {
                if (firstPiece || p.piece.rfind(kUnderline, 0) == 0)
                    ++word;
                firstPiece = false;
                Span span{std::min(base + p.span.begin, limit), std::min(base + p.span.end, limit)};
                out.push_back({p.id, idToToken(p.id), span, word});
            }
        }
        return out;
    }

    std::unique_ptr<SpmModel> sp_;
    SpmFamily family_;
    std::unordered_map<std::string, int64_t> fixed_;  // specials outside the spm vocabulary
    std::vector<AddedToken> added_;
    AddedPatterns patterns_;
    PostTemplate post_;
    bool hasTypeIds_ = false;
    bool removeSpace_ = true, keepAccents_ = false, lower_ = true;
};

}  // namespace

Expected<std::shared_ptr<TextTokenizer>> loadSentencePiece(const std::string& path,
                                                           const FolderConfig& config,
                                                           SpmFamily family) {
    auto bytes = readTextFile(path, size_t{256} << 20);
    if (!bytes)
        return bytes.status();
    const SpmApi& api = spmApi();
    if (!api.error.empty())
        return Status::error(path + ": " + api.error);
    char error[256] = {0};
    void* handle = api.load(bytes->data(), bytes->size(), error, sizeof error);
    if (!handle)
        return Status::error(path + ": not a SentencePiece model (" + error + ")");
    auto sp = std::make_unique<SpmModel>(api, handle);
    auto tokenizer = std::make_shared<SpmTokenizer>(std::move(sp), family, config, path);
    if (!tokenizer->valid())
        return Status::error(path +
                             ": the special tokens of the template are not in the vocabulary");
    return std::shared_ptr<TextTokenizer>(std::move(tokenizer));
}

}  // namespace attrscope::hf
