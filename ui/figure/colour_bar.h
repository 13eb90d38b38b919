#pragma once
// A horizontal colour bar for paper figures: kColourBarRects filled rectangles across the
// palette, tick marks at their values' places on the scale (gamma and log scales bunch them),
// tick labels that never touch (the clipped ends, "≥ limit", are kept first).

#include "figure/color_scale.h"

class QPainter;

namespace attrscope::ui {

class Palette;

constexpr int kColourBarRects = 48;

// Bar `width` wide at (x, y); ticks and their labels below it, in colourBarHeight(smallPt).
void paintColourBar(QPainter* painter, const Palette* palette, const ColorScale& scale, double x,
                    double y, double width, double smallPt, bool dark);
double colourBarHeight(double smallPt);

}  // namespace attrscope::ui
