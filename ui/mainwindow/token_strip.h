#pragma once
// The typed input as the model will read it, before a run: every piece of the family's
// template (specials greyed, pieces of one word joined, word starts spaced) and where
// truncation cut A or B, with the tokenizer's note.

#include <QLabel>
#include <QString>

#include "attrscope/text/encoding.h"

namespace attrscope::ui {

// Rich text for a QLabel: one box per piece, "✂ −k" after the last kept piece of a truncated
// text. Pieces are HTML-escaped.
QString tokenStripHtml(const attrscope::Encoding& e);

class TokenStrip : public QLabel {
    Q_OBJECT
public:
    explicit TokenStrip(QWidget* parent = nullptr);
    void setEncoding(const attrscope::Encoding& e);
    void setMessage(const QString& message);  // e.g. why the text cannot be tokenised
};

}  // namespace attrscope::ui
