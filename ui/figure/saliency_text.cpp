#include "figure/saliency_text.h"

#include <QFileInfo>
#include <QPainter>
#include <QSaveFile>
#include <cmath>

#include "figure/colour_bar.h"
#include "figure/vector_page.h"
#include "plot/palette.h"

namespace attrscope::ui {

namespace {

bool scored(double v) {
    return std::isfinite(v);
}

// Dark boxes get light text.
bool isDark(const QColor& c) {
    return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() < 0.5;
}

QString writeText(const QString& path, const QString& text) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    const QByteArray bytes = text.toUtf8();
    if (file.write(bytes) != bytes.size()) {
        file.cancelWriting();
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    }
    if (!file.commit())
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

// Tokens laid out in lines: position of each box (points) within a text block `width` wide.
struct TokenBox {
    int token = -1;
    QRectF box;
    QString text;
    double textX = 0;  // where the text starts inside the box
};

struct TextLayout {
    std::vector<TokenBox> boxes;
    double height = 0;
};

TextLayout layoutTokens(const SaliencyText& t, const QFont& font, double width) {
    TextLayout out;
    const double pad = 0.18 * font.pointSizeF();
    const double lh = lineHeight(font) + 2 * pad;
    const double lineGap = 0.35 * font.pointSizeF();
    const double space = textWidth(font, QStringLiteral(" "));
    // Words: runs of tokens glued by "##".
    std::vector<std::vector<int>> words;
    for (int k = 0; k < t.tokens.size(); ++k) {
        bool glued = false;
        displayToken(t.tokens[k], &glued);
        const bool forcedBreak = size_t(k) < t.breakBefore.size() && t.breakBefore[size_t(k)];
        if (glued && !words.empty() && !forcedBreak)
            words.back().push_back(k);
        else
            words.push_back({k});
    }
    double x = 0, y = 0;
    for (const auto& word : words) {
        // Pieces of one word touch: padding only at the word's two ends.
        double w = 2 * pad;
        for (int k : word)
            w += textWidth(font, displayToken(t.tokens[k]));
        const int first = word.front();
        const bool forcedBreak =
            size_t(first) < t.breakBefore.size() && t.breakBefore[size_t(first)] && x > 0;
        if (x > 0 && (forcedBreak || x + space + w > width)) {
            x = 0;
            y += lh + lineGap;
        } else if (x > 0) {
            x += space;
        }
        for (size_t n = 0; n < word.size(); ++n) {
            const int k = word[n];
            const QString s = displayToken(t.tokens[k]);
            const double left = n == 0 ? pad : 0.0, right = n + 1 == word.size() ? pad : 0.0;
            const double bw = left + textWidth(font, s) + right;
            out.boxes.push_back({k, QRectF(x, y, bw, lh), s, left});
            x += bw;
        }
    }
    out.height = out.boxes.empty() ? 0 : y + lh;
    return out;
}

}  // namespace

QString escapeHtml(const QString& text) {
    return text.toHtmlEscaped().replace(QLatin1Char('\''), QLatin1String("&#39;"));
}

QString escapeLatex(const QString& text) {
    QString out;
    for (const QChar c : text) {
        switch (c.unicode()) {
            case '\\':
                out += QLatin1String("\\textbackslash{}");
                break;
            case '{':
            case '}':
            case '$':
            case '&':
            case '#':
            case '%':
            case '_':
                out += QLatin1Char('\\') + c;
                break;
            case '^':
                out += QLatin1String("\\textasciicircum{}");
                break;
            case '~':
                out += QLatin1String("\\textasciitilde{}");
                break;
            case '<':
                out += QLatin1String("\\textless{}");
                break;
            case '>':
                out += QLatin1String("\\textgreater{}");
                break;
            default:
                out += c;
        }
    }
    return out;
}

QString displayToken(const QString& token, bool* continuesWord) {
    const bool glued = token.startsWith(QLatin1String("##")) && token.size() > 2;
    if (continuesWord)
        *continuesWord = glued;
    return glued ? token.mid(2) : token;
}

ColorScale saliencyScale(const SaliencyText& text, const FigureOptions& options) {
    std::vector<float> values;
    for (double v : text.scores)
        if (scored(v))
            values.push_back(float(v));
    return ColorScale::fit(options.scale, text.diverging, values);
}

QColor saliencyColour(const SaliencyText& text, const ColorScale& scale, double score) {
    if (!scored(score) || !text.palette)
        return QColor(Qt::transparent);
    return QColor::fromRgb(text.palette->rgbAt(scale.position(score)));
}

QString saliencyHtml(const SaliencyText& t, const FigureOptions& options) {
    const ColorScale scale = saliencyScale(t, options);
    QString body;
    for (int k = 0; k < t.tokens.size(); ++k) {
        bool glued = false;
        const QString s = displayToken(t.tokens[k], &glued);
        const bool forcedBreak = size_t(k) < t.breakBefore.size() && t.breakBefore[size_t(k)];
        if (forcedBreak && k > 0)
            body += QStringLiteral("<br>\n");
        else if (!glued && k > 0)
            body += QLatin1Char(' ');
        const double v = size_t(k) < t.scores.size() ? t.scores[size_t(k)] : NAN;
        const QColor c = saliencyColour(t, scale, v);
        const QString title =
            scored(v) ? QStringLiteral(" title=\"%1\"").arg(v, 0, 'g', 4) : QString();
        if (c.alpha() == 0)
            body += QStringLiteral("<span%1>%2</span>").arg(title, escapeHtml(s));
        else
            body += QStringLiteral("<span style=\"background:%1;color:%2\"%3>%4</span>")
                        .arg(c.name(), isDark(c) ? QStringLiteral("#fff") : QStringLiteral("#000"),
                             title, escapeHtml(s));
    }
    QString html =
        QStringLiteral(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>\n"
            "<style>.saliency span{padding:0.1em 0.12em;border-radius:0.15em;line-height:1.9}"
            ".saliency{font-family:sans-serif;font-size:%2pt}</style></head><body>\n")
            .arg(escapeHtml(t.title))
            .arg(options.fontPt * 1.5);
    html += QStringLiteral("<p><b>%1</b></p>\n<p class=\"saliency\">%2</p>\n")
                .arg(escapeHtml(t.title), body);
    html += QStringLiteral("<p><small>colour: %1 \u00b7 %2 \u00b7 limit %3</small></p>\n")
                .arg(escapeHtml(t.quantity), escapeHtml(QString::fromStdString(scale.describe())),
                     QString::fromStdString(formatTick(scale.limit())));
    if (options.caption && !t.caption.isEmpty())
        html += QStringLiteral("<p><small>%1</small></p>\n")
                    .arg(escapeHtml(t.caption.join(QLatin1Char('\n')))
                             .replace(QLatin1Char('\n'), QLatin1String("<br>")));
    html += QStringLiteral("</body></html>\n");
    return html;
}

QString saliencyLatex(const SaliencyText& t, const FigureOptions& options) {
    const ColorScale scale = saliencyScale(t, options);
    QString out;
    out += QStringLiteral("% AttrScope token saliency (needs \\usepackage{xcolor}): %1\n")
               .arg(t.title);
    out += QStringLiteral("% colour: %1, %2, limit %3\n")
               .arg(t.quantity, QString::fromStdString(scale.describe()),
                    QString::fromStdString(formatTick(scale.limit())));
    for (const QString& line : t.caption)
        out += QStringLiteral("% %1\n").arg(line);
    out += QStringLiteral("{\\setlength{\\fboxsep}{1pt}%\n");
    for (int k = 0; k < t.tokens.size(); ++k) {
        bool glued = false;
        const QString s = escapeLatex(displayToken(t.tokens[k], &glued));
        const bool forcedBreak = size_t(k) < t.breakBefore.size() && t.breakBefore[size_t(k)];
        if (k > 0)
            out += forcedBreak ? QStringLiteral("\\\\\n")
                   : glued     ? QStringLiteral("%\n")
                               : QStringLiteral("\n");
        const double v = size_t(k) < t.scores.size() ? t.scores[size_t(k)] : NAN;
        const QColor c = saliencyColour(t, scale, v);
        if (c.alpha() == 0) {
            out += QStringLiteral("\\strut %1").arg(s);
            continue;
        }
        const QString text = isDark(c) ? QStringLiteral("\\textcolor{white}{%1}").arg(s) : s;
        out += QStringLiteral("\\colorbox[rgb]{%1,%2,%3}{\\strut %4}")
                   .arg(c.redF(), 0, 'f', 3)
                   .arg(c.greenF(), 0, 'f', 3)
                   .arg(c.blueF(), 0, 'f', 3)
                   .arg(text);
    }
    out += QStringLiteral("%\n}\n");
    return out;
}

QString writeSaliency(const QString& path, const SaliencyText& t, const FigureOptions& options,
                      QSizeF* sizePt) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return writeText(path, saliencyHtml(t, options));
    if (suffix == QLatin1String("tex"))
        return writeText(path, saliencyLatex(t, options));

