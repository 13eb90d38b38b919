#include "views/teaching/teaching_presets.h"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <vector>

#include "attrscope/text/token_roles.h"
#include "document/model_task.h"

namespace attrscope::ui {

namespace {
QString sepExplanation(bool pair) {
    return QObject::tr(
               "Many heads send most of their attention to [SEP]%1, yet changing that "
               "attention barely moves the prediction. After the run the Heatmaps tab "
               "opens at the head where [SEP] takes the most attention but the least "
               "attribution: compare the bright [SEP] column on the left with the pale "
               "one on the right.")
        .arg(pair ? QString() : QObject::tr(" (here the one at the end of the sentence)"));
}

QString treeExplanation() {
    return QObject::tr(
        "The tree keeps, layer by layer, the interactions whose attribution exceeds "
        "\u03c4 = 0.4 of the layer's maximum. An edge from token a up to token b "
        "means b takes information from a in that layer; the root is where the "
        "evidence ends up. After the run the tree opens at \u03c4 = 0.4.");
}

QString notTail() {
    return QObject::tr(
        "After the run the Heatmaps tab opens at the head where \"not\" carries "
        "the largest attribution, with \"not\" highlighted: ");
}
}  // namespace

QVector<TeachingPreset> teachingPresets(const QStringList& labels) {
    using K = TeachingPreset::Kind;
    const QString sepName = QObject::tr("1 \u00b7 Attention is not attribution");
    const QString negName = QObject::tr("2 \u00b7 Negation");
    const QString treeName = QObject::tr("3 \u00b7 The attribution tree");
    switch (taskForLabels(labels)) {
        case ModelTask::Nli:
            return {
                {K::SepAttention, sepName, QStringLiteral("A dog is running through the grass."),
                 QStringLiteral("A chef is cooking pasta in a kitchen."), sepExplanation(true)},
                {K::Negation, negName, QStringLiteral("A man is playing a guitar."),
                 QStringLiteral("A man is not playing a guitar."),
                 QObject::tr("One word turns entailment into contradiction. ") + notTail() +
                     QObject::tr("look at which tokens of the premise it interacts with.")},
                {K::Tree, treeName,
                 QStringLiteral("Two children are playing in the sand near the ocean."),
                 QStringLiteral("Children are playing outdoors."), treeExplanation()},
            };
        case ModelTask::Sentiment:
            return {
                {K::SepAttention, sepName,
                 QStringLiteral("The story is simple but the acting is wonderful."), QString(),
                 sepExplanation(false)},
                {K::Negation, negName, QStringLiteral("The film is not good at all."), QString(),
                 QObject::tr("One word turns praise into criticism: without \"not\" the review "
                             "reads positive. ") +
                     notTail() + QObject::tr("look at how it meets \"good\".")},
                {K::Tree, treeName,
                 QStringLiteral("A charming and often affecting journey with a dull ending."),
                 QString(), treeExplanation()},
            };
        case ModelTask::Other:
            break;
    }
    // A task we cannot name: one sentence each, and explanations that name no label.
    return {
        {K::SepAttention, sepName, QStringLiteral("A dog is running through the grass."), QString(),
         sepExplanation(false)},
        {K::Negation, negName, QStringLiteral("The door is not open."), QString(),
         QObject::tr("One word reverses the statement. ") + notTail() +
             QObject::tr("look at which tokens it interacts with.")},
        {K::Tree, treeName, QStringLiteral("Two children are playing in the sand near the ocean."),
         QString(), treeExplanation()},
    };
}

namespace {
// The separators ([SEP], </s>): every template special after the first position.
std::vector<int> sepColumns(const attrscope::Encoding& e) {
    const attrscope::TokenRoles roles = attrscope::tokenRoles(e);
    std::vector<int> cols;
    for (int j = 1; j < e.size(); ++j)
        if (roles.special[size_t(j)])
            cols.push_back(j);
    return cols;
}
}  // namespace

HeadPick findSepAttentionHead(const attrscope::AttributionResult& r) {
    HeadPick best;
    best.score = -1e300;
    const int n = r.encoding.size();
    const std::vector<int> seps = sepColumns(r.encoding);
    if (seps.empty() || r.prediction.attention.data.empty())
        return HeadPick{};
    for (const auto& la : r.layers) {
        for (int h = 0; h < r.numHeads; ++h) {
            double att = 0.0, attrSep = 0.0, attrAll = 0.0;
            for (int i = 0; i < n; ++i) {
                for (int j = 0; j < n; ++j) {
                    const double a = std::abs(la.attribution.at({h, i, j}));
                    attrAll += a;
                    if (std::find(seps.begin(), seps.end(), j) != seps.end()) {
                        attrSep += a;
                        att += r.prediction.attention.at({la.layer, h, i, j});
                    }
                }
            }
            const double score = att / n - (attrAll > 0 ? attrSep / attrAll : 0.0);
            if (score > best.score)
                best = {la.layer, h, score};
        }
    }
    return best.layer < 0 ? HeadPick{} : best;
}

HeadPick findTokenInteractionHead(const attrscope::AttributionResult& r, int p) {
    HeadPick best;
    const int n = r.encoding.size();
    if (p < 0 || p >= n)
        return best;
    for (const auto& la : r.layers) {
        for (int h = 0; h < r.numHeads; ++h) {
            for (int k = 0; k < n; ++k) {
                const double v = std::max(std::abs(la.attribution.at({h, p, k})),
                                          std::abs(la.attribution.at({h, k, p})));
                if (v > best.score)
                    best = {la.layer, h, v};
            }
        }
    }
    return best;
}

int findToken(const attrscope::Encoding& e, const QString& word) {
    for (int i = 0; i < e.size(); ++i)
        if (QString::fromStdString(e.tokens[size_t(i)]).compare(word, Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

}  // namespace attrscope::ui
