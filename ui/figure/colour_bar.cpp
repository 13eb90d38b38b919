#include "figure/colour_bar.h"

#include <QPainter>
#include <algorithm>
#include <vector>

#include "figure/vector_page.h"
#include "plot/palette.h"

namespace attrscope::ui {

void paintColourBar(QPainter* p, const Palette* palette, const ColorScale& scale, double x,
                    double y, double width, double smallPt, bool dark) {
    const FigureTheme theme = FigureTheme::of(dark);
    const double h = 0.9 * smallPt;
    const double step = width / kColourBarRects;
    for (int k = 0; k < kColourBarRects; ++k) {
        const double t = (k + 0.5) / kColourBarRects;
        const QColor c = palette ? QColor::fromRgb(palette->rgbAt(t)) : theme.missing;
        p->fillRect(QRectF(x + k * step, y, step + (k + 1 < kColourBarRects ? 0.2 : 0), h), c);
    }
    p->setBrush(Qt::NoBrush);
    p->setPen(QPen(theme.frame, 0.4));
    p->drawLine(QPointF(x, y), QPointF(x + width, y));
    p->drawLine(QPointF(x + width, y), QPointF(x + width, y + h));
    p->drawLine(QPointF(x + width, y + h), QPointF(x, y + h));
    p->drawLine(QPointF(x, y + h), QPointF(x, y));

    // Ticks at their value's place on the scale; a label that would overlap its left
    // neighbour is left out (the tick mark stays).
    struct Tick {
        double t;
        QString text;
    };
    std::vector<Tick> ticks;
    for (double v : scale.ticks())
        ticks.push_back({scale.position(v), QString::fromStdString(formatTick(v))});
    if (scale.clipsTop()) {
        const QString limit = QString::fromStdString(formatTick(scale.limit()));
        ticks.push_back({1.0, QStringLiteral("\u2265") + limit});
        if (scale.diverging())
            ticks.insert(ticks.begin(), {0.0, QStringLiteral("\u2264\u2212") + limit});
    }
    const QFont small = figureFont(smallPt);
    p->setFont(small);
    // Labels of the clipped ends first, then the others where they do not touch a placed one.
    std::vector<size_t> order;
    if (scale.clipsTop()) {
        order.push_back(ticks.size() - 1);
        if (scale.diverging())
            order.push_back(0);
    }
    for (size_t k = 0; k < ticks.size(); ++k)
        if (std::find(order.begin(), order.end(), k) == order.end())
            order.push_back(k);
    std::vector<std::pair<double, double>> placed;
    const double space = 0.6 * smallPt;
    for (size_t k : order) {
        const Tick& tick = ticks[k];
        const double tx = x + tick.t * width;
        p->setPen(QPen(theme.frame, 0.4));
        p->drawLine(QPointF(tx, y + h), QPointF(tx, y + h + 0.3 * smallPt));
        QString text = tick.text;
        text.replace(QLatin1Char('-'), QChar(0x2212));
        const double w = textWidth(small, text);
        const double lx = std::clamp(tx - w / 2, x - 0.5 * smallPt, x + width - w + smallPt);
        bool free = true;
        for (const auto& r : placed)
            free = free && (lx + w + space <= r.first || lx >= r.second + space);
        if (!free)
            continue;
        placed.push_back({lx, lx + w});
        p->setPen(theme.text);
        drawFigureText(p, QPointF(lx, y + h + 0.3 * smallPt + fontAscent(small)), text);
    }
}

double colourBarHeight(double smallPt) {
    return 0.9 * smallPt + 0.3 * smallPt + lineHeight(figureFont(smallPt));
}

}  // namespace attrscope::ui
