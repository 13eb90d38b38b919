#include "export/saliency_export.h"

#include "document/analysis_document.h"
#include "plot/palette.h"

namespace attrscope::ui {

QString saliencySourceName(SaliencySource source) {
    switch (source) {
        case SaliencySource::Received:
            return QStringLiteral("received");
        case SaliencySource::Given:
            return QStringLiteral("given");
        case SaliencySource::AllLayers:
            return QStringLiteral("all-layers");
        case SaliencySource::Attention:
            return QStringLiteral("attention");
    }
    return QString();
}

std::optional<SaliencySource> parseSaliencySource(const QString& name) {
    for (SaliencySource s : {SaliencySource::Received, SaliencySource::Given,
                             SaliencySource::AllLayers, SaliencySource::Attention})
        if (saliencySourceName(s) == name)
            return s;
    return std::nullopt;
}

namespace {

// Σ over rows (byColumn) or over columns of a row-major m×m map; empty when it is not m×m.
std::vector<double> sums(const std::vector<float>& map, int m, bool byColumn) {
    if (map.size() != size_t(m) * size_t(m))
        return {};
    std::vector<double> out(size_t(m), 0.0);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j)
            out[size_t(byColumn ? j : i)] += double(map[size_t(i) * size_t(m) + size_t(j)]);
    return out;
}

}  // namespace

SaliencyText saliencyFromDocument(const AnalysisDocument& doc, const QStringList& caption,
                                  SaliencySource source) {
    const ViewConventions& c = doc.conventions();
    const TokenAxis axis = doc.displayAxis();
    const int layer = doc.currentLayer(), head = doc.currentHead();
    const int m = axis.size();
    const QString target = doc.targetLabel();
    const bool allLayers = source == SaliencySource::AllLayers;
    const QString where =
        allLayers ? QStringLiteral("all layers \u00b7 %1").arg(c.headLabel(head))
                  : QStringLiteral("%1 \u00b7 %2").arg(c.layerLabel(layer), c.headLabel(head));
    const QString what = source == SaliencySource::Attention ? QStringLiteral("attention")
                         : target.isEmpty()                  ? QStringLiteral("attribution")
                                            : QStringLiteral("attribution to p(%1)").arg(target);
    const QString merged =
        c.merge == MergeMode::None ? QString() : QStringLiteral(", word pieces merged");
    SaliencyText t;
    t.title = QStringLiteral("Token saliency \u00b7 %1 \u00b7 %2").arg(what, where);
    switch (source) {
        case SaliencySource::Given:
            t.quantity = QStringLiteral("%1 given, \u03a3 over key columns (%2%3)");
            break;
        case SaliencySource::AllLayers:
            t.quantity = QStringLiteral("%1 received, \u03a3 over query rows and layers (%2%3)");
            break;
        default:
            t.quantity = QStringLiteral("%1 received, \u03a3 over query rows (%2%3)");
    }
    t.quantity = t.quantity.arg(what, where, merged);
    t.caption = caption;
    t.diverging = source != SaliencySource::Attention;
    t.palette = t.diverging ? &Palette::named(c.divergingPalette, true)
                            : &Palette::named(c.sequentialPalette, false);

    std::vector<double> scores;
    if (source == SaliencySource::Attention) {
        scores = sums(doc.displayedAttention(layer, head), m, true);
    } else if (source == SaliencySource::AllLayers) {
        for (int l = 0; l < doc.numLayers(); ++l) {
            const std::vector<double> s = sums(doc.displayedAttribution(l, head), m, true);
            if (s.empty())
                return t;  // a layer is missing: no honest total
            if (scores.empty())
                scores.assign(s.size(), 0.0);
            for (size_t k = 0; k < s.size(); ++k)
                scores[k] += s[k];
        }
    } else {
        scores = sums(doc.displayedAttribution(layer, head), m, source == SaliencySource::Received);
    }
    if (scores.size() != size_t(m))
        return t;
    bool afterSep = false, pendingBreak = false;
    for (int j = 0; j < m; ++j) {
        const QString& label = axis.labels[j];
        if (Conventions::isSpecial(label)) {
            if (label == QLatin1String("[SEP]") && !afterSep && j + 1 < m) {
                afterSep = true;
                pendingBreak = true;
            }
            continue;
        }
        t.tokens << label;
        t.scores.push_back(scores[size_t(j)]);
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
