#include "views/dataset/dataset_export.h"

#include "attrscope/json/analysis_json.h"

#include <QFileInfo>
#include <QSaveFile>

namespace attrscope::ui {

namespace {
QString num(double v) {
    return QString::number(v, 'g', 12);  // doubles: sums over examples
}

QString csvField(QString s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
        !s.contains(QLatin1Char('\n')))
        return s;
    s.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString joinTokens(const std::vector<std::string>& tokens) {
    QStringList out;
    for (const auto& t : tokens)
        out << QString::fromStdString(t);
    return out.join(QLatin1Char(' '));
}

QString importanceCsv(const DatasetResult& r) {
    const auto& rep = r.importance;
    const int L = r.numLayers, H = r.numHeads;
    QStringList cols = {QStringLiteral("layer"), QStringLiteral("head"), QStringLiteral("index")};
    std::vector<std::vector<double>> data;
    if (rep.attribution) {
        if (!rep.attribution->attributionSum.empty()) {
            cols << QStringLiteral("attribution_sum") << QStringLiteral("attribution_mean");
            data.push_back(rep.attribution->attributionSum);
            data.push_back(rep.attribution->attributionMean());
        }
        cols << QStringLiteral("attention_max_sum") << QStringLiteral("attention_max_mean");
        data.push_back(rep.attribution->attentionSum);
        data.push_back(rep.attribution->attentionMean());
    }
    for (const auto& t : rep.taylor) {
        cols << QStringLiteral("taylor_%1_normalized")
                    .arg(QString::fromStdString(attrscope::taylorObjectiveName(t.options.objective))
                             .replace(QLatin1Char('-'), QLatin1Char('_')));
        data.push_back(t.normalized);
    }
    if (rep.accuracy) {
        cols << QStringLiteral("accuracy_drop");
        data.push_back(rep.accuracy->drop);
    }
    QString out = cols.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int l = 0; l < L; ++l) {
        for (int h = 0; h < H; ++h) {
            const size_t i = size_t(l * H + h);
            QStringList row = {QString::number(l), QString::number(h), QString::number(i)};
            for (const auto& d : data)
                row << (i < d.size() ? num(d[i]) : QString());
            out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
    }
    return out;
}

QString pruningCsv(const DatasetResult& r) {
    const auto& rep = r.prune;
    QString out = QStringLiteral("ranking,rate,num_pruned,fraction_pruned,accuracy,sd,min,max\n");
    const double total = std::max(1, rep.numLayers * rep.numHeads);
    for (const auto& c : rep.global)
        for (size_t i = 0; i < c.accuracy.size(); ++i)
            out += QStringLiteral("%1,%2,%3,%4,%5,,,\n")
                       .arg(QString::fromStdString(c.ranking), num(c.rates[i]))
                       .arg(c.numPruned[i])
                       .arg(num(c.numPruned[i] / total), num(c.accuracy[i]));
    if (rep.random)
        for (size_t i = 0; i < rep.random->mean.size(); ++i)
            out += QStringLiteral("random-mean,%1,%2,%3,%4,%5,%6,%7\n")
                       .arg(num(rep.random->rates[i]))
                       .arg(rep.random->numPruned[i])
                       .arg(num(rep.random->numPruned[i] / total), num(rep.random->mean[i]),
                            num(rep.random->stddev[i]), num(rep.random->min[i]),
                            num(rep.random->max[i]));
    return out;
}

QString perLayerCsv(const DatasetResult& r) {
    QString out = QStringLiteral("ranking,mode,k,heads_masked,accuracy,base_accuracy\n");
    for (const auto& c : r.prune.perLayer)
        for (size_t i = 0; i < c.accuracy.size(); ++i)
            out += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                       .arg(QString::fromStdString(c.ranking),
                            QString::fromStdString(attrscope::perLayerModeName(c.mode)))
                       .arg(c.k[i])
                       .arg(c.headsMasked[i])
                       .arg(num(c.accuracy[i]), num(c.baseAccuracy));
    return out;
}

QString triggersCsv(const DatasetResult& r) {
    const auto& ev = r.evaluation;
    const auto& records = r.mining.records;
    QStringList cols = {QStringLiteral("pattern_index"),
                        QStringLiteral("tokens_a"),
                        QStringLiteral("tokens_b"),
                        QStringLiteral("positions"),
                        QStringLiteral("layer"),
                        QStringLiteral("head"),
                        QStringLiteral("a1"),
                        QStringLiteral("a2")};
    for (const QString& c : r.classNames)
        cols << QStringLiteral("%1_before").arg(c) << QStringLiteral("%1_after").arg(c)
             << QStringLiteral("%1_drop").arg(c);
    cols << QStringLiteral("overall_before") << QStringLiteral("overall_after")
         << QStringLiteral("mean_drop") << QStringLiteral("same_as");
    QString out = cols.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const auto& t : ev.results) {
        QStringList pos;
        for (int p : t.insertion.positions)
            pos << QString::number(p);
        QStringList row = {
            QString::number(t.patternIndex), csvField(joinTokens(t.insertion.tokensA)),
            csvField(joinTokens(t.insertion.tokensB)), csvField(pos.join(QLatin1Char(' ')))};
        if (t.patternIndex >= 0 && t.patternIndex < int(records.size())) {
            const auto& rec = records[size_t(t.patternIndex)];
            row << QString::number(rec.layer) << QString::number(rec.head)
                << num(rec.maxCombinedAttr[0]) << num(rec.maxCombinedAttr[1]);
        } else {
            row << QString() << QString() << QString() << QString();
        }
        for (int c = 0; c < int(r.classNames.size()); ++c) {
            auto at = [c](const std::vector<double>& v) {
                return c < int(v.size()) && v[size_t(c)] >= 0 ? num(v[size_t(c)]) : QString();
            };
            row << at(ev.cleanAccuracy) << at(t.accuracy)
                << (c < int(t.drop.size()) ? num(t.drop[size_t(c)]) : QString());
        }
        row << num(ev.cleanOverall) << num(t.overallAccuracy) << num(t.meanDrop)
            << (t.sameAs >= 0 ? QString::number(t.sameAs) : QString());
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}
}  // namespace

QString datasetViewName(DatasetView view) {
    switch (view) {
        case DatasetView::Importance:
            return QStringLiteral("importance");
        case DatasetView::Pruning:
            return QStringLiteral("pruning");
        case DatasetView::PerLayer:
            return QStringLiteral("per-layer");
        case DatasetView::Triggers:
            return QStringLiteral("triggers");
    }
    return QString();
}

std::string datasetJson(const DatasetResult& r, DatasetView view) {
    switch (view) {
        case DatasetView::Importance:
            return attrscope::headImportanceToJson(r.importance);
        case DatasetView::Pruning:
        case DatasetView::PerLayer:
            return attrscope::pruneReportToJson(r.prune);
        case DatasetView::Triggers: {
            if (r.evaluation.results.empty() && !r.evaluation.complete) {
                std::vector<std::string> names;
                for (const QString& c : r.classNames)
                    names.push_back(c.toStdString());
                return attrscope::triggerMiningToJson(r.mining, r.importance.source, names);
            }
            return attrscope::triggerEvaluationToJson(r.evaluation, r.mining.records, r.evalSource,
                                                      int(r.evaluation.results.size()));
        }
    }
    return "{}";
}

QString datasetCsv(const DatasetResult& r, DatasetView view, const QStringList& caption) {
    QString out;
    for (const QString& line : caption)
        out += QStringLiteral("# %1\n").arg(line);
    out +=
        QStringLiteral("# 0-based layers and heads (index = layer * %1 + head)\n").arg(r.numHeads);
    switch (view) {
        case DatasetView::Importance:
            return out + importanceCsv(r);
        case DatasetView::Pruning:
            return out + pruningCsv(r);
        case DatasetView::PerLayer:
            return out + perLayerCsv(r);
        case DatasetView::Triggers:
            return out + triggersCsv(r);
    }
    return out;
}

QString writeDatasetData(const DatasetResult& result, DatasetView view, const QString& path,
                         const QStringList& caption) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == QLatin1String("json"))
        bytes = QByteArray::fromStdString(datasetJson(result, view));
    else if (suffix == QLatin1String("csv"))
        bytes = datasetCsv(result, view, caption).toUtf8();
    else
        return QStringLiteral("%1: unknown data format (use .csv or .json)").arg(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

}  // namespace attrscope::ui
