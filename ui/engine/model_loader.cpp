#include "engine/model_loader.h"

#include <QDir>
#include <QMetaObject>
#include <exception>

namespace attrscope::ui {

ModelLoader::ModelLoader(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<attrscope::Model>>();
    m_pool.setMaxThreadCount(1);
}

ModelLoader::~ModelLoader() {
    m_pool.waitForDone();
}

void ModelLoader::load(const QString& directory) {
    const quint64 id = ++m_requestId;
    m_loading = true;
    m_pool.start([this, id, directory] {
        std::shared_ptr<attrscope::Model> model;
        QString error;
        try {
            auto result = attrscope::Model::load(QDir(directory).absolutePath().toStdString());
            if (result)
                model = std::move(result).value();
            else
                error = QString::fromStdString(result.error());
        } catch (const std::exception& e) {
            error = tr("Internal error while loading: %1").arg(QString::fromUtf8(e.what()));
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, model, error, directory] {
                if (id != m_requestId)
                    return;  // superseded by a newer request
                m_loading = false;
                if (model)
                    Q_EMIT loaded(model, directory);
                else
                    Q_EMIT failed(directory, error);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace attrscope::ui
