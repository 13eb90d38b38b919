#pragma once
// The paper-figure panels of the heatmap views (attention, attribution, the pair) filled from
// the document under its conventions: titles, token labels, values, palettes, the quantity the
// colour bar names (Σ heads, merged words, the target class) and the last-layer strip.

#include <vector>

#include "export/figure_exporter.h"
#include "figure/heatmap_figure.h"

namespace attrscope::ui {

class AnalysisDocument;

// `scale`: a percentile-clip scale shared per layer or globally clips at the percentile of all
// the shared maps' values.
std::vector<HeatmapPanel> heatmapPanels(const AnalysisDocument& doc, FigureKind kind,
                                        const ScaleSpec& scale = {});

}  // namespace attrscope::ui
