#include "export/saliency_export.h"

#include "document/analysis_document.h"
#include "plot/palette.h"

namespace attrscope::ui {

SaliencyText saliencyFromDocument(const AnalysisDocument& doc, const QStringList& caption) {
    const ViewConventions& c = doc.conventions();
    const TokenAxis axis = doc.displayAxis();
    const int layer = doc.currentLayer(), head = doc.currentHead();
    const int m = axis.size();
    const std::vector<float> map = doc.displayedAttribution(layer, head);
    SaliencyText t;
    const QString target = doc.targetLabel();
    const QString where =
        QStringLiteral("%1 \u00b7 %2").arg(c.layerLabel(layer), c.headLabel(head));
    const QString what = target.isEmpty() ? QStringLiteral("attribution")
                                          : QStringLiteral("attribution to p(%1)").arg(target);
    t.title = QStringLiteral("Token saliency \u00b7 %1 \u00b7 %2").arg(what, where);
    t.quantity =
        QStringLiteral("%1 received, \u03a3 over query rows (%2%3)")
            .arg(what, where,
                 c.merge == MergeMode::None ? QString() : QStringLiteral(", word pieces merged"));
    t.caption = caption;
    t.palette = &Palette::named(c.divergingPalette, true);
    t.diverging = true;
    if (map.size() != size_t(m) * size_t(m))
        return t;
    bool afterSep = false, pendingBreak = false;
    for (int j = 0; j < m; ++j) {
        const QString& label = axis.labels[j];
        if (Conventions::isSpecial(label)) {
            if (label == QLatin1String("[SEP]") && afterSep == false && j + 1 < m) {
                afterSep = true;
                pendingBreak = true;
            }
            continue;
        }
        double sum = 0.0;
        for (int i = 0; i < m; ++i)
            sum += double(map[size_t(i) * size_t(m) + size_t(j)]);
        t.tokens << label;
        t.scores.push_back(sum);
        t.breakBefore.push_back(pendingBreak && t.tokens.size() > 1);
        pendingBreak = false;
        // Hidden specials: text B starts after the axis' boundary.
        if (axis.sepBoundary == j && !afterSep) {
            afterSep = true;
            pendingBreak = true;
        }
    }
    return t;
}

}  // namespace attrscope::ui
