#pragma once
// How tokens are named on screen. Layer and head labels depend on the user's label base, so
// they come from ViewConventions::layerLabel / headLabel (document/conventions.h), never from here.

#include <QString>

namespace attrscope::ui {

// token(position), as in the attribution tree, so repeated words stay distinct. Callers pass
// the position in the conventions' label base (ViewConventions::oneBased), as the tree does.
inline QString tokenWithPosition(const QString& token, int position) {
    return QStringLiteral("%1(%2)").arg(token).arg(position);
}

}  // namespace attrscope::ui
