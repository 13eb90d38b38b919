#include "views/dataset/importance_quantity.h"

#include <QObject>

namespace attrscope::ui {

std::vector<ImportanceQuantity> importanceQuantities(const DatasetResult& r) {
    std::vector<ImportanceQuantity> out;
    const auto& imp = r.importance;
    if (imp.attribution && !imp.attribution->attributionSum.empty()) {
        const int n = imp.attribution->examplesDone;
        out.push_back({QStringLiteral("attribution-sum"),
                       QObject::tr("attribution, sum over %1 examples").arg(n),
                       imp.attribution->attributionSum, true,
                       QObject::tr("I_h = \u03a3_x max_ij Attr_h(A)(x), attribution to the gold "
                                   "label's probability (prune_head_with_attr.py)")});
        out.push_back({QStringLiteral("attribution-mean"),
                       QObject::tr("attribution, mean over %1 examples").arg(n),
                       imp.attribution->attributionMean(), true,
                       QObject::tr("E_x max_ij Attr_h(A)(x), attribution to the gold label's "
                                   "probability")});
    }
    if (imp.attribution && !imp.attribution->attentionSum.empty())
        out.push_back({QStringLiteral("attention-mean"),
                       QObject::tr("attention max, mean over examples"),
                       imp.attribution->attentionMean(), false,
                       QObject::tr("E_x max_ij A_h(x), the largest attention weight (baseline)")});
    for (const auto& t : imp.taylor) {
        const QString name =
            QString::fromStdString(attrscope::taylorObjectiveName(t.options.objective));
        out.push_back(
            {QStringLiteral("taylor-") + name,
             QObject::tr("Taylor (%1), \u21132-normalised per layer").arg(name), t.normalized,
             false,
             QString::fromStdString(attrscope::taylorObjectiveMeaning(t.options.objective))});
    }
    if (imp.accuracy)
        out.push_back({QStringLiteral("accuracy"),
                       QObject::tr("accuracy drop when only this head is masked"),
                       imp.accuracy->drop, true,
                       QObject::tr("accuracy of the full model minus accuracy with the head "
                                   "masked, on %1 examples")
                           .arg(imp.accuracy->examples)});
    return out;
}

ImportanceQuantity findImportanceQuantity(const DatasetResult& r, const QString& key) {
    for (auto& q : importanceQuantities(r))
        if (q.key == key)
            return q;
    return {};
}

}  // namespace attrscope::ui
