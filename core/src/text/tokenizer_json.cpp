#include "tokenizer_json.h"

#include <nlohmann/json.hpp>

#include "hf_components.h"
#include "hf_precompiled.h"
#include "unicode_text.h"

namespace attrscope::hf {

namespace {

using nlohmann::json;

// Parsing stops at the first problem; the message becomes the Status.
struct Refusal {
    std::string message;
};

[[noreturn]] void refuse(const std::string& message) {
    throw Refusal{message};
}

const json& field(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key))
        refuse(std::string("missing \"") + key + "\"");
    return j.at(key);
}

std::string str(const json& j, const char* key, const std::string& fallback = {}) {
    if (!j.is_object() || !j.contains(key) || j.at(key).is_null())
        return fallback;
    if (!j.at(key).is_string())
        refuse(std::string("\"") + key + "\" must be a string");
    return j.at(key).get<std::string>();
}

bool flag(const json& j, const char* key, bool fallback) {
    if (!j.is_object() || !j.contains(key) || j.at(key).is_null())
        return fallback;
    if (!j.at(key).is_boolean())
        refuse(std::string("\"") + key + "\" must be true or false");
    return j.at(key).get<bool>();
}

int64_t integer(const json& j, const char* what) {
    if (!j.is_number_integer() && !j.is_number_unsigned())
        refuse(std::string(what) + " must be an integer");
    int64_t v = j.get<int64_t>();
    if (v < 0 || v > (int64_t{1} << 31))
        refuse(std::string(what) + " " + std::to_string(v) + " is out of range");
    return v;
}

std::u32string u32(const std::string& s) {
    std::u32string out;
    if (unicode::decodeUtf8(s, out) != std::string::npos)
        refuse("a pattern is not valid UTF-8");
    return out;
}

std::string typeOf(const json& j, const char* stage) {
    if (!j.is_object())
        refuse(std::string(stage) + " must be an object");
    std::string type = str(j, "type");
    if (type.empty())
        refuse(std::string(stage) + " has no \"type\"");
    return type;
}

// {"String": "..."} or {"Regex": "..."}
void pattern(const json& j, std::shared_ptr<const Regex>& regex, std::u32string& literal) {
    if (j.is_object() && j.contains("Regex")) {
        auto compiled = Regex::compile(u32(str(j, "Regex")));
        if (!compiled)
            refuse(compiled.error());
        regex = *compiled;
    } else if (j.is_object() && j.contains("String")) {
        literal = u32(str(j, "String"));
    } else {
        refuse("a pattern must be {\"String\": …} or {\"Regex\": …}");
    }
}

void addNormalizer(const json& j, Pipeline& p, int depth) {
    if (j.is_null())
        return;
    if (depth > 8)
        refuse("normalizer Sequence nested too deeply");
    std::string type = typeOf(j, "normalizer");
    if (type == "Sequence") {
        const json& list = field(j, "normalizers");
        if (!list.is_array())
            refuse("normalizer Sequence needs a list");
        for (const json& n : list)
            addNormalizer(n, p, depth + 1);
    } else if (type == "BertNormalizer") {
        bool lower = flag(j, "lowercase", true);
        p.normalizers.push_back(bertNormalizer(flag(j, "clean_text", true),
                                               flag(j, "handle_chinese_chars", true),
                                               flag(j, "strip_accents", lower), lower, false));
    } else if (type == "NFC") {
        p.normalizers.push_back(formNormalizer(NormalForm::NFC));
    } else if (type == "NFD") {
        p.normalizers.push_back(formNormalizer(NormalForm::NFD));
    } else if (type == "NFKC") {
        p.normalizers.push_back(formNormalizer(NormalForm::NFKC));
    } else if (type == "NFKD") {
        p.normalizers.push_back(formNormalizer(NormalForm::NFKD));
    } else if (type == "Lowercase") {
        p.normalizers.push_back(lowercaseNormalizer());
    } else if (type == "StripAccents") {
        p.normalizers.push_back(stripAccentsNormalizer());
    } else if (type == "Strip") {
        p.normalizers.push_back(
            stripNormalizer(flag(j, "strip_left", true), flag(j, "strip_right", true)));
    } else if (type == "Prepend") {
        p.normalizers.push_back(prependNormalizer(u32(str(j, "prepend"))));
    } else if (type == "Replace") {
        std::shared_ptr<const Regex> re;
        std::u32string literal;
        pattern(field(j, "pattern"), re, literal);
        p.normalizers.push_back(replaceNormalizer(re, literal, u32(str(j, "content"))));
    } else if (type == "Precompiled") {
        auto n = precompiledNormalizer(str(j, "precompiled_charsmap"));
        if (!n)
            refuse("normalizer Precompiled: " + n.error());
        p.normalizers.push_back(std::move(*n));
    } else {
        refuse("normalizer '" + type + "' is not supported");
    }
}

