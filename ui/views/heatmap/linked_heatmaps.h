#pragma once
// Attention and attribution for the same layer and head, side by side, with linked hover: the
// cell under the pointer in either map is outlined in both, and a line below names the token
// pair, both values and the cell's rank by |attribution|. Layer/head come from the document's
// selection (combo boxes, PageUp/PageDown for layers, [ and ] for heads).

#include <QWidget>
#include <vector>

#include "document/conventions.h"

class QComboBox;
class QLabel;
class QKeyEvent;
class QToolButton;

namespace attrscope::ui {

class AnalysisDocument;
class HeatmapPlot;

class LinkedHeatmaps : public QWidget {
    Q_OBJECT
public:
    explicit LinkedHeatmaps(AnalysisDocument* document, QWidget* parent = nullptr);

    HeatmapPlot* attentionPlot() const { return m_attention; }
    HeatmapPlot* attributionPlot() const { return m_attribution; }
    QComboBox* layerBox() const { return m_layerBox; }
    QComboBox* headBox() const { return m_headBox; }

    // Hovers (row, column) as if the pointer were over it in either map; (-1, -1) clears.
    void hoverCell(int row, int column);
    QString hoverText() const;
    // 1-based rank of the hovered cell by |attribution| in the shown map; 0 when unknown.
    int hoverRank() const { return m_hoverRank; }
    // Rank of any cell in the shown attribution map (1 = largest |value|); 0 when missing.
    int attributionRank(int row, int column) const;

Q_SIGNALS:
    void cellHovered(int row, int column);
    // The Export button: 0 attention, 1 attribution, 2 the pair (the window exports the paper
    // figure; without a listener the map's own image export runs).
    void figureRequested(int which);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void applyConventions();
    void rebuildSelectors();
    void syncSelectors();
    void refresh();
    void refreshAttribution();
    void applyHighlight();
    void exportImage(HeatmapPlot* plot);

    AnalysisDocument* m_doc;
    HeatmapPlot* m_attention;
    HeatmapPlot* m_attribution;
    QComboBox* m_layerBox;
    QComboBox* m_headBox;
    QToolButton* m_exportButton;
    QLabel* m_info;
    TokenAxis m_axis;
    std::vector<float> m_attentionValues;
    std::vector<float> m_attributionValues;
    int m_hoverRow = -1;
    int m_hoverColumn = -1;
    int m_hoverRank = 0;
    QString m_hoverText;
};

}  // namespace attrscope::ui
