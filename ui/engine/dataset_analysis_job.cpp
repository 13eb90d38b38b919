#include "engine/dataset_analysis_job.h"

#include <QFileInfo>
#include <QMetaObject>
#include <algorithm>
#include <chrono>
#include <exception>
#include <map>

#include "attrscope/analysis/head_importance.h"
#include "attrscope/analysis/pruning.h"
#include "attrscope/analysis/triggers.h"
#include "engine/progress_throttle.h"

namespace attrscope::ui {

namespace {

bool has(const QStringList& list, const char* name) {
    return list.contains(QLatin1String(name));
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

template <typename Fn>
void DatasetAnalysisJob::post(quint64 id, Fn fn) {
    QMetaObject::invokeMethod(
        this,
        [this, id, fn]() {
            if (id == m_runId)
                fn();
        },
        Qt::QueuedConnection);
}

// Lives on the worker for one run; throttles core's per-unit progress into queued signals.
class DatasetAnalysisJob::Sink : public attrscope::DatasetProgressSink {
public:
    Sink(DatasetAnalysisJob* job, quint64 id, int stages)
        : m_job(job), m_id(id), m_stages(stages) {}
    void nextStage() {
        ++m_stage;
        m_throttle.reset();  // the first report of a stage always goes out
    }

    void onProgress(const attrscope::DatasetProgress& p) override {
        if (!m_throttle.due(p.done >= p.total))
            return;
        DatasetAnalysisJob* job = m_job;
        const int stage = m_stage, stages = m_stages;
        m_job->post(m_id, [job, p, stage, stages] {
            job->m_progress = p;
            job->m_stage = stage;
            job->m_stages = stages;
            Q_EMIT job->progress(QString::fromStdString(p.stage), p.done, p.total, p.fraction,
                                 p.etaSeconds);
        });
    }

private:
    DatasetAnalysisJob* m_job;
    quint64 m_id;
    int m_stage = 0;
    int m_stages = 1;
    ProgressThrottle m_throttle;
};

DatasetAnalysisJob::DatasetAnalysisJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<DatasetResultPtr>("attrscope::ui::DatasetResultPtr");
    m_pool.setMaxThreadCount(1);
}

DatasetAnalysisJob::~DatasetAnalysisJob() {
    if (m_cancel)
        m_cancel->cancel();
    m_pool.waitForDone();  // the worker must not outlive `this`
}

void DatasetAnalysisJob::start(const DatasetRequest& request, DatasetResultPtr resume) {
    if (m_cancel)
        m_cancel->cancel();
    const quint64 id = ++m_runId;
    m_running = true;
    m_progress = attrscope::DatasetProgress();
    m_stage = 0;
    m_stages = 0;
    auto token = std::make_shared<attrscope::CancelToken>();
    m_cancel = token;
    Q_EMIT started();
    if (!request.model) {
        post(id, [this, id] {
            if (id == m_runId)
                m_running = false;
            Q_EMIT failed(tr("No model is open."));
        });
        return;
    }
    // One pool thread: this run starts once a cancelled predecessor has stopped.
    if (resume &&
        (resume->complete || !canResume(request.analysis) || resume->analysis != request.analysis))
        resume.reset();  // nothing to continue: start over
    m_pool.start([this, id, request, resume, token] { run(id, request, resume, token); });
}

void DatasetAnalysisJob::cancel() {
    if (m_running && m_cancel)
        m_cancel->cancel();
}

void DatasetAnalysisJob::discard() {
    if (m_cancel)
        m_cancel->cancel();
    ++m_runId;  // late signals of the run carry the old id and are dropped
    m_running = false;
}

// The analyses themselves, on the worker thread. Each returns an error message (empty: fine);
// a cancel is not an error: the result is delivered with complete == false. With `prev` (a
// cancelled result of the same request) each stage continues from prev's value of it.
class DatasetAnalysisJob::Runner {
public:
    Runner(const DatasetRequest& r, attrscope::Model& model, Sink& sink,
           const attrscope::CancelToken& token, DatasetResult& out, const DatasetResult* prev)
        : r(r), model(model), sink(sink), token(token), out(out), prev(prev) {}

