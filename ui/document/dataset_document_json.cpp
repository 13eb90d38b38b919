// The session's "dataset" section: every distinct study result of the document once, each as the
// CLI's own files (heads / prune / trigger patterns / trigger evaluation, core's analysis_json),
// plus what the tab shows around it (caption line, class names, the request it ran with) and
// which result each view shows.

#include <QJsonArray>
#include <QJsonDocument>
#include <QVector>

#include "attrscope/json/analysis_json.h"
#include "document/dataset_document.h"

namespace attrscope::ui {

namespace {

constexpr int kVersion = 1;

QJsonObject fileObject(const std::string& text) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}
std::string fileText(const QJsonValue& value) {
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
}
QJsonArray strings(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}
QStringList strings(const QJsonValue& value) {
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}
std::vector<std::string> stdStrings(const QStringList& list) {
    std::vector<std::string> out;
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

DatasetAnalysis analysisFrom(const QString& name) {
    return name == QLatin1String("pruning")    ? DatasetAnalysis::Pruning
           : name == QLatin1String("triggers") ? DatasetAnalysis::Triggers
                                               : DatasetAnalysis::Importance;
}

QJsonObject requestJson(const DatasetRequest& r) {
    QJsonObject o;
    o[QStringLiteral("model_name")] = r.modelName;
    o[QStringLiteral("analysis")] = datasetAnalysisName(r.analysis);
    o[QStringLiteral("path")] = r.path;
    o[QStringLiteral("format")] = QString::fromStdString(r.data.format);
    o[QStringLiteral("split")] = QString::fromStdString(r.data.split);
    o[QStringLiteral("text_a_column")] = r.data.textAColumn;
    o[QStringLiteral("text_b_column")] = r.data.textBColumn;
    o[QStringLiteral("label_column")] = r.data.labelColumn;
    o[QStringLiteral("header")] = r.data.header;
    o[QStringLiteral("csv_quoting")] = r.data.csvQuoting;
    o[QStringLiteral("limit")] = r.data.limit;
    o[QStringLiteral("examples")] = r.examples;
    o[QStringLiteral("steps")] = r.steps;
    o[QStringLiteral("rule")] = QString::fromStdString(attrscope::ruleName(r.rule));
    o[QStringLiteral("taylor_logit_sum")] = r.taylorLogitSum;
    o[QStringLiteral("taylor_loss")] = r.taylorLoss;
    o[QStringLiteral("accuracy_difference")] = r.accuracyDifference;
    o[QStringLiteral("rankings")] = strings(r.rankings);
    o[QStringLiteral("seeds")] = r.seeds;
    o[QStringLiteral("first_seed")] = QString::number(r.firstSeed);  // 64-bit: as text
    o[QStringLiteral("per_layer")] = r.perLayer;
    o[QStringLiteral("eval_examples")] = r.evalExamples;
    o[QStringLiteral("eval_path")] = r.evalPath;
    o[QStringLiteral("eval_split")] = r.evalSplit;
    o[QStringLiteral("min_tokens")] = r.minTokens;
    o[QStringLiteral("threshold")] = r.threshold;
    o[QStringLiteral("insert_all")] = r.insertAll;
    o[QStringLiteral("max_patterns")] = r.maxPatterns;
    return o;
}

DatasetRequest requestFrom(const QJsonObject& o) {
    DatasetRequest r;  // missing keys keep the form's defaults
    auto text = [&](const char* key, const QString& fallback) {
        return o.value(QLatin1String(key)).toString(fallback);
    };
    auto number = [&](const char* key, int fallback) {
        return o.value(QLatin1String(key)).toInt(fallback);
    };
    auto flag = [&](const char* key, bool fallback) {
        return o.value(QLatin1String(key)).toBool(fallback);
    };
    r.modelName = text("model_name", QString());
    r.analysis = analysisFrom(text("analysis", QString()));
    r.path = text("path", QString());
    r.data.format = text("format", QString()).toStdString();
    r.data.split = text("split", QString()).toStdString();
    r.data.textAColumn = number("text_a_column", r.data.textAColumn);
    r.data.textBColumn = number("text_b_column", r.data.textBColumn);
    r.data.labelColumn = number("label_column", r.data.labelColumn);
    r.data.header = flag("header", r.data.header);
    r.data.csvQuoting = flag("csv_quoting", r.data.csvQuoting);
    r.data.limit = number("limit", r.data.limit);
    r.examples = number("examples", r.examples);
    r.steps = number("steps", r.steps);
    if (auto rule = attrscope::parseRule(text("rule", QString()).toStdString()))
        r.rule = *rule;
    r.taylorLogitSum = flag("taylor_logit_sum", r.taylorLogitSum);
    r.taylorLoss = flag("taylor_loss", r.taylorLoss);
    r.accuracyDifference = flag("accuracy_difference", r.accuracyDifference);
    if (o.contains(QLatin1String("rankings")))
        r.rankings = strings(o.value(QLatin1String("rankings")));
    r.seeds = number("seeds", r.seeds);
    r.firstSeed = text("first_seed", QString::number(r.firstSeed)).toULongLong();
    r.perLayer = flag("per_layer", r.perLayer);
    r.evalExamples = number("eval_examples", r.evalExamples);
    r.evalPath = text("eval_path", QString());
    r.evalSplit = text("eval_split", QString());
    r.minTokens = number("min_tokens", r.minTokens);
    r.threshold = o.value(QLatin1String("threshold")).toDouble(r.threshold);
    r.insertAll = flag("insert_all", r.insertAll);
    r.maxPatterns = number("max_patterns", r.maxPatterns);
    return r;
}

QJsonObject studyJson(const DatasetResult& r) {
    QJsonObject o;
    o[QStringLiteral("analysis")] = datasetAnalysisName(r.analysis);
    o[QStringLiteral("model_name")] = r.modelName;
    o[QStringLiteral("num_layers")] = r.numLayers;
    o[QStringLiteral("num_heads")] = r.numHeads;
    o[QStringLiteral("class_names")] = strings(r.classNames);
    o[QStringLiteral("complete")] = r.complete;
    o[QStringLiteral("seconds")] = r.seconds;
    o[QStringLiteral("settings")] = r.settings;
    o[QStringLiteral("request")] = requestJson(r.request);
    switch (r.analysis) {
        case DatasetAnalysis::Pruning:
            o[QStringLiteral("prune")] = fileObject(attrscope::pruneReportToJson(r.prune));
            [[fallthrough]];
        case DatasetAnalysis::Importance:
            o[QStringLiteral("importance")] =
                fileObject(attrscope::headImportanceToJson(r.importance));
            break;
        case DatasetAnalysis::Triggers:
            o[QStringLiteral("trigger_patterns")] = fileObject(attrscope::triggerMiningToJson(
                r.mining, r.importance.source, stdStrings(r.classNames)));
            o[QStringLiteral("trigger_evaluation")] = fileObject(
                attrscope::triggerEvaluationToJson(r.evaluation, r.mining.records, r.evalSource));
            break;
    }
    return o;
}

// Throws nothing: a bad file comes back as the error text.
QString studyFrom(const QJsonObject& o, const std::string& where, DatasetResult& r) {
    r.analysis = analysisFrom(o.value(QStringLiteral("analysis")).toString());
    r.modelName = o.value(QStringLiteral("model_name")).toString();
    r.numLayers = o.value(QStringLiteral("num_layers")).toInt();
    r.numHeads = o.value(QStringLiteral("num_heads")).toInt();
    r.classNames = strings(o.value(QStringLiteral("class_names")));
    r.complete = o.value(QStringLiteral("complete")).toBool();
    r.seconds = o.value(QStringLiteral("seconds")).toDouble();
    r.settings = o.value(QStringLiteral("settings")).toString();
    r.request = requestFrom(o.value(QStringLiteral("request")).toObject());
    if (o.contains(QStringLiteral("importance"))) {
        auto rep = attrscope::headImportanceFromJson(
            fileText(o.value(QStringLiteral("importance"))), where + " importance");
        if (!rep)
            return QString::fromStdString(rep.error());
        r.importance = std::move(rep).value();
    }
    if (o.contains(QStringLiteral("prune"))) {
        auto rep = attrscope::pruneReportFromJson(fileText(o.value(QStringLiteral("prune"))),
                                                  where + " prune");
        if (!rep)
            return QString::fromStdString(rep.error());
        r.prune = std::move(rep).value();
    }
    if (o.contains(QStringLiteral("trigger_patterns"))) {
        auto m =
            attrscope::triggerMiningFromJson(fileText(o.value(QStringLiteral("trigger_patterns"))),
                                             where + " trigger_patterns", &r.importance.source);
        if (!m)
            return QString::fromStdString(m.error());
        r.mining = std::move(m).value();
        r.prune.source = r.importance.source;  // as the job sets it for every study
    }
    if (o.contains(QStringLiteral("trigger_evaluation"))) {
        auto ev = attrscope::triggerEvaluationFromJson(
            fileText(o.value(QStringLiteral("trigger_evaluation"))), where + " trigger_evaluation",
            &r.evalSource);
        if (!ev)
            return QString::fromStdString(ev.error());
        r.evaluation = std::move(ev).value();
    }
    return QString();
}

}  // namespace

QJsonObject DatasetDocument::toJson() const {
    QVector<DatasetResultPtr> distinct;
    auto index = [&](const DatasetResultPtr& r) {
        if (!r)
            return -1;
        int i = int(distinct.indexOf(r));
        if (i < 0) {
            i = int(distinct.size());
            distinct << r;
        }
        return i;
    };
    QJsonObject o;
    o[QStringLiteral("version")] = kVersion;
    o[QStringLiteral("latest")] = index(m_latest);
    o[QStringLiteral("importance")] = index(m_importance);
    o[QStringLiteral("pruning")] = index(m_pruning);
    o[QStringLiteral("triggers")] = index(m_triggers);
    QJsonArray studies;
    for (const DatasetResultPtr& r : distinct)
        studies.append(studyJson(*r));
    o[QStringLiteral("studies")] = studies;
    return o;
}

QString DatasetDocument::fromJson(const QJsonObject& o) {
    m_latest.reset();
    m_importance.reset();
    m_pruning.reset();
    m_triggers.reset();
    if (o.value(QStringLiteral("version")).toInt(kVersion) > kVersion) {
        Q_EMIT restored();
        return tr("the dataset section is newer than this AttrScope reads");
    }
    QVector<DatasetResultPtr> studies;
    const QJsonArray list = o.value(QStringLiteral("studies")).toArray();
    for (int i = 0; i < list.size(); ++i) {
        auto r = std::make_shared<DatasetResult>();
        const QString error =
            studyFrom(list[i].toObject(), "dataset study " + std::to_string(i + 1) + ":", *r);
        if (!error.isEmpty()) {
            Q_EMIT restored();
            return error;
        }
        studies << r;
    }
    auto at = [&](const char* key) -> DatasetResultPtr {
        const int i = o.value(QLatin1String(key)).toInt(-1);
        return i >= 0 && i < studies.size() ? studies[i] : nullptr;
    };
    m_latest = at("latest");
    m_importance = at("importance");
    m_pruning = at("pruning");
    m_triggers = at("triggers");
    Q_EMIT restored();
    return QString();
}

}  // namespace attrscope::ui
