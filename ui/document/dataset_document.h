#pragma once
// The Dataset tab's state: the model its studies run on, the latest importance, pruning and
// trigger study results, and with each the options it ran with (DatasetResult::request: the
// dataset's path, format, split, example limits, steps, ...). The dataset job delivers into it
// (addResult), the tab's views observe it, and a session saves and restores it (toJson/fromJson,
// each study as the CLI's file for it). A new model empties it: its studies were of the old one.

#include <QJsonObject>
#include <QObject>
#include <QString>

#include "engine/dataset_analysis_job.h"

namespace attrscope::ui {

class ModelHolder;

class DatasetDocument : public QObject {
    Q_OBJECT
public:
    explicit DatasetDocument(QObject* parent = nullptr);

    // Follows the window's model: each change empties the document, then emits modelChanged.
    void observe(const ModelHolder* models);
    ModelPtr model() const { return m_model; }
    QString modelName() const { return m_modelName; }

    // A finished or cancelled study (the job's `finished`): the latest, and the one its views
    // show (a pruning run's importances also replace the importance view's).
    void addResult(DatasetResultPtr result);
    void clear();
    bool isEmpty() const { return !m_latest; }
    DatasetResultPtr latest() const { return m_latest; }
    DatasetResultPtr importance() const { return m_importance; }
    DatasetResultPtr pruning() const { return m_pruning; }
    DatasetResultPtr triggers() const { return m_triggers; }
    DatasetResultPtr resultFor(DatasetAnalysis analysis) const;
    // The loaded dataset: what the latest study read and the options it ran with (path, format,
    // split, example limits, ...); an empty path before any study.
    DatasetRequest dataset() const { return m_latest ? m_latest->request : DatasetRequest(); }

    // The session's "dataset" section (dataset_document_json.cpp). fromJson replaces the
    // content and emits restored(); on a malformed section it leaves the document empty and
    // returns the reason.
    QJsonObject toJson() const;
    QString fromJson(const QJsonObject& json);

Q_SIGNALS:
    void modelChanged();
    void resultAdded(attrscope::ui::DatasetResultPtr result);
    void cleared();
    void restored();

private:
    ModelPtr m_model;
    QString m_modelName;
    DatasetResultPtr m_latest, m_importance, m_pruning, m_triggers;
};

}  // namespace attrscope::ui