    const double width = options.widthFor(1);
    const double margin = 0.5 * options.fontPt;
    const double smallPt = std::max(3.0, 0.85 * options.fontPt);
    const QFont titleFont = figureFont(options.fontPt, true);
    const QFont textFont = figureFont(options.fontPt * 1.25);
    const QFont small = figureFont(smallPt);
    const double inner = width - 2 * margin;
    const QStringList titleLines = wrapText(t.title, titleFont, inner);
    const TextLayout text = layoutTokens(t, textFont, inner);
    const ColorScale scale = saliencyScale(t, options);
    const double barWidth = std::min(inner, 12.0 * options.fontPt * 1.5);
    const QString label =
        t.quantity + (options.scale.kind == ScaleKind::Linear
                          ? QString()
                          : QStringLiteral(" \u00b7 ") + QString::fromStdString(scale.describe()));
    const QStringList labelLines = wrapText(label, small, inner);
    QStringList captionLines;
    if (options.caption)
        for (const QString& line : t.caption)
            captionLines << wrapText(line, small, inner);
    const double titleH = titleLines.size() * lineHeight(titleFont);
    const double barY = margin + titleH + 0.5 * options.fontPt + text.height + options.fontPt;
    double height = barY + colourBarHeight(smallPt) + labelLines.size() * lineHeight(small);
    if (!captionLines.isEmpty())
        height += 0.4 * options.fontPt + captionLines.size() * lineHeight(small);
    const QSizeF size(width, std::ceil(height + margin));
    if (sizePt)
        *sizePt = size;

