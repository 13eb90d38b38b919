#pragma once
// The Compare tab: the analysed input under every explanation method on one screen. For the
// selected layer five token×token maps on the same token axes (attention, AttAttr,
// gradient-weighted attention, rollout, flow), each with its own colour scale naming its
// quantity, token integrated gradients as bars, and beside them the deletion curves with the
// random band. Hovering a cell outlines the same (i, j) in every map and names every value.
// The work runs in CompareJob when the tab is shown and the input has changed (after an
// attribution run, whose AttAttr it reuses); layer and convention changes only redraw.

#include <QSizeF>
#include <QString>
#include <QWidget>
#include <vector>

#include "figure/figure_options.h"
#include "views/compare/compare_data.h"
#include "views/compare/compare_job.h"

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace attrscope::ui {

class AnalysisDocument;
class DeletionPlot;
class HeatmapPlot;
class TokenBars;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(AnalysisDocument* document, QWidget* parent = nullptr);

    CompareJob* job() const { return m_job; }
    CompareResultPtr result() const { return m_result; }
    // The result on screen belongs to the document's current input and target.
    bool isUpToDate() const;
    QString message() const;
    // Starts the computation now if the input allows (also when the tab is hidden).
    void compute();

    // The maps in compareMapKeys() order.
    const std::vector<HeatmapPlot*>& plots() const { return m_plots; }
    HeatmapPlot* plot(const QString& key) const;
    TokenBars* igBars() const { return m_ig; }
    DeletionPlot* deletionPlot() const { return m_deletion; }
    QComboBox* layerBox() const { return m_layerBox; }

    // Hovers (row, column) of the display axis in every map; (-1, -1) clears.
    void hoverCell(int row, int column);
    QString hoverText() const { return m_hoverText; }

    // What is on screen, for exports and tests (empty before a result).
    CompareData data() const;
    bool exportFigure(const QString& path, const FigureOptions& options = {});
    bool exportData(const QString& path);
    QString lastError() const { return m_lastError; }
    QSizeF lastFigurePoints() const { return m_lastPoints; }
    void exportDialog(bool figure);

Q_SIGNALS:
    void resultReady();
    void statusMessage(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QString keyOfInput() const;
    void schedule();
    void onResult(CompareResultPtr result);
    void showMessage(const QString& text);
    void rebuildLayers();
    void refresh();
    void applyConventions();

    AnalysisDocument* m_doc;
    CompareJob* m_job;
    CompareResultPtr m_result;
    QString m_resultKey, m_inflightKey;
    bool m_pending = false;
    std::vector<HeatmapPlot*> m_plots;
    TokenBars* m_ig;
    DeletionPlot* m_deletion;
    QComboBox* m_layerBox;
    QLabel* m_status;
    QLabel* m_info;
    QPushButton* m_recompute;
    QToolButton* m_export;
    CompareData m_data;
    int m_hoverRow = -1, m_hoverColumn = -1;
    QString m_hoverText, m_lastError, m_message;
    QSizeF m_lastPoints;
};

}  // namespace attrscope::ui
