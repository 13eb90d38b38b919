#include "views/overview/overview_canvas.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "engine/analysis_document.h"
#include "plot/palette.h"
#include "views/labels.h"

namespace attrscope::ui {

namespace {
constexpr int kLabelWidth = 34;
constexpr int kLabelHeight = 20;
constexpr int kMaxPixels = 128;
}  // namespace

OverviewCanvas::OverviewCanvas(AnalysisDocument* document, QWidget* parent)
    : QWidget(parent), m_doc(document) {
    setMouseTracking(true);
    setMinimumSize(200, 150);
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, &OverviewCanvas::rebuild);
}

void OverviewCanvas::setQuantity(Quantity quantity) {
    m_quantity = quantity;
    rebuild();
}

void OverviewCanvas::setScaling(Scaling scaling) {
    m_scaling = scaling;
    rebuild();
}

QSize OverviewCanvas::sizeHint() const {
    return QSize(900, 700);
}

void OverviewCanvas::rebuild() {
    m_dirty = true;
    m_layers = m_doc->numLayers();
    m_heads = m_doc->numHeads();
    update();
}

void OverviewCanvas::ensureBuilt() const {
    if (m_dirty)
        const_cast<OverviewCanvas*>(this)->build();
}

void OverviewCanvas::build() {
    m_dirty = false;
    m_layers = m_doc->numLayers();
    m_heads = m_doc->numHeads();
    m_images = QVector<QImage>(m_layers * (m_heads + 1));
    const int n = m_doc->tokenCount();
    if (!m_doc->hasInput() || n == 0)
        return;
    // Long inputs are max-pooled (by |value|) to at most kMaxPixels per side: thumbnails are
    // small, and nearest-neighbour scaling would drop the peaks.
    const int pool = (n + kMaxPixels - 1) / kMaxPixels;
    const int side = (n + pool - 1) / pool;
    const bool attribution = m_quantity == Quantity::Attribution;
    std::vector<std::vector<float>> maps(size_t(m_images.size()));
    double sharedMax = 0.0;
    // Σ maps are on a different scale (sum of heads); they share a limit among themselves.
    double sharedSumMax = 0.0;
    for (int l = 0; l < m_layers; ++l) {
        for (int h = -1; h < m_heads; ++h) {
            auto& m = maps[size_t(index(l, h))];
            m = attribution ? m_doc->attributionMap(l, h) : m_doc->attentionMap(l, h);
            double& limit = h < 0 ? sharedSumMax : sharedMax;
            for (float v : m)
                limit = std::max(limit, double(std::abs(v)));
        }
    }
    const ViewConventions& c = m_doc->conventions();
    const Palette& palette = attribution ? Palette::named(c.divergingPalette, true)
                                         : Palette::named(c.sequentialPalette, false);
    for (int l = 0; l < m_layers; ++l) {
        for (int h = -1; h < m_heads; ++h) {
            const auto& m = maps[size_t(index(l, h))];
            if (m.size() != size_t(n) * size_t(n))
                continue;
            double limit = h < 0 ? sharedSumMax : sharedMax;
            if (m_scaling == Scaling::PerMap) {
                limit = 0.0;
                for (float v : m)
                    limit = std::max(limit, double(std::abs(v)));
            }
            if (limit <= 0.0)
                limit = 1.0;
            QImage image(side, side, QImage::Format_RGB32);
            for (int pi = 0; pi < side; ++pi) {
                auto* line = reinterpret_cast<QRgb*>(image.scanLine(pi));
                for (int pj = 0; pj < side; ++pj) {
                    float v = 0.0f;
                    for (int i = pi * pool; i < std::min(n, (pi + 1) * pool); ++i)
                        for (int j = pj * pool; j < std::min(n, (pj + 1) * pool); ++j) {
                            const float x = m[size_t(i) * size_t(n) + size_t(j)];
                            if (std::abs(x) > std::abs(v))
                                v = x;
                        }
                    const double t = v / limit;
                    line[pj] = palette.rgbAt(attribution ? 0.5 + 0.5 * t : t);
                }
            }
            m_images[index(l, h)] = image;
        }
    }
}

OverviewCanvas::Geometry OverviewCanvas::geometry() const {
    Geometry g;
    const int cols = std::max(m_heads + 1, 1), rows = std::max(m_layers, 1);
    g.gap = 4;
    const int extraGap = 8;  // between the Σ column and the heads
    const int w = width() - kLabelWidth - extraGap - cols * g.gap;
    const int h = height() - kLabelHeight - rows * g.gap;
    g.cell = std::max(12, std::min(w / cols, h / rows));
    g.left = kLabelWidth;
    g.top = kLabelHeight;
    return g;
}

