#pragma once
// The Compare tab's exports, without dialogs: one figure (the five token×token maps in two rows
// with the token IG strip, each with its own colour bar naming its quantity, and the deletion
// curves with the random band below; SVG/PDF/PNG through the paper-figure engine) and the
// numbers behind it (JSON or CSV, written atomically). Positions in the files are 0-based.

#include <QSizeF>
#include <QString>
#include <vector>

#include "document/conventions.h"
#include "figure/figure_options.h"
#include "figure/heatmap_figure.h"
#include "figure/line_figure.h"
#include "views/compare/compare_data.h"

namespace attrscope::ui {

// Row 0: attention, AttAttr, gradient-weighted; row 1: rollout, flow, token IG (a 1×m strip).
std::vector<std::vector<HeatmapPanel>> compareHeatmapRows(const CompareData& data,
                                                          const ViewConventions& conventions);
// The deletion curves: p(target) against k, x = log2 k + 1 (x = 0 is k = 0), k as tick labels.
LinePanel deletionPanel(const CompareData& data);

// By suffix (.svg, .pdf, .png at options.dpi); an error message, empty on success. `size`
// receives the page size in points.
QString writeCompareFigure(const CompareData& data, const ViewConventions& conventions,
                           const FigureOptions& options, const QString& path,
                           QSizeF* size = nullptr);
// Filled rectangles the figure draws (backgrounds, cells, colour-bar steps), for tests.
int compareFigureRects(const CompareData& data, const ViewConventions& conventions,
                       const FigureOptions& options);
// .json or .csv by suffix, through QSaveFile; an error message, empty on success.
QString writeCompareData(const CompareData& data, const QString& path);

}  // namespace attrscope::ui
