#pragma once
// The token-saliency text of the document's current layer/head under the conventions (merged
// words, hidden specials). [CLS]/[SEP] are not part of the text; text B starts a new line.
// A token's score, by source:
//   received    attribution to the target that token j receives, Σ over the query rows i (for
//               the last layer: the [CLS] row, what reaches the output)
//   given       attribution token i gives, Σ over the key columns j
//   all-layers  `received` summed over every layer
//   attention   attention token j receives, Σ over the query rows (sequential palette)

#include <QStringList>
#include <optional>

#include "figure/saliency_text.h"

namespace attrscope::ui {

class AnalysisDocument;

enum class SaliencySource { Received, Given, AllLayers, Attention };
QString saliencySourceName(SaliencySource source);  // "received", "given", ...
std::optional<SaliencySource> parseSaliencySource(const QString& name);

// Empty tokens when the needed maps are missing (no attribution for the layer yet).
SaliencyText saliencyFromDocument(const AnalysisDocument& doc, const QStringList& caption,
                                  SaliencySource source = SaliencySource::Received);

}  // namespace attrscope::ui