SplitBehavior behavior(const json& j, SplitBehavior fallback) {
    std::string name = str(j, "behavior");
    if (name.empty())
        return fallback;
    auto b = parseBehavior(name);
    if (!b)
        refuse(b.error());
    return *b;
}

void addPreTokenizer(const json& j, Pipeline& p, int depth) {
    if (j.is_null())
        return;
    if (depth > 8)
        refuse("pre-tokenizer Sequence nested too deeply");
    std::string type = typeOf(j, "pre_tokenizer");
    if (type == "Sequence") {
        const json& list = field(j, "pretokenizers");
        if (!list.is_array())
            refuse("pre-tokenizer Sequence needs a list");
        for (const json& n : list)
            addPreTokenizer(n, p, depth + 1);
    } else if (type == "BertPreTokenizer") {
        p.preTokenizers.push_back(bertPreTokenizer());
    } else if (type == "ByteLevel") {
        p.preTokenizers.push_back(
            byteLevelPreTokenizer(flag(j, "add_prefix_space", true), flag(j, "use_regex", true)));
    } else if (type == "Whitespace") {
        // The Rust regex crate's Unicode \w and \s, spelled out for PCRE2.
        const std::u32string w = U"\\p{L}\\p{Nl}\\p{M}\\p{Nd}\\p{Pc}\\x{200C}\\x{200D}";
        const std::u32string ws =
            U"\\t-\\r "
            U"\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{"
            U"3000}";
        auto re = Regex::compile(U"[" + w + U"]+|[^" + w + ws + U"]+");
        if (!re)
            refuse(re.error());
        p.preTokenizers.push_back(whitespacePreTokenizer(*re));
    } else if (type == "WhitespaceSplit") {
        p.preTokenizers.push_back(whitespaceSplitPreTokenizer());
    } else if (type == "Punctuation") {
        p.preTokenizers.push_back(punctuationPreTokenizer(behavior(j, SplitBehavior::Isolated)));
    } else if (type == "Digits") {
        p.preTokenizers.push_back(digitsPreTokenizer(flag(j, "individual_digits", false)));
    } else if (type == "Split") {
        std::shared_ptr<const Regex> re;
        std::u32string literal;
        pattern(field(j, "pattern"), re, literal);
        p.preTokenizers.push_back(splitPreTokenizer(
            re, literal, behavior(j, SplitBehavior::Removed), flag(j, "invert", false)));
    } else if (type == "Metaspace") {
        std::u32string r = u32(str(j, "replacement", "\xE2\x96\x81"));
        if (r.size() != 1)
            refuse("Metaspace replacement must be one character");
        PrependScheme scheme =
            flag(j, "add_prefix_space", true) ? PrependScheme::Always : PrependScheme::Never;
        std::string s = str(j, "prepend_scheme");
        if (s == "always")
            scheme = PrependScheme::Always;
        else if (s == "first")
            scheme = PrependScheme::First;
        else if (s == "never")
            scheme = PrependScheme::Never;
        else if (!s.empty())
            refuse("Metaspace prepend_scheme '" + s + "' is not supported");
        p.preTokenizers.push_back(metaspacePreTokenizer(r[0], scheme, flag(j, "split", true)));
    } else {
        refuse("pre-tokenizer '" + type + "' is not supported");
    }
}

std::string modelType(const json& m) {
    std::string type = str(m, "type");
    if (!type.empty())
        return type;
    if (m.contains("merges"))
        return "BPE";  // files written before "type" existed
    if (m.contains("vocab") && m.at("vocab").is_array())
        return "Unigram";
    if (m.contains("continuing_subword_prefix"))
        return "WordPiece";
    return "WordLevel";
}

std::unordered_map<std::string, int64_t> vocabMap(const json& v) {
    if (!v.is_object())
        refuse("model vocab must be an object of token: id");
    std::unordered_map<std::string, int64_t> ids;
    ids.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it)
        ids.emplace(it.key(), integer(it.value(), "a vocabulary id"));
    return ids;
}

