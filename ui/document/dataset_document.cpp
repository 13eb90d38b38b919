#include "document/dataset_document.h"

#include "document/model_holder.h"

namespace attrscope::ui {

DatasetDocument::DatasetDocument(QObject* parent) : QObject(parent) {}

void DatasetDocument::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this, [this, models] {
        m_model = models->model();
        m_modelName = models->name();
        clear();
        Q_EMIT modelChanged();
    });
}

void DatasetDocument::addResult(DatasetResultPtr result) {
    if (!result)
        return;
    m_latest = result;
    if (result->importance.attribution)
        m_importance = result;
    if (result->analysis == DatasetAnalysis::Pruning)
        m_pruning = result;
    else if (result->analysis == DatasetAnalysis::Triggers)
        m_triggers = result;
    Q_EMIT resultAdded(result);
}

void DatasetDocument::clear() {
    m_latest.reset();
    m_importance.reset();
    m_pruning.reset();
    m_triggers.reset();
    Q_EMIT cleared();
}

DatasetResultPtr DatasetDocument::resultFor(DatasetAnalysis analysis) const {
    switch (analysis) {
        case DatasetAnalysis::Importance:
            return m_importance;
        case DatasetAnalysis::Pruning:
            return m_pruning;
        case DatasetAnalysis::Triggers:
            return m_triggers;
    }
    return nullptr;
}

}  // namespace attrscope::ui
