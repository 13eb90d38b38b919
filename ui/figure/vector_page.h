#pragma once
// The page every paper figure is drawn on: coordinates in points (1/72 in), text measured the
// way the PDF and SVG writers place it (unhinted), and one writer for .svg / .pdf / .png that
// paints straight into QSvgGenerator / QPdfWriter / QImage (no intermediate picture, so a
// rectangle stays a rectangle and text stays text), through QSaveFile (a failed export leaves
// no file, never a half file over a good one).

#include <QColor>
#include <QFont>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <functional>

class QPainter;

namespace attrscope::ui {

struct FigureTheme {
    QColor background, text, muted, frame, missing;
    static FigureTheme of(bool dark);
};

// DejaVu Sans at `points`, unhinted (the same advances on screen, in SVG and in PDF).
QFont figureFont(double points, bool bold = false, bool italic = false);
double textWidth(const QFont& font, const QString& text);
double lineHeight(const QFont& font);
double fontAscent(const QFont& font);
// Draws text with its baseline starting at `baseline` (points). The PDF and raster writers
// round a font's size to whole device pixels, so pages are painted on a fine device scaled to
// points; this draws the text at the device's own scale, where that rounding is invisible.
void drawFigureText(QPainter* painter, const QPointF& baseline, const QString& text);
// Draws `lines` one below the other from the top `y`, which is advanced past them, in the
// painter's pen: at `x`, or centred on a page `centreWidth` wide (never left of `x`).
void drawTextLines(QPainter* painter, const QFont& font, const QStringList& lines, double x,
                   double& y, double centreWidth = 0);
// Greedy word wrap to `width` points; a word wider than the line is kept whole.
QStringList wrapText(const QString& text, const QFont& font, double width);

// Writes a page of `sizePt` points by the path's suffix (svg, pdf, png at `dpi`); `paint` draws
// in points with the page's origin at the top left. Returns an error message, empty on success.
QString writeVectorPage(const QString& path, const QSizeF& sizePt, int dpi, const QString& title,
                        const QString& description, const std::function<void(QPainter*)>& paint);

}  // namespace attrscope::ui
