#pragma once
// Texts that must fit a plot's width: titles break at their " · " separators, colour-bar labels
// at spaces, and a piece still too wide is elided. Lines are joined with '\n' (QCustomPlot draws
// them as they are).

#include <QString>

class QFontMetrics;

namespace attrscope::ui {

// At most `maxLines` lines, each no wider than `width` pixels; the last one elided if needed.
QString fitTitle(const QString& title, const QFontMetrics& metrics, int width, int maxLines = 2);
// Lines of a '\n'-joined text (1 for an empty one).
inline int lineCount(const QString& text) {
    return int(text.count(QLatin1Char('\n'))) + 1;
}
// Word-wrapped to `width` pixels (a word wider than that is elided).
QString wrapWords(const QString& text, const QFontMetrics& metrics, int width);

}  // namespace attrscope::ui