QRect OverviewCanvas::thumbnailRect(int layer, int head) const {
    ensureBuilt();
    if (layer < 0 || layer >= m_layers || head < -1 || head >= m_heads)
        return QRect();
    const Geometry g = geometry();
    const int col = head + 1;
    const int x = g.left + col * (g.cell + g.gap) + (head >= 0 ? 8 : 0);
    const int y = g.top + layer * (g.cell + g.gap);
    return QRect(x, y, g.cell, g.cell);
}

bool OverviewCanvas::hasThumbnail(int layer, int head) const {
    ensureBuilt();
    if (layer < 0 || layer >= m_layers || head < -1 || head >= m_heads)
        return false;
    return !m_images[index(layer, head)].isNull();
}

bool OverviewCanvas::hitTest(const QPoint& pos, int* layer, int* head) const {
    for (int l = 0; l < m_layers; ++l) {
        for (int h = -1; h < m_heads; ++h) {
            if (thumbnailRect(l, h).adjusted(-2, -2, 2, 2).contains(pos)) {
                *layer = l;
                *head = h;
                return true;
            }
        }
    }
    return false;
}

void OverviewCanvas::paintEvent(QPaintEvent*) {
    ensureBuilt();
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_layers == 0) {
        p.drawText(rect(), Qt::AlignCenter, tr("Open a model to see all layers and heads"));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // cells stay crisp
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1));
    p.setFont(small);
    for (int h = -1; h < m_heads; ++h) {
        const QRect r = thumbnailRect(0, h);
        p.drawText(QRect(r.left(), 0, r.width(), kLabelHeight), Qt::AlignCenter, headLabel(h));
    }
    const int sep = m_doc->sepBoundary(), n = m_doc->tokenCount();
    for (int l = 0; l < m_layers; ++l) {
        const QRect r = thumbnailRect(l, -1);
        p.drawText(QRect(0, r.top(), kLabelWidth - 4, r.height()),
                   Qt::AlignRight | Qt::AlignVCenter, layerLabel(l));
        for (int h = -1; h < m_heads; ++h) {
            const QRect t = thumbnailRect(l, h);
            const QImage& image = m_images[index(l, h)];
            if (image.isNull()) {
                p.fillRect(t, QColor(235, 235, 235));
                p.setPen(QColor(150, 150, 150));
                p.drawText(t, Qt::AlignCenter,
                           m_doc->hasInput() && m_doc->isRunning() ? QStringLiteral("\u2026")
                                                                   : QStringLiteral("\u2013"));
            } else {
                p.drawImage(t, image);
                if (sep >= 0 && n > 0) {
                    // The A | B boundary, as in the linked heatmaps.
                    const double f = (sep + 1.0) / n;
                    p.setPen(QPen(QColor(160, 160, 160, 170), 1, Qt::DotLine));
                    const int x = t.left() + int(f * t.width()), y = t.top() + int(f * t.height());
                    p.drawLine(x, t.top(), x, t.bottom());
                    p.drawLine(t.left(), y, t.right(), y);
                }
            }
            const bool selected = l == m_doc->currentLayer() && h == m_doc->currentHead();
            p.setPen(selected ? QPen(QColor(230, 0, 200), 3) : QPen(QColor(190, 190, 190), 1));
            p.drawRect(t.adjusted(0, 0, -1, -1));
            p.setPen(palette().text().color());
        }
    }
}

void OverviewCanvas::mousePressEvent(QMouseEvent* event) {
    int layer = 0, head = 0;
    if (event->button() == Qt::LeftButton && hitTest(event->position().toPoint(), &layer, &head)) {
        m_doc->setSelection(layer, head);
        update();
        Q_EMIT activated(layer, head);
    }
}

bool OverviewCanvas::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        int layer = 0, head = 0;
        if (hitTest(help->pos(), &layer, &head)) {
            QString text = QStringLiteral("%1 %2").arg(layerLabel(layer), headLabel(head));
            const double attr = m_doc->headMaxAttribution(layer, head);
            if (std::isfinite(attr))
                text += tr(": max attribution %1").arg(attr, 0, 'g', 3);
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace attrscope::ui
