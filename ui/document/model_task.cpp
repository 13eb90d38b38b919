#include "document/model_task.h"

namespace attrscope::ui {

ModelTask taskForLabels(const QStringList& labels) {
    QStringList lower;
    for (const QString& l : labels)
        lower << l.trimmed().toLower();
    for (const char* nli : {"entailment", "not_entailment", "contradiction"})
        if (lower.contains(QLatin1String(nli)))
            return ModelTask::Nli;
    const bool positive =
        lower.contains(QStringLiteral("positive")) || lower.contains(QStringLiteral("pos"));
    const bool negative =
        lower.contains(QStringLiteral("negative")) || lower.contains(QStringLiteral("neg"));
    if (positive && negative)
        return ModelTask::Sentiment;  // also negative/neutral/positive
    return lower.contains(QStringLiteral("neutral")) ? ModelTask::Nli : ModelTask::Other;
}

bool isSingleSentenceModel(const QStringList& labels) {
    return taskForLabels(labels) == ModelTask::Sentiment;
}

}  // namespace attrscope::ui
