#pragma once
// Paints all layers × heads (plus a Σ-heads column) as small heatmap thumbnails, one QImage per
// map scaled without smoothing. Rows are layers (the first at the top), columns Σ, then each
// head. Maps, labels, palettes and theme follow the display conventions. A colour bar on the
// right says what the colours mean under the scale mode: per map and per layer the bar is
// relative (0 … max), per layer each row's max is printed at its end; global gives numbers.

#include <QImage>
#include <QVector>
#include <QWidget>

#include "document/conventions.h"

class QPainter;

namespace attrscope::ui {

class AnalysisDocument;

class OverviewCanvas : public QWidget {
    Q_OBJECT
public:
    enum class Quantity { Attention, Attribution };

    explicit OverviewCanvas(AnalysisDocument* document, QWidget* parent = nullptr);

    void setQuantity(Quantity quantity);
    Quantity quantity() const { return m_quantity; }
    // PerHead = each map scaled to its own max, PerLayer = a layer's heads share one, Global =
    // every head shares one; Σ-heads maps (a sum, larger) share only among themselves.
    void setScaleMode(ScaleMode mode);
    ScaleMode scaleMode() const { return m_scale; }
    // The colour bar's label (what a colour means) and its rectangle; empty before a model.
    QString scaleLabel() const;
    QRect colorBarRect() const;
    // Colour limit of a thumbnail (max |value| its colours span); 0 when it has none.
    double limit(int layer, int head) const;
    // Screen rectangle of a thumbnail (head -1 = Σ column); empty when there is none.
    QRect thumbnailRect(int layer, int head) const;
    // True when the thumbnail has data (for attribution: the layer has arrived).
    bool hasThumbnail(int layer, int head) const;
    // The last layer's attribution is its [CLS] row only; with [CLS] hidden that row is drawn
    // as a strip at the top of the thumbnail (this rectangle), not as an empty map.
    QRect clsStripRect(int layer, int head) const;
    QSize sizeHint() const override;

    // Marks the images out of date; they are rebuilt when next needed (painted or queried), so
    // a hidden overview costs nothing while layers arrive.
    void rebuild();

Q_SIGNALS:
    void activated(int layer, int head);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        int cell = 0;
        int left = 0;
        int top = 0;
        int gap = 0;
    };
    Geometry geometry() const;
    void ensureBuilt() const;
    void build();
    bool hitTest(const QPoint& pos, int* layer, int* head) const;
    int rowNoteWidth() const;
    void paintColorBar(QPainter& p, const QColor& fg) const;
    int index(int layer, int head) const { return layer * (m_heads + 1) + head + 1; }

    AnalysisDocument* m_doc;
    Quantity m_quantity = Quantity::Attention;
    ScaleMode m_scale = ScaleMode::PerHead;
    bool m_dirty = true;
    int m_layers = 0;
    int m_heads = 0;
    QVector<QImage> m_images;  // index(layer, head); null image = no data
    QVector<double> m_limits;  // index(layer, head)
    QVector<bool> m_clsStrip;  // index(layer, head): the image is the [CLS] row (1 × n)
};

}  // namespace attrscope::ui
