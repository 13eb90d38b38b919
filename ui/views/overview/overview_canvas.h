#pragma once
// Paints all layers × heads (plus a Σ-heads column) as small heatmap thumbnails, one QImage per
// map scaled without smoothing. Rows are layers (L1 at the top), columns Σ, H1 … Hn.

#include <QImage>
#include <QVector>
#include <QWidget>

namespace attrscope::ui {

class AnalysisDocument;

class OverviewCanvas : public QWidget {
    Q_OBJECT
public:
    enum class Quantity { Attention, Attribution };
    enum class Scaling { PerMap, Shared };

    explicit OverviewCanvas(AnalysisDocument* document, QWidget* parent = nullptr);

    void setQuantity(Quantity quantity);
    Quantity quantity() const { return m_quantity; }
    void setScaling(Scaling scaling);

    // Screen rectangle of a thumbnail (head -1 = Σ column); empty when there is none.
    QRect thumbnailRect(int layer, int head) const;
    // True when the thumbnail has data (for attribution: the layer has arrived).
    bool hasThumbnail(int layer, int head) const;
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
    int index(int layer, int head) const { return layer * (m_heads + 1) + head + 1; }

    AnalysisDocument* m_doc;
    Quantity m_quantity = Quantity::Attention;
    Scaling m_scaling = Scaling::PerMap;
    bool m_dirty = true;
    int m_layers = 0;
    int m_heads = 0;
    QVector<QImage> m_images;  // index(layer, head); null image = no data
};

}  // namespace attrscope::ui
