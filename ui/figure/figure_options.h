#pragma once
// How a figure is drawn for a paper or slides, independent of the window: width (points; the
// PDF page is exactly this wide, the height follows from the content), font size, caption
// on/off, light or dark (light unless asked, whatever the GUI theme), colour scale, PNG DPI.
// Parsed from the command line (`--width 8.5cm`) and remembered by the GUI (QSettings).

#include <QString>
#include <optional>

#include "figure/color_scale.h"

class QSettings;

namespace attrscope::ui {

constexpr double kSingleColumnPt = 241.0;  // 8.5 cm, one journal column
constexpr double kDoubleColumnPt = 482.0;  // 17 cm, full page width

struct FigureOptions {
    double widthPt = 0.0;  // <= 0: one column for a single panel, full width for a pair
    double fontPt = 8.0;   // labels and titles; ticks and caption are 0.85 of it
    bool caption = true;
    bool dark = false;
    ScaleSpec scale;
    int dpi = 300;  // PNG only

    double widthFor(int panels) const {
        return widthPt > 0 ? widthPt : (panels > 1 ? kDoubleColumnPt : kSingleColumnPt);
    }
};

// "8.5cm", "85mm", "240pt", "3.3in" or a bare number of points → points; nullopt when not a
// positive length (or beyond 2 m).
std::optional<double> parseLength(const QString& text);
// "240pt" style text of a length in points (what the GUI shows and remembers).
QString formatLength(double points);
// "on"/"off" (also true/false, yes/no, 1/0).
std::optional<bool> parseOnOff(const QString& text);

// QSettings group "figure": width, font_pt, caption, theme, scale, dpi.
FigureOptions loadFigureOptions(QSettings& settings);
void saveFigureOptions(QSettings& settings, const FigureOptions& options);
// "gamma:0.5" style text of a scale (parseScaleSpec reads it back).
QString scaleSpecText(const ScaleSpec& spec);

}  // namespace attrscope::ui
