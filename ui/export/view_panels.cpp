#include "export/view_panels.h"

#include <algorithm>
#include <cmath>

#include "document/analysis_document.h"
#include "plot/palette.h"
#include "views/bars/head_bars.h"

namespace attrscope::ui {

BarChart headBarChart(const AnalysisDocument& doc, bool withAttention) {
    const ViewConventions& c = doc.conventions();
    const int layer = doc.currentLayer(), heads = doc.numHeads();
    BarChart chart;
    chart.title =
        QStringLiteral("Head importance in %1: max attribution per head").arg(c.layerLabel(layer));
    BarSeries attr, attn;
    attr.name = QStringLiteral("max attribution");
    attr.fill = Palette::diverging().colorAt(0.8);
    attr.edge = Palette::diverging().colorAt(0.95);
    attn.name = QStringLiteral("max attention (right axis)");
    attn.fill = Palette::sequential().colorAt(0.55);
    attn.edge = Palette::sequential().colorAt(0.35);
    attn.rightAxis = true;
    bool any = false;
    for (int h = 0; h < heads; ++h) {
        chart.categories << c.headLabel(h);
        attr.values.push_back(HeadBars::shownMax(doc, true, layer, h));
        attn.values.push_back(HeadBars::shownMax(doc, false, layer, h));
        any = any || std::isfinite(attr.values.back());
    }
    chart.series.push_back(attr);
    if (withAttention)
        chart.series.push_back(attn);
    chart.xLabel = QStringLiteral("head \u00b7 max %1").arg(HeadBars::maxScope(doc));
    chart.yLabel = QStringLiteral("max attribution");
    chart.y2Label = QStringLiteral("max attention");
    chart.note = HeadBars::lastLayerNote(doc, layer);
    if (!any)
        chart.note = QStringLiteral("%1 has no attribution yet.").arg(c.layerLabel(layer));
    return chart;
}

GridChart overviewChart(const AnalysisDocument& doc, bool attribution, ScaleMode scale,
                        int maxSide) {
    const ViewConventions& c = doc.conventions();
    const int L = doc.numLayers(), H = doc.numHeads();
    const TokenAxis axis = doc.displayAxis();
    const int n = axis.size();
    GridChart g;
    g.title = attribution ? QStringLiteral("Attribution of every layer and head")
                          : QStringLiteral("Attention of every layer and head");
    for (int l = 0; l < L; ++l)
        g.rowLabels << c.layerLabel(l);
    g.columnLabels << QStringLiteral("\u03a3");
    for (int h = 0; h < H; ++h)
        g.columnLabels << c.headLabel(h);
    g.gapAfterColumn = 0;
    g.diverging = attribution;
    g.palette = attribution ? &Palette::named(c.divergingPalette, true)
                            : &Palette::named(c.sequentialPalette, false);
    const int pool = std::max(1, (n + maxSide - 1) / std::max(1, maxSide));
    g.side = n > 0 ? (n + pool - 1) / pool : 0;
    g.sepBoundary = pool == 1 ? axis.sepBoundary : -1;

    // The limits as the overview canvas computes them: per map, per layer (heads), or one for
    // all heads; Σ maps (a sum, larger) share only among themselves.
    std::vector<std::vector<float>> raw(size_t(L) * size_t(H + 1));
    std::vector<double> own(raw.size(), 0.0), layerMax(size_t(L), 0.0);
    double headsMax = 0.0, sumMax = 0.0;
    for (int l = 0; l < L; ++l)
        for (int h = -1; h < H; ++h) {
            const size_t k = size_t(l) * size_t(H + 1) + size_t(h + 1);
            raw[k] = attribution ? doc.displayedAttribution(l, h) : doc.displayedAttention(l, h);
            for (float v : raw[k])
                own[k] = std::max(own[k], double(std::abs(v)));
            (h < 0 ? sumMax : headsMax) = std::max(h < 0 ? sumMax : headsMax, own[k]);
            if (h >= 0)
                layerMax[size_t(l)] = std::max(layerMax[size_t(l)], own[k]);
        }
    g.maps.resize(raw.size());
    for (int l = 0; l < L; ++l) {
        double rowLimit = 0.0;
        for (int h = -1; h < H; ++h) {
            const size_t k = size_t(l) * size_t(H + 1) + size_t(h + 1);
            const auto& m = raw[k];
            if (m.size() != size_t(n) * size_t(n) || n == 0)
                continue;
            double limit = own[k];
            if (scale == ScaleMode::Global)
                limit = h < 0 ? sumMax : headsMax;
            else if (scale == ScaleMode::PerLayer && h >= 0)
                limit = layerMax[size_t(l)];
            if (h >= 0)
                rowLimit = limit;
            const double inv = limit > 0.0 ? 1.0 / limit : 1.0;
            std::vector<float>& out = g.maps[k];
            out.assign(size_t(g.side) * size_t(g.side), 0.0f);
            for (int pi = 0; pi < g.side; ++pi)
                for (int pj = 0; pj < g.side; ++pj) {
                    float v = 0.0f;
                    for (int y = pi * pool; y < std::min(n, (pi + 1) * pool); ++y)
                        for (int x = pj * pool; x < std::min(n, (pj + 1) * pool); ++x) {
                            const float e = m[size_t(y) * size_t(n) + size_t(x)];
                            if (std::abs(e) > std::abs(v))
                                v = e;
                        }
                    out[size_t(pi) * size_t(g.side) + size_t(pj)] = float(v * inv);
                }
        }
        if (scale == ScaleMode::PerLayer)
            g.rowNotes << (rowLimit > 0 ? QStringLiteral("max %1").arg(rowLimit, 0, 'g', 3)
                                        : QString());
    }
    const QString what = attribution ? QStringLiteral("attribution") : QStringLiteral("attention");
    const QString range = attribution ? QStringLiteral("\u00b1") : QStringLiteral("0 \u2026 ");
    switch (scale) {
        case ScaleMode::PerHead:
            g.quantity = QStringLiteral("%1 as a fraction of each map's max %2")
                             .arg(what, attribution ? QStringLiteral("|value|") : QString());
            break;
        case ScaleMode::PerLayer:
            g.quantity = QStringLiteral(
                             "%1 as a fraction of its layer's max (row ends; "
                             "\u03a3 column: of each map's)")
                             .arg(what);
            break;
        case ScaleMode::Global:
            g.quantity = QStringLiteral(
                             "%1 as a fraction of one limit for all heads, %2%3 (\u03a3 column: "
                             "%2%4)")
                             .arg(what, range)
                             .arg(headsMax, 0, 'g', 3)
                             .arg(sumMax, 0, 'g', 3);
            break;
    }
    g.quantity = g.quantity.simplified();
    QStringList notes;
    if (pool > 1)
        notes << QStringLiteral("Each map max-pooled (by |value|) from %1 to %2 entries per side.")
                     .arg(n)
                     .arg(g.side);
    if (attribution && L > 0 &&
        Conventions::isClsRowOnly(doc.attributionMap(L - 1, -1), doc.tokenCount()))
        notes << QStringLiteral(
                     "%1: only the [CLS] row is computed (only it reaches the "
                     "output)%2.")
                     .arg(c.layerLabel(L - 1), c.hideSpecials
                                                   ? QStringLiteral(", and [CLS] is hidden here")
                                                   : QString());
    g.note = notes.join(QLatin1Char(' '));
    return g;
}

}  // namespace attrscope::ui
