#include "engine/attribution_job.h"

#include <QMetaObject>
#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>

#include "engine/progress_throttle.h"

namespace attrscope::ui {

namespace {
// Target duration of one engine chunk: the longest a Cancel waits (plus one clean forward).
constexpr double kChunkSeconds = 0.25;
}  // namespace

template <typename Fn>
void AttributionJob::post(quint64 id, Fn fn) {
    QMetaObject::invokeMethod(
        this,
        [this, id, fn]() {
            if (id == m_runId)
                fn();
        },
        Qt::QueuedConnection);
}

// Lives on the worker thread for one run; hands copies of everything to the GUI thread.
class AttributionJob::Sink : public attrscope::ProgressSink {
public:
    using Map = std::function<attrscope::AttributionProgress(attrscope::AttributionProgress)>;
    Sink(AttributionJob* job, quint64 id, Map map) : m_job(job), m_id(id), m_map(std::move(map)) {}

    void onProgress(const attrscope::AttributionProgress& engine) override {
        if (!m_throttle.due())
            return;
        const attrscope::AttributionProgress p = m_map(engine);
        AttributionJob* job = m_job;
        m_job->post(m_id, [job, p] {
            job->m_progress = p;
            Q_EMIT job->progress(p.layer, p.stepsDone, p.stepsTotal, p.fraction, p.etaSeconds);
        });
    }

    void onLayer(const attrscope::LayerAttribution& layer) override {
        // The copy happens here, on the worker, not on the GUI thread.
        auto copy = std::make_shared<const attrscope::LayerAttribution>(layer);
        AttributionJob* job = m_job;
        m_job->post(m_id, [job, copy] {
            job->m_layers[copy->layer] = copy;
            Q_EMIT job->layerReady(copy->layer);
        });
    }

private:
    AttributionJob* m_job;
    quint64 m_id;
    Map m_map;  // per-layer engine progress -> progress of the whole job
    ProgressThrottle m_throttle;
};

AttributionJob::AttributionJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ResultPtr>("attrscope::ui::ResultPtr");
    m_pool.setMaxThreadCount(1);
}

AttributionJob::~AttributionJob() {
    if (m_cancel)
        m_cancel->cancel();
    // Blocks for at most the chunk in flight; the worker must not outlive `this`.
    m_pool.waitForDone();
}

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

void AttributionJob::finish(quint64 id) {
    if (id == m_runId)
        m_running = false;
}

void AttributionJob::start(const AttributionRequest& request) {
    if (m_cancel)
        m_cancel->cancel();
    const quint64 id = ++m_runId;
    m_running = true;
    m_layers.clear();
    m_result.reset();
    m_progress = attrscope::AttributionProgress();
    m_encoding = attrscope::Encoding();
    m_prediction.reset();
    m_target = -1;
    auto token = std::make_shared<attrscope::CancelToken>();
    m_cancel = token;
    Q_EMIT started();
    if (!request.model) {
        post(id, [this, id] {
            finish(id);
            Q_EMIT failed(tr("No model is open."));
        });
        return;
    }
    // The pool has one thread, so this run starts once a cancelled predecessor has stopped.
    m_pool.start([this, id, request, token] { run(id, request, token); });
}

void AttributionJob::cancel() {
    if (m_running && m_cancel)
        m_cancel->cancel();
}

