// The numbers behind each figure, as CSV and JSON, plus the caption helpers (figure_support.h).

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "attrscope/attribution/attribution.h"
#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "document/analysis_document.h"
#include "export/figure_support.h"
#include "export/saliency_export.h"
#include "views/bars/head_bars.h"

namespace attrscope::ui {

namespace {
QString num(double v) {
    return QString::number(v, 'g', 9);  // enough digits to read a float back exactly
}

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
        !s.contains(QLatin1Char('\n')))
        return s;
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QJsonArray matrixJson(const std::vector<float>& values, int m) {
    QJsonArray rows;
    if (values.size() != size_t(m) * size_t(m))
        return rows;
    for (int i = 0; i < m; ++i) {
        QJsonArray row;
        for (int j = 0; j < m; ++j)
            row.append(double(values[size_t(i) * size_t(m) + size_t(j)]));
        rows.append(row);
    }
    return rows;
}

QString writeText(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    if (file.write(bytes) != bytes.size()) {
        file.cancelWriting();
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    }
    if (!file.commit())
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

QString ruleText(const AnalysisDocument& doc) {
    auto r = doc.result();
    if (!r)
        return QStringLiteral("rule/steps of the running job");
    return QStringLiteral("%1 rule, %2 steps")
        .arg(QString::fromStdString(attrscope::ruleName(r->options.rule)))
        .arg(r->options.steps);
}

// The metadata every data file carries.
QJsonObject metaJson(const AnalysisDocument& doc, FigureKind kind, const QStringList& caption) {
    QJsonObject o;
    o[QStringLiteral("format")] = QStringLiteral("attrscope-figure-data");
    o[QStringLiteral("view")] = figureKindName(kind);
    o[QStringLiteral("caption")] = caption.join(QLatin1Char('\n'));
    o[QStringLiteral("indexing")] = QStringLiteral(
        "0-based layers, heads and token positions; rows = query i, columns = key j");
    o[QStringLiteral("numbering")] = QStringLiteral("0-based");
    o[QStringLiteral("layer")] = doc.currentLayer();
    o[QStringLiteral("head")] =
        doc.currentHead() < 0 ? QJsonValue(QStringLiteral("sum")) : QJsonValue(doc.currentHead());
    o[QStringLiteral("target")] = doc.target();
    o[QStringLiteral("target_label")] = doc.targetLabel();
    if (auto r = doc.result()) {
        o[QStringLiteral("rule")] = QString::fromStdString(attrscope::ruleName(r->options.rule));
        o[QStringLiteral("steps")] = r->options.steps;
    }
    o[QStringLiteral("conventions")] = doc.conventions().toJson();
    return o;
}
}  // namespace

QStringList figureCaption(const AnalysisDocument& doc, FigureKind kind, const QString& modelName,
                          double tau, ScaleMode overviewScale) {
    const ViewConventions& c = doc.conventions();
    QString where;
    switch (kind) {
        case FigureKind::HeadBars:
            where = QStringLiteral("%1, every head").arg(c.layerLabel(doc.currentLayer()));
            break;
        case FigureKind::OverviewAttention:
        case FigureKind::OverviewAttribution: {
            const bool attr = kind == FigureKind::OverviewAttribution;
            const QString scale =
                overviewScale == ScaleMode::Global ? QStringLiteral(
                                                         "one colour scale for all "
                                                         "heads (Σ column: its own)")
                : overviewScale == ScaleMode::PerLayer ? QStringLiteral(
                                                             "colours scaled per layer "
                                                             "(Σ column: per map)")
                                                       : QStringLiteral(
                                                             "each map scaled to its own "
                                                             "maximum");
            where =
                QStringLiteral("all layers × heads, %1 %2")
                    .arg(scale, attr ? QStringLiteral("of |value| (symmetric around 0, white = 0)")
                                     : QStringLiteral("(dark = high attention)"));
            break;
        }
        case FigureKind::Tree:
            where = QStringLiteral("tree over all layers (\u03a3 heads), \u03c4 = %1")
                        .arg(tau, 0, 'f', 2);
            break;
        default:
            where = QStringLiteral("%1 \u00b7 %2")
                        .arg(c.layerLabel(doc.currentLayer()), c.headLabel(doc.currentHead()));
    }
    QStringList lines;
    lines << QStringLiteral("%1 \u00b7 %2 \u00b7 attribution to p(%3) \u00b7 %4")
                 .arg(modelName.isEmpty() ? QStringLiteral("model") : modelName, where,
                      doc.targetLabel(), ruleText(doc));
    QString input = QStringLiteral("input: \u201c%1\u201d").arg(doc.analysedTextA());
    if (!doc.analysedTextB().isEmpty())
        input += QStringLiteral(" / \u201c%1\u201d").arg(doc.analysedTextB());
    lines << input;
    QString note = c.note();
    const QString base =
        kind == FigureKind::Tree
            ? QStringLiteral("layers and token positions numbered from %1").arg(c.oneBased ? 1 : 0)
            : QStringLiteral("layers/heads numbered from %1").arg(c.oneBased ? 1 : 0);
    lines << (note.isEmpty() ? base : note + QStringLiteral(" \u00b7 ") + base);
    return lines;
}

attrscope::FloatArray assembleAttribution(const AnalysisDocument& doc) {
    const int L = doc.numLayers(), H = doc.numHeads(), n = doc.tokenCount();
    attrscope::FloatArray a({L, H, n, n});
    const size_t block = size_t(H) * size_t(n) * size_t(n);
    for (int l = 0; l < L; ++l) {
        LayerPtr layer = doc.layer(l);
        if (layer && layer->attribution.data.size() == block)
            std::copy(layer->attribution.data.begin(), layer->attribution.data.end(),
                      a.data.begin() + std::ptrdiff_t(size_t(l) * block));
    }
    return a;
}

bool FigureExporter::exportData(FigureKind kind, const QString& path) {
    m_error.clear();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("csv") && suffix != QLatin1String("json"))
        return fail(QStringLiteral("%1: unknown data format (use .csv or .json)").arg(path));
    if (!m_doc->hasInput())
        return fail(QStringLiteral("Nothing to export: run an attribution or open a session"));
    const bool json = suffix == QLatin1String("json");
    if (kind == FigureKind::HeatmapPair || kind == FigureKind::Attention ||
        kind == FigureKind::Attribution)
        return writeHeatmapData(kind, path, json);
    return writeOtherData(kind, path, json);
}

