#pragma once
// `attrscope --render OUT`: draws one figure from a stored result (a result JSON written by
// `attrscope-cli attribute --out`, or a `.attrscope` session) without opening a window, with the
// same code as File → Export figure. Lives in the Qt app rather than attrscope-cli because the
// CLI builds without Qt (architecture.md); `attrscope-cli` users run `attrscope --render`.

#include <QString>

#include "document/conventions.h"
#include "export/figure_exporter.h"
#include "export/saliency_export.h"
#include "figure/figure_options.h"

namespace attrscope::ui {

struct RenderOptions {
    QString out;          // .svg, .pdf, .png, or .csv/.json for the numbers
    QString resultPath;   // result JSON, or
    QString sessionPath;  // .attrscope session (its view state is the default)
    FigureKind kind = FigureKind::HeatmapPair;
    // `--view teaching`: the path figure of the layer, which needs the model (F(α·A) is
    // evaluated again): `modelPath`, else the result's own model folder.
    bool teaching = false;
    // `--view compare`: every method on the result's input (the Compare tab), also with the model.
    bool compare = false;
    QString modelPath;
    int layer = -2;   // 0-based; -2: the session's or 0
    int head = -2;    // 0-based, -1 = Σ heads; -2: the session's or Σ
    double tau = -1;  // < 0: the session's or 0.4
    int dpi = 200;
    // Heatmap views: width, font size, caption, theme (light by default), colour scale.
    FigureOptions figure;
    SaliencySource saliencySource = SaliencySource(0);  // received
    QString modelName;            // caption; default: the folder name from the result
    bool conventionsSet = false;  // use `conventions` instead of the session's
    ViewConventions conventions;
};

// Returns 0 on success; *message says what was written or what went wrong.
int renderFigure(const RenderOptions& options, QString* message);

}  // namespace attrscope::ui
