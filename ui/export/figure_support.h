#pragma once
// Helpers shared by figure and data exports (and the headless renderer): the caption lines and
// the [L][H][n][n] attribution array assembled from the document's layers.

#include <QStringList>

#include "attrscope/float_array.h"
#include "export/figure_exporter.h"

namespace attrscope::ui {

class AnalysisDocument;

// Line 1: model · where (layer/head, τ) · target · rule and steps; line 2: the input;
// line 3 (when any): the conventions' note and the label base.
// overviewScale: the overview grid's colour scale, which its caption names.
QStringList figureCaption(const AnalysisDocument& doc, FigureKind kind, const QString& modelName,
                          double tau, ScaleMode overviewScale = ScaleMode::PerHead);
attrscope::FloatArray assembleAttribution(const AnalysisDocument& doc);

}  // namespace attrscope::ui
