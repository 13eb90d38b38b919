#pragma once
// Adapter between core's dataset studies (runImportanceStudy, runPruneStudy, runTriggerStudy:
// the same calls the CLI's heads/prune/triggers make) and the GUI, on a LatestJob: throttled
// progress signals, Cancel into the run's CancelToken, errors into `failed`, only the newest
// run's signals delivered. A cancelled run still delivers what it had (partial result,
// `complete == false`), and start() continues from it (canResume).
//
// Sharing the model with AttributionJob: both only run inference on frozen parameters, which
// core allows from several threads at once (bert_model.h: the fused-projection cache has its own
// mutex). The one unsafe call is Model::setDevice, which this job never makes: it runs on the
// model's current device. MainWindow keeps the attribution job from switching devices while this
// job runs, and queues a dataset run that is requested while an attribution runs.

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/analysis/studies.h"
#include "attrscope/data/dataset.h"
#include "engine/attribution_job.h"
#include "engine/latest_job.h"

namespace attrscope::ui {

enum class DatasetAnalysis { Importance, Pruning, Triggers };
QString datasetAnalysisName(DatasetAnalysis analysis);  // "importance" | "pruning" | "triggers"

struct DatasetRequest {
    ModelPtr model;
    QString modelName;
    DatasetAnalysis analysis = DatasetAnalysis::Importance;
    QString path;
    // format, split, columns, header, quoting; `limit` is ignored (see examples / evalExamples).
    attrscope::DatasetOptions data;
    int examples = 200;                            // importance (and mining) examples; 0 = all
    int steps = 20;                                // m
    attrscope::Rule rule = attrscope::Rule::Left;  // the official scripts' rule

    // Importance: the baselines besides attribution (which also gives attention-max).
    bool taylorLogitSum = false;
    bool taylorLoss = false;
    bool accuracyDifference = false;

    // Pruning: global rankings ("attribution", "attention", "taylor", "random") and per-layer.
    QStringList rankings = {QStringLiteral("attribution"), QStringLiteral("attention"),
                            QStringLiteral("taylor"), QStringLiteral("random")};
    int seeds = 5;
    quint64 firstSeed = 1;
    bool perLayer = true;  // keep/prune top-k per layer, by attribution and attention
    int evalExamples = 0;  // pruning and trigger evaluation examples; 0 = all of the split

    // Triggers: mined on `data.split`, evaluated on `evalSplit` (of `evalPath`, empty = path).
    QString evalPath;
    QString evalSplit;
    int minTokens = 0;
    double threshold = 0.02;
    bool insertAll = false;
    int maxPatterns = 20;  // strongest qualifying patterns evaluated; 0 = all
};

// Everything a finished (or cancelled) run produced, in core's types.
struct DatasetResult {
    DatasetAnalysis analysis = DatasetAnalysis::Importance;
    QString modelName;
    int numLayers = 0;
    int numHeads = 0;
    QStringList classNames;
    bool complete = false;
    double seconds = 0.0;
    QString settings;        // one line: data, examples, steps, rule (for captions)
    DatasetRequest request;  // the options it ran with (without the model)

    attrscope::HeadImportanceReport importance;  // Importance (and the rankings of Pruning)
    attrscope::PruneReport prune;                // Pruning
    attrscope::TriggerMining mining;             // Triggers
    attrscope::TriggerEvaluation evaluation;
    attrscope::AnalysisSource evalSource;
};
using DatasetResultPtr = std::shared_ptr<const DatasetResult>;

// Whether two requests ask for the same computation (model included, `data.limit` ignored).
bool sameRequest(const DatasetRequest& a, const DatasetRequest& b);

class DatasetAnalysisJob : public QObject {
    Q_OBJECT
public:
    explicit DatasetAnalysisJob(QObject* parent = nullptr);
    // Cancels and waits for the worker (at most one unit of work).
    ~DatasetAnalysisJob() override;

    // Cancels a running job first; nothing of the old run is delivered after this call.
    // `resume`: a cancelled result of the same request (sameRequest); its finished stages are
    // kept and its partial stage continues from where it stopped, as core's resume allows.
    void start(const DatasetRequest& request, DatasetResultPtr resume = nullptr);
    // Importance and triggers continue their unfinished stage. Pruning is offered no Continue:
    // its curves cannot continue mid-way (runPruneStudy would keep the finished curves and
    // recompute the cut one, which is what a fresh run costs for a one-curve request).
    static bool canResume(DatasetAnalysis analysis) { return analysis != DatasetAnalysis::Pruning; }
    void cancel();
    // Cancels and drops the run: nothing of it is delivered any more (a new model replaced the
    // one it used). The worker stops after its current unit of work.
    void discard();
    bool isRunning() const { return m_worker.isRunning(); }
    const attrscope::JobProgress& lastProgress() const { return m_progress; }
    // "stage k of n" of the current run (k 1-based; 0 before the first report).
    int stageIndex() const { return m_progress.total > 0 ? m_progress.stageIndex + 1 : 0; }
    int stageCount() const { return m_progress.stageCount; }

Q_SIGNALS:
    void started();
    void progress(const QString& stage, int done, int total, double fraction, double etaSeconds);
    // Also after a cancel, with whatever was complete (result->complete == false).
    void finished(attrscope::ui::DatasetResultPtr result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Run {
        DatasetRequest request;
        DatasetResultPtr resume;
    };
    using Worker = LatestJob<Run, DatasetResult>;
    static attrscope::Expected<DatasetResult> compute(const Run& run,
                                                      const attrscope::JobContext& job);

    attrscope::JobProgress m_progress;
    Worker m_worker;  // last: destroyed (cancelled and joined) first
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(attrscope::ui::DatasetResultPtr)
