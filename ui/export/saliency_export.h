#pragma once
// The token-saliency text of the document's current layer/head: each displayed token's
// attribution received, Σ over the query rows (for the last layer that is the [CLS] row, what
// reaches the output), under the conventions (merged words, hidden specials). [CLS]/[SEP] are
// not part of the text; text B starts a new line.

#include <QStringList>

#include "figure/saliency_text.h"

namespace attrscope::ui {

class AnalysisDocument;

// Empty tokens when the layer has no attribution.
SaliencyText saliencyFromDocument(const AnalysisDocument& doc, const QStringList& caption);

}  // namespace attrscope::ui
