#pragma once
// Adapter between the engine's blocking attrscope::attribute() and the GUI: runs the clean
// forward and the attribution on a worker thread, turns the ProgressSink into throttled queued
// signals and the Cancel button into the CancelToken. Everything it emits arrives on the thread
// that owns the job (the GUI thread), and only for the newest run: a superseded run's late
// results are dropped. Layers are computed one engine call at a time with a chunk size chosen
// from the measured speed (unless options.chunkSize is set), so a cancel waits well under a
// second even on a bert-base model.

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <map>
#include <memory>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"

namespace attrscope::ui {

using ModelPtr = std::shared_ptr<attrscope::Model>;
using ResultPtr = std::shared_ptr<const attrscope::AttributionResult>;
using LayerPtr = std::shared_ptr<const attrscope::LayerAttribution>;

struct AttributionRequest {
    ModelPtr model;
    QString textA;
    QString textB;  // empty: a single sentence
    // steps, rule, target, chunking; `layers` empty means all layers.
    attrscope::AttributionOptions options;
    // The layer on screen: it is moved to the front of options.layers so it arrives first.
    int firstLayer = 0;
    QString device;  // empty keeps the model's current device
};

class AttributionJob : public QObject {
    Q_OBJECT
public:
    explicit AttributionJob(QObject* parent = nullptr);
    // Cancels and waits for the worker (at most one chunk).
    ~AttributionJob() override;

    // Cancels a running job first; nothing of the old run is delivered after this call.
    void start(const AttributionRequest& request);
    // Asks the worker to stop after its current chunk; `cancelled` follows when it has.
    void cancel();
    bool isRunning() const { return m_running; }

    // The order layers are computed in: `first` and then the others bottom-up.
    static std::vector<int> layerOrder(const std::vector<int>& requested, int numLayers, int first);

    // Data of the current run, valid from the signal that announces it.
    const attrscope::Encoding& encoding() const { return m_encoding; }
    const attrscope::Prediction& prediction() const;
    // Shared, not copied: the attention of a long input is large.
    std::shared_ptr<const attrscope::Prediction> predictionPtr() const { return m_prediction; }
    int target() const { return m_target; }
    LayerPtr layer(int index) const;
    ResultPtr result() const { return m_result; }
    const attrscope::AttributionProgress& lastProgress() const { return m_progress; }

Q_SIGNALS:
    void started();
    // Encoding and clean prediction (with attention) of the run's input.
    void predictionReady();
    void progress(int layer, int stepsDone, int stepsTotal, double fraction, double etaSeconds);
    void layerReady(int layer);
    void finished(attrscope::ui::ResultPtr result);
    void failed(const QString& message);
    void cancelled();

private:
    class Sink;
    void run(quint64 id, AttributionRequest request, std::shared_ptr<attrscope::CancelToken> token);
    // Queues fn on this object's thread, dropped unless `id` is still the current run.
    template <typename Fn>
    void post(quint64 id, Fn fn);
    void finish(quint64 id);

    QThreadPool m_pool;  // one thread: the model is used by one computation at a time
    quint64 m_runId = 0;
    bool m_running = false;
    std::shared_ptr<attrscope::CancelToken> m_cancel;

    attrscope::Encoding m_encoding;
    std::shared_ptr<const attrscope::Prediction> m_prediction;
    int m_target = -1;
    std::map<int, LayerPtr> m_layers;
    ResultPtr m_result;
    attrscope::AttributionProgress m_progress;
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(attrscope::ui::ResultPtr)
