#pragma once
// The light/dark theme convention applied to a QCustomPlot: background, axes, tick labels,
// titles and legend. Header-only, shared by the views that draw with QCustomPlot (bars, teaching
// plots, dataset plots), so the screen and the exported figure use the same colours as the
// linked heatmaps (HeatmapPlot::setDarkTheme).

#include "document/conventions.h"
#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

inline QColor themeForeground(bool dark) {
    return dark ? QColor(225, 225, 225) : QColor(0, 0, 0);
}
inline QColor themeBackground(bool dark) {
    return dark ? QColor(37, 37, 40) : QColor(255, 255, 255);
}

inline void applyPlotTheme(QCustomPlot* plot, bool dark) {
    const QColor fg = themeForeground(dark), bg = themeBackground(dark);
    const QColor grid = dark ? QColor(75, 75, 80) : QColor(200, 200, 200);
    plot->setBackground(bg);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(bg);
        for (QCPAxis* axis : rect->axes()) {
            axis->setTickLabelColor(fg);
            axis->setLabelColor(fg);
            axis->setBasePen(QPen(fg));
            axis->setTickPen(QPen(fg));
            axis->setSubTickPen(QPen(fg));
            QPen g = axis->grid()->pen();
            g.setColor(grid);
            axis->grid()->setPen(g);
        }
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto* text = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            text->setTextColor(fg);
        if (auto* scale = qobject_cast<QCPColorScale*>(plot->plotLayout()->elementAt(i))) {
            QCPAxis* axis = scale->axis();
            axis->setTickLabelColor(fg);
            axis->setLabelColor(fg);
            axis->setBasePen(QPen(fg));
            axis->setTickPen(QPen(fg));
        }
    }
    plot->legend->setBrush(bg);
    plot->legend->setTextColor(fg);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

inline void applyPlotTheme(QCustomPlot* plot, const ViewConventions& c) {
    applyPlotTheme(plot, c.theme == Theme::Dark);
}

}  // namespace attrscope::ui