std::unique_ptr<TokenModel> makeModel(const json& m) {
    if (!m.is_object())
        refuse("\"model\" must be an object");
    std::string type = modelType(m);
    if (type == "WordPiece") {
        auto ids = vocabMap(field(m, "vocab"));
        std::vector<std::string> tokens(ids.size());
        for (const auto& [t, id] : ids) {
            if (id >= static_cast<int64_t>(tokens.size()))
                refuse("WordPiece ids must be 0…N-1");
            tokens[static_cast<size_t>(id)] = t;
        }
        int64_t maxChars =
            m.contains("max_input_chars_per_word")
                ? integer(m.at("max_input_chars_per_word"), "max_input_chars_per_word")
                : 100;
        return wordPieceModel(std::move(tokens), str(m, "unk_token", "[UNK]"),
                              str(m, "continuing_subword_prefix", "##"),
                              static_cast<size_t>(maxChars));
    }
    if (type == "BPE") {
        if (m.contains("dropout") && !m.at("dropout").is_null() &&
            !(m.at("dropout").is_number() && m.at("dropout").get<double>() == 0.0))
            refuse("BPE dropout is not supported (it makes tokenization random)");
        BpeSettings s;
        if (m.contains("unk_token") && !m.at("unk_token").is_null())
            s.unk = str(m, "unk_token");
        s.continuingPrefix = str(m, "continuing_subword_prefix");
        s.endOfWordSuffix = str(m, "end_of_word_suffix");
        s.fuseUnk = flag(m, "fuse_unk", false);
        s.byteFallback = flag(m, "byte_fallback", false);
        s.ignoreMerges = flag(m, "ignore_merges", false);
        std::vector<std::pair<std::string, std::string>> merges;
        const json& list = field(m, "merges");
        if (!list.is_array())
            refuse("BPE merges must be a list");
        merges.reserve(list.size());
        for (const json& entry : list) {
            if (entry.is_string()) {  // "a b"
                const std::string& s2 = entry.get_ref<const std::string&>();
                size_t space = s2.find(' ', 1);
                if (space == std::string::npos || s2.find(' ', space + 1) != std::string::npos)
                    refuse("BPE merge '" + s2 + "' is not two tokens separated by a space");
                merges.emplace_back(s2.substr(0, space), s2.substr(space + 1));
            } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() &&
                       entry[1].is_string()) {  // ["a", "b"]
                merges.emplace_back(entry[0].get<std::string>(), entry[1].get<std::string>());
            } else {
                refuse("a BPE merge must be \"a b\" or [\"a\", \"b\"]");
            }
        }
        auto model = bpeModel(vocabMap(field(m, "vocab")), merges, std::move(s));
        if (!model)
            refuse(model.error());
        return std::move(*model);
    }
    if (type == "Unigram") {
        const json& list = field(m, "vocab");
        if (!list.is_array())
            refuse("Unigram vocab must be a list of [piece, score]");
        std::vector<UnigramPiece> pieces;
        pieces.reserve(list.size());
        for (const json& e : list) {
            if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number())
                refuse("Unigram vocab entries must be [piece, score]");
            pieces.push_back({e[0].get<std::string>(), e[1].get<double>()});
        }
        std::optional<int64_t> unk;
        if (m.contains("unk_id") && !m.at("unk_id").is_null())
            unk = integer(m.at("unk_id"), "unk_id");
        auto model = unigramModel(std::move(pieces), unk, flag(m, "byte_fallback", false));
        if (!model)
            refuse(model.error());
        return std::move(*model);
    }
    refuse("model '" + type + "' is not supported");
}

// ["[SEP]", 102]
std::pair<std::string, int64_t> namedId(const json& j, const char* key) {
    const json& v = field(j, key);
    if (!v.is_array() || v.size() != 2 || !v[0].is_string())
        refuse(std::string("post-processor \"") + key + "\" must be [token, id]");
    return {v[0].get<std::string>(), integer(v[1], "a special token id")};
}

std::vector<TemplateItem> templateItems(const json& list) {
    if (!list.is_array())
        refuse("TemplateProcessing templates must be lists");
    std::vector<TemplateItem> items;
    for (const json& e : list) {
        if (e.is_object() && e.contains("SpecialToken")) {
            const json& s = e.at("SpecialToken");
            items.push_back(
                {-1, str(s, "id"), static_cast<int>(integer(field(s, "type_id"), "type_id"))});
        } else if (e.is_object() && e.contains("Sequence")) {
            const json& s = e.at("Sequence");
            std::string id = str(s, "id");
            if (id != "A" && id != "B")
                refuse("template sequence id must be A or B");
            items.push_back(
                {id == "A" ? 0 : 1, {}, static_cast<int>(integer(field(s, "type_id"), "type_id"))});
        } else {
            refuse("template items must be SpecialToken or Sequence");
        }
    }
    return items;
}

