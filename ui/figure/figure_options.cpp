#include "figure/figure_options.h"

#include <QRegularExpression>
#include <QSettings>
#include <cmath>

namespace attrscope::ui {

std::optional<double> parseLength(const QString& text) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*(cm|mm|pt|in|bp)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double v = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    double points = v;
    if (unit == QLatin1String("cm"))
        points = v / 2.54 * 72.0;
    else if (unit == QLatin1String("mm"))
        points = v / 25.4 * 72.0;
    else if (unit == QLatin1String("in"))
        points = v * 72.0;
    if (!(points > 0.0) || points > 2.0 / 0.0254 * 72.0)
        return std::nullopt;
    return points;
}

QString formatLength(double points) {
    return QString::number(points, 'g', 5) + QStringLiteral("pt");
}

std::optional<bool> parseOnOff(const QString& text) {
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("on") || t == QLatin1String("true") || t == QLatin1String("yes") ||
        t == QLatin1String("1"))
        return true;
    if (t == QLatin1String("off") || t == QLatin1String("false") || t == QLatin1String("no") ||
        t == QLatin1String("0"))
        return false;
    return std::nullopt;
}

QString scaleSpecText(const ScaleSpec& spec) {
    const QString name = QString::fromStdString(scaleKindName(spec.kind));
    switch (spec.kind) {
        case ScaleKind::Gamma:
            return name + QLatin1Char(':') + QString::number(spec.gamma);
        case ScaleKind::SymLog:
            return name + QLatin1Char(':') + QString::number(spec.linearWidth);
        case ScaleKind::Percentile:
            return name + QLatin1Char(':') + QString::number(spec.percentile);
        case ScaleKind::Linear:
            break;
    }
    return name;
}

FigureOptions loadFigureOptions(QSettings& settings) {
    FigureOptions o;
    settings.beginGroup(QStringLiteral("figure"));
    if (auto w = parseLength(settings.value(QStringLiteral("width")).toString()))
        o.widthPt = *w;
    const double font = settings.value(QStringLiteral("font_pt"), o.fontPt).toDouble();
    if (font >= 4.0 && font <= 48.0)
        o.fontPt = font;
    o.caption = settings.value(QStringLiteral("caption"), o.caption).toBool();
    o.dark = settings.value(QStringLiteral("theme")).toString() == QLatin1String("dark");
    if (auto s = parseScaleSpec(settings.value(QStringLiteral("scale")).toString().toStdString()))
        o.scale = *s;
    const int dpi = settings.value(QStringLiteral("dpi"), o.dpi).toInt();
    if (dpi >= 50 && dpi <= 2400)
        o.dpi = dpi;
    settings.endGroup();
    return o;
}

void saveFigureOptions(QSettings& settings, const FigureOptions& o) {
    settings.beginGroup(QStringLiteral("figure"));
    settings.setValue(QStringLiteral("width"), o.widthPt > 0 ? formatLength(o.widthPt) : QString());
    settings.setValue(QStringLiteral("font_pt"), o.fontPt);
    settings.setValue(QStringLiteral("caption"), o.caption);
    settings.setValue(QStringLiteral("theme"),
                      o.dark ? QStringLiteral("dark") : QStringLiteral("light"));
    settings.setValue(QStringLiteral("scale"), scaleSpecText(o.scale));
    settings.setValue(QStringLiteral("dpi"), o.dpi);
    settings.endGroup();
}

}  // namespace attrscope::ui
