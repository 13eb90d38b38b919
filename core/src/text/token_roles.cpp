#include "attrscope/text/token_roles.h"

namespace attrscope {

namespace {

const std::string kByteLevelSpace = "\xC4\xA0";  // U+0120 'Ġ'
const std::string kMetaspace = "\xE2\x96\x81";   // U+2581 '▁'

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

bool isSpecialTokenString(const std::string& t) {
    return t == "[CLS]" || t == "[SEP]" || t == "[PAD]" || t == "<s>" || t == "</s>" ||
           t == "<pad>";
}

TokenRoles tokenRoles(const Encoding& e) {
    const size_t n = e.tokens.size();
    TokenRoles r;
    r.special.assign(n, false);
    r.continuation.assign(n, false);
    const bool hasMask = e.specialTokensMask.size() == n;
    const bool hasWords = e.wordIds.size() == n && e.sequenceIds.size() == n;
    for (size_t i = 0; i < n; ++i)
        r.special[i] = hasMask ? e.specialTokensMask[i] != 0 : isSpecialTokenString(e.tokens[i]);
    // Without word ids: a vocabulary with word-initial markers shows them in its tokens.
    bool markers = false;
    if (!hasWords)
        for (const auto& t : e.tokens)
            markers = markers || startsWith(t, kByteLevelSpace) || startsWith(t, kMetaspace);
    for (size_t i = 1; i < n; ++i) {
        if (r.special[i] || r.special[i - 1])
            continue;
        const std::string& t = e.tokens[i];
        if (hasWords)
            r.continuation[i] = e.wordIds[i] >= 0 && e.wordIds[i] == e.wordIds[i - 1] &&
                                e.sequenceIds[i] == e.sequenceIds[i - 1];
        else if (startsWith(t, "##") && t.size() > 2)
            r.continuation[i] = true;
        else if (markers)
            r.continuation[i] = !startsWith(t, kByteLevelSpace) && !startsWith(t, kMetaspace);
    }
    return r;
}

std::string displayToken(const std::string& t) {
    for (const std::string* m : {&kByteLevelSpace, &kMetaspace})
        if (startsWith(t, *m) && t.size() > m->size())
            return t.substr(m->size());
    return t;
}

std::string pieceText(const std::string& t) {
    if (startsWith(t, "##") && t.size() > 2)
        return t.substr(2);
    return displayToken(t);
}

}  // namespace attrscope
