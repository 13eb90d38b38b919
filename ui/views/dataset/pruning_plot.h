#pragma once
// Global head pruning: accuracy against the fraction of heads masked, one curve per ranking
// (attribution, attention, Taylor, ...), the random ranking as the mean over its seeds with a
// shaded min–max band, and a legend. The x value of a point is the fraction actually pruned,
// int(r·L·H) / (L·H), not the nominal rate.

#include <QPointF>
#include <QString>
#include <QVector>

#include "attrscope/analysis/pruning.h"
#include "plot/curve_plot.h"

namespace attrscope::ui {

class PruningPlot : public CurvePlot {
    Q_OBJECT
public:
    explicit PruningPlot(QWidget* parent = nullptr);

    void setCurves(const std::vector<attrscope::PruneCurve>& curves,
                   const attrscope::RandomPruneCurves* random, int totalHeads, double baseAccuracy,
                   const QString& title);
    void clear(const QString& message);

    // The points drawn for a ranking ("random": the mean); empty when it is not shown.
    QVector<QPointF> curve(const QString& ranking) const;
    // The random band's lower and upper edges.
    QVector<QPointF> bandLower() const;
    QVector<QPointF> bandUpper() const;
};

}  // namespace attrscope::ui
