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

// The last layer's attribution: only row 0 ([CLS]) is computed (it alone reaches the output);
// true when `map` (n×n, row-major) is that: rows 1… all zero.
bool isClsRowOnly(const std::vector<float>& map, int n);

}  // namespace attrscope::ui
