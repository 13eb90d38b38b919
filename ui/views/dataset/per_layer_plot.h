#pragma once
// The per-layer experiment: in every layer keep only (solid) or prune only (dashed) the top-k
// heads of a ranking, accuracy against k, one colour per ranking, the unpruned accuracy as a
// grey reference line.

#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

#include "attrscope/pruning.h"

class QCustomPlot;
class QCPPainter;
class QCPTextElement;

namespace attrscope::ui {

class PerLayerPlot : public QWidget {
    Q_OBJECT
public:
    explicit PerLayerPlot(QWidget* parent = nullptr);

    void setCurves(const std::vector<attrscope::PerLayerCurve>& curves, double baseAccuracy,
                   const QString& title);
    void clear(const QString& message);

    // Points (k, accuracy) of "ranking/keep-top-k" or "ranking/prune-top-k"; empty if not shown.
    QVector<QPointF> curve(const QString& ranking, attrscope::PerLayerMode mode) const;
    QStringList legendNames() const;
    QWidget* plotWidget() const;
    // The theme convention (background, axes, legend), as the heatmaps have it.
    void setDarkTheme(bool dark);
    bool isDarkTheme() const { return m_dark; }
    void paintTo(QCPPainter* painter) const;

private:
    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    bool m_dark = false;
};

}  // namespace attrscope::ui
