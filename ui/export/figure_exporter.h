#pragma once
// Figures and the numbers behind them, without dialogs (menus, the context menus, the headless
// `attrscope --render` mode and the tests all call this). Every view is drawn by the
// paper-figure engine (figure/: one rectangle per heatmap cell, bar or overview entry, text as
// text, sized by FigureOptions; the tree as Graphviz's layout in vector paths) from the
// document's selection and conventions, plus a caption (model, input, layer/head, rule, steps,
// target, conventions) unless switched off; no selection marks or GUI hints. SVG and PDF are
// vector, PNG is rasterised at a chosen DPI. Every file is
// written through QSaveFile (temporary file + rename), so a failed export leaves no file and
// never a half file over a good one.

#include <QSize>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>

#include "document/conventions.h"
#include "figure/figure_options.h"
#include "plot/figure_writer.h"

class QCPPainter;

namespace attrscope {
struct TreeLayout;
}

namespace attrscope::ui {

class AnalysisDocument;
enum class SaliencySource;  // export/saliency_export.h

enum class FigureKind {
    HeatmapPair,          // attention and attribution side by side
    Attention,            // single heatmap
    Attribution,          // single heatmap
    HeadBars,             // per-head max attribution (and attention) for the layer
    OverviewAttention,    // all layers × heads
    OverviewAttribution,  // all layers × heads
    Tree,                 // attribution tree at τ
    Saliency,             // the input as text on boxes coloured by attribution received
};
QString figureKindName(FigureKind kind);  // "heatmaps", "attention", ..., "tree", "saliency"
std::optional<FigureKind> parseFigureKind(const QString& name);

class FigureExporter {
public:
    explicit FigureExporter(AnalysisDocument* document);

    void setModelName(const QString& name) { m_modelName = name; }
    void setTreeThreshold(double tau) { m_tau = tau; }
    // The overview grid's colour scale (per map / per layer / global), as on screen.
    void setOverviewScale(ScaleMode mode) { m_overviewScale = mode; }
    void setPngDpi(int dpi) { m_dpi = dpi; }
    int pngDpi() const { return m_dpi; }
    // Paper-figure options of every view: width, font size, caption, theme (light unless
    // asked, whatever the GUI theme) and colour scale (heatmaps, overview). The PNG resolution
    // stays setPngDpi's.
    void setFigureOptions(const FigureOptions& options) { m_options = options; }
    // What the saliency text scores (export/saliency_export.h); default: attribution received.
    void setSaliencySource(SaliencySource source) { m_saliencySource = source; }
    const FigureOptions& figureOptions() const { return m_options; }

    // The caption line(s) printed under a figure and into data files.
    QString caption(FigureKind kind) const;

    // .svg, .pdf or .png by suffix (the saliency text also .html and .tex). False with
    // errorString() set on failure (nothing written).
    bool exportFigure(FigureKind kind, const QString& path);
    // .csv or .json by suffix: the displayed numbers (conventions applied), 0-based positions.
    bool exportData(FigureKind kind, const QString& path);

    QString errorString() const { return m_error; }
    // Size of the last figure in logical pixels, and the DPI they are measured at: a PNG is
    // round(size × dpi / baseDpi) pixels, a PDF page size × 72 / baseDpi points.
    QSize lastFigureSize() const { return m_lastSize; }
    int baseDpi() const { return m_baseDpi; }
    // Size of the last figure in points (a PDF's page size).
    QSizeF lastFigurePoints() const { return m_lastPoints; }

private:
    bool fail(const QString& message);
    // Data of a view: CSV rows (header first) and the JSON object (figure_data.cpp).
    bool writeHeatmapData(FigureKind kind, const QString& path, bool json);
    bool writeOtherData(FigureKind kind, const QString& path, bool json);
    QString writeTreeFigure(const QString& path, const attrscope::TreeLayout& layout,
                            const QStringList& caption, const FigureOptions& options,
                            QSizeF* size) const;

    AnalysisDocument* m_doc;
    QString m_modelName;
    double m_tau = 0.4;
    ScaleMode m_overviewScale = ScaleMode::PerHead;
    int m_dpi = 200;
    QString m_error;
    QSize m_lastSize;
    QSizeF m_lastPoints;
    int m_baseDpi = 96;
    FigureOptions m_options;
    SaliencySource m_saliencySource = SaliencySource(0);  // received
};

}  // namespace attrscope::ui
