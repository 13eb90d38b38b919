#include "engine/attribution_job.h"

#include <algorithm>

namespace attrscope::ui {

namespace {
// Target duration of one engine chunk: the longest a Cancel waits.
constexpr double kChunkSeconds = 0.25;
}  // namespace

// Lives on the worker thread for one run; hands copies of the clean pass and of each finished
// layer to the GUI thread.
class AttributionJob::Listener : public attrscope::AttributionListener {
public:
    Listener(AttributionJob* job, Worker::Run& run) : m_job(job), m_run(run) {}

    void onPrediction(const attrscope::AttributionResult& clean) override {
        auto enc = std::make_shared<const attrscope::Encoding>(clean.encoding);
        auto pred = std::make_shared<const attrscope::Prediction>(clean.prediction);
        const int target = clean.target;
        AttributionJob* job = m_job;
        m_run.post([job, enc, pred, target] {
            job->m_encoding = *enc;
            job->m_prediction = pred;
            job->m_target = target;
            Q_EMIT job->predictionReady();
        });
    }

    void onLayer(const attrscope::LayerAttribution& layer) override {
        // The copy happens here, on the worker, not on the GUI thread.
        auto copy = std::make_shared<const attrscope::LayerAttribution>(layer);
        AttributionJob* job = m_job;
        m_run.post([job, copy] {
            job->m_layers[copy->layer] = copy;
            Q_EMIT job->layerReady(copy->layer);
        });
    }

private:
    AttributionJob* m_job;
    Worker::Run& m_run;
};

AttributionJob::AttributionJob(QObject* parent)
    : QObject(parent),
      m_worker(this,
               [this](const AttributionRequest& r, Worker::Run& run) { return compute(r, run); },
               {[this](const attrscope::JobProgress& p) {
                    m_progress = p;
                    Q_EMIT progress(p.layer, p.done, p.total, p.fraction, p.etaSeconds);
                },
                [this](ResultPtr result) {
                    m_result = result;
                    Q_EMIT finished(result);
                },
                [this](const QString& message) { Q_EMIT failed(message); },
                [this] { Q_EMIT cancelled(); }}) {
    qRegisterMetaType<ResultPtr>("attrscope::ui::ResultPtr");
}

AttributionJob::~AttributionJob() = default;

std::vector<int> AttributionJob::layerOrder(const std::vector<int>& requested, int numLayers,
                                            int first) {
    std::vector<int> layers = requested;
    if (layers.empty()) {
        for (int l = 0; l < numLayers; ++l)
            layers.push_back(l);
    }
    auto it = std::find(layers.begin(), layers.end(), first);
    if (it != layers.end())
        std::rotate(layers.begin(), it, it + 1);
    return layers;
}

const attrscope::Prediction& AttributionJob::prediction() const {
    static const attrscope::Prediction none;
    return m_prediction ? *m_prediction : none;
}

LayerPtr AttributionJob::layer(int index) const {
    auto it = m_layers.find(index);
    return it == m_layers.end() ? nullptr : it->second;
}

void AttributionJob::start(const AttributionRequest& request) {
    m_request = request;
    m_layers.clear();
    m_result.reset();
    m_progress = attrscope::JobProgress();
    m_encoding = attrscope::Encoding();
    m_prediction.reset();
    m_target = -1;
    Q_EMIT started();
    if (!request.model)
        return m_worker.failNow(tr("No model is open."));
    m_worker.start(request);
}

void AttributionJob::cancel() {
    m_worker.cancel();
}

attrscope::Expected<attrscope::AttributionResult> AttributionJob::compute(
    const AttributionRequest& request, Worker::Run& run) {
    attrscope::Model& model = *request.model;
    const std::string device = request.device.toStdString();
    if (!device.empty() && device != model.device())
        if (attrscope::Status s = model.setDevice(device); !s)
            return s;
    std::optional<std::string> textB;
    if (!request.textB.trimmed().isEmpty())
        textB = request.textB.toStdString();
    auto encoding = model.encode(request.textA.toStdString(), textB);
    if (!encoding)
        return encoding.status();
    attrscope::AttributionOptions options = request.options;
    options.layers = layerOrder(options.layers, model.config().numLayers, request.firstLayer);
    if (options.chunkSize == 0)
        options.targetChunkSeconds = kChunkSeconds;
    Listener listener(this, run);
    return attrscope::attribute(model, *encoding, options, run.job(), &listener);
}

}  // namespace attrscope::ui