bool FigureExporter::writeHeatmapData(FigureKind kind, const QString& path, bool json) {
    const AnalysisDocument& doc = *m_doc;
    const TokenAxis axis = doc.displayAxis();
    const int m = axis.size(), layer = doc.currentLayer(), head = doc.currentHead();
    const std::vector<float> att = doc.displayedAttention(layer, head);
    const std::vector<float> attr = doc.displayedAttribution(layer, head);
    const QStringList caption = figureCaption(doc, kind, m_modelName, m_tau, m_overviewScale);
    QByteArray bytes;
    if (json) {
        QJsonObject o = metaJson(doc, kind, caption);
        o[QStringLiteral("tokens")] = QJsonArray::fromStringList(axis.labels);
        QJsonArray positions;
        for (const auto& g : axis.groups) {
            QJsonArray a;
            for (int p : g)
                a.append(p);
            positions.append(a);
        }
        o[QStringLiteral("positions")] = positions;
        o[QStringLiteral("sep_boundary")] = axis.sepBoundary;
        o[QStringLiteral("attention")] = matrixJson(att, m);
        o[QStringLiteral("attribution")] =
            attr.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(matrixJson(attr, m));
        bytes = QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        QString out;
        for (const QString& line : caption)
            out += QStringLiteral("# %1\n").arg(line);
        out += QStringLiteral("# 0-based positions; query i = row (attending), key j = column\n");
        out += QStringLiteral(
            "query_index,key_index,query_token,key_token,query_positions,key_positions,"
            "attention,attribution\n");
        auto positions = [&](int k) {
            QStringList p;
            for (int x : axis.groups[size_t(k)])
                p << QString::number(x);
            return p.join(QLatin1Char(';'));
        };
        for (int i = 0; i < m; ++i) {
            for (int j = 0; j < m; ++j) {
                const size_t k = size_t(i) * size_t(m) + size_t(j);
                out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                           .arg(i)
                           .arg(j)
                           .arg(csvField(axis.labels[i]), csvField(axis.labels[j]), positions(i),
                                positions(j), k < att.size() ? num(att[k]) : QString(),
                                k < attr.size() ? num(attr[k]) : QString());
            }
        }
        bytes = out.toUtf8();
    }
    const QString error = writeText(path, bytes);
    return error.isEmpty() ? true : fail(error);
}

