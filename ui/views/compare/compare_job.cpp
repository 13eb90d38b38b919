#include "views/compare/compare_job.h"

#include <chrono>

#include "attrscope/attribution/attention_flow.h"
#include "attrscope/attribution/gradient_attention.h"
#include "attrscope/attribution/rollout.h"

namespace attrscope::ui {

namespace {
attrscope::FloatArray headSum(const attrscope::FloatArray& a) {  // [L][H][n][n] → [L][n][n]
    const int64_t L = a.dim(0), H = a.dim(1), n = a.dim(2);
    attrscope::FloatArray out({L, n, n});
    for (int64_t l = 0; l < L; ++l)
        for (int64_t h = 0; h < H; ++h) {
            const float* p = a.block({l, h});
            float* o = out.block({l});
            for (int64_t k = 0; k < n * n; ++k)
                o[k] += p[k];
        }
    return out;
}
}  // namespace

CompareJob::CompareJob(QObject* parent)
    : QObject(parent),
      m_worker(this,
               [](const CompareRequest& request, Worker::Run& run) {
                   return compute(request, run.job());
               },
               {[this](const attrscope::JobProgress& p) {
                    Q_EMIT progress(QString::fromStdString(p.stage), p.fraction);
                },
                [this](CompareResultPtr result) { Q_EMIT finished(result); },
                [this](const QString& message) { Q_EMIT failed(message); }, nullptr}) {
    qRegisterMetaType<CompareResultPtr>("attrscope::ui::CompareResultPtr");
}

CompareJob::~CompareJob() = default;

void CompareJob::start(const CompareRequest& request) {
    m_worker.start(request);
}

void CompareJob::discard() {
    m_worker.discard();
}

attrscope::Expected<CompareResult> CompareJob::compute(const CompareRequest& request,
                                                       const attrscope::JobContext& job) {
    using Clock = std::chrono::steady_clock;
    if (!request.model)
        return attrscope::Status::error("no model is open");
    attrscope::Model& model = *request.model;
    const auto& enc = request.encoding;
    const auto t0 = Clock::now();
    constexpr int kStages = 6;
    int stage = 0;
    // One report per method: the stages differ too much in cost for a finer fraction to mean much.
    auto next = [&](const char* name) {
        attrscope::JobProgress p;
        p.stage = name;
        p.stageIndex = stage;
        p.stageCount = kStages;
        p.fraction = double(stage++) / kStages;
        p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
        job.report(p);
        return job.cancelled() ? attrscope::Status::cancelled() : attrscope::Status();
    };

    CompareResult r;
    r.target = request.target;
    r.attributionOptions = request.attribution;
    if (auto s = next("attention"); !s)
        return s;
    auto pred = model.predict(enc, true);
    if (!pred)
        return pred.status();
    if (r.target < 0 || r.target >= int(pred->probs.size()))
        return attrscope::Status::error("target class out of range");
    r.probability = pred->probs[size_t(r.target)];
    r.attention = std::move(pred->attention);
    const std::string target = std::to_string(r.target);

    if (auto s = next("AttAttr"); !s)
        return s;
    const int64_t L = r.attention.dim(0), n = r.attention.dim(2);
    if (request.attributionSum.shape == std::vector<int64_t>{L, n, n}) {
        r.attributionSum = request.attributionSum;
        r.attributionReused = true;
    } else {
        attrscope::AttributionOptions ao = request.attribution;
        ao.target = target;
        ao.layers.clear();
        auto a = attrscope::attribute(model, enc, ao, {nullptr, job.cancel});
        if (!a)
            return a.status();
        r.attributionSum = headSum(a->attributionArray());
    }

    if (auto s = next("rollout and gradient-weighted attention"); !s)
        return s;
    auto rollout = attrscope::attentionRollout(r.attention);
    if (!rollout)
        return rollout.status();
    r.rollout = std::move(*rollout);
    attrscope::GradientAttentionOptions go;
    go.target = target;
    auto grad = attrscope::gradientWeightedAttention(model, enc, go);
    if (!grad)
        return grad.status();
    r.gradientAttention = std::move(grad->perLayer);

    if (auto s = next("token integrated gradients"); !s)
        return s;
    attrscope::TokenIgOptions io = request.ig;
    io.target = target;
    auto ig = attrscope::tokenIntegratedGradients(model, enc, io, {nullptr, job.cancel});
    // Core's token IG needs a vocab.txt (RoBERTa-style folders have none); the other methods do
    // not, so a failed IG leaves its bars empty with the reason instead of failing the tab.
    if (!ig && ig.status().isCancelled())
        return ig.status();
    if (ig)
        r.ig = std::move(*ig);
    else
        r.igNote = "not computed: " + ig.error();

    if (auto s = next("deletion curves"); !s)
        return s;
    attrscope::DeletionOptions d;
    d.target = target;
    d.maxK = request.maxK;
    d.randomRankings = request.randomRankings;
    d.attribution = request.attribution;
    d.attributionScores = r.attributionSum;
    auto del = attrscope::deletionCurves(model, enc, d, {nullptr, job.cancel});
    if (!del)
        return del.status();
    r.deletion = std::move(*del);

    // Last: n² max-flows per layer, the one cost that grows fast with the input.
    if (auto s = next("attention flow"); !s)
        return s;
    auto flow = attrscope::attentionFlow(r.attention, {}, {nullptr, job.cancel});
    if (!flow)
        return flow.status();
    r.flow = std::move(*flow);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

}  // namespace attrscope::ui
