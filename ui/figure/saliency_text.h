#pragma once
// The token-saliency text view: the input sentence(s) as running text, each token on a box
// coloured by its score, for papers and slides. Written as HTML (<span> with a background
// colour), LaTeX (\colorbox[rgb]{r,g,b}{token} per token, specials escaped; needs xcolor) or a
// figure (SVG/PDF/PNG: coloured rectangles under text runs, wrapped to the figure width, with
// a colour bar naming the quantity). Word pieces ("##ing") join their word without a space.
// No document: the exporter fills SaliencyText.

#include <QColor>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <vector>

#include "figure/color_scale.h"
#include "figure/figure_options.h"

class QPainter;

namespace attrscope::ui {

class Palette;

struct SaliencyText {
    QStringList tokens;             // display order; "##x" continues the previous word
    std::vector<double> scores;     // one per token; NaN: not scored (drawn without a box)
    std::vector<bool> breakBefore;  // start a new line before this token (text B), optional
    QString title;                  // e.g. "Token saliency · L2 · Σ heads"
    QString quantity;               // e.g. "attribution received (Σ over query rows)"
    QStringList caption;
    const Palette* palette = nullptr;
    bool diverging = true;
};

QString escapeHtml(const QString& text);
QString escapeLatex(const QString& text);
// Token text as shown: "##ing" → "ing" (glued to the previous token).
QString displayToken(const QString& token, bool* continuesWord = nullptr);

// The scale the colours come from (options.scale over the scored tokens).
ColorScale saliencyScale(const SaliencyText& text, const FigureOptions& options);
QColor saliencyColour(const SaliencyText& text, const ColorScale& scale, double score);

QString saliencyHtml(const SaliencyText& text, const FigureOptions& options);
QString saliencyLatex(const SaliencyText& text, const FigureOptions& options);

// Writes by suffix: .html/.htm, .tex, or .svg/.pdf/.png (options.widthPt, default one
// column). Atomic (QSaveFile). Returns an error message, empty on success; *sizePt gets the
// figure size for svg/pdf/png.
QString writeSaliency(const QString& path, const SaliencyText& text, const FigureOptions& options,
                      QSizeF* sizePt = nullptr);

}  // namespace attrscope::ui
