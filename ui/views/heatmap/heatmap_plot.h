#pragma once
// One token×token heatmap (rows = query i, columns = key j) drawn with QCustomPlot: square
// cells without interpolation, tokens on both axes (column labels rotated), the [SEP] boundary
// as dashed lines, a labelled colour scale, a hover outline and highlight marks. It knows nothing
// about attention or attribution; LinkedHeatmaps decides what goes in.

#include <QPoint>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPPainter;
class QCPColorScale;
class QCPLayoutGrid;
class QCPTextElement;
class QCPItemRect;
class QCPItemText;
class QCPItemStraightLine;
class QCPMarginGroup;
class QMouseEvent;

namespace attrscope::ui {

class Palette;

class HeatmapPlot : public QWidget {
    Q_OBJECT
public:
    enum class Scale {
        Sequential,  // [0, max]: attention
        Diverging,   // [-m, m], m = max |value|: signed attribution
    };

    explicit HeatmapPlot(Scale scale, QWidget* parent = nullptr);

    void setTitle(const QString& title);
    void setScaleLabel(const QString& label);
    // Tokens for both axes; sepBoundary is the index of the [SEP] that ends text A (-1: none).
    void setTokens(const QStringList& tokens, int sepBoundary);
    // Row-major n×n values for the current tokens; an empty vector shows `message` instead.
    void setMatrix(const std::vector<float>& values, const QString& message = QString());

    bool hasMatrix() const { return m_hasMatrix; }
    QString message() const { return m_hasMatrix ? QString() : m_messageText; }
    int size() const { return int(m_tokens.size()); }
    // The value the colour map holds for a cell (what is drawn).
    double value(int row, int column) const;
    double colorMin() const;
    double colorMax() const;
    QString title() const { return m_title; }
    QString scaleLabel() const { return m_scaleLabel; }

    // Outline one cell (row, column); -1 hides it. Does not emit cellHovered.
    void setHoverCell(int row, int column);
    QPoint hoverCell() const { return QPoint(m_hoverColumn, m_hoverRow); }
    // Cells outlined and token rows/columns shaded (from the tree view).
    void setHighlight(const QVector<QPoint>& cells, const QVector<int>& tokens);
    int highlightedCellCount() const { return m_highlightCells.size(); }

    // Pixel centre of a cell inside plotWidget(), for tests and tool tips.
    QPoint cellCenter(int row, int column) const;
    QWidget* plotWidget() const;

    // PNG (scaled 2×), PDF or SVG by file suffix.
    bool saveImage(const QString& path) const;

    // Conventions: palette of this map's kind, a colour limit shared with other maps (<= 0:
    // the map's own), the dark theme, and a note appended to the axis labels.
    void setPalette(const Palette& palette);
    void setFixedLimit(double limit);
    void setDarkTheme(bool dark);
    void setAxisNote(const QString& note);
    // Presentation mode: every font of the plot ×scale (1 = normal).
    void setFontScale(double scale);
    double fontScale() const { return m_fontScale; }
    // Zoom: the smallest cell is zoom × the label height; a plot that then outgrows its place
    // asks for a larger minimum size (its parent scrolls). 1 = fit.
    void setZoom(double zoom);
    double zoom() const { return m_zoom; }
    // The token labels on the column (x) and row (y) axes as drawn: every token, none thinned
    // out (a long input makes the plot larger instead).
    QStringList columnLabels() const;
    QStringList rowLabels() const;
    double labelPointSize() const { return m_labelPointSize; }
    // Pixel distance between neighbouring cell centres (0 without tokens).
    double cellPixels() const;
    // Draws the plot at its current size into `painter` (vector when the device is).
    void paintTo(QCPPainter* painter) const;
    // Where the title text and the colour bar (ticks and label included) are drawn, in
    // plotWidget() coordinates; empty when not shown. For tests of narrow layouts.
    QRect titleRect() const;
    QRect colourBarRect() const;
    // A plot narrower than it is tall puts its colour bar below the map, not beside it.
    bool colourBarBelow() const { return m_barBelow; }
    // Off: the bar stays beside the map whatever the shape, and the minimum size is that
    // layout's. For a grid of maps, where a row's height is what is short.
    void setColourBarBelowAllowed(bool allowed);
    // Where the colour bar's label text is drawn (rotated beside the bar), in plotWidget()
    // coordinates; empty when not shown. For tests that it is not clipped.
    QRect colourBarLabelRect() const;

Q_SIGNALS:
    void cellHovered(int row, int column);  // (-1, -1) when the pointer leaves the map
    void cellClicked(int row, int column);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    QPoint cellAt(const QPointF& pos) const;
    void updateTicks();
    void keepCellsSquare();
    void applyFonts();
    int labelExtent(double point) const;
    int colourScaleWidth(int labelLines = 1) const;
    int colourScaleHeight(int labelLines) const;
    void placeColourScale(bool below);
    void sizeColourScale();
    QString fittedTitle() const;
    QString fittedScaleLabel(bool below) const;
    void placeRect(QCPItemRect* rect, double x0, double y0, double x1, double y1);

    Scale m_scale;
    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    QCPTextElement* m_titleElement = nullptr;
    QCPLayoutGrid* m_body = nullptr;  // the map and its colour bar, under the title
    QCPMarginGroup* m_marginGroup = nullptr;
    QCPItemText* m_message = nullptr;
    QCPItemRect* m_frame = nullptr;
    QCPItemRect* m_hoverOuter = nullptr;
    QCPItemRect* m_hoverInner = nullptr;
    QCPItemStraightLine* m_sepVertical = nullptr;
    QCPItemStraightLine* m_sepHorizontal = nullptr;
    QVector<QCPItemRect*> m_highlightCells;
    QVector<QCPItemRect*> m_highlightBands;

    QStringList m_tokens;
    int m_sepBoundary = -1;
    bool m_hasMatrix = false;
    QString m_title;
    QString m_scaleLabel;
    QString m_messageText;
    int m_hoverRow = -1;
    int m_hoverColumn = -1;
    double m_fixedLimit = 0.0;
    bool m_dark = false;
    double m_labelPointSize = 9.0;
    double m_fontScale = 1.0;
    double m_zoom = 1.0;
    bool m_barBelow = false;
    bool m_belowAllowed = true;
    int m_titleWidth = 0;  // the plot's width when narrower than the widget (0: the widget's)
};

}  // namespace attrscope::ui
