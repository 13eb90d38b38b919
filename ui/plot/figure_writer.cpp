#include "plot/figure_writer.h"

#include <QFileInfo>
#include <QFontMetrics>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <cmath>

#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

namespace {

QFont captionFont() {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(8.0);
    return f;
}

}  // namespace

QStringList wrapCaption(const QStringList& lines, int width) {
    const QFontMetrics fm(captionFont());
    QStringList out;
    for (const QString& line : lines) {
        QString current;
        for (const QString& word : line.split(QLatin1Char(' '))) {
            const QString next = current.isEmpty() ? word : current + QLatin1Char(' ') + word;
            if (!current.isEmpty() && fm.horizontalAdvance(next) > width) {
                out << current;
                current = word;
            } else {
                current = next;
            }
        }
        out << current;
    }
    return out;
}

namespace {

void paintFigure(QCPPainter* p, const Figure& f) {
    const QSize size = f.size();
    p->fillRect(QRect(QPoint(0, 0), size), f.dark ? QColor(37, 37, 40) : QColor(Qt::white));
    p->save();
    f.paintContent(p);
    p->restore();
    p->setFont(captionFont());
    p->setPen(f.dark ? QColor(200, 200, 200) : QColor(60, 60, 60));
    const QFontMetrics fm(captionFont());
    int y = f.contentSize.height() + kCaptionPad;
    for (const QString& line : f.caption) {
        const QRect r(kCaptionPad, y, size.width() - 2 * kCaptionPad, kCaptionLineHeight);
        p->drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
                    fm.elidedText(line, Qt::ElideRight, r.width()));
        y += kCaptionLineHeight;
    }
}

void beginVector(QCPPainter* p) {
    p->setMode(QCPPainter::pmVectorized);
    p->setMode(QCPPainter::pmNoCaching);
    p->setRenderHint(QPainter::Antialiasing);
    p->setRenderHint(QPainter::TextAntialiasing);
}

}  // namespace

QString writeFigureFile(const Figure& fig, const QString& suffix, const QString& path, int baseDpi,
                        int dpi, const QString& title) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    const QSize size = fig.size();
    bool painted = false;
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator gen;
        gen.setOutputDevice(&file);
        gen.setSize(size);
        gen.setViewBox(QRect(QPoint(0, 0), size));
        gen.setResolution(baseDpi);  // fonts were measured at the screen's DPI
        gen.setTitle(title);
        gen.setDescription(fig.caption.join(QLatin1Char('\n')));
        QCPPainter p;
        if (p.begin(&gen)) {
            beginVector(&p);
            paintFigure(&p, fig);
            painted = p.end();
        }
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter writer(&file);
        writer.setResolution(baseDpi);
        writer.setCreator(QStringLiteral("AttrScope"));
        writer.setTitle(title);
        // One logical pixel = 1/baseDpi inch, as on screen; the page is exactly the figure.
        const QSizeF points(size.width() * 72.0 / baseDpi, size.height() * 72.0 / baseDpi);
        writer.setPageLayout(
            QPageLayout(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch),
                        QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Point));
        QCPPainter p;
        if (p.begin(&writer)) {
            beginVector(&p);
            p.setWindow(QRect(QPoint(0, 0), size));
            p.setViewport(QRect(QPoint(0, 0), size));
            paintFigure(&p, fig);
            painted = p.end();
        }
    } else {
        const double scale = double(dpi) / baseDpi;
        QImage image(int(std::lround(size.width() * scale)),
                     int(std::lround(size.height() * scale)), QImage::Format_ARGB32_Premultiplied);
        if (image.isNull()) {
            file.cancelWriting();
            return QStringLiteral("The image is too large (%1 dpi)").arg(dpi);
        }
        const int baseDpm = int(std::lround(baseDpi / 0.0254));
        image.setDotsPerMeterX(baseDpm);  // text sized as on screen, then scaled
        image.setDotsPerMeterY(baseDpm);
        image.fill(Qt::white);
        QCPPainter p;
        if (p.begin(&image)) {
            p.setRenderHint(QPainter::Antialiasing);
            p.setRenderHint(QPainter::TextAntialiasing);
            p.scale(scale, scale);
            paintFigure(&p, fig);
            painted = p.end();
        }
        const int dpm = int(std::lround(dpi / 0.0254));
        image.setDotsPerMeterX(dpm);
        image.setDotsPerMeterY(dpm);
        painted = painted && image.save(&file, "PNG");
    }
    if (!painted) {
        file.cancelWriting();
        return QStringLiteral("Could not draw %1").arg(path);
    }
    if (!file.commit())
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

std::unique_ptr<QWidget> makeFigureHost(const QSize& size) {
    auto host = std::make_unique<QWidget>();
    host->setAttribute(Qt::WA_DontShowOnScreen);
    host->resize(size);
    return host;
}

void showFigureHost(QWidget* host, QWidget* child) {
    child->setGeometry(QRect(QPoint(0, 0), host->size()));
    host->show();  // activates layouts and delivers resize events synchronously
}

QString writePaintedFigure(const QSize& contentSize, const std::function<void(QCPPainter*)>& paint,
                           const QStringList& caption, const QString& path, int dpi,
                           const QString& title, bool dark) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
        suffix != QLatin1String("png"))
        return QStringLiteral("%1: unknown figure format (use .svg, .pdf or .png)").arg(path);
    QWidget probe;  // text is measured at the screen's logical DPI, as in FigureExporter
    const int baseDpi = probe.logicalDpiX() > 0 ? probe.logicalDpiX() : 96;
    Figure fig;
    fig.contentSize = contentSize;
    fig.paintContent = paint;
    fig.dark = dark;
    fig.caption = wrapCaption(caption, contentSize.width() - 2 * kCaptionPad);
    return writeFigureFile(fig, suffix, path, baseDpi, dpi, title);
}

}  // namespace attrscope::ui