void addPostProcessor(const json& j, Pipeline& p, int depth) {
    if (j.is_null())
        return;
    if (depth > 8)
        refuse("post-processor Sequence nested too deeply");
    std::string type = typeOf(j, "post_processor");
    PostTemplate& t = p.post;
    if (type == "Sequence") {
        const json& list = field(j, "processors");
        if (!list.is_array())
            refuse("post-processor Sequence needs a list");
        for (const json& n : list)
            addPostProcessor(n, p, depth + 1);
        return;
    }
    if (type == "ByteLevel")
        return;  // only trims offsets
    if (t.present)
        refuse("more than one post-processor adds special tokens");
    if (type == "BertProcessing" || type == "RobertaProcessing") {
        auto cls = namedId(j, "cls"), sep = namedId(j, "sep");
        t.specials["cls"] = {{cls.second}, {cls.first}};
        t.specials["sep"] = {{sep.second}, {sep.first}};
        t.single = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}};
        if (type == "BertProcessing")
            t.pair = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}, {1, {}, 1}, {-1, "sep", 1}};
        else
            t.pair = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0},
                      {-1, "sep", 0}, {1, {}, 0}, {-1, "sep", 0}};
    } else if (type == "TemplateProcessing") {
        t.single = templateItems(field(j, "single"));
        t.pair = templateItems(field(j, "pair"));
        const json& specials = field(j, "special_tokens");
        if (!specials.is_object())
            refuse("special_tokens must be an object");
        for (auto it = specials.begin(); it != specials.end(); ++it) {
            SpecialTokenIds s;
            const json& ids = field(it.value(), "ids");
            const json& tokens = field(it.value(), "tokens");
            if (!ids.is_array() || !tokens.is_array() || ids.size() != tokens.size())
                refuse("special token '" + it.key() + "' needs as many ids as tokens");
            for (size_t i = 0; i < ids.size(); ++i) {
                s.ids.push_back(integer(ids[i], "a special token id"));
                if (!tokens[i].is_string())
                    refuse("special token strings must be strings");
                s.tokens.push_back(tokens[i].get<std::string>());
            }
            t.specials[it.key()] = std::move(s);
        }
        for (const auto* items : {&t.single, &t.pair})
            for (const TemplateItem& item : *items)
                if (item.sequence < 0 && !t.specials.count(item.special))
                    refuse("template special token '" + item.special + "' is not defined");
    } else {
        refuse("post-processor '" + type + "' is not supported");
    }
    t.present = true;
}

}  // namespace

Expected<std::shared_ptr<PipelineTokenizer>> parseTokenizerJson(const std::string& text,
                                                                const std::string& path,
                                                                int modelMaxLength) {
    try {
        json j = json::parse(text);
        if (!j.is_object())
            refuse("expected a JSON object");
        Pipeline p;
        addNormalizer(j.value("normalizer", json()), p, 0);
        addPreTokenizer(j.value("pre_tokenizer", json()), p, 0);
        p.model = makeModel(field(j, "model"));
        addPostProcessor(j.value("post_processor", json()), p, 0);
        if (j.contains("added_tokens") && !j.at("added_tokens").is_null()) {
            const json& list = j.at("added_tokens");
            if (!list.is_array())
                refuse("added_tokens must be a list");
            for (const json& a : list) {
                AddedToken t;
                t.id = integer(field(a, "id"), "an added token id");
                t.content = str(a, "content");
                t.special = flag(a, "special", false);
                t.lstrip = flag(a, "lstrip", false);
                t.rstrip = flag(a, "rstrip", false);
                t.normalized = flag(a, "normalized", !t.special);
                t.singleWord = flag(a, "single_word", false);
                p.added.push_back(std::move(t));
            }
        }
        // The file's own truncation length is the default; padding is ignored (AttrScope runs
        // unpadded).
        int defaultMax = 0;
        if (j.contains("truncation") && j.at("truncation").is_object() &&
            j.at("truncation").contains("max_length"))
            defaultMax = static_cast<int>(
                integer(j.at("truncation").at("max_length"), "truncation max_length"));
        std::string description = "tokenizer.json (" + modelType(j.at("model")) + ")";
        return std::make_shared<PipelineTokenizer>(std::move(p), path, description, modelMaxLength,
                                                   defaultMax);
    } catch (const Refusal& r) {
        return Status::error(path + ": " + r.message);
    } catch (const json::exception& e) {
        std::string what = e.what();
        size_t bracket = what.find("] ");
        if (what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
            what.erase(0, bracket + 2);
        return Status::error(path + ": invalid tokenizer.json (" + what + ")");
    } catch (const std::exception& e) {
        return Status::error(path + ": cannot read tokenizer.json (" + e.what() + ")");
    }
}

}  // namespace attrscope::hf
