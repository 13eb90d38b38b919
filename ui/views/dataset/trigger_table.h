#pragma once
// The evaluated adversarial triggers as a sortable table: the inserted word pieces (segment A
// and B), their positions in the mined example, the head they came from, a1 + a2, and per gold
// label the accuracy after insertion and the drop from the clean accuracy (named in the
// header), then the overall accuracy and the mean drop. Sorted by mean drop, strongest first.
// Patterns whose insertion repeats an earlier one's are left out (core evaluates them once).

#include <QSize>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "attrscope/analysis/triggers.h"
#include "document/conventions.h"

class QLabel;
class QPainter;
class QTableWidget;

namespace attrscope::ui {

class TriggerTable : public QWidget {
    Q_OBJECT
public:
    explicit TriggerTable(QWidget* parent = nullptr);

    void setEvaluation(const attrscope::TriggerEvaluation& evaluation,
                       const std::vector<attrscope::TriggerRecord>& records,
                       const QStringList& classNames);
    void clear(const QString& message);

    // Label base of the head column (L1 H1 or L0 H0) and the figure's theme.
    void setConventions(const ViewConventions& conventions);
    QTableWidget* table() const { return m_table; }
    QString summary() const;
    // Draws the first `maxRows` rows (in the current sort order) as a plain table for figures.
    QSize figureSize(int maxRows = 25) const;
    void paintFigure(QPainter* painter, int maxRows = 25) const;

private:
    QLabel* m_summary;
    QTableWidget* m_table;
    ViewConventions m_conv;
};

}  // namespace attrscope::ui
