#pragma once
// Writing any view as a figure file: content painted into [0, contentSize] (vector on SVG/PDF,
// so text stays text; PNG rasterised at a chosen DPI), caption lines below it, written through
// QSaveFile (temporary file + rename: a failed export leaves no file, never a half file). The
// figure exporter, the dataset tab and the teaching view all draw through here.

#include <QSize>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <memory>

class QCPPainter;

namespace attrscope::ui {

constexpr int kCaptionLineHeight = 15;
constexpr int kCaptionPad = 8;

// Everything a figure draws: a content callback in [0, width] × [0, contentHeight] and the
// caption below it.
struct Figure {
    QSize contentSize;
    std::function<void(QCPPainter*)> paintContent;
    QStringList caption;
    bool dark = false;
    QSize size() const {
        return QSize(contentSize.width(),
                     contentSize.height() + kCaptionPad * 2 + kCaptionLineHeight * caption.size());
    }
};

// Greedy word wrap, so that a narrow figure (a small tree) still shows the whole caption.
QStringList wrapCaption(const QStringList& lines, int width);

// Writes the figure (suffix svg, pdf or png); returns an error message, empty on success.
// baseDpi: the DPI text was measured at (the screen's logical DPI).
QString writeFigureFile(const Figure& fig, const QString& suffix, const QString& path, int baseDpi,
                        int dpi, const QString& title);

// Any view's figure through the same pipeline, by the path's suffix. `dark` is the theme
// convention (background and caption colours). Returns an error message, empty on success.
QString writePaintedFigure(const QSize& contentSize, const std::function<void(QCPPainter*)>& paint,
                           const QStringList& caption, const QString& path, int dpi = 200,
                           const QString& title = QString(), bool dark = false);

// Off-screen parent of a view a figure is drawn from: the figure does not depend on the window.
// Create the view as the host's child, then showFigureHost() lays it out at the host's size.
std::unique_ptr<QWidget> makeFigureHost(const QSize& size);
void showFigureHost(QWidget* host, QWidget* child);

}  // namespace attrscope::ui
