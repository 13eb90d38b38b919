#pragma once
// The overview grid for papers: layers × (Σ, heads) thumbnails of the maps, every entry of a
// thumbnail one filled rectangle, layer and head labels as text, a horizontal colour bar whose
// ticks are fractions of each thumbnail's colour limit (the limits named in its label), and
// optional notes at the row ends (per-layer limits). Missing maps are an outlined "–".

#include <QSizeF>
#include <QString>
#include <QStringList>
#include <vector>

#include "figure/figure_options.h"

class QPainter;

namespace attrscope::ui {

class Palette;

struct GridChart {
    QString title;
    QStringList rowLabels;     // layers
    QStringList columnLabels;  // Σ, then the heads
    int side = 0;              // each map is side × side
    // rows × columns maps, row-major; each side², values divided by the map's colour limit
    // (so in [−1, 1]); empty: no map there.
    std::vector<std::vector<float>> maps;
    QStringList rowNotes;  // printed right of each row (may be empty)
    int sepBoundary = -1;  // the A | B boundary inside each map (after this entry)
    const Palette* palette = nullptr;
    bool diverging = false;
    QString quantity;        // the colour bar's label
    QString note;            // italics under the figure
    int gapAfterColumn = 0;  // an extra gap after this column (the Σ column)

    int rows() const { return int(rowLabels.size()); }
    int columns() const { return int(columnLabels.size()); }
};

class GridFigure {
public:
    GridFigure(GridChart chart, QStringList caption, FigureOptions options);

    QSizeF size() const { return m_size; }
    int cellCount() const;  // rectangles of the maps
    int rectCount() const;  // background, cells and the colour bar's steps
    void paint(QPainter* painter) const;
    QString write(const QString& path, const QString& title) const;

private:
    void layout();

    GridChart m_chart;
    QStringList m_caption, m_captionLines, m_titleLines, m_scaleLines, m_noteLines;
    FigureOptions m_options;
    QSizeF m_size;
    double m_margin = 4, m_smallPt = 7, m_labelPt = 7, m_thumb = 10, m_gap = 2, m_rowLabel = 0,
           m_rowNote = 0, m_gridTop = 0, m_gridLeft = 0;
};

}  // namespace attrscope::ui
