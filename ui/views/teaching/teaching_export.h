#pragma once
// The numbers behind the "Path (teaching)" figure, and their CSV/JSON files: F(α·A) on the dense
// α grid, F at the rule's integration points with their weights and slopes, the running integral
// Σ_{i≤k} w_i dF/dα(α_i) against its right end b_k = Σ_{i≤k} w_i, and the two totals it is
// about (Σ Attr of the layer and F(1) − F(0)). Layers and classes are 0-based in the files.

#include <QString>
#include <QStringList>
#include <vector>

#include "figure/figure_options.h"
#include "figure/line_figure.h"

namespace attrscope::ui {

struct TeachingPathData {
    QStringList caption;
    int layer = 0;
    int target = 0;
    QString targetLabel;
    QString rule;
    int steps = 0;
    std::vector<double> denseAlphas, denseF;                   // F(α·A) on the grid
    std::vector<double> pointAlphas, pointF, weights, slopes;  // the rule's points
    std::vector<double> runningEnds, runningSums;              // b_k and S_k
    double sumAttr = 0.0;                                      // the layer's Σ Attr
    double change = 0.0;                                       // F(1) − F(0)
};

// The path figure for papers: F(α·A) with the rule's points, and the running integral against
// F(α) − F(0), drawn from the numbers (figure/line_figure.h).
LineFigure teachingFigure(const TeachingPathData& data, const QString& layerLabel,
                          const FigureOptions& options);

// .csv or .json by suffix, through QSaveFile; returns an error message, empty on success.
QString writeTeachingData(const TeachingPathData& data, const QString& path);

}  // namespace attrscope::ui
