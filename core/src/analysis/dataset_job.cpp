#include "attrscope/analysis/dataset_job.h"

#include <algorithm>

#include "analysis/model_text.h"

namespace attrscope {

LabelledInputs LabelledInputs::slice(int start, int count) const {
    LabelledInputs out;
    out.classNames = classNames;
    out.maxLength = maxLength;
    const int n = size();
    start = std::clamp(start, 0, n);
    const int end = (count <= 0) ? n : std::min(n, start + count);
    auto copy = [&](const auto& from, auto& to) {
        if (static_cast<int>(from.size()) >= end)
            to.assign(from.begin() + start, from.begin() + end);
    };
    copy(encodings, out.encodings);
    copy(labels, out.labels);
    copy(ids, out.ids);
    copy(piecesA, out.piecesA);
    copy(piecesB, out.piecesB);
    copy(hasTextB, out.hasTextB);
    copy(textPiecesA, out.textPiecesA);
    copy(textPiecesB, out.textPiecesB);
    for (const auto& e : out.encodings)
        out.truncated += e.truncated ? 1 : 0;
    return out;
}

LabelledInputs LabelledInputs::head(int count) const {
    return slice(0, count);
}

Expected<LabelledInputs> encodeDataset(const Model& model, const Dataset& data, int maxLength,
                                       int limit) {
    if (!model.hasClassifier())
        return Status::error("the model has no classification head, so it has no classes");
    Dataset subset;
    const Dataset* source = &data;
    if (limit > 0 && limit < static_cast<int>(data.examples.size())) {
        subset = data;
        subset.examples.resize(static_cast<size_t>(limit));
        source = &subset;
    }
    auto labels = mapLabelsToClasses(*source, model.config());
    if (!labels)
        return labels.status();
    if (maxLength <= 0)
        maxLength = model.defaultMaxLength();

    LabelledInputs out;
    out.labels = std::move(*labels);
    out.classNames = model.config().id2label;
    out.maxLength = maxLength;
    const Tokenizer& tok = model.tokenizer();
    for (const Example& e : source->examples) {
        auto where = [&](const std::string& message) {
            return Status::error(data.path + " line " + std::to_string(e.row) + ": " + message);
        };
        auto enc = model.encode(e.textA, e.textB, maxLength);
        if (!enc)
            return where(enc.error());
        out.truncated += enc->truncated ? 1 : 0;
        out.encodings.push_back(std::move(*enc));
        out.ids.push_back(e.id);
        // Untruncated pieces for trigger insertion, which truncates again after inserting.
        if (const TextTokenizer* text = textTokenizerOf(model)) {
            EncodeOptions whole;
            whole.truncation = TruncationStrategy::DoNotTruncate;
            auto full = text->encode(e.textA, e.textB, whole);
            if (!full)
                return where(full.error());
            TextPieces a = sequencePieces(*full, 0), b = sequencePieces(*full, 1);
            out.piecesA.push_back(a.tokens);
            out.piecesB.push_back(b.tokens);
            out.hasTextB.push_back(full->isPair);
            out.textPiecesA.push_back(std::move(a));
            out.textPiecesB.push_back(std::move(b));
            continue;
        }
        if (!model.hasTokenizer())
            continue;
        auto a = tok.tokenize(e.textA);
        if (!a)
            return where(a.error());
        const bool hasB = e.textB.has_value() && !e.textB->empty();
        std::vector<std::string> b;
        if (hasB) {
            auto pieces = tok.tokenize(*e.textB);
            if (!pieces)
                return where(pieces.error());
            b = std::move(*pieces);
        }
        out.piecesA.push_back(std::move(*a));
        out.piecesB.push_back(std::move(b));
        out.hasTextB.push_back(hasB);
    }
    return out;
}

}  // namespace attrscope
