#pragma once
// Character classes and aligned Unicode normalisation as the Rust tokenizers core defines them
// (char::is_whitespace, char::to_lowercase, unicode-normalization), on top of utf8proc.

#include <string>

#include "hf_pipeline.h"

namespace attrscope::hf {

bool isWhitespace(char32_t c);  // Unicode White_Space (Rust's char::is_whitespace)
bool isNumeric(char32_t c);     // categories Nd, Nl, No
bool isAlphanumeric(char32_t c);
bool isNonspacingMark(char32_t c);  // category Mn
bool isCombining(char32_t c);
bool isUnassigned(char32_t c);  // category Cn       // canonical combining class ≠ 0 (Python's
                                // unicodedata.combining)

enum class NormalForm { NFC, NFD, NFKC, NFKD };
// Normalises grapheme cluster by grapheme cluster, so every output char keeps the original
// bytes of the cluster it came from.
void normalizeForm(AlignedText& text, NormalForm form);
// End (exclusive) of the extended grapheme cluster that starts at `begin` (utf8proc's rules).
size_t graphemeEnd(const AlignedText& text, size_t begin);
// Rust's per-char full lower-case mapping (no final-sigma context).
void lowercase(AlignedText& text);

}  // namespace attrscope::hf
