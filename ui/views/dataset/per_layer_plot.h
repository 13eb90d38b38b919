#pragma once
// The per-layer experiment: in every layer keep only (solid) or prune only (dashed) the top-k
// heads of a ranking, accuracy against k, one colour per ranking, the unpruned accuracy as a
// grey reference line.

#include <QPointF>
#include <QString>
#include <QVector>

#include "attrscope/analysis/pruning.h"
#include "plot/curve_plot.h"

namespace attrscope::ui {

class PerLayerPlot : public CurvePlot {
    Q_OBJECT
public:
    explicit PerLayerPlot(QWidget* parent = nullptr);

    void setCurves(const std::vector<attrscope::PerLayerCurve>& curves, double baseAccuracy,
                   const QString& title);
    void clear(const QString& message);

    // Points (k, accuracy) of "ranking/keep-top-k" or "ranking/prune-top-k"; empty if not shown.
    QVector<QPointF> curve(const QString& ranking, attrscope::PerLayerMode mode) const;
};

}  // namespace attrscope::ui
