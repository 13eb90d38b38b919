#pragma once
// The paper-figure panels of the heatmap views (attention, attribution, the pair) filled from
// the document under its conventions: titles, token labels, values, palettes, the quantity the
// colour bar names (Σ heads, merged words, the target class) and the last-layer strip.

#include <vector>

#include "export/figure_exporter.h"
#include "figure/heatmap_figure.h"

namespace attrscope::ui {

class AnalysisDocument;

std::vector<HeatmapPanel> heatmapPanels(const AnalysisDocument& doc, FigureKind kind);
// The [CLS] row of a layer whose attribution has only that row (the last layer: only what
// reaches the output is computed), over the displayed columns; empty for other layers.
std::vector<float> clsRowShown(const AnalysisDocument& doc, int layer, int head);

}  // namespace attrscope::ui
