#pragma once
// Adapter between core's progressive attrscope::attribute() and the GUI, on a LatestJob: one
// engine call per run (one clean forward), whose clean pass and finished layers arrive as
// signals while the rest computes, in the order of the layer on screen first. Chunks follow a
// target time (AttributionOptions::targetChunkSeconds, unless options.chunkSize is set), so a
// cancel waits well under a second even on a bert-base model. Everything it emits arrives on the
// thread that owns the job (the GUI thread), and only for the newest run.

#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"
#include "engine/latest_job.h"

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
    bool isRunning() const { return m_worker.isRunning(); }

    // The order layers are computed in: `first` and then the others bottom-up.
    static std::vector<int> layerOrder(const std::vector<int>& requested, int numLayers, int first);

    // Data of the current run, valid from the signal that announces it.
    const attrscope::Encoding& encoding() const { return m_encoding; }
    const attrscope::Prediction& prediction() const;
    // Shared, not copied: the attention of a long input is large.
    std::shared_ptr<const attrscope::Prediction> predictionPtr() const { return m_prediction; }
    int target() const { return m_target; }
    // The request of the current run, as given to start() (its layers not yet reordered).
    const AttributionRequest& request() const { return m_request; }
    LayerPtr layer(int index) const;
    ResultPtr result() const { return m_result; }
    const attrscope::JobProgress& lastProgress() const { return m_progress; }

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
    class Listener;
    using Worker = LatestJob<AttributionRequest, attrscope::AttributionResult>;
    attrscope::Expected<attrscope::AttributionResult> compute(const AttributionRequest& request,
                                                              Worker::Run& run);

    AttributionRequest m_request;
    attrscope::Encoding m_encoding;
    std::shared_ptr<const attrscope::Prediction> m_prediction;
    int m_target = -1;
    std::map<int, LayerPtr> m_layers;
    ResultPtr m_result;
    attrscope::JobProgress m_progress;
    Worker m_worker;  // last: destroyed (cancelled and joined) first
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(attrscope::ui::ResultPtr)
