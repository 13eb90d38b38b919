#include "views/compare/compare_data.h"

#include <cmath>

#include "document/analysis_document.h"

namespace attrscope::ui {

namespace {
// Layer `l` of an [L][n][n] array as a row-major n×n map.
std::vector<float> layerOf(const attrscope::FloatArray& a, int l) {
    if (a.rank() != 3 || l < 0 || l >= a.dim(0))
        return {};
    const size_t nn = size_t(a.dim(1) * a.dim(2));
    const float* p = a.block({l});
    return std::vector<float>(p, p + nn);
}

// mean_h A_l: the attention that the deletion test ranks by (and rollout mixes).
std::vector<float> headMean(const attrscope::FloatArray& a, int l) {
    if (a.rank() != 4 || l < 0 || l >= a.dim(0))
        return {};
    const int64_t H = a.dim(1), nn = a.dim(2) * a.dim(3);
    std::vector<float> out(size_t(nn), 0.0f);
    for (int64_t h = 0; h < H; ++h) {
        const float* p = a.block({l, h});
        for (int64_t k = 0; k < nn; ++k)
            out[size_t(k)] += p[k] / float(H);
    }
    return out;
}
}  // namespace

QStringList compareMapKeys() {
    return {QStringLiteral("attention"), QStringLiteral("attattr"),
            QStringLiteral("grad-attention"), QStringLiteral("rollout"), QStringLiteral("flow")};
}

QColor deletionColour(const QString& method) {
    if (method == QLatin1String("attattr"))
        return QColor(213, 94, 0);
    if (method == QLatin1String("attention"))
        return QColor(0, 114, 178);
    if (method == QLatin1String("rollout"))
        return QColor(0, 158, 115);
    if (method == QLatin1String("grad-attention"))
        return QColor(204, 121, 167);
    return QColor(110, 110, 110);
}

QString deletionLabel(const QString& method) {
    if (method == QLatin1String("attattr"))
        return QStringLiteral("AttAttr (\u03a3 heads)");
    if (method == QLatin1String("attention"))
        return QStringLiteral("attention (head mean)");
    if (method == QLatin1String("rollout"))
        return QStringLiteral("rollout (edge scores)");
    if (method == QLatin1String("grad-attention"))
        return QStringLiteral("gradient-weighted \u0100");
    if (method == QLatin1String("random"))
        return QStringLiteral("random (mean, min\u2013max band)");
    return method;
}

CompareData compareData(const AnalysisDocument& doc, const CompareResult& r, int layer) {
    CompareData d;
    const int n = doc.tokenCount();
    if (!doc.hasInput() || r.attention.rank() != 4 || r.attention.dim(2) != n || layer < 0 ||
        layer >= r.attention.dim(0))
        return d;
    const ViewConventions& c = doc.conventions();
    const int L = int(r.attention.dim(0)), H = int(r.attention.dim(1));
    d.axis = doc.displayAxis();
    d.layer = layer;
    d.layerLabel = c.layerLabel(layer);
    d.target = r.target;
    d.targetLabel = doc.targetLabel();
    d.probability = r.probability;
    d.attributionReused = r.attributionReused;
    const QString p = QStringLiteral("p(%1)").arg(d.targetLabel);
    const QString merged = c.merge == MergeMode::Sum   ? QStringLiteral(", word pieces summed")
                           : c.merge == MergeMode::Max ? QStringLiteral(", word pieces: max")
                                                       : QString();

    auto add = [&](const QString& key, const QString& name, const QString& quantity, bool diverging,
                   std::vector<float> raw, const QString& note = QString()) {
        CompareMap m;
        m.key = key;
        m.name = name;
        m.title = QStringLiteral("%1 \u00b7 %2").arg(name, d.layerLabel);
        m.quantity = quantity + merged;
        m.diverging = diverging;
        m.raw = std::move(raw);
        if (m.raw.size() == size_t(n) * size_t(n))
            m.values = Conventions::applyToMatrix(m.raw, n, d.axis, c.merge);
        m.note = note;
        d.maps.push_back(std::move(m));
    };
    add(QStringLiteral("attention"), QStringLiteral("Attention"),
        QStringLiteral("attention prob., mean of %1 heads").arg(H), false,
        headMean(r.attention, layer));
    add(QStringLiteral("attattr"), QStringLiteral("AttAttr"),
        QStringLiteral("AttAttr \u0394%1, \u03a3 %2 heads").arg(p).arg(H), true,
        layerOf(r.attributionSum, layer),
        layer == L - 1 ? QStringLiteral("Last layer: only the [CLS] row reaches the output.")
                       : QString());
    add(QStringLiteral("grad-attention"), QStringLiteral("Gradient-weighted attention"),
        QStringLiteral("\u0100 = mean\u2095(\u2207A \u2299 A)\u207a of %1").arg(p), false,
        layerOf(r.gradientAttention, layer));
    add(QStringLiteral("rollout"), QStringLiteral("Attention rollout"),
        QStringLiteral("rollout: share of input token j"), false, layerOf(r.rollout, layer));
    add(QStringLiteral("flow"), QStringLiteral("Attention flow"),
        QStringLiteral("max-flow to input token j"), false, layerOf(r.flow, layer));

    // Token IG over the display axis: pieces summed (completeness is a sum), or the entry of the
    // largest magnitude under the "max" convention.
    d.igRaw = r.ig.tokenAttr;
    d.igSum = r.ig.sumAttr;
    d.igInput = r.ig.fInput;
    d.igBaseline = r.ig.fBaseline;
    d.igSteps = r.ig.steps;
    d.igNote = QString::fromStdString(r.igNote);
    if (d.igRaw.size() == size_t(n)) {
        for (const auto& group : d.axis.groups) {
            double v = 0.0;
            for (int t : group) {
                const double x = d.igRaw[size_t(t)];
                if (c.merge == MergeMode::Max)
                    v = std::abs(x) > std::abs(v) ? x : v;
                else
                    v += x;
            }
            d.igValues.push_back(v);
        }
    }
    d.deletion = r.deletion;

    QString input = doc.analysedTextA();
    if (!doc.analysedTextB().isEmpty())
        input += QStringLiteral(" | ") + doc.analysedTextB();
    d.caption
        << QStringLiteral(
               "Every method on one input \u00b7 %1 \u00b7 target %2 = %3 \u00b7 "
               "AttAttr %4")
               .arg(d.layerLabel, p)
               .arg(d.probability, 0, 'f', 3)
               .arg(QStringLiteral("%1 rule, m = %2%3")
                        .arg(QString::fromStdString(attrscope::ruleName(r.attributionOptions.rule)))
                        .arg(r.attributionOptions.steps)
                        .arg(d.attributionReused ? QStringLiteral(" (from the run)") : QString()));
    d.caption << QStringLiteral("Input: %1").arg(input);
    if (!c.note().isEmpty())
        d.caption << c.note();
    return d;
}

}  // namespace attrscope::ui
