#pragma once
// The overview tab: every layer × head as a thumbnail of attention or attribution, with the
// colour scale set per map, per layer or shared by the grid (a colour bar says which). Clicking a
// thumbnail selects it and asks for the linked heatmaps (activated).

#include <QWidget>

class QComboBox;
class QLabel;

namespace attrscope::ui {

class AnalysisDocument;
class OverviewCanvas;

class OverviewGrid : public QWidget {
    Q_OBJECT
public:
    explicit OverviewGrid(AnalysisDocument* document, QWidget* parent = nullptr);

    OverviewCanvas* canvas() const { return m_canvas; }
    QComboBox* quantityBox() const { return m_quantity; }
    QComboBox* scaleBox() const { return m_scaling; }

Q_SIGNALS:
    void activated(int layer, int head);

private:
    void updateNote();

    AnalysisDocument* m_doc;
    OverviewCanvas* m_canvas;
    QComboBox* m_quantity;
    QComboBox* m_scaling;
    QLabel* m_note;
};

}  // namespace attrscope::ui
