// Training-set augmentation for sentence pairs (see TrainOptions::swapLabels, negationAugment,
// overlapAugment). Plain C++: no torch.

#include "train_augment.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <sstream>

namespace attrscope {

namespace {

bool sameLabel(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::pair<std::string, std::string> labelPair(const Dataset& d, const std::string& spec) {
    const auto colon = spec.find(':');
    if (colon == std::string::npos)
        return {};
    std::string a = spec.substr(0, colon), b = spec.substr(colon + 1);
    for (const auto& name : d.labelNames) {
        if (sameLabel(name, a))
            a = name;
        if (sameLabel(name, b))
            b = name;
    }
    return {a, b};
}

}  // namespace

std::string negate(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    int at = -1;
    for (size_t i = 0; i < words.size(); ++i) {
        std::string w = words[i];
        for (auto& c : w)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (w == "not" || w == "no" || w == "nobody" || w == "none" || w == "nothing" ||
            w == "never" || w.find("n't") != std::string::npos)
            return "";
        if (at < 0 && (w == "is" || w == "are") && i + 1 < words.size())
            at = int(i);
    }
    if (at < 0)
        return "";
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
        out += (i ? " " : "") + words[i];
        if (int(i) == at)
            out += " not";
    }
    return out;
}

void augmentTrainingSet(Dataset& d, const TrainOptions& o) {
    if (!d.isPair())
        return;
    const size_t n = d.examples.size();
    const auto [from, to] = labelPair(d, o.negationAugment);
    const auto [same, unrelated] = labelPair(d, o.overlapAugment);
    std::mt19937_64 rng(o.seed ^ 0xa6a6ULL);
    for (size_t i = 0; i < n; ++i) {
        const Example ex = d.examples[i];
        if (!ex.textB)
            continue;
        if (!same.empty() && i % 4 == 0) {
            Example copy = ex;
            copy.textB = ex.textA;
            copy.label = same;
            d.examples.push_back(copy);
            copy.textB = d.examples[static_cast<size_t>(rng() % n)].textB;
            copy.label = unrelated;
            d.examples.push_back(std::move(copy));
        }
        if (std::any_of(o.swapLabels.begin(), o.swapLabels.end(),
                        [&](const std::string& l) { return sameLabel(l, ex.label); })) {
            Example swapped = ex;
            swapped.textA = *ex.textB;
            swapped.textB = ex.textA;
            d.examples.push_back(std::move(swapped));
        }
        if (!from.empty() && sameLabel(from, ex.label)) {
            const std::string negated = negate(*ex.textB);
            if (negated.empty())
                continue;
            Example neg = ex;
            neg.textB = negated;
            neg.label = to;
            d.examples.push_back(std::move(neg));
        }
    }
}

}  // namespace attrscope