    QString importance(const attrscope::LabelledInputs& inputs) {
        auto& rep = out.importance;
        attrscope::HeadImportanceOptions o;
        o.examples = r.examples;
        o.steps = r.steps;
        o.rule = r.rule;
        const attrscope::HeadImportance* resumeImp =
            prev && prev->importance.attribution ? &*prev->importance.attribution : nullptr;
        auto imp = attrscope::computeHeadImportance(model, inputs, o, resumeImp, &sink, &token);
        if (!imp)
            return error(imp.status());
        rep.attribution = std::move(imp).value();
        if (!rep.attribution->complete)
            return QString();
        for (auto objective :
             {attrscope::TaylorObjective::LogitSum, attrscope::TaylorObjective::Loss}) {
            const bool wanted =
                objective == attrscope::TaylorObjective::LogitSum ? r.taylorLogitSum : r.taylorLoss;
            if (!wanted)
                continue;
            sink.nextStage();
            attrscope::TaylorOptions t;
            t.objective = objective;
            t.examples = r.examples;
            const attrscope::TaylorImportance* resumeTaylor = nullptr;
            if (prev)
                for (const auto& p : prev->importance.taylor)
                    if (p.options.objective == objective)
                        resumeTaylor = &p;
            auto taylor =
                attrscope::computeTaylorImportance(model, inputs, t, resumeTaylor, &sink, &token);
            if (!taylor)
                return error(taylor.status());
            rep.taylor.push_back(std::move(taylor).value());
            if (!rep.taylor.back().complete)
                return QString();
        }
        if (r.accuracyDifference) {
            sink.nextStage();
            // A value cancelled during its unmasked pass has no per-head slots: start over.
            const attrscope::AccuracyDifference* resumeAcc =
                prev && prev->importance.accuracy && !prev->importance.accuracy->drop.empty()
                    ? &*prev->importance.accuracy
                    : nullptr;
            auto acc = attrscope::computeAccuracyDifference(model, inputs.head(r.examples), 64,
                                                            resumeAcc, &sink, &token);
            if (!acc)
                return error(acc.status());
            rep.accuracy = std::move(acc).value();
        }
        return QString();
    }

    QString pruning(const attrscope::LabelledInputs& inputs) {
        auto& rep = out.prune;
        const attrscope::LabelledInputs imp = inputs.head(r.examples);
        const attrscope::LabelledInputs eval = inputs.head(r.evalExamples);
        const bool needAttr =
            has(r.rankings, "attribution") || has(r.rankings, "attention") || r.perLayer;
        // The rankings: the same importance the Importance analysis computes.
        std::map<std::string, std::vector<double>> ranking;
        if (needAttr) {
            attrscope::HeadImportanceOptions o;
            o.examples = 0;
            o.steps = r.steps;
            o.rule = r.rule;
            o.keepPerExample = false;
            auto a = attrscope::computeHeadImportance(model, imp, o, nullptr, &sink, &token);
            if (!a)
                return error(a.status());
            out.importance.attribution = std::move(a).value();
            if (!out.importance.attribution->complete)
                return QString();
            ranking["attribution"] = out.importance.attribution->attributionSum;
            ranking["attention"] = out.importance.attribution->attentionSum;
        }
        if (has(r.rankings, "taylor")) {
            sink.nextStage();
            attrscope::TaylorOptions t;
            t.examples = 0;
            auto taylor = attrscope::computeTaylorImportance(model, imp, t, nullptr, &sink, &token);
            if (!taylor)
                return error(taylor.status());
            out.importance.taylor.push_back(std::move(taylor).value());
            if (!out.importance.taylor.back().complete)
                return QString();
            ranking["taylor"] = out.importance.taylor.back().normalized;
        }
        rep.importanceSource =
            "computed on the first " + std::to_string(imp.size()) + " examples of the data";
        rep.numLayers = out.numLayers;
        rep.numHeads = out.numHeads;
        rep.examples = eval.size();
        auto base = attrscope::evaluateInputs(model, eval, nullptr, {}, &token);
        if (!base)
            return error(base.status());
        rep.baseAccuracy = base->accuracy;
        for (const QString& name : r.rankings) {
            if (token.isCancelled())
                return QString();
            sink.nextStage();
            if (name == QLatin1String("random")) {
                std::vector<uint64_t> seeds;
                for (int s = 0; s < r.seeds; ++s)
                    seeds.push_back(r.firstSeed + uint64_t(s));
                auto rc = attrscope::randomPruneCurves(model, eval, seeds, {}, &sink, &token);
                if (!rc)
                    return error(rc.status());
                rep.random = std::move(rc).value();
                continue;
            }
            const std::string key = name.toStdString();
            if (!ranking.count(key))
                return QObject::tr("unknown ranking '%1'").arg(name);
            auto c = attrscope::pruneCurve(
                model, eval, key, attrscope::ascendingOrder(ranking[key]), {}, &sink, &token);
            if (!c)
                return error(c.status());
            rep.global.push_back(std::move(c).value());
        }
        if (r.perLayer) {
            for (const char* name : {"attribution", "attention"}) {
                for (auto mode :
                     {attrscope::PerLayerMode::KeepTopK, attrscope::PerLayerMode::PruneTopK}) {
                    if (token.isCancelled())
                        return QString();
                    sink.nextStage();
                    auto c = attrscope::perLayerCurve(model, eval, name, ranking[name], mode, {},
                                                      &sink, &token);
                    if (!c)
                        return error(c.status());
                    rep.perLayer.push_back(std::move(c).value());
                }
            }
        }
        return QString();
    }

