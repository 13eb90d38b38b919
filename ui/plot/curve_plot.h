#pragma once
// Shared look of the dataset tab's line plots (pruning curves, per-layer top-k): a bold title
// row, axis labels, and the legend in its own column right of the axes so it never covers a
// curve; one colour (Okabe–Ito, colour-blind safe) and marker per head ranking.

#include <QColor>
#include <QString>

#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

// Sets up `plot` and returns its title element.
QCPTextElement* setUpCurvePlot(QCustomPlot* plot, const QString& xLabel, const QString& yLabel);

QColor rankingColor(const QString& ranking);  // "random" and unknown names are grey
QCPScatterStyle::ScatterShape rankingShape(const QString& ranking);

}  // namespace attrscope::ui
