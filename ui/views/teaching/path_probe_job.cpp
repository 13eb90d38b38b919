#include "views/teaching/path_probe_job.h"

#include <algorithm>
#include <chrono>

#include "attrscope/attribution/path_probe.h"

namespace attrscope::ui {

namespace {
// α values per model pass: bounds the batch (B × H × n × n activations) for long inputs.
constexpr size_t kChunk = 64;
}  // namespace

PathProbeJob::PathProbeJob(QObject* parent)
    : QObject(parent),
      m_worker(this,
               [](const PathProbeRequest& request, Worker::Run& run) {
                   return compute(request, run.job());
               },
               {nullptr, [this](PathProbePtr probe) { Q_EMIT finished(probe); },
                [this](const QString& message) { Q_EMIT failed(message); }, nullptr}) {
    qRegisterMetaType<PathProbePtr>("attrscope::ui::PathProbePtr");
}

PathProbeJob::~PathProbeJob() = default;

void PathProbeJob::cancel() {
    m_worker.discard();
}

attrscope::Expected<PathProbe> PathProbeJob::compute(const PathProbeRequest& request,
                                                     const attrscope::JobContext& job) {
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
            if (job.cancelled())
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
        if (job.cancelled())
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
    m_worker.start(request);
}

}  // namespace attrscope::ui
