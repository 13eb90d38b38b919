#include "cmd_tokenize.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "attrscope/text/text_tokenizer.h"

namespace attrscope::cli {

namespace {

struct TokenizeOptions {
    std::string tokenizer, textA, textB, truncation = "longest_first";
    bool hasTextB = false;
    int maxLength = 0;
};

nlohmann::json toJson(const Encoding& e, const TextTokenizer& t, int maxLength) {
    nlohmann::json j;
    j["tokenizer"] = {
        {"file", t.sourceFile()},
        {"description", t.description()},
        {"model_max_length",
         t.modelMaxLength() > 0 ? nlohmann::json(t.modelMaxLength()) : nlohmann::json(nullptr)}};
    j["tokens"] = e.tokens;
    j["input_ids"] = e.inputIds;
    // Families whose tokenizer returns none (RoBERTa, XLM-R, DistilBERT) print null.
    j["token_type_ids"] =
        e.hasTokenTypeIds ? nlohmann::json(e.segmentIds) : nlohmann::json(nullptr);
    j["special_tokens_mask"] = e.specialTokensMask;
    nlohmann::json offsets = nlohmann::json::array(), words = nlohmann::json::array();
    for (size_t i = 0; i < e.offsets.size(); ++i) {
        offsets.push_back({e.offsets[i].first, e.offsets[i].second});
        words.push_back(e.wordIds[i] >= 0 ? nlohmann::json(e.wordIds[i]) : nlohmann::json(nullptr));
    }
    j["offsets"] = offsets;
    j["word_ids"] = words;
    j["sequence_ids"] = e.sequenceIds;
    j["truncation"] = {
        {"strategy", e.truncationStrategy},
        {"max_length", maxLength > 0 ? nlohmann::json(maxLength) : nlohmann::json(nullptr)},
        {"truncated", e.truncated},
        {"note", e.truncationNote},
        {"length_a", e.lengthA},
        {"length_b", e.lengthB},
        {"length_a_before", e.originalLengthA},
        {"length_b_before", e.originalLengthB}};
    return j;
}

int run(const TokenizeOptions& o) {
    auto fail = [](const std::string& message) {
        std::fprintf(stderr, "attrscope-cli: error: %s\n", message.c_str());
        return 1;
    };
    auto strategy = parseTruncation(o.truncation);
    if (!strategy)
        return fail(strategy.error());
    auto tokenizer = loadTokenizer(o.tokenizer);
    if (!tokenizer)
        return fail(tokenizer.error());
    EncodeOptions options;
    options.maxLength = o.maxLength;
    options.truncation = *strategy;
    std::optional<std::string> textB;
    if (o.hasTextB)
        textB = o.textB;
    auto e = (*tokenizer)->encode(o.textA, textB, options);
    if (!e)
        return fail(e.error());
    const int effective = o.maxLength > 0 ? o.maxLength : (*tokenizer)->modelMaxLength();
    std::string text = toJson(*e, **tokenizer, effective).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

}  // namespace

void registerTokenizeCommand(CLI::App& app) {
    auto options = std::make_shared<TokenizeOptions>();
    auto* cmd =
        app.add_subcommand("tokenize", "Tokenize a text with a model's tokenizer files (JSON)");
    cmd->add_option(
           "--tokenizer", options->tokenizer,
           "Model folder or tokenizer file (tokenizer.json, vocab.txt, vocab.json, .model)")
        ->required();
    cmd->add_option("--text-a", options->textA, "First text (or the only one)")->required();
    cmd->add_option("--text-b", options->textB, "Second text of a pair")
        ->each([options](const std::string&) { options->hasTextB = true; });
    cmd->add_option("--max-length", options->maxLength,
                    "Maximum tokens incl. specials (default: the tokenizer's model_max_length)");
    cmd->add_option("--truncation", options->truncation,
                    "longest_first, only_first, only_second or do_not_truncate")
        ->capture_default_str();
    cmd->callback([options] {
        int code = run(*options);
        std::fflush(stdout);
        std::exit(code);
    });
}

}  // namespace attrscope::cli
