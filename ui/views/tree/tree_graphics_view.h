#pragma once
// A QGraphicsView for the tree: the wheel zooms around the pointer, dragging the background
// pans, and a click on a node or an edge is reported (items carry their role in data()).

#include <QGraphicsView>

namespace attrscope::ui {

class TreeGraphicsView : public QGraphicsView {
    Q_OBJECT
public:
    enum ItemRole { NodeRole = 1, EdgeRole = 2 };
    static constexpr int kRoleKey = 0;   // item->data(kRoleKey): ItemRole
    static constexpr int kIndexKey = 1;  // item->data(kIndexKey): index into the layout

    explicit TreeGraphicsView(QWidget* parent = nullptr);

    void zoomBy(double factor);
    double zoom() const { return transform().m11(); }
    // Fits the tree in the view; until the user zooms or pans, the view keeps fitting it when
    // it is shown or resized (a tree built while its tab was hidden is not left a speck).
    void fitAll();
    bool fitsAutomatically() const { return m_autoFit; }
    // The largest zoom fitAll uses (small trees are not blown up to giant letters).
    void setMaxFitZoom(double zoom);

Q_SIGNALS:
    void nodeClicked(int index);
    void edgeClicked(int index);
    void itemActivated();  // double click on a node or an edge
    void backgroundClicked();

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    QGraphicsItem* roleItemAt(const QPoint& pos) const;
    bool m_autoFit = true;
    double m_maxFitZoom = 1.6;
};

}  // namespace attrscope::ui
