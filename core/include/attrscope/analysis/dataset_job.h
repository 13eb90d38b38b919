#pragma once
// The input of every dataset analysis (head importance, pruning, triggers): a dataset encoded
// once for one model. The jobs have core's one shape (attrscope/job.h): a cancelled job returns
// what it has with `complete == false`, and most jobs accept that value back to continue.

#include <optional>
#include <string>
#include <vector>

#include "attrscope/data/dataset.h"
#include "attrscope/job.h"
#include "attrscope/model/model.h"
#include "attrscope/status.h"
#include "attrscope/text/encoding.h"
#include "attrscope/text/piece_encoding.h"

namespace attrscope {

// A labelled dataset tokenised for one model.
struct LabelledInputs {
    std::vector<Encoding> encodings;  // truncated to maxLength, as the tokenizer does
    std::vector<int> labels;          // model class index of each gold label
    std::vector<std::string> ids;     // Example::id
    // The untruncated word pieces of each text (trigger insertion re-truncates after inserting).
    std::vector<std::vector<std::string>> piecesA;
    std::vector<std::vector<std::string>> piecesB;
    // BERT's WordPiece: like the official `if example.text_b:` (non-empty text). Other families:
    // whether the encoding used the pair template (a text B was given, even empty).
    std::vector<bool> hasTextB;
    // Families without BERT's WordPiece tokenizer: the same pieces with their ids and words, which
    // their tokenizer re-encodes after insertion (encodePieces).
    std::vector<TextPieces> textPiecesA, textPiecesB;
    std::vector<std::string> classNames;  // the model's id2label
    int maxLength = 0;
    int truncated = 0;  // inputs that lost word pieces

    int size() const { return static_cast<int>(encodings.size()); }
    // The first `count` inputs (all when count <= 0 or larger than size()).
    LabelledInputs head(int count) const;
    // Inputs [start, start + count).
    LabelledInputs slice(int start, int count) const;
};

// Encodes every example of `data` (the first `limit` when limit > 0) with the model's tokenizer
// and maps the gold labels to the model's classes (mapLabelsToClasses: a label that maps to no
// class is an error naming it). maxLength 0 = the model's default (128).
Expected<LabelledInputs> encodeDataset(const Model& model, const Dataset& data, int maxLength = 0,
                                       int limit = 0);

}  // namespace attrscope
