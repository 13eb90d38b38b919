// loadTokenizer: which file of a model folder defines its tokenizer (Hugging Face's precedence),
// and the slow-tokenizer formats built as pipelines: vocab.txt (WordPiece) and vocab.json +
// merges.txt (byte-level BPE).

#include <filesystem>
#include <vector>
#include <nlohmann/json.hpp>

#include "attrscope/text/text_tokenizer.h"
#include "attrscope/text/tokenizer.h"
#include "hf_config.h"
#include "hf_pipeline.h"
#include "spm_tokenizer.h"
#include "tokenizer_json.h"
#include "wordpiece_pipeline.h"

namespace attrscope {

namespace fs = std::filesystem;

namespace hf {

namespace {

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

Expected<std::shared_ptr<TextTokenizer>> loadWordPiece(const std::string& path,
                                                       const FolderConfig& config) {
    auto vocab = Vocabulary::fromFile(path);
    if (!vocab)
        return vocab.status();
    auto settings = TokenizerSettings::fromFile(
        (fs::path(path).parent_path() / "tokenizer_config.json").string());
    if (!settings)
        return settings.status();
    auto t = makeWordPieceTokenizer(vocab->tokens(), *settings, config, path);
    if (!t)
        return t.status();
    return std::shared_ptr<TextTokenizer>(std::move(*t));
}

Expected<std::shared_ptr<TextTokenizer>> loadByteLevelBpe(const std::string& vocabPath,
                                                          const std::string& mergesPath,
                                                          const FolderConfig& config) {
    auto vocabText = readTextFile(vocabPath);
    if (!vocabText)
        return vocabText.status();
    std::unordered_map<std::string, int64_t> vocab;
    try {
        auto j = nlohmann::json::parse(*vocabText);
        if (!j.is_object())
            return Status::error(vocabPath + ": expected a JSON object of token: id");
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0 ||
                it.value().get<int64_t>() > (int64_t{1} << 31))
                return Status::error(vocabPath + ": the id of '" + it.key() +
                                     "' is not a valid id");
            vocab.emplace(it.key(), it.value().get<int64_t>());
        }
    } catch (const nlohmann::json::exception& e) {
        return Status::error(vocabPath + ": invalid JSON (" + std::string(e.what()) + ")");
    }
    auto mergesText = readTextFile(mergesPath);
    if (!mergesText)
        return mergesText.status();
    std::vector<std::pair<std::string, std::string>> merges;
    size_t pos = 0, lineNo = 0;
    const std::string& m = *mergesText;
    while (pos < m.size()) {
        size_t end = m.find('\n', pos);
        if (end == std::string::npos)
            end = m.size();
        std::string line = m.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || (lineNo == 1 && startsWith(line, "#version")))
            continue;
        size_t space = line.find(' ');
        if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
            return Status::error(mergesPath + ": line " + std::to_string(lineNo) +
                                 " is not two tokens separated by one space");
        merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    auto model = bpeModel(vocab, merges, BpeSettings{});
    if (!model)
        return Status::error(mergesPath + ": " + model.error());
    Pipeline p;
    p.model = std::move(*model);
    p.preTokenizers.push_back(byteLevelPreTokenizer(config.flag("add_prefix_space", false), true));
    p.pairCut = PairCut::Slow;
    p.hasTokenTypeIds = false;
    p.tokensFromIds = true;
    const TokenModel& model2 = *p.model;
    p.added = config.addedTokens([&model2](const std::string& t) { return model2.tokenToId(t); });
    // RobertaTokenizer's default specials when the folder names none (<mask> strips on the left).
    for (const char* s : {"<s>", "<pad>", "</s>", "<unk>", "<mask>"}) {
        bool present = false;
        for (const AddedToken& t : p.added)
            present = present || t.content == s;
        if (!present && model2.tokenToId(s) >= 0) {
            AddedToken t;
            t.content = s;
            t.id = model2.tokenToId(s);
            t.special = true;
            t.lstrip = t.content == "<mask>";
            p.added.push_back(std::move(t));
        }
    }
    const bool roberta = config.tokenizerClass.find("Roberta") != std::string::npos ||
                         config.tokenizerClass.find("Bart") != std::string::npos ||
                         config.modelType == "roberta" ||
                         (config.tokenizerClass.empty() && config.modelType.empty());
    if (roberta) {
        std::string cls = config.special("cls_token", "<s>"),
                    sep = config.special("sep_token", "</s>");
        int64_t clsId = p.model->tokenToId(cls), sepId = p.model->tokenToId(sep);
        for (const AddedToken& t : p.added) {
            if (t.content == cls)
                clsId = t.id;
            if (t.content == sep)
                sepId = t.id;
        }
        if (clsId < 0 || sepId < 0)
            return Status::error(vocabPath + ": '" + cls + "' or '" + sep +
                                 "' is not in the vocabulary");
        p.post.specials["cls"] = {{clsId}, {cls}};
        p.post.specials["sep"] = {{sepId}, {sep}};
        p.post.single = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}};
        p.post.pair = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0},
                       {-1, "sep", 0}, {1, {}, 0}, {-1, "sep", 0}};
        p.post.present = true;
    }
    std::string description = std::string("byte-level BPE from vocab.json + merges.txt") +
                              (roberta ? " (RoBERTa template)" : " (no template)");
    return std::shared_ptr<TextTokenizer>(std::make_shared<PipelineTokenizer>(
        std::move(p), vocabPath, description, config.modelMaxLength));
}

