#pragma once
// A few instructive inputs per kind of model, for the example picker.

#include <QString>
#include <QStringList>
#include <QVector>

#include "document/model_task.h"

namespace attrscope::ui {

struct Example {
    QString name;
    QString textA;
    QString textB;  // empty for single-sentence models
    QString why;    // one line: what to look for
};

// Picks the set by the model's task: NLI pairs, sentiment sentences, otherwise a generic mix.
QVector<Example> examplesFor(const QStringList& labels);

}  // namespace attrscope::ui