void AttributionJob::run(quint64 id, AttributionRequest request,
                         std::shared_ptr<attrscope::CancelToken> token) {
    auto fail = [this, id](const QString& message) {
        post(id, [this, id, message] {
            finish(id);
            Q_EMIT failed(message);
        });
    };
    auto stopped = [this, id] {
        post(id, [this, id] {
            finish(id);
            Q_EMIT cancelled();
        });
    };
    if (token->isCancelled())
        return stopped();

    try {
        attrscope::Model& model = *request.model;
        const std::string device = request.device.toStdString();
        if (!device.empty() && device != model.device()) {
            attrscope::Status s = model.setDevice(device);
            if (!s)
                return fail(QString::fromStdString(s.message()));
        }
        std::optional<std::string> textB;
        if (!request.textB.trimmed().isEmpty())
            textB = request.textB.toStdString();
        auto encoding = model.encode(request.textA.toStdString(), textB);
        if (!encoding)
            return fail(QString::fromStdString(encoding.error()));
        const auto predictStart = std::chrono::steady_clock::now();
        auto prediction = model.predict(*encoding, /*withAttention=*/true);
        const double predictSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - predictStart).count();
        if (!prediction)
            return fail(QString::fromStdString(prediction.error()));
        auto target =
            attrscope::resolveTarget(request.options.target, model.config(), prediction->predicted);
        if (!target)
            return fail(QString::fromStdString(target.error()));

        auto enc = std::make_shared<attrscope::Encoding>(*encoding);
        auto pred = std::make_shared<const attrscope::Prediction>(std::move(prediction).value());
        const int targetIndex = *target;
        post(id, [this, enc, pred, targetIndex] {
            m_encoding = *enc;
            m_prediction = pred;
            m_target = targetIndex;
            Q_EMIT predictionReady();
        });
        if (token->isCancelled())
            return stopped();

        const int L = model.config().numLayers;
        const std::vector<int> order = layerOrder(request.options.layers, L, request.firstLayer);
        // One engine call per layer, so that the chunk size can follow the measured speed and a
        // cancel never waits for more than about kChunkSeconds (plus one clean forward).
        const int m = request.options.steps;
        double totalCost = 0.0, doneCost = 0.0;
        for (int t : order)
            totalCost += double(L - t) * m;
        // Seconds per step per layer the step runs through; a step (forward + backward) costs
        // about three clean forwards, which gives the first estimate.
        double unitSeconds = 3.0 * predictSeconds / std::max(L, 1);
        const auto t0 = std::chrono::steady_clock::now();
        attrscope::AttributionResult merged;
        int chunkUsed = 0;
        for (size_t k = 0; k < order.size(); ++k) {
            if (token->isCancelled())
                return stopped();
            const int t = order[k];
            attrscope::AttributionOptions options = request.options;
            options.layers = {t};
            if (options.chunkSize == 0) {
                const double perStep = std::max(unitSeconds * (L - t), 1e-6);
                options.chunkSize = std::clamp(int(kChunkSeconds / perStep), 1, std::max(m, 1));
            }
            chunkUsed = std::max(chunkUsed, options.chunkSize);
            Sink sink(this, id, [&](attrscope::AttributionProgress p) {
                const double elapsed =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                p.layersDone = int(k);
                p.layersTotal = int(order.size());
                p.fraction =
                    totalCost > 0 ? (doneCost + double(L - t) * p.stepsDone) / totalCost : 1.0;
                p.elapsedSeconds = elapsed;
                p.etaSeconds =
                    p.fraction > 0 && p.stepsDone > 0 ? elapsed * (1.0 / p.fraction - 1.0) : -1.0;
                return p;
            });
            auto result = attrscope::attribute(model, *encoding, options, &sink, token.get());
            if (!result) {
                if (result.status().isCancelled())
                    return stopped();
                return fail(QString::fromStdString(result.error()));
            }
            // The last layer only computes the [CLS] row, so its speed says little about others.
            if (!result->layers.empty() && m > 0 && (t < L - 1 || L == 1))
                unitSeconds = result->layers.front().seconds / (double(m) * (L - t));
            doneCost += double(L - t) * m;
            if (k == 0) {
                merged = std::move(result).value();
            } else {
                for (auto& layer : result->layers)
                    merged.layers.push_back(std::move(layer));
            }
        }
        std::sort(merged.layers.begin(), merged.layers.end(),
                  [](const auto& a, const auto& b) { return a.layer < b.layer; });
        merged.options = request.options;
        merged.options.layers = order;
        merged.timings.totalSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        merged.timings.chunkSize = chunkUsed;
        auto shared = std::make_shared<const attrscope::AttributionResult>(std::move(merged));
        post(id, [this, id, shared] {
            m_result = shared;
            finish(id);
            Q_EMIT finished(shared);
        });
    } catch (const std::exception& e) {
        // The engine promises not to throw; this keeps a broken promise from killing the app.
        fail(tr("Internal error: %1").arg(QString::fromUtf8(e.what())));
    }
}

}  // namespace attrscope::ui
