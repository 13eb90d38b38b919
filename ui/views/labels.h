#pragma once
// How layers, heads and tokens are named on screen: 1-based (L1, H1) like the paper and most
// GUIs, while files and the engine stay 0-based.

#include <QString>

namespace attrscope::ui {

inline QString layerLabel(int layer) {
    return QStringLiteral("L%1").arg(layer + 1);
}
inline QString headLabel(int head) {
    return head < 0 ? QStringLiteral("\u03a3 heads") : QStringLiteral("H%1").arg(head + 1);
}
// token(position), as in the attribution tree, so repeated words stay distinct.
inline QString tokenWithPosition(const QString& token, int position) {
    return QStringLiteral("%1(%2)").arg(token).arg(position);
}

}  // namespace attrscope::ui
