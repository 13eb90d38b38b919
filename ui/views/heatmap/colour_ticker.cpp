#include "views/heatmap/colour_ticker.h"

#include <algorithm>
#include <cmath>

namespace attrscope::ui {

QString ColourTicker::label(double tick, double step, const QLocale& locale) {
    if (!(step > 0.0) || !std::isfinite(tick))
        return locale.toString(tick, 'g', 3);
    if (std::abs(tick) < step * 1e-6)
        return QStringLiteral("0");  // a rounding residue, or -0
    // The decimal place of the step's last significant digit (2.5e-3: 1e-4).
    const int top = int(std::floor(std::log10(step)));
    int last = top;
    for (int d = 0; d < 3; ++d, --last) {
        const double units = step / std::pow(10.0, last);
        if (std::abs(units - std::round(units)) < 1e-6 * units)
            break;
    }
    const int exponent = int(std::floor(std::log10(std::abs(tick))));
    // Whole numbers keep all their digits ("1000", not "1e+03").
    const int digits = std::max(exponent - last + 1, exponent + 1);
    return locale.toString(tick, 'g', std::clamp(digits, 1, 15));
}

double ColourTicker::getTickStep(const QCPRange& range) {
    m_step = QCPAxisTicker::getTickStep(range);
    return m_step;
}

QString ColourTicker::getTickLabel(double tick, const QLocale& locale, QChar, int) {
    return label(tick, m_step, locale);
}

}  // namespace attrscope::ui
