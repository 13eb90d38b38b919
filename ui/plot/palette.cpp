#include "plot/palette.h"

#include <algorithm>
#include <cmath>

#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

namespace {
QColor lerp(const QColor& a, const QColor& b, double f) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                            float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}
}  // namespace

Palette::Palette(QVector<QPair<double, QColor>> stops, bool diverging)
    : m_stops(std::move(stops)), m_diverging(diverging) {
    m_table.resize(256);
    for (int k = 0; k < 256; ++k) {
        double t = k / 255.0;
        int s = 1;
        while (s < m_stops.size() - 1 && m_stops[s].first < t)
            ++s;
        const auto& lo = m_stops[s - 1];
        const auto& hi = m_stops[s];
        double f = hi.first > lo.first ? (t - lo.first) / (hi.first - lo.first) : 0.0;
        m_table[k] = lerp(lo.second, hi.second, std::clamp(f, 0.0, 1.0)).rgb();
    }
}

QRgb Palette::rgbAt(double t) const {
    if (!std::isfinite(t))
        t = 0.0;
    int k = int(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
    return m_table[k];
}

const Palette& Palette::sequential() {
    static const Palette p({{0.000, QColor(0x44, 0x01, 0x54)},
                            {0.125, QColor(0x48, 0x28, 0x78)},
                            {0.250, QColor(0x3e, 0x49, 0x89)},
                            {0.375, QColor(0x31, 0x68, 0x8e)},
                            {0.500, QColor(0x26, 0x82, 0x8e)},
                            {0.625, QColor(0x1f, 0x9e, 0x89)},
                            {0.750, QColor(0x35, 0xb7, 0x79)},
                            {0.875, QColor(0x6d, 0xcd, 0x59)},
                            {1.000, QColor(0xfd, 0xe7, 0x25)}},
                           false);
    return p;
}

const Palette& Palette::diverging() {
    // ColorBrewer RdBu, reversed so that negative is blue and positive red, pure white at 0.
    static const Palette p({{0.0, QColor(0x05, 0x30, 0x61)},
                            {0.1, QColor(0x21, 0x66, 0xac)},
                            {0.2, QColor(0x43, 0x93, 0xc3)},
                            {0.3, QColor(0x92, 0xc5, 0xde)},
                            {0.4, QColor(0xd1, 0xe5, 0xf0)},
                            {0.5, QColor(0xff, 0xff, 0xff)},
                            {0.6, QColor(0xfd, 0xdb, 0xc7)},
                            {0.7, QColor(0xf4, 0xa5, 0x82)},
                            {0.8, QColor(0xd6, 0x60, 0x4d)},
                            {0.9, QColor(0xb2, 0x18, 0x2b)},
                            {1.0, QColor(0x67, 0x00, 0x1f)}},
                           true);
    return p;
}

namespace {
Palette::Stops evenStops(const QVector<QColor>& colours) {
    Palette::Stops out;
    for (int k = 0; k < colours.size(); ++k)
        out.append({double(k) / (colours.size() - 1), colours[k]});
    return out;
}
}  // namespace

const Palette& Palette::named(const QString& name, bool diverging) {
    const QString n = name.toLower();
    if (!diverging) {
        if (n == QLatin1String("cividis")) {
            static const Palette p(evenStops({QColor("#00204c"), QColor("#213d6b"),
                                              QColor("#555b6c"), QColor("#7b7a77"),
                                              QColor("#a59c74"), QColor("#d3c064"),
                                              QColor("#ffe945")}),
                                   false);
            return p;
        }
        if (n == QLatin1String("greys")) {
            static const Palette p(evenStops({QColor("#ffffff"), QColor("#bdbdbd"),
                                              QColor("#737373"), QColor("#000000")}),
                                   false);
            return p;
        }
        return sequential();
    }
    if (n == QLatin1String("puor")) {
        // ColorBrewer PuOr: orange negative, purple positive, near-white at 0.
        static const Palette p(
            evenStops({QColor("#7f3b08"), QColor("#b35806"), QColor("#e08214"), QColor("#fdb863"),
                       QColor("#fee0b6"), QColor("#ffffff"), QColor("#d8daeb"), QColor("#b2abd2"),
                       QColor("#8073ac"), QColor("#542788"), QColor("#2d004b")}),
            true);
        return p;
    }
    if (n == QLatin1String("blueorange")) {
        static const Palette p(
            evenStops({QColor("#08306b"), QColor("#2171b5"), QColor("#6baed6"), QColor("#c6dbef"),
                       QColor("#ffffff"), QColor("#fdd0a2"), QColor("#fd8d3c"), QColor("#d94801"),
                       QColor("#7f2704")}),
            true);
        return p;
    }
    return Palette::diverging();
}

QStringList Palette::sequentialNames() {
    return {QStringLiteral("viridis"), QStringLiteral("cividis"), QStringLiteral("greys")};
}
QStringList Palette::divergingNames() {
    return {QStringLiteral("RdBu"), QStringLiteral("PuOr"), QStringLiteral("BlueOrange")};
}

QCPColorGradient toGradient(const Palette& palette) {
    QCPColorGradient g;
    g.clearColorStops();
    for (const auto& s : palette.stops())
        g.setColorStopAt(s.first, s.second);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    return g;
}

}  // namespace attrscope::ui
