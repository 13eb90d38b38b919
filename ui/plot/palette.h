#pragma once
// Colour palettes shared by the QCustomPlot heatmaps and the QImage thumbnails, so both draw the
// same colour for the same value.

#include <QtGui/qrgb.h>
#include <QColor>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

namespace attrscope::ui {

class Palette {
public:
    using Stops = QVector<QPair<double, QColor>>;
    // Sequential, perceptually uniform (viridis-like): attention, which starts at 0.
    static const Palette& sequential();
    // Diverging blue (negative) – white (0) – red (positive): signed attribution.
    static const Palette& diverging();
    // Named palettes for the convention controls. Sequential: viridis, cividis (both
    // colour-blind safe), greys. Diverging (negative–0–positive): RdBu, PuOr (colour-blind safe),
    // BlueOrange (colour-blind safe). Unknown names give the default of the kind.
    static const Palette& named(const QString& name, bool diverging);
    static QStringList sequentialNames();
    static QStringList divergingNames();

    // Colour at t in [0, 1] (clamped); a 256-entry table, no interpolation between cells.
    QRgb rgbAt(double t) const;
    QColor colorAt(double t) const { return QColor::fromRgb(rgbAt(t)); }
    const QVector<QPair<double, QColor>>& stops() const { return m_stops; }
    bool isDiverging() const { return m_diverging; }

private:
    Palette(QVector<QPair<double, QColor>> stops, bool diverging);
    QVector<QPair<double, QColor>> m_stops;
    QVector<QRgb> m_table;
    bool m_diverging = false;
};

}  // namespace attrscope::ui
