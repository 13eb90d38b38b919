#pragma once
// Computes every explanation method of docs/methods.md for one input on a worker thread (the
// Compare tab): raw attention, AttAttr (reused from the document's run when it has every layer),
// attention rollout, attention flow, gradient-weighted attention, token integrated gradients and
// the deletion (knockout) curves with the random band. Like the other GUI jobs it runs on a
// LatestJob: only the newest request is delivered, on the owner's thread, and the GUI thread
// never waits for the model.

#include <QObject>
#include <QString>
#include <memory>

#include "attrscope/analysis/deletion.h"
#include "attrscope/attribution/token_ig.h"
#include "engine/attribution_job.h"
#include "engine/latest_job.h"

namespace attrscope::ui {

struct CompareRequest {
    ModelPtr model;
    attrscope::Encoding encoding;
    int target = 0;  // the document's target class, for every method
    // [L][n][n] Σ_h AttAttr of this input for `target` (the document's run); empty: computed
    // with `attribution`.
    attrscope::FloatArray attributionSum;
    attrscope::AttributionOptions attribution;
    attrscope::TokenIgOptions ig;
    int maxK = 1024;
    int randomRankings = 10;
};

struct CompareResult {
    int target = 0;
    double probability = 0.0;                          // F at the clean input
    attrscope::FloatArray attention;                   // [L][H][n][n]
    attrscope::FloatArray attributionSum;              // [L][n][n] Σ_h Attr
    bool attributionReused = false;                    // from the document, not recomputed
    attrscope::AttributionOptions attributionOptions;  // rule and steps of that AttAttr
    attrscope::FloatArray rollout;                     // [L][n][n] R_l
    attrscope::FloatArray flow;                        // [L][n][n]
    attrscope::FloatArray gradientAttention;           // [L][n][n] Ā_l
    attrscope::TokenIgResult ig;  // empty tokenAttr when it could not be computed (igNote)
    // Why IG is missing (e.g. a model folder without vocab.txt), else empty.
    std::string igNote;
    attrscope::DeletionResult deletion;
    double seconds = 0.0;
};
using CompareResultPtr = std::shared_ptr<const CompareResult>;

class CompareJob : public QObject {
    Q_OBJECT
public:
    explicit CompareJob(QObject* parent = nullptr);
    ~CompareJob() override;  // cancels and waits for the current unit

    void start(const CompareRequest& request);  // supersedes a request in flight
    void discard();  // drops the request in flight: nothing of it is delivered
    bool isRunning() const { return m_worker.isRunning(); }

    // The computation itself (blocking; what the worker runs).
    static attrscope::Expected<CompareResult> compute(const CompareRequest& request,
                                                      const attrscope::JobContext& job = {});

Q_SIGNALS:
    void progress(const QString& stage, double fraction);
    void finished(attrscope::ui::CompareResultPtr result);
    void failed(const QString& message);

private:
    using Worker = LatestJob<CompareRequest, CompareResult>;
    Worker m_worker;
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(attrscope::ui::CompareResultPtr)
