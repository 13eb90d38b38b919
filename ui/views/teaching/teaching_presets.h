#pragma once
// The teaching view's presets: an input pair, a short explanation, and what to show once the
// run has finished. The searches that pick the layer/head to show are plain functions of the
// result, so tests can check them.

#include <QString>
#include <QStringList>
#include <QVector>

#include "attrscope/attribution/attribution.h"

namespace attrscope::ui {

struct TeachingPreset {
    enum class Kind { SepAttention, Negation, Tree };
    Kind kind;
    QString name;
    QString textA;
    QString textB;
    QString explanation;
};

// The presets for a model with these class labels: NLI pairs for an NLI model, single
// sentences about films for a sentiment model, neutral single sentences otherwise (the same
// three lessons, with texts and explanations that fit the task). Same rule as the example
// picker (taskForLabels).
QVector<TeachingPreset> teachingPresets(const QStringList& labels);

struct HeadPick {
    int layer = -1;
    int head = -1;
    double score = 0.0;
};

// The head where [SEP] gets much attention but little attribution: maximises the mean share of
// a query's attention that goes to [SEP] columns minus the share of the head's |attribution|
// that lands in [SEP] columns (both shares in [0, 1], so the two are comparable).
HeadPick findSepAttentionHead(const attrscope::AttributionResult& result);

// The head with the largest |attribution| in a row or column of token `position`.
HeadPick findTokenInteractionHead(const attrscope::AttributionResult& result, int position);

// Position of the first token equal to `word` (case-insensitive), -1 when absent.
int findToken(const attrscope::Encoding& encoding, const QString& word);

}  // namespace attrscope::ui