SpmFamily spmFamily(const std::string& file, const FolderConfig& config) {
    const std::string& c = config.tokenizerClass;
    const std::string& m = config.modelType;
    if (startsWith(c, "XLMRoberta") || m == "xlm-roberta")
        return SpmFamily::XlmRoberta;
    if (startsWith(c, "Albert") || m == "albert")
        return SpmFamily::Albert;
    if (startsWith(c, "DebertaV2") || m == "deberta-v2")
        return SpmFamily::DebertaV2;
    if (!c.empty() || !m.empty())
        return SpmFamily::Raw;
    if (file == "sentencepiece.bpe.model")
        return SpmFamily::XlmRoberta;
    if (file == "spiece.model")
        return SpmFamily::Albert;
    if (file == "spm.model")
        return SpmFamily::DebertaV2;
    return SpmFamily::Raw;
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

}  // namespace

}  // namespace hf

namespace {

Expected<std::shared_ptr<TextTokenizer>> loadFile(const fs::path& file,
                                                  const hf::FolderConfig& config) {
    using namespace hf;
    const std::string name = file.filename().string();
    const std::string path = file.string();
    if (file.extension() == ".json" && name != "vocab.json") {
        auto text = readTextFile(path);
        if (!text)
            return text.status();
        auto t = parseTokenizerJson(*text, path, config.modelMaxLength);
        if (!t)
            return t.status();
        return std::shared_ptr<TextTokenizer>(std::move(*t));
    }
    if (name == "vocab.json") {
        fs::path merges = file.parent_path() / "merges.txt";
        if (!isFile(merges))
            return Status::error(path + ": merges.txt is missing beside it");
        return loadByteLevelBpe(path, merges.string(), config);
    }
    if (file.extension() == ".model")
        return loadSentencePiece(path, config, spmFamily(name, config));
    if (file.extension() == ".txt")
        return loadWordPiece(path, config);
    return Status::error(path +
                         ": not a tokenizer file this version reads (tokenizer.json, "
                         "vocab.json, .model or vocab.txt)");
}

}  // namespace

Expected<std::shared_ptr<TextTokenizer>> loadTokenizer(const std::string& folderOrFile) {
    using namespace hf;
    std::error_code ec;
    fs::path given(folderOrFile);
    const bool folder = fs::is_directory(given, ec);
    if (!folder && !isFile(given))
        return Status::error(folderOrFile + ": no such tokenizer file or folder");
    const fs::path dir = folder                        ? given
                         : given.parent_path().empty() ? fs::path(".")
                                                       : given.parent_path();
    auto config = readFolderConfig(dir.string());
    if (!config)
        return config.status();
    if (!folder)
        return loadFile(given, *config);

    // Hugging Face's precedence: the fast tokenizer file first, then the slow files.
    std::vector<fs::path> files;
    for (const char* name : {"tokenizer.json", "vocab.json", "sentencepiece.bpe.model",
                             "spiece.model", "spm.model", "tokenizer.model", "vocab.txt"})
        if (isFile(given / name))
            files.push_back(given / name);
    if (files.empty())  // any other SentencePiece model (e.g. BPEmb's en.wiki.bpe.vs100000.model)
        for (const auto& entry : fs::directory_iterator(given, ec))
            if (entry.path().extension() == ".model" && isFile(entry.path())) {
                files.push_back(entry.path());
                break;
            }
    if (files.empty())
        return Status::error(folderOrFile +
                             ": no tokenizer file (tokenizer.json, vocab.json + "
                             "merges.txt, a SentencePiece .model or vocab.txt)");
    auto first = loadFile(files.front(), *config);
    if (first || files.size() == 1)
        return first;
    // A tokenizer.json with a component this version lacks (e.g. the Nmt normalizer) or a
    // malformed one falls back to the slow file beside it, as transformers' use_fast=False would.
    for (size_t i = 1; i < files.size(); ++i) {
        auto next = loadFile(files[i], *config);
        if (!next)
            continue;
        (*next)->setLoadNote(files.front().filename().string() + " not used (" + first.error() +
                             ")");
        return next;
    }
    return first;
}

}  // namespace attrscope
