#pragma once
// The one worker every long GUI job uses (attribution, dataset studies, model loading, path
// probes, tree layout): "newest request wins".
//  - One pool thread: a model runs one computation at a time, so a new run starts only once a
//    cancelled predecessor has stopped (after its current unit of work).
//  - start() cancels the run in flight; everything a superseded run posts is dropped, so its
//    late results never reach the owner.
//  - compute(request, run) runs on the worker with core's JobContext (throttled progress, the
//    run's cancel token); run.post(fn) hands partial values to the owner's thread.
//  - The outcome arrives on the owner's thread: finished(result), failed(message) (core's
//    errors and, as "Internal error", any exception), or cancelled() for Status::cancelled().
// The owner (a QObject) keeps the LatestJob as a member; its destructor cancels and waits.

#include <QMetaObject>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <exception>
#include <functional>
#include <memory>

#include "attrscope/job.h"
#include "attrscope/status.h"
#include "engine/progress_throttle.h"

namespace attrscope::ui {

template <typename Request, typename Result>
class LatestJob {
public:
    using ResultPtr = std::shared_ptr<const Result>;

    struct Callbacks {
        std::function<void(const attrscope::JobProgress&)> progress;  // throttled
        std::function<void(ResultPtr)> finished;
        std::function<void(const QString&)> failed;
        std::function<void()> cancelled;
    };

    // The worker side of one run.
    class Run : public attrscope::ProgressSink {
    public:
        const attrscope::JobContext& job() const { return m_job; }
        bool cancelled() const { return m_job.cancelled(); }
        // Queues fn on the owner's thread; dropped if a newer run has started by then.
        template <typename Fn>
        void post(Fn fn) const {
            m_owner->post(m_id, std::move(fn));
        }
        void onProgress(const attrscope::JobProgress& p) override {
            if (!m_owner->m_callbacks.progress || !m_throttle.due(p.fraction >= 1.0))
                return;
            auto* owner = m_owner;
            post([owner, p] { owner->m_callbacks.progress(p); });
        }

    private:
        friend class LatestJob;
        Run(LatestJob* owner, quint64 id, std::shared_ptr<attrscope::CancelToken> token)
            : m_owner(owner), m_id(id), m_token(std::move(token)) {
            m_job = {this, m_token.get()};
        }
        LatestJob* m_owner;
        quint64 m_id;
        std::shared_ptr<attrscope::CancelToken> m_token;
        attrscope::JobContext m_job;
        ProgressThrottle m_throttle;
    };

    using Compute = std::function<attrscope::Expected<Result>(const Request&, Run&)>;

    LatestJob(QObject* owner, Compute compute, Callbacks callbacks)
        : m_owner(owner), m_compute(std::move(compute)), m_callbacks(std::move(callbacks)) {
        m_pool.setMaxThreadCount(1);
    }
    ~LatestJob() {
        if (m_cancel)
            m_cancel->cancel();
        m_pool.waitForDone();  // the worker must not outlive the owner
    }
    LatestJob(const LatestJob&) = delete;
    LatestJob& operator=(const LatestJob&) = delete;

    void start(Request request) {
        if (m_cancel)
            m_cancel->cancel();
        const quint64 id = ++m_runId;
        m_running = true;
        auto token = std::make_shared<attrscope::CancelToken>();
        m_cancel = token;
        m_pool.start([this, id, token, request = std::move(request)] {
            Run run(this, id, token);
            if (run.cancelled())
                return post(id, [this, id] { end(id, [this] { notifyCancelled(); }); });
            try {
                auto result = m_compute(request, run);
                if (result) {
                    auto shared = std::make_shared<const Result>(std::move(result).value());
                    post(id, [this, id, shared] {
                        end(id, [this, shared] {
                            if (m_callbacks.finished)
                                m_callbacks.finished(shared);
                        });
                    });
                } else if (result.status().isCancelled()) {
                    post(id, [this, id] { end(id, [this] { notifyCancelled(); }); });
                } else {
                    const QString message = QString::fromStdString(result.error());
                    post(id, [this, id, message] { end(id, [this, message] { notifyFailed(message); }); });
                }
            } catch (const std::exception& e) {
                // Core promises not to throw; this keeps a broken promise from killing the app.
                const QString message =
                    QObject::tr("Internal error: %1").arg(QString::fromUtf8(e.what()));
                post(id, [this, id, message] { end(id, [this, message] { notifyFailed(message); }); });
            }
        });
    }

    // Asks the run in flight to stop after its current unit; `cancelled` (or a partial result)
    // follows when it has.
    void cancel() {
        if (m_running && m_cancel)
            m_cancel->cancel();
    }
    // Cancels and drops the run: nothing of it is delivered any more.
    void discard() {
        if (m_cancel)
            m_cancel->cancel();
        ++m_runId;
        m_running = false;
    }
    bool isRunning() const { return m_running; }
    // Delivers `message` as a failure of a new (empty) run, in the same queued order as results.
    void failNow(const QString& message) {
        if (m_cancel)
            m_cancel->cancel();
        const quint64 id = ++m_runId;
        m_running = true;
        post(id, [this, id, message] { end(id, [this, message] { notifyFailed(message); }); });
    }

private:
    template <typename Fn>
    void post(quint64 id, Fn fn) {
        QMetaObject::invokeMethod(
            m_owner,
            [this, id, fn = std::move(fn)]() {
                if (id == m_runId)
                    fn();
            },
            Qt::QueuedConnection);
    }
    template <typename Fn>
    void end(quint64 id, Fn notify) {
        if (id == m_runId)
            m_running = false;
        notify();
    }
    void notifyFailed(const QString& message) {
        if (m_callbacks.failed)
            m_callbacks.failed(message);
    }
    void notifyCancelled() {
        if (m_callbacks.cancelled)
            m_callbacks.cancelled();
    }

    QObject* m_owner;
    Compute m_compute;
    Callbacks m_callbacks;
    QThreadPool m_pool;
    quint64 m_runId = 0;  // owner thread only
    bool m_running = false;
    std::shared_ptr<attrscope::CancelToken> m_cancel;
};

}  // namespace attrscope::ui
