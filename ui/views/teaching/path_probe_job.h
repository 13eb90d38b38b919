#pragma once
// Runs the teaching view's path probes (core path_probe.h) on a worker thread: every class's
// probability on a dense α grid and at the integration points, and the target's slope dF/dα at
// the integration points. Like AttributionJob, only the newest request's answer is delivered,
// on the thread that owns the job; the GUI thread never waits for the model.

#include <QObject>
#include <QString>
#include <memory>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "engine/attribution_job.h"
#include "engine/latest_job.h"

namespace attrscope::ui {

struct PathProbeRequest {
    ModelPtr model;
    attrscope::Encoding encoding;
    int layer = 0;
    int target = 0;
    attrscope::Rule rule = attrscope::Rule::Right;
    int steps = 20;
    int densePoints = 51;  // α = 0, 1/50, …, 1
};

struct PathProbe {
    PathProbeRequest request;  // without the model
    std::vector<double> denseAlphas;
    std::vector<std::vector<double>> denseProbs;  // [α][class]
    attrscope::Quadrature quadrature;
    std::vector<std::vector<double>> quadProbs;  // [k][class]
    std::vector<double> slopes;                  // dF/dα at each integration point
    double seconds = 0.0;
};
using PathProbePtr = std::shared_ptr<const PathProbe>;

class PathProbeJob : public QObject {
    Q_OBJECT
public:
    explicit PathProbeJob(QObject* parent = nullptr);
    ~PathProbeJob() override;  // cancels and waits for at most one chunk

    void start(const PathProbeRequest& request);  // supersedes a request in flight
    void cancel();  // drops the request in flight: nothing of it is delivered
    bool isRunning() const { return m_worker.isRunning(); }

    // The probe itself (blocking; what the worker runs). Alphas go through the model in chunks
    // so a long rule (m in the thousands) never needs one huge batch.
    static attrscope::Expected<PathProbe> compute(const PathProbeRequest& request,
                                                  const attrscope::JobContext& job = {});

Q_SIGNALS:
    void finished(attrscope::ui::PathProbePtr probe);
    void failed(const QString& message);

private:
    using Worker = LatestJob<PathProbeRequest, PathProbe>;
    Worker m_worker;
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(attrscope::ui::PathProbePtr)
