#include "views/heatmap/fit_text.h"

#include <QFontMetrics>
#include <QStringList>

namespace attrscope::ui {

namespace {
// Greedy line filling: pieces joined by `glue` while the line fits.
QStringList fill(const QStringList& pieces, const QString& glue, const QFontMetrics& fm,
                 int width) {
    QStringList lines;
    QString line;
    for (const QString& piece : pieces) {
        const QString longer = line.isEmpty() ? piece : line + glue + piece;
        if (line.isEmpty() || fm.horizontalAdvance(longer) <= width) {
            line = longer;
        } else {
            lines << line;
            line = piece;
        }
    }
    if (!line.isEmpty())
        lines << line;
    // Only a line that is too wide: elidedText() measures a little differently and would cut
    // a line that fits exactly ("… · L1" became "… · …").
    for (QString& l : lines)
        if (fm.horizontalAdvance(l) > width)
            l = fm.elidedText(l, Qt::ElideRight, width);
    return lines;
}
}  // namespace

QString fitTitle(const QString& title, const QFontMetrics& metrics, int width, int maxLines) {
    if (width <= 0 || metrics.horizontalAdvance(title) <= width)
        return title;
    const QString separator = QStringLiteral(" \u00b7 ");
    QStringList lines = fill(title.split(separator), separator, metrics, width);
    if (lines.size() > maxLines) {
        // What does not fit goes into the last line, elided.
        const QString rest = lines.mid(maxLines - 1).join(separator);
        lines = lines.mid(0, maxLines - 1);
        lines << metrics.elidedText(rest, Qt::ElideRight, width);
    }
    return lines.join(QLatin1Char('\n'));
}

QString wrapWords(const QString& text, const QFontMetrics& metrics, int width) {
    if (width <= 0 || metrics.horizontalAdvance(text) <= width)
        return text;
    return fill(text.split(QLatin1Char(' '), Qt::SkipEmptyParts), QStringLiteral(" "), metrics,
                width)
        .join(QLatin1Char('\n'));
}

}  // namespace attrscope::ui
