#pragma once
// Loads a checkpoint folder on a worker thread (reading and validating weights can take seconds)
// and delivers the shared Model on the GUI thread. A newer request supersedes an older one.

#include <QObject>
#include <QString>
#include <memory>

#include "attrscope/model/model.h"
#include "engine/latest_job.h"

namespace attrscope::ui {

class ModelLoader : public QObject {
    Q_OBJECT
public:
    explicit ModelLoader(QObject* parent = nullptr);
    ~ModelLoader() override;

    void load(const QString& directory);
    bool isLoading() const { return m_worker.isRunning(); }

Q_SIGNALS:
    void loaded(std::shared_ptr<attrscope::Model> model, const QString& directory);
    void failed(const QString& directory, const QString& message);

private:
    using Worker = LatestJob<QString, std::shared_ptr<attrscope::Model>>;
    QString m_directory;  // of the newest request
    Worker m_worker;
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(std::shared_ptr<attrscope::Model>)
