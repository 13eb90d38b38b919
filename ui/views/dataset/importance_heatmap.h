#pragma once
// Head importance over a dataset as a layers × heads heatmap (rows = layers, the first at the top
// like the overview grid; columns = heads), drawn with a QCPColorMap without interpolation, each
// cell annotated with its value when the grid is small enough to read. Signed quantities
// (attribution, accuracy drop) use the diverging palette with symmetric limits, non-negative
// ones (attention max, Taylor) the sequential palette from 0. Labels (L1/H1 or L0/H0), the
// palettes and the theme follow the display conventions. Clicking a cell emits headClicked.

#include <QPoint>
#include <QString>
#include <QWidget>
#include <vector>

#include "document/conventions.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QCPItemText;
class QCPPainter;
class QCPTextElement;
class QMouseEvent;

namespace attrscope::ui {

class ImportanceHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ImportanceHeatmap(QWidget* parent = nullptr);

    // values: flat, layer-major (index = layer·heads + head), as core and the JSON files have it.
    void setValues(const std::vector<double>& values, int layers, int heads, const QString& title,
                   const QString& scaleLabel, bool diverging);
    // Label base, palettes and theme; redraws the values shown.
    void setConventions(const ViewConventions& conventions);
    const ViewConventions& conventions() const { return m_conv; }
    // Tick labels as drawn, for tests: heads left to right, layers top to bottom.
    QStringList headTickLabels() const;
    QStringList layerTickLabels() const;
    // No values: `message` in the middle of the plot.
    void clear(const QString& message);

    bool hasValues() const { return m_layers > 0; }
    int layers() const { return m_layers; }
    int heads() const { return m_heads; }
    // The value the colour map holds for a cell (what is drawn); NaN outside.
    double value(int layer, int head) const;
    double colorMin() const;
    double colorMax() const;
    bool isDiverging() const { return m_diverging; }
    QString title() const { return m_title; }
    // Outlines the head shown in the attribution views (-1: none).
    void setSelected(int layer, int head);

    // Pixel centre of a cell inside plotWidget(), for tests.
    QPoint cellCenter(int layer, int head) const;
    QWidget* plotWidget() const;
    // Draws the plot at its current size (vector on vector devices).
    void paintTo(QCPPainter* painter) const;

Q_SIGNALS:
    void headClicked(int layer, int head);

private:
    void onMousePress(QMouseEvent* event);
    void clearLabels();
    void draw();

    QCustomPlot* m_plot;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPTextElement* m_titleElement;
    QCPItemText* m_message;
    QCPItemRect* m_selection;
    std::vector<QCPItemText*> m_labels;
    int m_layers = 0;
    int m_heads = 0;
    bool m_diverging = true;
    QString m_title;
    QString m_scaleLabel;
    std::vector<double> m_values;
    ViewConventions m_conv;
};

}  // namespace attrscope::ui
