#include "engine/model_loader.h"

#include <QDir>

namespace attrscope::ui {

ModelLoader::ModelLoader(QObject* parent)
    : QObject(parent),
      m_worker(
          this,
          [](const QString& directory, Worker::Run&) {
              return attrscope::Model::load(QDir(directory).absolutePath().toStdString());
          },
          {nullptr,
           [this](Worker::ResultPtr model) { Q_EMIT loaded(*model, m_directory); },
           [this](const QString& message) { Q_EMIT failed(m_directory, message); },
           nullptr}) {
    qRegisterMetaType<std::shared_ptr<attrscope::Model>>();
}

ModelLoader::~ModelLoader() = default;

void ModelLoader::load(const QString& directory) {
    m_directory = directory;
    m_worker.start(directory);
}

}  // namespace attrscope::ui