    QString triggers(const attrscope::LabelledInputs& mineInputs,
                     const attrscope::LabelledInputs& evalInputs) {
        attrscope::TriggerMiningOptions o;
        o.examples = r.examples;
        o.steps = r.steps;
        o.rule = r.rule;
        o.minTokens = r.minTokens;
        // examplesTotal is set on every value core returns; 0 = mining never ran.
        const attrscope::TriggerMining* resumeMining =
            prev && prev->mining.examplesTotal > 0 ? &prev->mining : nullptr;
        auto m = attrscope::mineTriggers(model, mineInputs, o, resumeMining, &sink, &token);
        if (!m)
            return error(m.status());
        out.mining = std::move(m).value();
        if (!out.mining.complete)
            return QString();
        sink.nextStage();
        attrscope::TriggerEvalOptions e;
        e.threshold = r.threshold;
        e.all = r.insertAll;
        e.maxPatterns = r.maxPatterns;
        // Only a value past its clean pass continues (prev's records are these records: its
        // evaluation ran only after its mining had finished).
        const attrscope::TriggerEvaluation* resumeEval =
            prev && !prev->evaluation.cleanAccuracy.empty() ? &prev->evaluation : nullptr;
        auto ev = attrscope::evaluateTriggers(model, evalInputs.head(r.evalExamples),
                                              out.mining.records, e, resumeEval, &sink, &token);
        if (!ev)
            return error(ev.status());
        out.evaluation = std::move(ev).value();
        return QString();
    }

private:
    // A cancel that core reports as a Status is not an error: what is done is kept.
    QString error(const attrscope::Status& s) const {
        return s.isCancelled() ? QString() : QString::fromStdString(s.message());
    }

