#pragma once
// A bar chart for papers (the head bars): one filled rectangle per bar, category labels, ticks,
// axis labels, legend and notes as text, one or two value axes (a second series may use its own
// axis on the right), drawn with QPainter straight into SVG/PDF/PNG like HeatmapFigure. Legend
// swatches are polygons so that the SVG's <rect>s are the background and the bars only.

#include <QColor>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <vector>

#include "figure/figure_options.h"

class QPainter;

namespace attrscope::ui {

struct BarSeries {
    QString name;                // legend entry
    std::vector<double> values;  // one per category; NaN: no bar
    QColor fill, edge;
    bool rightAxis = false;  // its own axis on the right
};

struct BarChart {
    QString title;
    QStringList categories;  // x tick labels, e.g. H1 … H12
    std::vector<BarSeries> series;
    QString xLabel, yLabel, y2Label;
    QString note;  // printed in italics under the plot
};

// "Nice" tick values (1, 2, 2.5, 5 × 10^k) covering [lo, hi], about `count` of them.
std::vector<double> niceTicks(double lo, double hi, int count = 5);

class BarFigure {
public:
    BarFigure(BarChart chart, QStringList caption, FigureOptions options);

    QSizeF size() const { return m_size; }
    int barCount() const;   // finite values over all series
    int rectCount() const;  // the background and the bars
    void paint(QPainter* painter) const;
    QString write(const QString& path, const QString& title) const;

private:
    struct Axis {
        double lo = 0, hi = 1;
        std::vector<double> ticks;
        double labelWidth = 0;  // widest tick label
    };
    void layout();
    Axis makeAxis(bool right) const;

    BarChart m_chart;
    QStringList m_caption, m_captionLines, m_titleLines, m_xLabelLines, m_noteLines;
    FigureOptions m_options;
    QSizeF m_size;
    Axis m_left, m_right;
    bool m_hasRight = false, m_rotateCategories = false;
    double m_margin = 4, m_smallPt = 7, m_legendHeight = 0, m_plotLeft = 0, m_plotRight = 0,
           m_plotTop = 0, m_plotHeight = 0, m_categoryHeight = 0;
};

}  // namespace attrscope::ui
