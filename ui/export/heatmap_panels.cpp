#include "export/heatmap_panels.h"

#include <cmath>

#include "document/analysis_document.h"
#include "plot/palette.h"

namespace attrscope::ui {

namespace {

QString qualifiers(const AnalysisDocument& doc, int head) {
    return doc.conventions().sumNote(head, doc.numHeads());
}

}  // namespace

std::vector<HeatmapPanel> heatmapPanels(const AnalysisDocument& doc, FigureKind kind,
                                        const ScaleSpec& scale) {
    const double percentile = scale.kind == ScaleKind::Percentile ? scale.percentile : 100.0;
    const ViewConventions& c = doc.conventions();
    const TokenAxis axis = doc.displayAxis();
    const int layer = doc.currentLayer(), head = doc.currentHead();
    const QString where =
        QStringLiteral("%1 \u00b7 %2").arg(c.layerLabel(layer), c.headLabel(head));
    std::vector<HeatmapPanel> panels;
    if (kind != FigureKind::Attribution) {
        HeatmapPanel p;
        p.title = QStringLiteral("Attention \u00b7 %1").arg(where);
        p.rowLabels = p.columnLabels = axis.labels;
        p.values = doc.displayedAttention(layer, head);
        p.sepBoundary = axis.sepBoundary;
        p.palette = &Palette::named(c.sequentialPalette, false);
        p.quantity = head < 0 || c.merge == MergeMode::Sum
                         ? QStringLiteral("attention") + qualifiers(doc, head)
                         : QStringLiteral("attention probability") + qualifiers(doc, head);
        if (c.scale != ScaleMode::PerHead)
            p.sharedLimit = doc.colorLimit(false, layer, head, percentile);
        p.message = QStringLiteral("no attention");
        panels.push_back(std::move(p));
    }
    if (kind != FigureKind::Attention) {
        HeatmapPanel p;
        const QString target = doc.targetLabel();
        p.title = target.isEmpty()
                      ? QStringLiteral("Attribution \u00b7 %1").arg(where)
                      : QStringLiteral("Attribution to p(%1) \u00b7 %2").arg(target, where);
        p.columnLabels = axis.labels;
        p.sepBoundary = axis.sepBoundary;
        p.palette = &Palette::named(c.divergingPalette, true);
        p.diverging = true;
        p.quantity = (target.isEmpty() ? QStringLiteral("attribution")
                                       : QStringLiteral("attribution to p(%1)").arg(target)) +
                     qualifiers(doc, head);
        const std::vector<float> raw = doc.attributionMap(layer, head);
        const int n = doc.tokenCount();
        if (layer == doc.numLayers() - 1 && Conventions::isClsRowOnly(raw, n)) {
            // Only what reaches the output is computed: a 1×n strip, not an empty square.
            p.rowLabels = QStringList{doc.tokens().value(0)};
            p.values = Conventions::clsRow(raw, n, axis, c.merge);
            p.note = QStringLiteral(
                         "Last layer: only the [CLS] row reaches the output, so only that row is "
                         "computed (a 1\u00d7%1 strip).")
                         .arg(axis.size());
            if (c.hideSpecials)
                p.note += QStringLiteral(" [CLS] is shown here although specials are hidden.");
        } else {
            p.rowLabels = axis.labels;
            p.values = doc.displayedAttribution(layer, head);
            if (p.values.empty())
                p.rowLabels = axis.labels;
        }
        if (c.scale != ScaleMode::PerHead)
            p.sharedLimit = doc.colorLimit(true, layer, head, percentile);
        p.message =
            doc.isRunning()
                ? QStringLiteral("computing attribution for %1\u2026").arg(c.layerLabel(layer))
                : QStringLiteral("%1 has no attribution yet").arg(c.layerLabel(layer));
        panels.push_back(std::move(p));
    }
    // The pair: the right map's rows are the left map's (unless it is the [CLS] strip).
    if (panels.size() == 2 && panels[1].rowLabels == panels[0].rowLabels && panels[0].hasValues() &&
        panels[1].hasValues())
        panels[1].sharesRowLabels = true;
    return panels;
}

}  // namespace attrscope::ui
