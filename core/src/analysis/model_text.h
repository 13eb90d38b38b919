#pragma once
// The text tokenizer of a model folder without BERT's WordPiece vocab.txt (RoBERTa, XLM-R,
// ALBERT, DeBERTa-v3, …), for the analysis files that re-encode pieces; defined in
// trigger_insertion.cpp so that their callers need no torch headers.

#include "attrscope/model/model.h"
#include "attrscope/text/text_tokenizer.h"

namespace attrscope {

// Null for WordPiece folders (model.tokenizer()) and folders without a readable tokenizer.
const TextTokenizer* textTokenizerOf(const Model& model);

}  // namespace attrscope
