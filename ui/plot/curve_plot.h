#pragma once
// Shared look of the line plots. The dataset tab's (pruning curves, per-layer top-k): a bold
// title row, axis labels, and the legend in its own column right of the axes so it never covers
// a curve; one colour (Okabe–Ito, colour-blind safe) and marker per head ranking. The teaching
// view's α plots: the legend in a row under the axes.

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

// Base of the dataset tab's curve plots: a QCustomPlot filling the widget with a title row and
// the legend in a side column, the theme convention, legend names for tests, and drawing into a
// figure.
class CurvePlot : public QWidget {
    Q_OBJECT
public:
    CurvePlot(const QString& xLabel, const QString& yLabel, QWidget* parent = nullptr);

    QStringList legendNames() const;
    QWidget* plotWidget() const { return m_plot; }
    // The theme convention (background, axes, legend), as the heatmaps have it.
    void setDarkTheme(bool dark);
    bool isDarkTheme() const { return m_dark; }
    void paintTo(QCPPainter* painter) const;

protected:
    // No curves: the message takes the title's place.
    void showMessage(const QString& message);

    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    bool m_dark = false;
};

// A line plot over α ∈ [0, 1] with its legend in a row under the axes, so it never hides the
// curve (the teaching view's plots). A plot narrower than that row stacks the legend's entries
// instead: the legend never sets the plot's minimum width (the teaching tab at 1024×768).
QCustomPlot* makeAlphaPlot(QWidget* parent, const QString& xLabel, const QString& yLabel);
// [lo, hi] with 8 % air on both sides; never empty.
QCPRange paddedRange(double lo, double hi);

QColor rankingColor(const QString& ranking);  // "random" and unknown names are grey
QCPScatterStyle::ScatterShape rankingShape(const QString& ranking);

}  // namespace attrscope::ui
