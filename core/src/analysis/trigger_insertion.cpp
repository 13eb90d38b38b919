// Trigger insertion (triggers.h): the official relative positions and Python rounding, BERT's
// [CLS] A [SEP] B [SEP] from vocabulary strings, and every other family through its own
// tokenizer's template and truncation (encodePieces).

#include <algorithm>
#include <cfenv>
#include <cmath>

#include "analysis/model_text.h"
#include "attrscope/analysis/triggers.h"
#include "model/model_impl.h"

namespace attrscope {

const TextTokenizer* textTokenizerOf(const Model& model) {
    return ModelAccess::impl(model).textTokenizer.get();
}

long long pythonRound(double x) {
    // nearbyint under the default rounding mode rounds the exact double to nearest, halves to
    // even: the same as Python 3's round() on a float.
    const int mode = std::fegetround();
    if (mode != FE_TONEAREST)
        std::fesetround(FE_TONEAREST);
    const double r = std::nearbyint(x);
    if (mode != FE_TONEAREST)
        std::fesetround(mode);
    return static_cast<long long>(r);
}

std::vector<int> insertionIndices(int originalLength, const std::vector<double>& relative) {
    std::vector<int> out;
    const int count = static_cast<int>(relative.size());
    long long prev = -1;
    for (double r : relative) {
        long long cur = pythonRound(double(originalLength + count) * r);
        if (cur == prev)
            cur += 1;
        prev = cur;
        out.push_back(static_cast<int>(cur));
    }
    return out;
}

namespace {

// Python list.insert: an index past the end appends; a negative one counts from the end.
template <typename T>
void pyInsert(std::vector<T>& list, long long index, T value) {
    const long long n = static_cast<long long>(list.size());
    if (index < 0)
        index = std::max(0LL, n + index);
    index = std::min(index, n);
    list.insert(list.begin() + index, std::move(value));
}

const std::string kByteLevelSpace = "\xC4\xA0";  // Ġ
const std::string kMetaspace = "\xE2\x96\x81";   // ▁

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// One piece of a segment being rebuilt: an original piece keeps its word, an inserted one
// starts a word unless its string marks it as a continuation.
struct Slot {
    std::string token;
    int64_t id = 0;
    int word = -1;
    bool inserted = false;
};

// The segment's pieces with the trigger pieces inserted at the official indices, and words
// renumbered (the fast tokenizers' pair truncation reads them).
TextPieces insertPieces(const TextPieces& original, const std::vector<std::string>& tokens,
                        const std::vector<int64_t>& ids, const std::vector<double>& relative) {
    std::vector<Slot> slots;
    bool markers = false;  // word-initial markers (Ġ, ▁): a piece without one continues a word
    for (size_t i = 0; i < original.tokens.size(); ++i) {
        const std::string& t = original.tokens[i];
        markers = markers || startsWith(t, kByteLevelSpace) || startsWith(t, kMetaspace);
        slots.push_back({t, original.ids[i], i < original.words.size() ? original.words[i] : -1});
    }
    for (const std::string& t : tokens)
        markers = markers || startsWith(t, kByteLevelSpace) || startsWith(t, kMetaspace);
    const auto at = insertionIndices(original.size(), relative);
    for (size_t i = 0; i < at.size(); ++i)
        pyInsert(slots, at[i], Slot{tokens[i], ids[i], -1, true});
    TextPieces out;
    int word = -1, lastOriginal = -2;
    for (const Slot& s : slots) {
        bool starts;
        if (s.inserted) {
            const bool marked =
                startsWith(s.token, kByteLevelSpace) || startsWith(s.token, kMetaspace);
            starts = !startsWith(s.token, "##") && (!markers || marked);
        } else {
            starts = s.word < 0 || s.word != lastOriginal;
            lastOriginal = s.word;
        }
        word += (starts || word < 0) ? 1 : 0;
        out.tokens.push_back(s.token);
        out.ids.push_back(s.id);
        out.words.push_back(word);
    }
    return out;
}

Expected<std::vector<int64_t>> pieceIds(const TextTokenizer& tok,
                                        const std::vector<std::string>& tokens) {
    std::vector<int64_t> ids;
    for (const std::string& t : tokens) {
        const int64_t id = tok.tokenToId(t);
        if (id < 0)
            return Status::error("trigger piece '" + t +
                                 "' is not in this model's vocabulary (patterns mined with "
                                 "another model?)");
        ids.push_back(id);
    }
    return ids;
}

}  // namespace

Encoding insertTrigger(const Vocabulary& vocab, const TriggerInsertion& plan,
                       const std::vector<std::string>& piecesA,
                       const std::vector<std::string>& piecesB, bool hasTextB, int maxLength) {
    std::vector<std::string> a = piecesA, b;
    const auto idxA = insertionIndices(static_cast<int>(piecesA.size()), plan.relativeA);
    for (size_t i = 0; i < idxA.size(); ++i)
        pyInsert(a, idxA[i], plan.tokensA[i]);
    if (hasTextB) {
        b = piecesB;
        const auto idxB = insertionIndices(static_cast<int>(piecesB.size()), plan.relativeB);
        for (size_t i = 0; i < idxB.size(); ++i)
            pyInsert(b, idxB[i], plan.tokensB[i]);
    }
    Encoding e;
    e.originalLengthA = static_cast<int>(a.size());
    e.originalLengthB = static_cast<int>(b.size());
    if (hasTextB) {
        // _truncate_seq_pair: pop from the longer list, from B when they are equal.
        while (static_cast<int>(a.size() + b.size()) > maxLength - 3) {
            if (a.size() > b.size())
                a.pop_back();
            else
                b.pop_back();
        }
    } else if (static_cast<int>(a.size()) > maxLength - 2) {
        a.resize(static_cast<size_t>(std::max(0, maxLength - 2)));
    }
    e.lengthA = static_cast<int>(a.size());
    e.lengthB = static_cast<int>(b.size());
    e.isPair = !b.empty();
    e.tokens.push_back(vocab.token(vocab.clsId()));
    e.tokens.insert(e.tokens.end(), a.begin(), a.end());
    e.tokens.push_back(vocab.token(vocab.sepId()));
    e.segmentIds.assign(e.tokens.size(), 0);
    if (e.isPair) {
        e.tokens.insert(e.tokens.end(), b.begin(), b.end());
        e.tokens.push_back(vocab.token(vocab.sepId()));
        e.segmentIds.resize(e.tokens.size(), 1);
    }
    for (const auto& t : e.tokens) {
        const int64_t id = vocab.id(t);
        e.inputIds.push_back(id >= 0 ? id : vocab.unkId());
    }
    const int removedA = e.originalLengthA - e.lengthA, removedB = e.originalLengthB - e.lengthB;
    e.truncated = removedA > 0 || removedB > 0;
    if (e.truncated)
        e.truncationNote = "removed " + std::to_string(removedA) + " pieces from A and " +
                           std::to_string(removedB) + " from B after inserting the trigger";
    return e;
}

Status canInsertTriggers(const Model& model, const LabelledInputs& inputs) {
    const int n = inputs.size();
    if (!model.hasTokenizer() && !textTokenizerOf(model))
        return Status::error("trigger insertion needs the model's tokenizer; this " +
                             model.config().modelType + " folder has " +
                             model.tokenizerDescription());
    const bool text = textTokenizerOf(model) != nullptr;
    if (static_cast<int>(inputs.piecesA.size()) != n ||
        static_cast<int>(inputs.piecesB.size()) != n ||
        static_cast<int>(inputs.hasTextB.size()) != n ||
        (text && (static_cast<int>(inputs.textPiecesA.size()) != n ||
                  static_cast<int>(inputs.textPiecesB.size()) != n)))
        return Status::error("the evaluation inputs lack their word pieces (use encodeDataset)");
    return Status::success();
}

Expected<Encoding> insertTrigger(const Model& model, const LabelledInputs& inputs, int index,
                                 const TriggerInsertion& plan) {
    if (auto s = canInsertTriggers(model, inputs); !s)
        return s;
    if (index < 0 || index >= inputs.size())
        return Status::error("input " + std::to_string(index) + " is out of range");
    const size_t k = static_cast<size_t>(index);
    const int maxLength = inputs.maxLength > 0 ? inputs.maxLength : model.defaultMaxLength();
    const TextTokenizer* tok = textTokenizerOf(model);
    if (!tok)  // BERT's WordPiece: the official code's own rebuilding
        return insertTrigger(model.tokenizer().vocabulary(), plan, inputs.piecesA[k],
                             inputs.piecesB[k], inputs.hasTextB[k], maxLength);
    auto idsA = pieceIds(*tok, plan.tokensA);
    if (!idsA)
        return idsA.status();
    auto idsB = pieceIds(*tok, plan.tokensB);
    if (!idsB)
        return idsB.status();
    const TextPieces a = insertPieces(inputs.textPiecesA[k], plan.tokensA, *idsA, plan.relativeA);
    std::optional<TextPieces> b;
    if (inputs.hasTextB[k])
        b = insertPieces(inputs.textPiecesB[k], plan.tokensB, *idsB, plan.relativeB);
    EncodeOptions options;
    options.maxLength = maxLength;
    options.truncation = TruncationStrategy::LongestFirst;
    return encodePieces(*tok, a, b, options);
}

}  // namespace attrscope