    const DatasetRequest& r;
    attrscope::Model& model;
    Sink& sink;
    const attrscope::CancelToken& token;
    DatasetResult& out;
    const DatasetResult* prev;
};

void DatasetAnalysisJob::run(quint64 id, DatasetRequest request, DatasetResultPtr resume,
                             std::shared_ptr<attrscope::CancelToken> token) {
    auto fail = [this, id](const QString& message) {
        post(id, [this, id, message] {
            m_running = false;
            Q_EMIT failed(message);
        });
    };
    if (token->isCancelled()) {
        post(id, [this] {
            m_running = false;
            Q_EMIT cancelled();
        });
        return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    try {
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
            return fail(QString::fromStdString(inputs.error()));
        std::optional<attrscope::LabelledInputs> evalInputs;
        if (request.analysis == DatasetAnalysis::Triggers) {
            const QString evalPath = request.evalPath.isEmpty() ? request.path : request.evalPath;
            auto ev = load(evalPath, request.evalSplit, request.evalExamples);
            if (!ev)
                return fail(QString::fromStdString(ev.error()));
            evalInputs = std::move(ev).value();
        }

        auto result = std::make_shared<DatasetResult>();
        result->analysis = request.analysis;
        result->modelName = request.modelName;
        result->numLayers = model.config().numLayers;
        result->numHeads = model.config().numHeads;
        for (const auto& name : inputs->classNames)
            result->classNames << QString::fromStdString(name);
        attrscope::AnalysisSource source;
        source.model = model.directory();
        source.data = request.path.toStdString();
        source.format = request.data.format;
        source.split = request.data.split;
        source.device = model.device();
        source.threads = attrscope::threadCount();
        result->importance.source = source;
        result->importance.exampleIds = inputs->ids;
        result->importance.exampleLabels = inputs->labels;
        result->prune.source = source;
        result->evalSource = source;
        result->evalSource.data =
            (request.evalPath.isEmpty() ? request.path : request.evalPath).toStdString();
        result->evalSource.split = request.evalSplit.toStdString();
        const QString rule = QString::fromStdString(attrscope::ruleName(request.rule));
        const QString where = QStringLiteral("%1 (%2%3)")
                                  .arg(QFileInfo(request.path).fileName(),
                                       QString::fromStdString(request.data.format),
                                       split.isEmpty() ? QString() : QStringLiteral(", ") + split);
        const int n =
            request.examples > 0 ? std::min(request.examples, inputs->size()) : inputs->size();
        result->settings = tr("%1 \u00b7 first %2 examples \u00b7 m = %3, %4 rule")
                               .arg(where)
                               .arg(n)
                               .arg(request.steps)
                               .arg(rule);

        int stages = 1;
        if (request.analysis == DatasetAnalysis::Importance)
            stages += int(request.taylorLogitSum) + int(request.taylorLoss) +
                      int(request.accuracyDifference);
        else if (request.analysis == DatasetAnalysis::Pruning)
            stages += int(request.rankings.contains(QLatin1String("taylor"))) +
                      int(request.rankings.size()) + (request.perLayer ? 4 : 0);
        else
            stages = 2;
        Sink sink(this, id, stages);
        sink.nextStage();
        Runner runner(request, model, sink, *token, *result, resume.get());
        QString error;
        switch (request.analysis) {
            case DatasetAnalysis::Importance:
                error = runner.importance(*inputs);
                break;
            case DatasetAnalysis::Pruning:
                error = runner.pruning(*inputs);
                break;
            case DatasetAnalysis::Triggers:
                error = runner.triggers(*inputs, *evalInputs);
                if (request.evalSplit.isEmpty() && request.evalPath.isEmpty())
                    result->settings += tr(" \u00b7 evaluated on the same file");
                else
                    result->settings += tr(" \u00b7 evaluated on %1")
                                            .arg(request.evalSplit.isEmpty()
                                                     ? QFileInfo(request.evalPath).fileName()
                                                     : request.evalSplit);
                break;
        }
        if (!error.isEmpty())
            return fail(error);
        result->complete = !token->isCancelled();
        result->prune.complete = result->complete;
        result->seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() +
            (resume ? resume->seconds : 0.0);
        DatasetResultPtr shared = std::move(result);
        post(id, [this, shared] {
            m_running = false;
            Q_EMIT finished(shared);
            if (!shared->complete)
                Q_EMIT cancelled();
        });
    } catch (const std::exception& e) {
        // Core promises not to throw; this keeps a broken promise from killing the app.
        fail(tr("Internal error: %1").arg(QString::fromUtf8(e.what())));
    }
}

}  // namespace attrscope::ui
