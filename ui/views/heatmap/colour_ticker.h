#pragma once
// Tick labels for the heatmaps' colour bars: as many significant digits as the tick step needs
// (0.25, 0.5, …, 1.25 reads "1.25", not the "1.3" of a fixed precision), and the tick at zero is
// "0", never a negative zero. Small ranges stay in 'g' form ("2.5e-05"), which the axis draws
// as a power of ten.

#include <QString>

#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

class ColourTicker : public QCPAxisTicker {
public:
    // The label of `tick` on an axis whose ticks are multiples of `step`.
    static QString label(double tick, double step, const QLocale& locale);

protected:
    double getTickStep(const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;

private:
    double m_step = 0.0;
};

}  // namespace attrscope::ui
