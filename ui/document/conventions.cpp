#include "document/conventions.h"

#include "attrscope/text/token_roles.h"
#include "figure/color_scale.h"

#include <algorithm>
#include <cmath>

namespace attrscope::ui {

bool ViewConventions::operator==(const ViewConventions& o) const {
    return hideSpecials == o.hideSpecials && merge == o.merge && oneBased == o.oneBased &&
           sequentialPalette == o.sequentialPalette && divergingPalette == o.divergingPalette &&
           scale == o.scale && theme == o.theme;
}

QString mergeName(MergeMode mode) {
    switch (mode) {
        case MergeMode::Sum:
            return QStringLiteral("sum");
        case MergeMode::Max:
            return QStringLiteral("max");
        default:
            return QStringLiteral("none");
    }
}

QString scaleModeName(ScaleMode mode) {
    switch (mode) {
        case ScaleMode::PerLayer:
            return QStringLiteral("per-layer");
        case ScaleMode::Global:
            return QStringLiteral("global");
        default:
            return QStringLiteral("per-head");
    }
}

QJsonObject ViewConventions::toJson() const {
    QJsonObject o;
    o[QStringLiteral("hide_specials")] = hideSpecials;
    o[QStringLiteral("merge_pieces")] = mergeName(merge);
    o[QStringLiteral("one_based_labels")] = oneBased;
    o[QStringLiteral("sequential_palette")] = sequentialPalette;
    o[QStringLiteral("diverging_palette")] = divergingPalette;
    o[QStringLiteral("colour_scale")] = scaleModeName(scale);
    o[QStringLiteral("theme")] =
        theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light");
    return o;
}

ViewConventions ViewConventions::fromJson(const QJsonObject& o) {
    ViewConventions c;
    c.hideSpecials = o.value(QStringLiteral("hide_specials")).toBool(false);
    const QString merge = o.value(QStringLiteral("merge_pieces")).toString();
    c.merge = merge == QLatin1String("sum")   ? MergeMode::Sum
              : merge == QLatin1String("max") ? MergeMode::Max
                                              : MergeMode::None;
    c.oneBased = o.value(QStringLiteral("one_based_labels")).toBool(true);
    c.sequentialPalette =
        o.value(QStringLiteral("sequential_palette")).toString(QStringLiteral("viridis"));
    c.divergingPalette =
        o.value(QStringLiteral("diverging_palette")).toString(QStringLiteral("RdBu"));
    const QString scale = o.value(QStringLiteral("colour_scale")).toString();
    c.scale = scale == QLatin1String("per-layer") ? ScaleMode::PerLayer
              : scale == QLatin1String("global")  ? ScaleMode::Global
                                                  : ScaleMode::PerHead;
    c.theme = o.value(QStringLiteral("theme")).toString() == QLatin1String("dark") ? Theme::Dark
                                                                                   : Theme::Light;
    return c;
}

QString ViewConventions::note() const {
    QStringList parts;
    if (hideSpecials)
        parts << QStringLiteral("[CLS]/[SEP] hidden, values not renormalised");
    if (merge != MergeMode::None)
        parts << QStringLiteral("word pieces merged by %1%2")
                     .arg(mergeName(merge),
                          merge == MergeMode::Max ? QStringLiteral(" |value|") : QString());
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString ViewConventions::layerLabel(int layer) const {
    return QStringLiteral("L%1").arg(layer + (oneBased ? 1 : 0));
}

QString ViewConventions::headLabel(int head) const {
    return head < 0 ? QStringLiteral("\u03a3 heads")
                    : QStringLiteral("H%1").arg(head + (oneBased ? 1 : 0));
}

QString ViewConventions::sumNote(int head, int numHeads) const {
    QStringList parts;
    if (head < 0)
        parts << QStringLiteral("\u03a3 %1 heads").arg(numHeads);
    if (merge == MergeMode::Sum)
        parts << QStringLiteral("word pieces summed");
    else if (merge == MergeMode::Max)
        parts << QStringLiteral("word pieces: max |value|");
    return parts.isEmpty() ? QString()
                           : QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")));
}

std::vector<float> Conventions::clsRow(const std::vector<float>& raw, int n, const TokenAxis& axis,
                                       MergeMode merge) {
    std::vector<float> out;
    for (const auto& group : axis.groups) {
        float v = 0.0f;
        for (int p : group) {
            const float x = p >= 0 && p < n ? raw[size_t(p)] : 0.0f;
            if (merge == MergeMode::Max)
                v = std::abs(x) > std::abs(v) ? x : v;
            else
                v += x;
        }
        out.push_back(v);
    }
    return out;
}

bool Conventions::isClsRowOnly(const std::vector<float>& map, int n) {
    if (n < 2 || map.size() != size_t(n) * size_t(n))
        return false;
    for (size_t k = size_t(n); k < map.size(); ++k)
        if (map[k] != 0.0f)
            return false;
    return true;
}

QString ViewConventions::scaleName() const {
    return scaleModeName(scale);
}

bool TokenAxis::isIdentity(int n) const {
    if (int(groups.size()) != n)
        return false;
    for (int k = 0; k < n; ++k)
        if (groups[size_t(k)].size() != 1 || groups[size_t(k)][0] != k)
            return false;
    return true;
}

bool Conventions::isSpecial(const QString& token) {
    return isSpecialTokenString(token.toStdString());
}

TokenAxis Conventions::makeAxis(const QStringList& tokens, int sepIndex, const ViewConventions& c) {
    Encoding e;
    for (const QString& t : tokens)
        e.tokens.push_back(t.toStdString());
    return makeAxis(e, sepIndex, c);
}

TokenAxis Conventions::makeAxis(const Encoding& e, int sepIndex, const ViewConventions& c) {
    TokenAxis axis;
    const TokenRoles roles = tokenRoles(e);
    std::vector<bool> entrySpecial;  // per axis entry: does it start at a special token
    for (int p = 0; p < e.size(); ++p) {
        const std::string& t = e.tokens[size_t(p)];
        const bool special = roles.special[size_t(p)];
        if (special && c.hideSpecials)
            continue;
        // A continuation joins the previous word unless that entry is a special token.
        if (c.merge != MergeMode::None && roles.continuation[size_t(p)] && !axis.groups.empty() &&
            axis.groups.back().back() == p - 1 && !entrySpecial.back()) {
            axis.groups.back().push_back(p);
            axis.labels.back() += QString::fromStdString(pieceText(t));
            continue;
        }
        axis.groups.push_back({p});
        axis.labels << QString::fromStdString(displayToken(t));
        entrySpecial.push_back(special);
    }
    if (sepIndex >= 0) {
        int last = -1;
        for (int k = 0; k < axis.size(); ++k)
            if (axis.groups[size_t(k)].front() <= sepIndex)
                last = k;
        axis.sepBoundary = last;
    }
    return axis;
}

std::vector<float> Conventions::applyToMatrix(const std::vector<float>& values, int n,
                                              const TokenAxis& axis, MergeMode merge) {
    if (values.size() != size_t(n) * size_t(n))
        return {};
    if (axis.isIdentity(n))
        return values;
    const int m = axis.size();
    std::vector<float> out(size_t(m) * size_t(m), 0.0f);
    for (int a = 0; a < m; ++a) {
        for (int b = 0; b < m; ++b) {
            double acc = 0.0;
            bool first = true;
            for (int i : axis.groups[size_t(a)]) {
                for (int j : axis.groups[size_t(b)]) {
                    const double v = values[size_t(i) * size_t(n) + size_t(j)];
                    if (merge == MergeMode::Max) {
                        if (first || std::abs(v) > std::abs(acc))
                            acc = v;
                    } else {
                        acc += v;  // Sum, and None (single cells: the value itself)
                    }
                    first = false;
                }
            }
            out[size_t(a) * size_t(m) + size_t(b)] = float(acc);
        }
    }
    return out;
}

double Conventions::limitOf(const std::vector<std::vector<float>>& maps, bool diverging,
                            double percentile) {
    std::vector<double> magnitudes;
    double top = 0.0;
    for (const auto& map : maps)
        for (float v : map) {
            if (!std::isfinite(v))
                continue;
            const double m = diverging ? std::abs(double(v)) : std::max(0.0, double(v));
            top = std::max(top, m);
            if (percentile < 100.0)
                magnitudes.push_back(m);
        }
    if (percentile >= 100.0 || magnitudes.empty())
        return top;
    // As ColorScale::fit does for one map: a zero percentile (mostly empty maps) keeps the max.
    const double p = percentileOf(std::move(magnitudes), percentile);
    return p > 0.0 ? p : top;
}

}  // namespace attrscope::ui
