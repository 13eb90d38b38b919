#pragma once
// Re-encoding pieces a tokenizer has already cut: its own template, type ids and truncation
// around them, without reading text again. Trigger insertion (analysis/triggers.h) adds pieces
// to tokenised inputs and needs the encoding the tokenizer would give such a text.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attrscope/status.h"
#include "attrscope/text/encoding.h"
#include "attrscope/text/text_tokenizer.h"

namespace attrscope {

// The pieces of one text, as the tokenizer cut them.
struct TextPieces {
    std::vector<std::string> tokens;
    std::vector<int64_t> ids;
    // Word index of each piece within its text (pieces of one word share it): the fast
    // tokenizers' pair truncation cuts at word ends.
    std::vector<int> words;

    int size() const { return static_cast<int>(tokens.size()); }
};

// The pieces of sequence 0 (A) or 1 (B) of an encoding that carries sequence ids (every
// TextTokenizer fills them); empty for an encoding without them.
TextPieces sequencePieces(const Encoding& e, int sequence);

// What tokenizer.encode() gives for texts cut into exactly these pieces: the template (a pair
// when b is given, even empty), type ids and the truncation of `options`. Offsets are {0, 0}:
// the pieces have no text. Fails for a tokenizer that cannot assemble pieces (BERT's own
// WordPiece Tokenizer: its callers build [CLS] A [SEP] B [SEP] themselves) and when the specials
// alone exceed the maximum length.
Expected<Encoding> encodePieces(const TextTokenizer& tokenizer, const TextPieces& a,
                                const std::optional<TextPieces>& b, const EncodeOptions& options);

}  // namespace attrscope