    auto paint = [&](QPainter* p) {
        const FigureTheme theme = FigureTheme::of(options.dark);
        p->fillRect(QRectF(QPointF(0, 0), size), theme.background);
        p->setPen(theme.text);
        p->setFont(titleFont);
        double y = margin;
        for (const QString& line : titleLines) {
            drawFigureText(p, QPointF(margin, y + fontAscent(titleFont)), line);
            y += lineHeight(titleFont);
        }
        y += 0.5 * options.fontPt;
        p->setFont(textFont);
        const double pad = 0.18 * textFont.pointSizeF();
        for (const TokenBox& b : text.boxes) {
            const double v = size_t(b.token) < t.scores.size() ? t.scores[size_t(b.token)] : NAN;
            const QColor c = saliencyColour(t, scale, v);
            const QRectF r = b.box.translated(margin, y);
            if (c.alpha() != 0)
                p->fillRect(r, c);
            p->setPen(c.alpha() != 0 && isDark(c) ? QColor(Qt::white)
                      : c.alpha() != 0            ? QColor(Qt::black)
                                                  : theme.text);
            drawFigureText(p, QPointF(r.x() + b.textX, r.y() + pad + fontAscent(textFont)), b.text);
        }
        paintColourBar(p, t.palette, scale, margin, barY, barWidth, smallPt, options.dark);
        y = barY + colourBarHeight(smallPt);
        p->setFont(small);
        p->setPen(theme.text);
        for (const QString& line : labelLines) {
            drawFigureText(p, QPointF(margin, y + fontAscent(small)), line);
            y += lineHeight(small);
        }
        if (captionLines.isEmpty())
            return;
        y += 0.4 * options.fontPt;
        p->setPen(theme.muted);
        for (const QString& line : captionLines) {
            drawFigureText(p, QPointF(margin, y + fontAscent(small)), line);
            y += lineHeight(small);
        }
    };
    return writeVectorPage(path, size, options.dpi, t.title, t.caption.join(QLatin1Char('\n')),
                           paint);
}

}  // namespace attrscope::ui
