#include "views/overview/overview_canvas.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

#include "document/analysis_document.h"
#include "plot/palette.h"
#include "plot/plot_theme.h"
#include "views/bars/head_bars.h"

namespace attrscope::ui {

namespace {
constexpr int kLabelWidth = 34;
constexpr int kLabelHeight = 20;
constexpr int kMaxPixels = 128;
constexpr int kBarArea = 96;  // colour bar, its tick labels and its rotated label
constexpr int kBarWidth = 14;
constexpr int kRowNote = 62;  // per-layer scale: each row's max

QString number(double v) {
    return QString::number(v, 'g', 3);
}
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

void OverviewCanvas::setScaleMode(ScaleMode mode) {
    m_scale = mode;
    rebuild();
}

double OverviewCanvas::limit(int layer, int head) const {
    ensureBuilt();
    if (layer < 0 || layer >= m_layers || head < -1 || head >= m_heads ||
        m_limits.size() != m_images.size())
        return 0.0;
    return m_limits[index(layer, head)];
}

QString OverviewCanvas::scaleLabel() const {
    ensureBuilt();
    const bool attribution = m_quantity == Quantity::Attribution;
    const QString what = attribution ? tr("attribution") : tr("attention");
    switch (m_scale) {
        case ScaleMode::PerHead:
            return attribution ? tr("%1: \u00b1max |value| of each map").arg(what)
                               : tr("%1: 0 \u2026 max of each map").arg(what);
        case ScaleMode::PerLayer:
            return attribution ? tr("%1: \u00b1max |value| per layer (row ends)").arg(what)
                               : tr("%1: 0 \u2026 max per layer (row ends)").arg(what);
        case ScaleMode::Global:
            return tr("%1: one scale for all heads (\u03a3: %2%3)")
                .arg(what, attribution ? QStringLiteral("\u00b1") : QStringLiteral("0 \u2026 "),
                     number(m_layers > 0 ? limit(0, -1) : 0.0));
    }
    return what;
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
    m_limits = QVector<double>(m_images.size(), 0.0);
    m_clsStrip = QVector<bool>(m_images.size(), false);
    if (!m_doc->hasInput() || m_doc->tokenCount() == 0)
        return;
    // The maps as the heatmaps show them (hidden specials, merged pieces).
    const int n = m_doc->displayAxis().size();
    if (n == 0)
        return;
    // Long inputs are max-pooled (by |value|) to at most kMaxPixels per side: thumbnails are
    // small, and nearest-neighbour scaling would drop the peaks.
    const int pool = (n + kMaxPixels - 1) / kMaxPixels;
    const int side = (n + pool - 1) / pool;
    const bool attribution = m_quantity == Quantity::Attribution;
    std::vector<std::vector<float>> maps(size_t(m_images.size()));
    std::vector<double> own(size_t(m_images.size()), 0.0), layerMax(size_t(m_layers), 0.0);
    // Σ maps are on a different scale (sum of heads); they share a limit among themselves.
    double globalMax = 0.0, globalSumMax = 0.0;
    for (int l = 0; l < m_layers; ++l) {
        for (int h = -1; h < m_heads; ++h) {
            const int i = index(l, h);
            auto& m = maps[size_t(i)];
            m = attribution ? m_doc->displayedAttribution(l, h) : m_doc->displayedAttention(l, h);
            // Only the last layer's [CLS] row is computed: with [CLS] hidden the map would be
            // blank, so that row (over the shown columns) stands in for it.
            if (attribution && m_doc->conventions().hideSpecials) {
                std::vector<float> row = m_doc->clsRowShown(l, h);
                if (row.size() == size_t(n)) {
                    m = std::move(row);
                    m_clsStrip[i] = true;
                }
            }
            for (float v : m)
                own[size_t(i)] = std::max(own[size_t(i)], double(std::abs(v)));
            double& shared = h < 0 ? globalSumMax : globalMax;
            shared = std::max(shared, own[size_t(i)]);
            if (h >= 0)
                layerMax[size_t(l)] = std::max(layerMax[size_t(l)], own[size_t(i)]);
        }
    }
    const ViewConventions& c = m_doc->conventions();
    const Palette& palette = attribution ? Palette::named(c.divergingPalette, true)
                                         : Palette::named(c.sequentialPalette, false);
    for (int l = 0; l < m_layers; ++l) {
        for (int h = -1; h < m_heads; ++h) {
            const int i = index(l, h);
            const auto& m = maps[size_t(i)];
            const int rows = m_clsStrip[i] ? 1 : n;
            if (m.size() != size_t(rows) * size_t(n))
                continue;
            double limit = own[size_t(i)];
            if (m_scale == ScaleMode::Global)
                limit = h < 0 ? globalSumMax : globalMax;
            else if (m_scale == ScaleMode::PerLayer && h >= 0)
                limit = layerMax[size_t(l)];
            m_limits[i] = limit;
            if (limit <= 0.0)
                limit = 1.0;
            QImage image(side, rows == 1 ? 1 : side, QImage::Format_RGB32);
            for (int pi = 0; pi < image.height(); ++pi) {
                auto* line = reinterpret_cast<QRgb*>(image.scanLine(pi));
                for (int pj = 0; pj < side; ++pj) {
                    float v = 0.0f;
                    for (int y = pi * pool; y < std::min(rows, (pi + 1) * pool); ++y)
                        for (int x = pj * pool; x < std::min(n, (pj + 1) * pool); ++x) {
                            const float e = m[size_t(y) * size_t(n) + size_t(x)];
                            if (std::abs(e) > std::abs(v))
                                v = e;
                        }
                    const double t = v / limit;
                    line[pj] = palette.rgbAt(attribution ? 0.5 + 0.5 * t : t);
                }
            }
            m_images[i] = image;
        }
    }
}

int OverviewCanvas::rowNoteWidth() const {
    return m_scale == ScaleMode::PerLayer ? kRowNote : 0;
}

QRect OverviewCanvas::colorBarRect() const {
    ensureBuilt();
    if (m_layers == 0)
        return QRect();
    const QRect first = thumbnailRect(0, m_heads - 1), last = thumbnailRect(m_layers - 1, -1);
    const int x = first.right() + 1 + rowNoteWidth() + 10;
    const int height = std::max(60, last.bottom() - first.top());
    return QRect(x, first.top(), kBarWidth, std::min(height, this->height() - first.top() - 4));
}

void OverviewCanvas::paintColorBar(QPainter& p, const QColor& fg) const {
    const QRect bar = colorBarRect();
    if (bar.isEmpty())
        return;
    const bool attribution = m_quantity == Quantity::Attribution;
    const ViewConventions& c = m_doc->conventions();
    const Palette& palette = attribution ? Palette::named(c.divergingPalette, true)
                                         : Palette::named(c.sequentialPalette, false);
    // One pixel row per step, high values on top, as in the heatmaps' colour scales.
    QImage strip(1, bar.height(), QImage::Format_RGB32);
    for (int y = 0; y < bar.height(); ++y)
        strip.setPixel(0, y, palette.rgbAt(1.0 - double(y) / std::max(1, bar.height() - 1)));
    p.drawImage(bar, strip);
    p.setPen(QPen(fg, 1));
    p.drawRect(bar.adjusted(0, 0, -1, -1));

    // Ticks: relative for per-map/per-layer scales, numbers for the global one.
    const double top = m_scale == ScaleMode::Global && m_layers > 0 && m_heads > 0
                           ? limit(0, 0)
                           : std::numeric_limits<double>::quiet_NaN();
    const bool numeric = std::isfinite(top);
    QList<QPair<double, QString>> ticks;  // (fraction from the bottom, text)
    if (attribution) {
        ticks << qMakePair(1.0, numeric ? QStringLiteral("+") + number(top) : tr("+max"))
              << qMakePair(0.5, QStringLiteral("0"))
              << qMakePair(0.0, numeric ? QStringLiteral("−") + number(top) : tr("−max"));
    } else {
        ticks << qMakePair(1.0, numeric ? number(top) : tr("max"))
              << qMakePair(0.5, numeric ? number(top / 2) : tr("max/2"))
              << qMakePair(0.0, QStringLiteral("0"));
    }
    const QFontMetrics fm(p.font());
    for (const auto& t : ticks) {
        const int y = bar.bottom() - int(std::lround(t.first * (bar.height() - 1)));
        p.drawLine(bar.right() + 1, y, bar.right() + 4, y);
        p.drawText(QRect(bar.right() + 6, y - fm.height() / 2, 44, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, t.second);
    }
    // The label, rotated along the bar; elided when the bar is short.
    p.save();
    p.translate(bar.right() + 54 + fm.height() / 2, bar.center().y());
    p.rotate(90);
    // Centred on the bar, using the widget's height when the bar is shorter than the text.
    const int room = std::max(bar.height(), height() - 8);
    const int dy =
        std::clamp(bar.center().y(), room / 2 + 4, height() - room / 2 - 4) - bar.center().y();
    const QString label = fm.elidedText(scaleLabel(), Qt::ElideRight, room);
    p.drawText(QRect(dy - room / 2, -fm.height() / 2, room, fm.height()), Qt::AlignCenter, label);
    p.restore();
}

OverviewCanvas::Geometry OverviewCanvas::geometry() const {
    Geometry g;
    const int cols = std::max(m_heads + 1, 1), rows = std::max(m_layers, 1);
    g.gap = 4;
    const int extraGap = 8;  // between the Σ column and the heads
    const int w = width() - kLabelWidth - extraGap - cols * g.gap - kBarArea - rowNoteWidth();
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

QRect OverviewCanvas::clsStripRect(int layer, int head) const {
    if (!hasThumbnail(layer, head) || !m_clsStrip[index(layer, head)])
        return QRect();
    const QRect t = thumbnailRect(layer, head);
    return QRect(t.left(), t.top(), t.width(), std::max(4, t.height() / 5));
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
    const ViewConventions& c = m_doc->conventions();
    const bool dark = c.theme == Theme::Dark;
    const QColor fg = themeForeground(dark);
    QPainter p(this);
    p.fillRect(rect(), themeBackground(dark));
    p.setPen(fg);
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
        p.drawText(QRect(r.left(), 0, r.width(), kLabelHeight), Qt::AlignCenter, c.headLabel(h));
    }
    const TokenAxis axis = m_doc->displayAxis();
    const int sep = axis.sepBoundary, n = axis.size();
    for (int l = 0; l < m_layers; ++l) {
        const QRect r = thumbnailRect(l, -1);
        p.drawText(QRect(0, r.top(), kLabelWidth - 4, r.height()),
                   Qt::AlignRight | Qt::AlignVCenter, c.layerLabel(l));
        for (int h = -1; h < m_heads; ++h) {
            const QRect t = thumbnailRect(l, h);
            const QImage& image = m_images[index(l, h)];
            if (image.isNull()) {
                p.fillRect(t, dark ? QColor(60, 60, 64) : QColor(235, 235, 235));
                p.setPen(QColor(150, 150, 150));
                p.drawText(t, Qt::AlignCenter,
                           m_doc->hasInput() && m_doc->isRunning() ? QStringLiteral("\u2026")
                                                                   : QStringLiteral("\u2013"));
            } else if (m_clsStrip[index(l, h)]) {
                // The [CLS] row as a strip; below it, what it is (when there is room).
                const QRect strip = clsStripRect(l, h);
                p.fillRect(t, dark ? QColor(60, 60, 64) : QColor(235, 235, 235));
                p.drawImage(strip, image);
                const QRect rest = t.adjusted(2, strip.height() + 2, -2, -2);
                const QString note = tr("[CLS] row only");
                p.setPen(QColor(130, 130, 130));
                if (p.fontMetrics().boundingRect(rest, Qt::TextWordWrap, note).height() <=
                    rest.height())
                    p.drawText(rest, Qt::AlignCenter | Qt::TextWordWrap, note);
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
            p.setPen(fg);
        }
        if (m_scale == ScaleMode::PerLayer && m_heads > 0 && !m_images[index(l, 0)].isNull()) {
            // The layer's shared limit: the top of the colour bar for this row.
            const QRect t = thumbnailRect(l, m_heads - 1);
            p.drawText(QRect(t.right() + 6, t.top(), kRowNote - 6, t.height()),
                       Qt::AlignLeft | Qt::AlignVCenter, tr("max\n%1").arg(number(limit(l, 0))));
        }
    }
    if (m_doc->hasInput())
        paintColorBar(p, fg);
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
            const ViewConventions& c = m_doc->conventions();
            QString text = QStringLiteral("%1 %2").arg(c.layerLabel(layer), c.headLabel(head));
            const double attr = HeadBars::shownMax(*m_doc, true, layer, head);
            if (std::isfinite(attr))
                text += tr(": max attribution %1").arg(attr, 0, 'g', 3);
            if (!clsStripRect(layer, head).isEmpty())
                text +=
                    tr("\nThe last layer: only the [CLS] row reaches the output, so only it "
                       "is computed; drawn as the strip at the top ([CLS] itself is hidden).");
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace attrscope::ui
