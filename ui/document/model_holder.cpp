#include "document/model_holder.h"

namespace attrscope::ui {

void ModelHolder::setModel(ModelPtr model, const QString& name) {
    m_model = std::move(model);
    m_name = name;
    Q_EMIT modelChanged();
}

QStringList ModelHolder::labels() const {
    QStringList out;
    if (m_model)
        for (const auto& label : m_model->config().id2label)
            out << QString::fromStdString(label);
    return out;
}

int ModelHolder::numLayers() const {
    return m_model ? m_model->config().numLayers : 0;
}

}  // namespace attrscope::ui
