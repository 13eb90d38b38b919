#pragma once
// How users read the tokens of an encoding, whatever the family: which positions are template
// specials, which pieces continue a word, and a token's text without the vocabulary's markers
// (WordPiece "##", byte-level BPE "Ġ", SentencePiece "▁").

#include <string>
#include <vector>

#include "attrscope/text/encoding.h"

namespace attrscope {

struct TokenRoles {
    std::vector<bool> special;       // template specials ([CLS], <s>, </s>, [SEP], padding)
    std::vector<bool> continuation;  // the piece continues the word of the previous position
};

// From the encoding's special-token mask and word ids where its tokenizer filled them; otherwise
// (id inputs, BERT's official-code path) from the token strings: "##" continues a word, and in a
// vocabulary with word-initial markers ("Ġ", "▁") a piece without one continues the word.
TokenRoles tokenRoles(const Encoding& e);

// True for the special-token strings of the supported families.
bool isSpecialTokenString(const std::string& token);

// "Ġman" → "man", "▁man" → "man", "##s" → "##s" (kept: the heatmaps show pieces as pieces).
std::string displayToken(const std::string& token);
// What a continuation piece adds to its word: "##s" → "s", "ar" → "ar".
std::string pieceText(const std::string& token);

}  // namespace attrscope
