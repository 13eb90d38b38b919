#pragma once
// Completeness per layer: integrated gradients promise Σ attribution = F(A) − F(0). The table
// shows both and the error, so a user sees whether the number of steps is large enough.

#include <QWidget>

#include "attrscope/attribution/attribution.h"
#include "document/conventions.h"

class QLabel;
class QTableWidget;

namespace attrscope::ui {

class ModelHolder;

class CompletenessPanel : public QWidget {
    Q_OBJECT
public:
    explicit CompletenessPanel(QWidget* parent = nullptr);
    // Follows the window's model (labels, availability) on every ModelHolder::modelChanged.
    void observe(const ModelHolder* models);

    void reset(int numLayers, const QString& targetLabel);
    void setLayer(int layer, const attrscope::LayerCompleteness& c);
    // The row headers follow the label base (L1 or L0 for the first layer).
    void setConventions(const ViewConventions& conventions);
    QTableWidget* table() const { return m_table; }
    // Relative error above which a row is flagged.
    static constexpr double kWarnRelative = 0.05;

private:
    void labelRows();

    ViewConventions m_conv;
    QTableWidget* m_table;
    QLabel* m_caption;
};

}  // namespace attrscope::ui