bool FigureExporter::writeOtherData(FigureKind kind, const QString& path, bool json) {
    const AnalysisDocument& doc = *m_doc;
    const QStringList caption = figureCaption(doc, kind, m_modelName, m_tau, m_overviewScale);
    QString csv;
    for (const QString& line : caption)
        csv += QStringLiteral("# %1\n").arg(line);
    QJsonObject o = metaJson(doc, kind, caption);
    if (kind == FigureKind::HeadBars) {
        // Heads and the layer as the bars label them: the one 0/1-based setting.
        const int base = doc.conventions().oneBased ? 1 : 0;
        const QString numbering = QStringLiteral("%1-based").arg(base);
        csv += QStringLiteral(
                   "# %1 layers and heads (as the view labels them); max entry of each "
                   "head's map for layer %2, %3\n")
                   .arg(numbering)
                   .arg(doc.currentLayer() + base)
                   .arg(HeadBars::maxScope(doc));
        const QString last = HeadBars::lastLayerNote(doc, doc.currentLayer());
        if (!last.isEmpty())
            csv += QStringLiteral("# %1\n").arg(last);
        csv += QStringLiteral("head,max_attribution,max_attention\n");
        o[QStringLiteral("numbering")] = numbering;
        o[QStringLiteral("indexing")] =
            QStringLiteral("layer and heads numbered from %1, as the view labels them").arg(base);
        o[QStringLiteral("layer")] = doc.currentLayer() + base;
        o.remove(QStringLiteral("head"));
        if (!last.isEmpty())
            o[QStringLiteral("note")] = last;
        QJsonArray heads;
        for (int h = 0; h < doc.numHeads(); ++h) {
            // As the bars draw them: over the entries the conventions show.
            const double a = HeadBars::shownMax(doc, true, doc.currentLayer(), h);
            const double t = HeadBars::shownMax(doc, false, doc.currentLayer(), h);
            csv += QStringLiteral("%1,%2,%3\n")
                       .arg(h + base)
                       .arg(std::isnan(a) ? QString() : num(a), num(t));
            heads.append(QJsonObject{
                {QStringLiteral("head"), h + base},
                {QStringLiteral("max_attribution"), std::isnan(a) ? QJsonValue() : QJsonValue(a)},
                {QStringLiteral("max_attention"), t}});
        }
        o[QStringLiteral("heads")] = heads;
    } else if (kind == FigureKind::Saliency) {
        const SaliencyText t = saliencyFromDocument(doc, caption, m_saliencySource);
        csv += QStringLiteral("# %1\n").arg(t.quantity);
        // An index first: a word piece ("##ing") at the start of a line would read as a comment.
        csv += QStringLiteral("index,token,score\n");
        QJsonArray tokens;
        for (int k = 0; k < t.tokens.size(); ++k) {
            csv += QStringLiteral("%1,%2,%3\n")
                       .arg(k)
                       .arg(csvField(t.tokens[k]), num(t.scores[size_t(k)]));
            tokens.append(QJsonObject{{QStringLiteral("token"), t.tokens[k]},
                                      {QStringLiteral("score"), t.scores[size_t(k)]}});
        }
        o[QStringLiteral("quantity")] = t.quantity;
        o[QStringLiteral("tokens")] = tokens;
    } else if (kind == FigureKind::Tree) {
        auto tree = attrscope::buildAttributionTree(assembleAttribution(doc), m_tau);
        if (!tree)
            return fail(QString::fromStdString(tree.error()));
        const auto& tokens = doc.encoding().tokens;
        if (json) {
            // The golden tree_AXX.json layout (core), written atomically by the core.
            auto status = attrscope::exportTree(tree.value(), tokens, path.toStdString(),
                                                caption.join(QLatin1Char(' ')).toStdString(),
                                                doc.conventions().oneBased ? 1 : 0);
            return status.ok() ? true : fail(QString::fromStdString(status.message()));
        }
        csv += QStringLiteral(
                   "# 0-based layers and token positions (the figure labels them from "
                   "%1); root %2; edges point from query (parent) to key (child)\n")
                   .arg(doc.conventions().oneBased ? 1 : 0)
                   .arg(tree->root);
        csv += QStringLiteral("parent,child,layer,weight,parent_token,child_token\n");
        auto tok = [&](int p) {
            return p >= 0 && p < int(tokens.size())
                       ? csvField(QString::fromStdString(tokens[size_t(p)]))
                       : QString();
        };
        for (const auto& e : tree->edges)
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                       .arg(e.parent)
                       .arg(e.child)
                       .arg(e.layer)
                       .arg(num(e.weight), tok(e.parent), tok(e.child));
    } else {
        const bool attribution = kind == FigureKind::OverviewAttribution;
        const int m = doc.displayAxis().size();
        csv += QStringLiteral("# 0-based layers, heads and token indices\n");
        csv += QStringLiteral("layer,head,query_index,key_index,value\n");
        QJsonArray layers;
        for (int l = 0; l < doc.numLayers(); ++l) {
            QJsonArray heads;
            for (int h = 0; h < doc.numHeads(); ++h) {
                const auto map =
                    attribution ? doc.displayedAttribution(l, h) : doc.displayedAttention(l, h);
                heads.append(map.empty() ? QJsonValue() : QJsonValue(matrixJson(map, m)));
                if (json || map.empty())
                    continue;
                for (int i = 0; i < m; ++i)
                    for (int j = 0; j < m; ++j)
                        csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                                   .arg(l)
                                   .arg(h)
                                   .arg(i)
                                   .arg(j)
                                   .arg(num(map[size_t(i) * size_t(m) + size_t(j)]));
            }
            layers.append(heads);
        }
        o[QStringLiteral("tokens")] = QJsonArray::fromStringList(doc.displayAxis().labels);
        o[attribution ? QStringLiteral("attribution") : QStringLiteral("attention")] = layers;
    }
    const QString error =
        writeText(path, json ? QJsonDocument(o).toJson(QJsonDocument::Indented) : csv.toUtf8());
    return error.isEmpty() ? true : fail(error);
}

}  // namespace attrscope::ui
