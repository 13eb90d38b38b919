#include "engine/dataset_analysis_job.h"

#include <QFileInfo>
#include <algorithm>
#include <chrono>

namespace attrscope::ui {

namespace {

std::vector<std::string> toStd(const QStringList& list) {
    std::vector<std::string> out;
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

}  // namespace

QString datasetAnalysisName(DatasetAnalysis analysis) {
    switch (analysis) {
        case DatasetAnalysis::Importance:
            return QStringLiteral("importance");
        case DatasetAnalysis::Pruning:
            return QStringLiteral("pruning");
        case DatasetAnalysis::Triggers:
            return QStringLiteral("triggers");
    }
    return QString();
}

bool sameRequest(const DatasetRequest& a, const DatasetRequest& b) {
    const auto& x = a.data;
    const auto& y = b.data;
    return a.model == b.model && a.modelName == b.modelName && a.analysis == b.analysis &&
           a.path == b.path && x.format == y.format && x.split == y.split &&
           x.textAColumn == y.textAColumn && x.textBColumn == y.textBColumn &&
           x.labelColumn == y.labelColumn && x.header == y.header && x.csvQuoting == y.csvQuoting &&
           a.examples == b.examples && a.steps == b.steps && a.rule == b.rule &&
           a.taylorLogitSum == b.taylorLogitSum && a.taylorLoss == b.taylorLoss &&
           a.accuracyDifference == b.accuracyDifference && a.rankings == b.rankings &&
           a.seeds == b.seeds && a.firstSeed == b.firstSeed && a.perLayer == b.perLayer &&
           a.evalExamples == b.evalExamples && a.evalPath == b.evalPath &&
           a.evalSplit == b.evalSplit && a.minTokens == b.minTokens && a.threshold == b.threshold &&
           a.insertAll == b.insertAll && a.maxPatterns == b.maxPatterns;
}

DatasetAnalysisJob::DatasetAnalysisJob(QObject* parent)
    : QObject(parent),
      m_worker(this, [](const Run& run, Worker::Run& w) { return compute(run, w.job()); },
               {[this](const attrscope::JobProgress& p) {
                    m_progress = p;
                    Q_EMIT progress(QString::fromStdString(p.stage), p.done, p.total, p.fraction,
                                    p.etaSeconds);
                },
                [this](DatasetResultPtr result) {
                    Q_EMIT finished(result);
                    if (!result->complete)
                        Q_EMIT cancelled();
                },
                [this](const QString& message) { Q_EMIT failed(message); },
                [this] { Q_EMIT cancelled(); }}) {
    qRegisterMetaType<DatasetResultPtr>("attrscope::ui::DatasetResultPtr");
}

DatasetAnalysisJob::~DatasetAnalysisJob() = default;

void DatasetAnalysisJob::start(const DatasetRequest& request, DatasetResultPtr resume) {
    m_progress = attrscope::JobProgress();
    Q_EMIT started();
    if (!request.model)
        return m_worker.failNow(tr("No model is open."));
    if (resume &&
        (resume->complete || !canResume(request.analysis) || resume->analysis != request.analysis))
        resume.reset();  // nothing to continue: start over
    m_worker.start(Run{request, resume});
}

void DatasetAnalysisJob::cancel() {
    m_worker.cancel();
}

void DatasetAnalysisJob::discard() {
    m_worker.discard();
}

// On the worker: reads what the analysis needs, then one study call. A cancel is not an error:
// the study's partial value is delivered with complete == false.
attrscope::Expected<DatasetResult> DatasetAnalysisJob::compute(const Run& run,
                                                               const attrscope::JobContext& job) {
    const DatasetRequest& request = run.request;
    const DatasetResult* prev = run.resume.get();
    const auto t0 = std::chrono::steady_clock::now();
    attrscope::Model& model = *request.model;
    // Only what the analysis reads gets tokenised (a SICK split has thousands of rows).
    auto load = [&](const QString& path, const QString& split,
                    int limit) -> attrscope::Expected<attrscope::LabelledInputs> {
        attrscope::DatasetOptions o = request.data;
        o.split = split.toStdString();
        o.limit = std::max(limit, 0);
        auto data = attrscope::loadDataset(path.toStdString(), o);
        if (!data)
            return data.status();
        return attrscope::encodeDataset(model, *data);
    };
    const QString split = QString::fromStdString(request.data.split);
    int limit = request.examples;
    if (request.analysis == DatasetAnalysis::Pruning)
        limit = request.examples > 0 && request.evalExamples > 0
                    ? std::max(request.examples, request.evalExamples)
                    : 0;
    auto inputs = load(request.path, split, limit);
    if (!inputs)
        return inputs.status();
    const QString evalPath = request.evalPath.isEmpty() ? request.path : request.evalPath;
    std::optional<attrscope::LabelledInputs> evalInputs;
    if (request.analysis == DatasetAnalysis::Triggers) {
        auto ev = load(evalPath, request.evalSplit, request.evalExamples);
        if (!ev)
            return ev.status();
        evalInputs = std::move(ev).value();
    }

    DatasetResult result;
    result.analysis = request.analysis;
    result.request = request;
    result.request.model.reset();  // a stored result must not keep the model alive
    result.modelName = request.modelName;
    result.numLayers = model.config().numLayers;
    result.numHeads = model.config().numHeads;
    for (const auto& name : inputs->classNames)
        result.classNames << QString::fromStdString(name);
    const attrscope::AnalysisSource source =
        attrscope::analysisSource(model, request.path.toStdString(), request.data);
    result.evalSource = source;
    result.evalSource.data = evalPath.toStdString();
    result.evalSource.split = request.evalSplit.toStdString();
    const QString rule = QString::fromStdString(attrscope::ruleName(request.rule));
    const QString where =
        QStringLiteral("%1 (%2%3)")
            .arg(QFileInfo(request.path).fileName(), QString::fromStdString(request.data.format),
                 split.isEmpty() ? QString() : QStringLiteral(", ") + split);
    const int n =
        request.examples > 0 ? std::min(request.examples, inputs->size()) : inputs->size();
    result.settings = tr("%1 \u00b7 first %2 examples \u00b7 m = %3, %4 rule")
                          .arg(where)
                          .arg(n)
                          .arg(request.steps)
                          .arg(rule);

    switch (request.analysis) {
        case DatasetAnalysis::Importance: {
            attrscope::ImportanceStudyOptions o;
            o.examples = request.examples;
            o.steps = request.steps;
            o.rule = request.rule;
            o.taylor = request.taylorLogitSum;
            o.taylorLoss = request.taylorLoss;
            o.accuracy = request.accuracyDifference;
            auto r = attrscope::runImportanceStudy(model, *inputs, o, source,
                                                   prev ? &prev->importance : nullptr, job);
            if (!r)
                return r.status();
            result.importance = std::move(r).value();
            result.complete = result.importance.complete;
            break;
        }
        case DatasetAnalysis::Pruning: {
            attrscope::PruneStudyOptions o;
            o.rankings = toStd(request.rankings);
            o.perLayerRankings.clear();
            if (request.perLayer)
                o.perLayerRankings = {"attribution", "attention"};
            o.importanceExamples = request.examples;
            o.evalExamples = request.evalExamples;
            o.steps = request.steps;
            o.rule = request.rule;
            o.firstSeed = request.firstSeed;
            o.seeds = request.seeds;
            attrscope::PruneStudy previous;
            if (prev) {
                previous.report = prev->prune;
                previous.importance = prev->importance;
            }
            auto r = attrscope::runPruneStudy(model, *inputs, o, source, prev ? &previous : nullptr,
                                              job);
            if (!r)
                return r.status();
            result.prune = std::move(r->report);
            result.importance = std::move(r->importance);
            result.complete = r->complete;
            break;
        }
        case DatasetAnalysis::Triggers: {
            attrscope::TriggerStudyOptions o;
            o.mining.examples = request.examples;
            o.mining.steps = request.steps;
            o.mining.rule = request.rule;
            o.mining.minTokens = request.minTokens;
            o.evaluation.threshold = request.threshold;
            o.evaluation.all = request.insertAll;
            o.evaluation.maxPatterns = request.maxPatterns;
            o.evalExamples = request.evalExamples;
            attrscope::TriggerStudy previous;
            if (prev) {
                previous.mining = prev->mining;
                previous.evaluation = prev->evaluation;
                previous.evaluated = !prev->evaluation.cleanAccuracy.empty();
            }
            auto r = attrscope::runTriggerStudy(model, *inputs, *evalInputs, o,
                                                prev ? &previous : nullptr, job);
            if (!r)
                return r.status();
            result.mining = std::move(r->mining);
            result.evaluation = std::move(r->evaluation);
            result.complete = r->complete;
            if (request.evalSplit.isEmpty() && request.evalPath.isEmpty())
                result.settings += tr(" \u00b7 evaluated on the same file");
            else
                result.settings +=
                    tr(" \u00b7 evaluated on %1")
                        .arg(request.evalSplit.isEmpty() ? QFileInfo(request.evalPath).fileName()
                                                         : request.evalSplit);
            break;
        }
    }
    result.importance.source = source;
    result.importance.exampleIds = inputs->ids;
    result.importance.exampleLabels = inputs->labels;
    result.prune.source = source;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() +
                     (prev ? prev->seconds : 0.0);
    return result;
}

}  // namespace attrscope::ui
