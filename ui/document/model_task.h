#pragma once
// What a model was trained for, guessed from its class labels: it picks the example inputs and
// the teaching presets, and warns when a pair is typed into a single-sentence model.

#include <QStringList>

namespace attrscope::ui {

// The task a model was trained for, read from its class labels (case-insensitive):
// NLI when a label is entailment, not_entailment or contradiction; sentiment when the labels
// include positive and negative (or pos and neg), even with a neutral class; NLI again for a
// remaining "neutral"; anything else is Other (no guess).
enum class ModelTask { Nli, Sentiment, Other };
ModelTask taskForLabels(const QStringList& labels);

// A model is single-sentence when its labels are sentiment-like: such a model was trained on
// one sentence, so text B (a second segment) is outside what it has seen. The one rule, kept
// simple on purpose; models with other labels get no warning.
bool isSingleSentenceModel(const QStringList& labels);

}  // namespace attrscope::ui
