#include "views/compare/compare_export.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QSaveFile>
#include <cmath>
#include <memory>

#include "figure/vector_page.h"
#include "plot/palette.h"

namespace attrscope::ui {

namespace {
QString num(double v) {
    return QString::number(v, 'g', 17);  // reads back to the same double
}

template <typename T>
QJsonArray array(const std::vector<T>& v) {
    QJsonArray out;
    for (T x : v)
        out.append(double(x));
    return out;
}

QJsonArray rows(const std::vector<float>& v, int n) {  // row-major n×n → [[…], …]
    QJsonArray out;
    if (v.size() != size_t(n) * size_t(n))
        return out;
    for (int i = 0; i < n; ++i)
        out.append(array(std::vector<float>(v.begin() + i * n, v.begin() + (i + 1) * n)));
    return out;
}

// The three figures stacked: maps row 0, maps row 1, deletion curves (with the caption).
struct Stack {
    std::vector<HeatmapFigure> maps;
    std::unique_ptr<LineFigure> curves;
    double width = 0, height = 0;
};

Stack stack(const CompareData& d, const ViewConventions& c, const FigureOptions& options) {
    Stack s;
    FigureOptions noCaption = options;
    noCaption.caption = false;
    for (auto& row : compareHeatmapRows(d, c))
        s.maps.emplace_back(std::move(row), QStringList(), noCaption);
    s.width = s.maps.empty() ? options.widthFor(2) : s.maps.front().size().width();
    // The curves at 70 % of the page, centred: at full width the plot would be taller than both
    // rows of maps.
    FigureOptions line = options;
    line.widthPt = 0.7 * s.width;
    s.curves = std::make_unique<LineFigure>(
        std::vector<LinePanel>{deletionPanel(d)},
        QStringLiteral("Top-k interactions (l, i, j) set to 0 in every head, layers above "
                       "recomputed; lower = more faithful. AUC in the legend."),
        d.caption, line);
    for (const auto& f : s.maps)
        s.height += f.size().height();
    s.height += s.curves->size().height();
    return s;
}
}  // namespace

std::vector<std::vector<HeatmapPanel>> compareHeatmapRows(const CompareData& d,
                                                          const ViewConventions& c) {
    std::vector<std::vector<HeatmapPanel>> rowsOut(2);
    for (size_t k = 0; k < d.maps.size(); ++k) {
        const CompareMap& m = d.maps[k];
        HeatmapPanel p;
        p.title = m.title;
        p.rowLabels = d.axis.labels;
        p.columnLabels = d.axis.labels;
        p.values = m.values;
        p.sepBoundary = d.axis.sepBoundary;
        p.palette =
            &Palette::named(m.diverging ? c.divergingPalette : c.sequentialPalette, m.diverging);
        p.diverging = m.diverging;
        p.quantity = m.quantity;
        p.note = m.note;
        p.message = QStringLiteral("not computed");
        rowsOut[k < 3 ? 0 : 1].push_back(std::move(p));
    }
    HeatmapPanel ig;
    ig.title = QStringLiteral("Token integrated gradients");
    ig.rowLabels = QStringList{QStringLiteral("IG")};
    ig.columnLabels = d.axis.labels;
    for (double v : d.igValues)
        ig.values.push_back(float(v));
    ig.sepBoundary = d.axis.sepBoundary;
    ig.palette = &Palette::named(c.divergingPalette, true);
    ig.diverging = true;
    ig.quantity = QStringLiteral("IG attribution \u0394p(%1) per token").arg(d.targetLabel);
    ig.note = QStringLiteral("\u03a3 = %1, F(x) \u2212 F(x\u2032) = %2 (m = %3)")
                  .arg(d.igSum, 0, 'f', 4)
                  .arg(d.igInput - d.igBaseline, 0, 'f', 4)
                  .arg(d.igSteps);
    if (!d.igNote.isEmpty())
        ig.note = d.igNote;
    ig.message = QStringLiteral("not computed");
    rowsOut[1].push_back(std::move(ig));
    return rowsOut;
}

LinePanel deletionPanel(const CompareData& d) {
    LinePanel p;
    p.title =
        QStringLiteral("Deletion: p(%1) after removing the top-k interactions").arg(d.targetLabel);
    p.xLabel = QStringLiteral("k interactions removed (of %1)").arg(d.deletion.interactions);
    p.yLabel = QStringLiteral("p(%1)").arg(d.targetLabel);
    p.xTickAt.push_back(0);
    p.xTickLabels << QStringLiteral("0");
    for (size_t i = 0; i < d.deletion.ks.size(); ++i) {
        p.xTickAt.push_back(double(i + 1));
        p.xTickLabels << QString::number(d.deletion.ks[i]);
    }
    for (const auto& curve : d.deletion.curves) {
        const QString method = QString::fromStdString(curve.method);
        LineSeries s;
        s.name =
            QStringLiteral("%1 \u00b7 AUC %2").arg(deletionLabel(method)).arg(curve.auc, 0, 'f', 3);
        s.colour = deletionColour(method);
        s.width = method == QLatin1String("random") ? 0.8 : 1.0;
        s.markers = true;
        s.x.push_back(0);
        s.y.push_back(d.deletion.fullProb);
        for (size_t i = 0; i < curve.probs.size(); ++i) {
            s.x.push_back(double(i + 1));
            s.y.push_back(curve.probs[i]);
        }
        if (!curve.low.empty()) {
            LineBand b;
            b.x = s.x;
            b.colour = s.colour;
            b.low.push_back(d.deletion.fullProb);
            b.high.push_back(d.deletion.fullProb);
            b.low.insert(b.low.end(), curve.low.begin(), curve.low.end());
            b.high.insert(b.high.end(), curve.high.begin(), curve.high.end());
            p.bands.push_back(std::move(b));
        }
        p.series.push_back(std::move(s));
    }
    return p;
}

QString writeCompareFigure(const CompareData& d, const ViewConventions& c,
                           const FigureOptions& options, const QString& path, QSizeF* size) {
    if (d.isEmpty())
        return QStringLiteral("nothing to export: the comparison has not been computed");
    const Stack s = stack(d, c, options);
    if (size)
        *size = QSizeF(s.width, s.height);
    return writeVectorPage(path, QSizeF(s.width, s.height), options.dpi,
                           QStringLiteral("AttrScope: every method compared"),
                           d.caption.join(QLatin1Char('\n')), [&](QPainter* p) {
                               p->fillRect(QRectF(0, 0, s.width, s.height),
                                           FigureTheme::of(options.dark).background);
                               for (const auto& f : s.maps) {
                                   f.paint(p);
                                   p->translate(0, f.size().height());
                               }
                               p->translate((s.width - s.curves->size().width()) / 2, 0);
                               s.curves->paint(p);
                           });
}

int compareFigureRects(const CompareData& d, const ViewConventions& c,
                       const FigureOptions& options) {
    const Stack s = stack(d, c, options);
    int n = 2;  // the page's background and the line figure's
    for (const auto& f : s.maps)
        n += f.rectCount();
    return n;
}

QString writeCompareData(const CompareData& d, const QString& path) {
    if (d.isEmpty())
        return QStringLiteral("nothing to export: the comparison has not been computed");
    const bool json =
        QFileInfo(path).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0;
    const int n = int(std::lround(std::sqrt(double(d.maps.front().raw.size()))));
    const int m = d.axis.size();
    QByteArray bytes;
    if (json) {
        QJsonObject o;
        o[QStringLiteral("figure")] = QStringLiteral("compare");
        o[QStringLiteral("caption")] = QJsonArray::fromStringList(d.caption);
        o[QStringLiteral("layer")] = d.layer;
        o[QStringLiteral("target")] = d.target;
        o[QStringLiteral("target_label")] = d.targetLabel;
        o[QStringLiteral("probability")] = d.probability;
        o[QStringLiteral("attattr_source")] =
            d.attributionReused ? QStringLiteral("run") : QStringLiteral("computed");
        o[QStringLiteral("tokens")] = QJsonArray::fromStringList(d.axis.labels);
        QJsonArray groups;
        for (const auto& g : d.axis.groups)
            groups.append(array(g));
        o[QStringLiteral("token_positions")] = groups;
        QJsonObject maps;
        for (const CompareMap& map : d.maps)
            maps[map.key] = QJsonObject{{QStringLiteral("quantity"), map.quantity},
                                        {QStringLiteral("raw"), rows(map.raw, n)},
                                        {QStringLiteral("displayed"), rows(map.values, m)}};
        o[QStringLiteral("maps")] = maps;
        o[QStringLiteral("token_ig")] =
            QJsonObject{{QStringLiteral("raw"), array(d.igRaw)},
                        {QStringLiteral("displayed"), array(d.igValues)},
                        {QStringLiteral("sum"), d.igSum},
                        {QStringLiteral("f_input"), d.igInput},
                        {QStringLiteral("f_baseline"), d.igBaseline},
                        {QStringLiteral("steps"), d.igSteps},
                        {QStringLiteral("note"), d.igNote}};
        QJsonArray curves;
        for (const auto& c : d.deletion.curves)
            curves.append(QJsonObject{{QStringLiteral("method"), QString::fromStdString(c.method)},
                                      {QStringLiteral("probs"), array(c.probs)},
                                      {QStringLiteral("low"), array(c.low)},
                                      {QStringLiteral("high"), array(c.high)},
                                      {QStringLiteral("auc"), c.auc}});
        o[QStringLiteral("deletion")] =
            QJsonObject{{QStringLiteral("ks"), array(d.deletion.ks)},
                        {QStringLiteral("full_prob"), d.deletion.fullProb},
                        {QStringLiteral("interactions"), d.deletion.interactions},
                        {QStringLiteral("curves"), curves}};
        bytes = QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        QString out;
        for (const QString& line : d.caption)
            out += QStringLiteral("# %1\n").arg(line);
        out += QStringLiteral(
            "# map rows: displayed values (conventions applied), row = query i, column = key j "
            "(0-based display entries); ig: per entry; deletion: k = 0 is the clean input\n");
        out += QStringLiteral("section,name,row,column,label,value,low,high\n");
        auto quote = [](QString s) {
            return QStringLiteral("\"%1\"").arg(
                s.replace(QLatin1Char('"'), QStringLiteral("\"\"")));
        };
        for (const CompareMap& map : d.maps)
            for (int i = 0; i < m && map.values.size() == size_t(m) * size_t(m); ++i)
                for (int j = 0; j < m; ++j)
                    out += QStringLiteral("map,%1,%2,%3,%4,%5,,\n")
                               .arg(map.key)
                               .arg(i)
                               .arg(j)
                               .arg(quote(d.axis.labels[i] + QStringLiteral(" -> ") +
                                          d.axis.labels[j]),
                                    num(map.values[size_t(i) * size_t(m) + size_t(j)]));
        for (size_t k = 0; k < d.igValues.size(); ++k)
            out += QStringLiteral("ig,token_ig,%1,,%2,%3,,\n")
                       .arg(k)
                       .arg(quote(d.axis.labels[int(k)]), num(d.igValues[k]));
        for (const auto& c : d.deletion.curves) {
            const QString method = QString::fromStdString(c.method);
            out +=
                QStringLiteral("deletion,%1,0,0,k=0,%2,,\n").arg(method, num(d.deletion.fullProb));
            for (size_t i = 0; i < c.probs.size(); ++i)
                out += QStringLiteral("deletion,%1,%2,%3,k=%3,%4,%5,%6\n")
                           .arg(method)
                           .arg(i + 1)
                           .arg(d.deletion.ks[i])
                           .arg(num(c.probs[i]), i < c.low.size() ? num(c.low[i]) : QString(),
                                i < c.high.size() ? num(c.high[i]) : QString());
        }
        bytes = out.toUtf8();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    file.write(bytes);
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

}  // namespace attrscope::ui
