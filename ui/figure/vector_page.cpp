#include "figure/vector_page.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <cmath>

namespace attrscope::ui {

namespace {

constexpr double kMeasureScale = 10.0;
constexpr int kPdfResolution =
    720;  // device units per inch: 10 per point  // measure at 10× so that no pixel rounding shows

// A 72-dpi device: one logical unit is one point.
const QImage& pointDevice() {
    static const QImage image = [] {
        QImage i(8, 8, QImage::Format_ARGB32_Premultiplied);
        const int dpm = int(std::lround(72.0 / 0.0254));
        i.setDotsPerMeterX(dpm);
        i.setDotsPerMeterY(dpm);
        return i;
    }();
    return image;
}

QFontMetricsF metrics(const QFont& font) {
    QFont big = font;
    big.setPointSizeF(font.pointSizeF() * kMeasureScale);
    return QFontMetricsF(big, &pointDevice());
}

}  // namespace

FigureTheme FigureTheme::of(bool dark) {
    if (dark)
        return {QColor(37, 37, 40), QColor(225, 225, 225), QColor(170, 170, 170),
                QColor(200, 200, 200), QColor(80, 80, 86)};
    return {QColor(Qt::white), QColor(20, 20, 20), QColor(90, 90, 90), QColor(40, 40, 40),
            QColor(215, 215, 215)};
}

QFont figureFont(double points, bool bold, bool italic) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(points);
    f.setBold(bold);
    f.setItalic(italic);
    f.setHintingPreference(QFont::PreferNoHinting);
    f.setKerning(false);  // advances add up the same in every writer
    return f;
}

double textWidth(const QFont& font, const QString& text) {
    return metrics(font).horizontalAdvance(text) / kMeasureScale;
}

double lineHeight(const QFont& font) {
    return metrics(font).height() / kMeasureScale;
}

double fontAscent(const QFont& font) {
    return metrics(font).ascent() / kMeasureScale;
}

void drawFigureText(QPainter* p, const QPointF& baseline, const QString& text) {
    const double k = p->device() ? p->device()->logicalDpiY() / 72.0 : 1.0;
    if (std::abs(k - 1.0) < 0.02) {
        p->drawText(baseline, text);
        return;
    }
    p->save();
    p->scale(1.0 / k, 1.0 / k);  // the font is pt × k device pixels: back to one world scale
    p->drawText(baseline * k, text);
    p->restore();
}

void drawTextLines(QPainter* p, const QFont& font, const QStringList& lines, double x, double& y,
                   double centreWidth) {
    p->setFont(font);
    for (const QString& line : lines) {
        const double left =
            centreWidth > 0 ? std::max(x, (centreWidth - textWidth(font, line)) / 2) : x;
        drawFigureText(p, QPointF(left, y + fontAscent(font)), line);
        y += lineHeight(font);
    }
}

QStringList wrapText(const QString& text, const QFont& font, double width) {
    QStringList out;
    for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
        QString current;
        for (const QString& word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString next = current.isEmpty() ? word : current + QLatin1Char(' ') + word;
            if (!current.isEmpty() && textWidth(font, next) > width) {
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

QString writeVectorPage(const QString& path, const QSizeF& sizePt, int dpi, const QString& title,
                        const QString& description, const std::function<void(QPainter*)>& paint) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
        suffix != QLatin1String("png"))
        return QStringLiteral("%1: unknown figure format (use .svg, .pdf or .png)").arg(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    auto hints = [](QPainter& p) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
    };
    bool painted = false;
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator gen;
        gen.setOutputDevice(&file);
        gen.setResolution(72);  // one user unit = one point; width/height come out in mm
        gen.setSize(QSize(int(std::ceil(sizePt.width())), int(std::ceil(sizePt.height()))));
        gen.setViewBox(QRectF(QPointF(0, 0), sizePt));
        gen.setTitle(title);
        gen.setDescription(description);
        QPainter p;
        if (p.begin(&gen)) {
            hints(p);
            paint(&p);
            painted = p.end();
        }
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter writer(&file);
        writer.setResolution(kPdfResolution);  // fine units: font sizes to 0.1 pt
        writer.setCreator(QStringLiteral("AttrScope"));
        writer.setTitle(title);
        writer.setPageLayout(
            QPageLayout(QPageSize(sizePt, QPageSize::Point, QString(), QPageSize::ExactMatch),
                        QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Point));
        QPainter p;
        if (p.begin(&writer)) {
            hints(p);
            p.scale(kPdfResolution / 72.0, kPdfResolution / 72.0);
            paint(&p);
            painted = p.end();
        }
    } else {
        const double scale = dpi / 72.0;
        QImage image(int(std::lround(sizePt.width() * scale)),
                     int(std::lround(sizePt.height() * scale)),
                     QImage::Format_ARGB32_Premultiplied);
        if (image.isNull()) {
            file.cancelWriting();
            return QStringLiteral("The image is too large (%1 dpi)").arg(dpi);
        }
        const int dpm = int(std::lround(dpi / 0.0254));
        image.setDotsPerMeterX(dpm);  // fonts sized for the DPI (drawFigureText)
        image.setDotsPerMeterY(dpm);
        image.fill(Qt::white);
        QPainter p;
        if (p.begin(&image)) {
            hints(p);
            p.scale(scale, scale);
            paint(&p);
            painted = p.end();
        }
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

}  // namespace attrscope::ui
