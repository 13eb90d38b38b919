#pragma once
// Code-point helpers for the BERT tokenizer: strict UTF-8 decoding and the character classes and
// transformations of the official Python tokenizer (unicodedata + str.lower/str.split), on top
// of utf8proc. Internal to attrscope_core.

#include <cstddef>
#include <string>

namespace attrscope::unicode {

// Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF), like Python's decoder.
// Returns the byte offset of the first invalid sequence, or npos when the whole text is valid.
size_t decodeUtf8(const std::string& text, std::u32string& out);
void appendUtf8(char32_t cp, std::string& out);
std::string toUtf8(const std::u32string& text);
// Number of code points of valid UTF-8 (counts lead bytes).
size_t codePointCount(const std::string& utf8);

// The official tokenizer's classes (pytorch_pretrained_bert tokenization.py).
bool isBertWhitespace(char32_t cp);   // ' ', \t, \n, \r or category Zs
bool isBertControl(char32_t cp);      // category C* except \t, \n, \r
bool isBertPunctuation(char32_t cp);  // ASCII non-alphanumerics or category P*
bool isCjkIdeograph(char32_t cp);     // the CJK Unified Ideograph blocks BERT isolates
// Python's str.isspace(), which str.split() uses.
bool isPythonSpace(char32_t cp);

// Python's str.lower(): per-code-point lower case plus its two special cases (U+0130 → i + U+0307
// and the contextual final sigma).
std::u32string pythonLower(const std::u32string& text);
// unicodedata.normalize("NFD") followed by dropping category Mn.
std::u32string stripAccents(const std::u32string& text);

}  // namespace attrscope::unicode
