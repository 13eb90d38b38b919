#pragma once
// The paper-figure data of the head bars and the overview grid, filled from the document under
// its conventions, as the views show them (no selection marks, no GUI hints).

#include "document/conventions.h"
#include "figure/bar_figure.h"
#include "figure/grid_figure.h"

namespace attrscope::ui {

class AnalysisDocument;

// The current layer's bars: max attribution per head, and max attention on the right axis.
BarChart headBarChart(const AnalysisDocument& doc, bool withAttention = true);
// Layers × (Σ, heads) thumbnails, each divided by its colour limit under `scale`; inputs
// longer than `maxSide` tokens are max-pooled (by |value|) to at most maxSide per side.
GridChart overviewChart(const AnalysisDocument& doc, bool attribution, ScaleMode scale,
                        int maxSide = 32);

}  // namespace attrscope::ui
