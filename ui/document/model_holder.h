#pragma once
// The window's open model (or none) and its display name. The documents, the panels and the
// dataset tab observe it, so opening a model is one call and nothing pushes the model around.
// Observers run in the order they connected (modelChanged is a plain direct signal).

#include <QObject>
#include <QString>
#include <QStringList>

#include "engine/attribution_job.h"

namespace attrscope::ui {

class ModelHolder : public QObject {
    Q_OBJECT
public:
    explicit ModelHolder(QObject* parent = nullptr) : QObject(parent) {}

    void setModel(ModelPtr model, const QString& name);
    ModelPtr model() const { return m_model; }
    QString name() const { return m_name; }
    QStringList labels() const;  // the model's class names; empty without a model
    int numLayers() const;       // 0 without a model

Q_SIGNALS:
    void modelChanged();

private:
    ModelPtr m_model;
    QString m_name;
};

}  // namespace attrscope::ui
