#pragma once
// The window's palettes (light, dark, and a high-contrast variant of each) and the numbers the
// presentation mode uses. Kept apart from MainWindow so tests can check the palettes' contrast.

#include <QColor>
#include <QPalette>

namespace attrscope::ui {

// Presentation mode: application and plot fonts ×1.5 (a projector at 1024×768 stays readable).
constexpr double kPresentationFontScale = 1.5;
// Heatmap zoom steps (Ctrl+= / Ctrl+-); 1 = fit the tab.
constexpr double kMinZoom = 1.0;
constexpr double kMaxZoom = 4.0;
constexpr double kZoomStep = 1.25;

// The application palette: every colour group is set, so disabled controls look disabled and
// placeholders stay visible in the dark theme too.
QPalette applicationPalette(bool dark, bool highContrast);

// WCAG 2 contrast ratio of two colours (1 … 21).
double contrastRatio(const QColor& a, const QColor& b);

// Text colour for a warning cell drawn on `background` whatever the theme.
QColor warningCellText();
QColor warningCellBackground();
// Warning and error text on the palette's window background: dark red on a light window, light
// red on a dark one (readable, contrast ≥ 4.5, in every palette of applicationPalette).
QColor warningText(const QPalette& palette);

}  // namespace attrscope::ui
