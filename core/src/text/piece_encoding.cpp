#include "attrscope/text/piece_encoding.h"

#include "hf_pipeline.h"

namespace attrscope {

TextPieces sequencePieces(const Encoding& e, int sequence) {
    TextPieces p;
    const bool hasWords = e.wordIds.size() == e.tokens.size();
    for (size_t i = 0; i < e.sequenceIds.size() && i < e.tokens.size(); ++i) {
        if (e.sequenceIds[i] != sequence)
            continue;
        p.tokens.push_back(e.tokens[i]);
        p.ids.push_back(e.inputIds[i]);
        p.words.push_back(hasWords ? e.wordIds[i] : -1);
    }
    return p;
}

namespace {

std::vector<hf::Token> toTokens(const TextPieces& p) {
    std::vector<hf::Token> out;
    out.reserve(p.tokens.size());
    for (size_t i = 0; i < p.tokens.size(); ++i) {
        hf::Token t;
        t.id = p.ids[i];
        t.value = p.tokens[i];
        t.word = i < p.words.size() ? p.words[i] : -1;
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

Expected<Encoding> encodePieces(const TextTokenizer& tokenizer, const TextPieces& a,
                                const std::optional<TextPieces>& b, const EncodeOptions& options) {
    const auto* encoder = dynamic_cast<const hf::SequenceEncoder*>(&tokenizer);
    if (!encoder)
        return Status::error(tokenizer.description() + " cannot re-encode word pieces");
    for (const TextPieces* p : {&a, b ? &*b : nullptr})
        if (p && p->ids.size() != p->tokens.size())
            return Status::error("word pieces and their ids differ in number");
    hf::Sequences seq;
    seq.a = toTokens(a);
    if (b) {
        seq.b = toTokens(*b);
        seq.hasB = true;
    }
    return encoder->encodeSequences(std::move(seq), options);
}

}  // namespace attrscope
