#pragma once
// Line plots for papers (the teaching view's path figure): panels stacked vertically, each with
// its title, legend, axes with "nice" ticks and labels as text, series as polylines and point
// markers as circles (<ellipse> in SVG; the only <rect> is the background), bands as filled
// paths, drawn with QPainter
// straight into SVG/PDF/PNG like the other figures.

#include <QColor>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <vector>

#include "figure/figure_options.h"

class QPainter;

namespace attrscope::ui {

struct LineSeries {
    QString name;  // legend entry
    std::vector<double> x, y;
    QColor colour;
    double width = 1.0;  // line width in points; 0: markers only
    bool markers = false;
};

// A translucent band between two curves (e.g. random rankings' min and max).
struct LineBand {
    std::vector<double> x, low, high;
    QColor colour;
};

struct LinePanel {
    QString title, xLabel, yLabel;
    std::vector<LineSeries> series;
    // Labelled x ticks instead of numbers (e.g. k = 1, 2, 4, … at x = 1, 2, 3, …); empty: nice
    // numeric ticks.
    std::vector<double> xTickAt;
    QStringList xTickLabels;
    std::vector<LineBand> bands;  // drawn under the series
};

class LineFigure {
public:
    LineFigure(std::vector<LinePanel> panels, QString note, QStringList caption,
               FigureOptions options);

    QSizeF size() const { return m_size; }
    int markerCount() const;  // circles drawn
    void paint(QPainter* painter) const;
    QString write(const QString& path, const QString& title) const;

private:
    struct Layout {
        QStringList titleLines, legendLines, xLabelLines;
        double xLo = 0, xHi = 1, yLo = 0, yHi = 1, top = 0, plotTop = 0;
        std::vector<double> xTicks, yTicks;
    };
    void layout();

    std::vector<LinePanel> m_panels;
    std::vector<Layout> m_layouts;
    QString m_note;
    QStringList m_caption, m_captionLines, m_noteLines;
    FigureOptions m_options;
    QSizeF m_size;
    double m_margin = 4, m_smallPt = 7, m_plotLeft = 0, m_plotRight = 0, m_plotHeight = 0;
};

}  // namespace attrscope::ui
