#pragma once
// The Compare tab's deletion plot: the target probability after knocking out the top-k
// interactions of each method's ranking, k = 0, 1, 2, 4, … on an even axis (as the AUC weighs
// them), the random rankings' mean with their min–max band.

#include <QPointF>
#include <QVector>

#include "attrscope/analysis/deletion.h"
#include "plot/curve_plot.h"

namespace attrscope::ui {

class DeletionPlot : public CurvePlot {
    Q_OBJECT
public:
    explicit DeletionPlot(QWidget* parent = nullptr);

    void clear(const QString& message);
    void setCurves(const attrscope::DeletionResult& result, const QString& targetLabel);
    // (x, p) of a method's curve (x = 0 for k = 0, i + 1 for ks[i]); "random-min"/"random-max"
    // are the band's edges. Empty when absent.
    QVector<QPointF> curve(const QString& method) const;
    QStringList methods() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitTexts();
    QString m_fullTitle;
};

}  // namespace attrscope::ui
