#pragma once
// The normalizers and pre-tokenizers of tokenizer.json beyond the BERT and byte-level ones.

#include <memory>
#include <string>

#include "hf_pipeline.h"
#include "hf_regex.h"
#include "hf_unicode.h"

namespace attrscope::hf {

std::unique_ptr<Normalizer> formNormalizer(NormalForm form);
std::unique_ptr<Normalizer> lowercaseNormalizer();
std::unique_ptr<Normalizer> stripAccentsNormalizer();
// Replaces every match of the regex (or literal) by `content`.
std::unique_ptr<Normalizer> replaceNormalizer(std::shared_ptr<const Regex> pattern,
                                              std::u32string literal, std::u32string content);
std::unique_ptr<Normalizer> stripNormalizer(bool left, bool right);
std::unique_ptr<Normalizer> prependNormalizer(std::u32string prefix);

std::unique_ptr<PreTokenizer> whitespacePreTokenizer(std::shared_ptr<const Regex> wordRegex);
std::unique_ptr<PreTokenizer> whitespaceSplitPreTokenizer();
std::unique_ptr<PreTokenizer> punctuationPreTokenizer(SplitBehavior behavior);
std::unique_ptr<PreTokenizer> digitsPreTokenizer(bool individual);
// Split on regex matches (or literal occurrences); `invert` splits on what does not match.
std::unique_ptr<PreTokenizer> splitPreTokenizer(std::shared_ptr<const Regex> pattern,
                                                std::u32string literal, SplitBehavior behavior,
                                                bool invert);
enum class PrependScheme { Always, First, Never };
std::unique_ptr<PreTokenizer> metaspacePreTokenizer(char32_t replacement, PrependScheme scheme,
                                                    bool split);

// Every occurrence of a literal, as char ranges.
std::vector<std::pair<size_t, size_t>> findLiteral(const std::u32string& text,
                                                   const std::u32string& literal);

}  // namespace attrscope::hf
