#include "views/teaching/path_probe_job.h"

#include <QMetaObject>
#include <algorithm>
#include <chrono>

#include "attrscope/attribution/path_probe.h"

namespace attrscope::ui {

namespace {
// α values per model pass: bounds the batch (B × H × n × n activations) for long inputs.
constexpr size_t kChunk = 64;
}  // namespace

PathProbeJob::PathProbeJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<PathProbePtr>("attrscope::ui::PathProbePtr");
    m_pool.setMaxThreadCount(1);
}

PathProbeJob::~PathProbeJob() {
    if (m_cancel)
        m_cancel->store(true);
    m_pool.waitForDone();
}

void PathProbeJob::cancel() {
    if (m_cancel)
        m_cancel->store(true);
    ++m_runId;  // drops a late answer
    m_running = false;
}

attrscope::Expected<PathProbe> PathProbeJob::compute(const PathProbeRequest& request,
                                                     const std::atomic<bool>* cancel) {
    if (!request.model)
        return attrscope::Status::error("no model is open");
    const auto t0 = std::chrono::steady_clock::now();
    PathProbe probe;
    probe.request = request;
    probe.request.model.reset();
    const int dense = std::max(request.densePoints, 2);
    for (int i = 0; i < dense; ++i)
        probe.denseAlphas.push_back(double(i) / (dense - 1));
    probe.quadrature = attrscope::Quadrature::make(request.rule, request.steps);

    attrscope::Model& model = *request.model;
    auto probs = [&](const std::vector<double>& alphas,
                     std::vector<std::vector<double>>* out) -> attrscope::Status {
        for (size_t s = 0; s < alphas.size(); s += kChunk) {
            if (cancel && cancel->load())
                return attrscope::Status::cancelled();
            std::vector<double> part(alphas.begin() + long(s),
                                     alphas.begin() + long(std::min(alphas.size(), s + kChunk)));
            auto p = attrscope::classProbabilitiesAlongPath(model, request.encoding, request.layer,
                                                            part);
            if (!p)
                return p.status();
            out->insert(out->end(), p->begin(), p->end());
        }
        return attrscope::Status();
    };
    if (auto s = probs(probe.denseAlphas, &probe.denseProbs); !s)
        return s;
    if (auto s = probs(probe.quadrature.alphas, &probe.quadProbs); !s)
        return s;
    const auto& qa = probe.quadrature.alphas;
    for (size_t s = 0; s < qa.size(); s += kChunk / 2) {  // a backward pass keeps activations
        if (cancel && cancel->load())
            return attrscope::Status::cancelled();
        std::vector<double> part(qa.begin() + long(s),
                                 qa.begin() + long(std::min(qa.size(), s + kChunk / 2)));
        auto g = attrscope::targetSlopeAlongPath(model, request.encoding, request.layer, part,
                                                 request.target);
        if (!g)
            return g.status();
        probe.slopes.insert(probe.slopes.end(), g->begin(), g->end());
    }
    probe.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return probe;
}

void PathProbeJob::start(const PathProbeRequest& request) {
    if (m_cancel)
        m_cancel->store(true);
    const quint64 id = ++m_runId;
    m_running = true;
    auto token = std::make_shared<std::atomic<bool>>(false);
    m_cancel = token;
    m_pool.start([this, id, request, token] {
        auto probe = compute(request, token.get());
        if (token->load())
            return;
        std::shared_ptr<const PathProbe> shared;
        QString error;
        if (probe)
            shared = std::make_shared<const PathProbe>(std::move(probe).value());
        else
            error = QString::fromStdString(probe.error());
        QMetaObject::invokeMethod(
            this,
            [this, id, shared, error] {
                if (id != m_runId)
                    return;
                m_running = false;
                if (shared)
                    Q_EMIT finished(shared);
                else
                    Q_EMIT failed(error);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace attrscope::ui
