#pragma once
// Completeness per layer: integrated gradients promise Σ attribution = F(A) − F(0). The table
// shows both, the error, and the rule and points m each layer used (the adaptive rule picks m
// per layer), so a user sees whether the integral is accurate enough.

#include <QWidget>

#include "attrscope/attribution/attribution.h"
#include "document/conventions.h"

class QLabel;
class QTableWidget;

namespace attrscope::ui {

class AnalysisDocument;

class CompletenessPanel : public QWidget {
    Q_OBJECT
public:
    explicit CompletenessPanel(QWidget* parent = nullptr);
    // Shows the document's analysis: a row per layer of its model, filled as layers arrive, the
    // run's rule in the caption, and its label base.
    void follow(const AnalysisDocument* doc);

    // The run's options name the rule (and, for the adaptive rule, tolerance and cap).
    void reset(int numLayers, const QString& targetLabel,
               const attrscope::AttributionOptions& options);
    void setLayer(const attrscope::LayerAttribution& layer);
    // The row headers follow the label base (L1 or L0 for the first layer).
    void setConventions(const ViewConventions& conventions);
    QTableWidget* table() const { return m_table; }
    // Relative error above which a row is flagged.
    static constexpr double kWarnRelative = 0.05;
    static constexpr int kColumns = 5;

private:
    void labelRows();

    ViewConventions m_conv;
    attrscope::AttributionOptions m_options;
    QTableWidget* m_table;
    QLabel* m_caption;
};

}  // namespace attrscope::ui
