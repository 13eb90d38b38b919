#include "mainwindow/token_strip.h"

#include "attrscope/text/token_roles.h"

namespace attrscope::ui {

namespace {

QString cut(int removed) {
    return QStringLiteral("<span style='color:#c0392b'><b>&#x2702;&nbsp;&minus;%1</b></span>")
        .arg(removed);
}

}  // namespace

QString tokenStripHtml(const attrscope::Encoding& e) {
    const attrscope::TokenRoles roles = attrscope::tokenRoles(e);
    // Positions after which a truncated text ends: the last kept piece of A and of B.
    int endA = -1, endB = -1;
    const bool hasSequences = e.sequenceIds.size() == size_t(e.size());
    for (int i = 0; i < e.size(); ++i) {
        const int seq = hasSequences               ? e.sequenceIds[size_t(i)]
                        : roles.special[size_t(i)] ? -1
                        : i <= e.firstSepIndex()   ? 0
                                                   : 1;
        if (seq == 0)
            endA = i;
        else if (seq == 1)
            endB = i;
    }
    QString html;
    for (int i = 0; i < e.size(); ++i) {
        const std::string& token = e.tokens[size_t(i)];
        const bool special = roles.special[size_t(i)];
        const bool continuation = roles.continuation[size_t(i)];
        // Words are spaced; the pieces of one word are joined by a light dot ("gu·it·ar").
        if (continuation)
            html += QStringLiteral("<span style='color:#8a9bb0'>&middot;</span>");
        else if (i > 0)
            html += QStringLiteral("&nbsp; ");
        const QString text = QString::fromStdString(continuation ? attrscope::pieceText(token)
                                                                 : attrscope::displayToken(token))
                                 .toHtmlEscaped();
        html += special ? QStringLiteral(
                              "<span style='background-color:#e6e6e6; color:#777777'>"
                              "%1</span>")
                              .arg(text)
                        : QStringLiteral(
                              "<span style='background-color:#e3eefb; color:#1a1a1a'>"
                              "%1</span>")
                              .arg(text);
        if (i == endA && e.lengthA < e.originalLengthA)
            html += QStringLiteral(" ") + cut(e.originalLengthA - e.lengthA);
        if (i == endB && e.lengthB < e.originalLengthB)
            html += QStringLiteral(" ") + cut(e.originalLengthB - e.lengthB);
    }
    return html;
}

TokenStrip::TokenStrip(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setToolTip(
        tr("The input as the model reads it: template specials in grey, the pieces of one "
           "word joined, \u2702 where truncation cut a text"));
}

void TokenStrip::setEncoding(const attrscope::Encoding& e) {
    QString html = tr("<b>%1 pieces</b>&nbsp; ").arg(e.size()) + tokenStripHtml(e);
    if (e.truncated)
        html += QStringLiteral("<br><span style='color:#c0392b'>%1</span>")
                    .arg(QString::fromStdString(e.truncationNote).toHtmlEscaped());
    setText(html);
}

void TokenStrip::setMessage(const QString& message) {
    setText(message.toHtmlEscaped());
}

}  // namespace attrscope::ui
