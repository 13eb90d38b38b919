#include "wordpiece_pipeline.h"

namespace attrscope::hf {

Expected<std::shared_ptr<PipelineTokenizer>> makeWordPieceTokenizer(
    const std::vector<std::string>& vocab, const TokenizerSettings& settings,
    const FolderConfig& config, const std::string& path) {
    std::unordered_map<std::string, int64_t> ids;
    for (size_t i = 0; i < vocab.size(); ++i)
        ids.emplace(vocab[i], static_cast<int64_t>(i));
    auto lookup = [&ids](const std::string& t) -> int64_t {
        auto it = ids.find(t);
        return it == ids.end() ? -1 : it->second;
    };
    const std::string unk = config.special("unk_token", "[UNK]");
    const std::string cls = config.special("cls_token", "[CLS]");
    const std::string sep = config.special("sep_token", "[SEP]");
    if (lookup(cls) < 0 || lookup(sep) < 0)
        return Status::error(path + ": the vocabulary has no '" + cls + "' or '" + sep + "' token");

    Pipeline p;
    const bool lower = settings.doLowerCase;
    p.normalizers.push_back(bertNormalizer(true, settings.tokenizeChineseChars,
                                           settings.stripAccents.value_or(lower), lower, true));
    p.preTokenizers.push_back(bertPreTokenizer());
    p.model = wordPieceModel(vocab, unk, "##", 100);
    p.added = config.addedTokens(lookup);
    // The slow BertTokenizer always treats its five specials as unsplittable.
    for (const std::string& s : {unk, sep, config.special("pad_token", "[PAD]"), cls,
                                 config.special("mask_token", "[MASK]")}) {
        bool present = false;
        for (const AddedToken& t : p.added)
            present = present || t.content == s;
        if (!present && lookup(s) >= 0) {
            AddedToken t;
            t.content = s;
            t.id = lookup(s);
            t.special = true;
            p.added.push_back(std::move(t));
        }
    }
    p.post.specials["cls"] = {{lookup(cls)}, {cls}};
    p.post.specials["sep"] = {{lookup(sep)}, {sep}};
    p.post.single = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}};
    p.post.pair = {{-1, "cls", 0}, {0, {}, 0}, {-1, "sep", 0}, {1, {}, 1}, {-1, "sep", 1}};
    p.post.present = true;
    p.pairCut = PairCut::Slow;
    p.tokensFromIds = true;
    p.hasTokenTypeIds =
        config.tokenizerClass.rfind("DistilBert", 0) != 0 && config.modelType != "distilbert";
    std::string description =
        std::string("WordPiece from vocab.txt (") + (lower ? "lower-cased" : "cased") +
        (p.hasTokenTypeIds ? ", BERT template)" : ", BERT template, no type ids)");
    return std::make_shared<PipelineTokenizer>(std::move(p), path, description,
                                               config.modelMaxLength);
}

}  // namespace attrscope::hf
