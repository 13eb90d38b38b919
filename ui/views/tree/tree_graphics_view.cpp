#include "views/tree/tree_graphics_view.h"

#include <QGraphicsItem>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace attrscope::ui {

TreeGraphicsView::TreeGraphicsView(QWidget* parent) : QGraphicsView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setBackgroundBrush(Qt::white);
}

void TreeGraphicsView::zoomBy(double factor) {
    const double target = std::clamp(zoom() * factor, 0.05, 20.0);
    const double f = target / zoom();
    scale(f, f);
}

void TreeGraphicsView::fitAll() {
    m_autoFit = true;
    if (!scene() || scene()->itemsBoundingRect().isEmpty() || !isVisible() ||
        viewport()->width() < 50 || viewport()->height() < 50)
        return;  // fitted when shown (showEvent / resizeEvent)
    fitInView(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
    // Small trees should not be blown up to giant letters.
    if (zoom() > m_maxFitZoom)
        zoomBy(m_maxFitZoom / zoom());
}

void TreeGraphicsView::setMaxFitZoom(double zoom) {
    m_maxFitZoom = zoom;
    if (m_autoFit)
        fitAll();
}

void TreeGraphicsView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0)
        return QGraphicsView::wheelEvent(event);
    m_autoFit = false;
    zoomBy(std::pow(1.15, steps));
    event->accept();
}

void TreeGraphicsView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (m_autoFit)
        fitAll();
}

void TreeGraphicsView::showEvent(QShowEvent* event) {
    QGraphicsView::showEvent(event);
    if (m_autoFit)
        fitAll();
}

QGraphicsItem* TreeGraphicsView::roleItemAt(const QPoint& pos) const {
    for (QGraphicsItem* item : items(pos)) {
        for (QGraphicsItem* it = item; it; it = it->parentItem()) {
            if (it->data(kRoleKey).isValid())
                return it;
        }
    }
    return nullptr;
}

void TreeGraphicsView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        if (QGraphicsItem* item = roleItemAt(event->position().toPoint())) {
            const int index = item->data(kIndexKey).toInt();
            if (item->data(kRoleKey).toInt() == NodeRole)
                Q_EMIT nodeClicked(index);
            else
                Q_EMIT edgeClicked(index);
            event->accept();
            return;
        }
        m_autoFit = false;  // a drag pans: the user places the tree from here on
        Q_EMIT backgroundClicked();
    }
    QGraphicsView::mousePressEvent(event);  // starts the hand drag on the background
}

void TreeGraphicsView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (roleItemAt(event->position().toPoint())) {
        Q_EMIT itemActivated();
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

}  // namespace attrscope::ui
