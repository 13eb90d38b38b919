#pragma once
// A token×token heatmap figure for papers: one panel or panels side by side (attention |
// attribution), drawn with QPainter straight into SVG/PDF/PNG. Every cell is one filled
// rectangle, every token label is text (column labels rotated 90°, none dropped: the label font
// shrinks to the cell when it must), titles wrap instead of clipping, and each panel has a
// horizontal colour bar of rectangles with tick labels and a label naming the quantity and the
// scale. A panel with one row is a 1×n strip (the last layer's [CLS] row) with its note.
// No document, no widgets: the exporter fills the panels.

#include <QSizeF>
#include <QString>
#include <QStringList>
#include <vector>

#include "figure/color_scale.h"
#include "figure/colour_bar.h"
#include "figure/figure_options.h"

class QPainter;

namespace attrscope::ui {

class Palette;

struct HeatmapPanel {
    QString title;
    QStringList rowLabels;  // one per row (a strip has one row)
    QStringList columnLabels;
    std::vector<float> values;  // rows × columns, row-major; empty: `message` instead
    int sepBoundary = -1;       // a dashed line after this entry (both axes; columns for a strip)
    const Palette* palette = nullptr;
    bool diverging = false;
    double sharedLimit = 0.0;      // > 0: colour limit shared with other maps (scale convention)
    QString quantity;              // colour-bar label, e.g. "attribution (Σ heads)"
    QString note;                  // printed under the panel
    QString message;               // shown when there are no values
    bool sharesRowLabels = false;  // the panel on its left labels the same rows: none here

    int rows() const { return int(rowLabels.size()); }
    int columns() const { return int(columnLabels.size()); }
    bool hasValues() const { return values.size() == size_t(rows()) * size_t(columns()); }
};

class HeatmapFigure {
public:
    static constexpr int kColourBarSteps = kColourBarRects;  // rectangles per colour bar

    HeatmapFigure(std::vector<HeatmapPanel> panels, QStringList caption, FigureOptions options);

    QSizeF size() const { return m_size; }  // points; width = options.widthFor(panels)
    double cellSize() const { return m_cell; }
    double labelPointSize() const { return m_labelPt; }
    int rectCount() const;  // filled rectangles drawn: background, cells, colour-bar steps
    const ColorScale& scaleOf(int panel) const { return m_scales[size_t(panel)]; }
    // The colour-bar label of a panel: quantity · scale.
    QString scaleLabel(int panel) const;

    void paint(QPainter* painter) const;
    // By suffix (.svg, .pdf, .png at options.dpi); an error message, empty on success.
    QString write(const QString& path, const QString& title) const;

private:
    struct PanelLayout {
        double x = 0, width = 0, height = 0;
        double rowLabelWidth = 0, columnLabelHeight = 0;
        QStringList titleLines, scaleLines, noteLines;
    };
    void layout();
    void paintPanel(QPainter* p, const HeatmapPanel& panel, const PanelLayout& l,
                    const ColorScale& scale, double top) const;

    std::vector<HeatmapPanel> m_panels;
    std::vector<ColorScale> m_scales;
    std::vector<PanelLayout> m_layouts;
    QStringList m_caption, m_captionLines;
    FigureOptions m_options;
    QSizeF m_size;
    double m_margin = 4, m_cell = 10, m_labelPt = 8, m_smallPt = 7, m_panelHeight = 0;
};

}  // namespace attrscope::ui
