#pragma once
// "Path (teaching)": why Self-Attention Attribution is an integral. For the selected layer it
// plots F(α·A) (the target-class probability with the layer's attention scaled by α) on a dense
// grid with the current rule's integration points marked, and the running integral Σ_{i≤k} w_i
// dF/dα(α_i) next to F(α)−F(0): the last partial sum is the layer's Σ Attr, so a gap at α = 1 is
// the completeness error of a too small m. A slider scrubs α and shows α·A of the selected head
// and every class's probability there. Presets run instructive inputs through the main window.
// All model work runs in PathProbeJob; scrubbing only reads the cached probe. The two path plots
// export as one figure (SVG/PDF/PNG with a caption) and their numbers as CSV/JSON.

#include <QSizeF>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <vector>

#include "attrscope/attribution/attribution.h"
#include "views/teaching/path_probe_job.h"
#include "views/teaching/teaching_export.h"
#include "views/teaching/teaching_presets.h"

class QComboBox;
class QCustomPlot;
class QCPItemStraightLine;
class QLabel;
class QPushButton;
class QScrollArea;
class QSlider;
class QSplitter;
class QTableWidget;
class QToolButton;

namespace attrscope::ui {

class AnalysisDocument;
class HeatmapPlot;

class TeachingView : public QWidget {
    Q_OBJECT
public:
    explicit TeachingView(AnalysisDocument* document, QWidget* parent = nullptr);

    // Rule and steps used before a result exists (the run panel's settings).
    void setRunOptionsProvider(std::function<attrscope::AttributionOptions()> provider);

    // The probe on screen, null before the first one; true when it matches the current
    // input, layer, rule and steps.
    PathProbePtr probe() const { return m_probe; }
    bool isUpToDate() const;
    QString message() const;

    // Curve F(α) of the target class, the marked integration points and the running integral.
    std::vector<double> curveAlphas() const;
    std::vector<double> curveValues() const;
    std::vector<double> markedAlphas() const { return m_markedAlphas; }
    std::vector<double> markedValues() const { return m_markedValues; }
    std::vector<double> runningEnds() const { return m_runningEnds; }  // Σ_{i≤k} w_i
    std::vector<double> runningSums() const { return m_runningSums; }

    // The scrubber: α on the dense grid.
    double alpha() const;
    void setAlphaIndex(int index);
    QSlider* alphaSlider() const { return m_slider; }
    HeatmapPlot* heatmap() const { return m_heatmap; }
    std::vector<double> classProbabilities() const { return m_classProbs; }  // at α
    QTableWidget* probabilityTable() const { return m_table; }

    QComboBox* presetBox() const { return m_presets; }
    QPushButton* presetButton() const { return m_presetButton; }
    QLabel* explanationLabel() const { return m_explanation; }
    // Runs preset `index` (0-based into presets()).
    void runPreset(int index);
    // The presets for the loaded model's task (teachingPresets(labels)).
    const QVector<TeachingPreset>& presets() const { return m_presetList; }

    // Exports of the path plots, no dialogs: the figure (.svg/.pdf/.png by suffix, drawn by the
    // paper-figure engine from pathData(): lines, markers and text as vectors, sized by the
    // FigureOptions) and its numbers (.csv/.json). False with lastError() set when there is no
    // path yet or the file cannot be written.
    TeachingPathData pathData() const;
    QStringList caption() const;
    bool exportFigure(const QString& path, int dpi = 200);  // default options at `dpi`
    bool exportFigure(const QString& path, const FigureOptions& options);
    QSizeF lastFigurePoints() const { return m_lastPoints; }
    bool exportData(const QString& path);
    QString lastError() const { return m_lastError; }
    // The file dialogs (the Export button, File → Export menus, the plots' context menu).
    void exportDialog(bool figure);
    QToolButton* exportButton() const { return m_export; }
    QWidget* curvePlotWidget() const;
    QWidget* runningPlotWidget() const;

Q_SIGNALS:
    void probeReady();
    // Wired by the main window to its input panel and run path.
    void presetRunRequested(const QString& textA, const QString& textB);
    void showHeatmapsRequested();
    void showTreeRequested(double tau);
    void presetDone(const QString& note);
    // "Saved …" or an export error, for the status bar.
    void statusMessage(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    PathProbeRequest currentRequest(bool* ok, QString* why) const;
    static QString keyOf(const PathProbeRequest& request);
    void scheduleProbe();
    void startProbe();
    void onProbe(PathProbePtr probe);
    void onSelection(int layer, int head);
    void onResult();
    void rebuildSelectors();
    void showMessage(const QString& text);
    void drawCurves();
    void drawScrub();
    void finishPreset();
    void applyConventions();
    void rebuildPresets();
    void fitTable();  // the table exactly as high as its rows
    void fitSplit();  // the map's pane as wide as the map needs, the curves the rest

    AnalysisDocument* m_doc;
    PathProbeJob* m_job;
    std::function<attrscope::AttributionOptions()> m_options;
    PathProbePtr m_probe;
    bool m_pending = false;  // a probe was wanted while hidden or busy
    QString m_inflightKey;   // request key of the probe being computed
    int m_shownLayer = -1;
    int m_presetPending = -1;
    QVector<TeachingPreset> m_presetList;

    QComboBox* m_presets;
    QPushButton* m_presetButton;
    QLabel* m_explanation;
    QComboBox* m_layerBox;
    QComboBox* m_headBox;
    QLabel* m_info;
    QCustomPlot* m_curve;
    QCustomPlot* m_running;
    QCPItemStraightLine* m_cursor = nullptr;
    QLabel* m_runningNote = nullptr;
    QSlider* m_slider;
    QLabel* m_alphaLabel;
    HeatmapPlot* m_heatmap;
    QScrollArea* m_mapScroll;
    QSplitter* m_split;
    bool m_userSplit = false;  // the user dragged the splitter: keep their sizes
    QTableWidget* m_table;
    QToolButton* m_export;
    QString m_lastError;
    QSizeF m_lastPoints;

    std::vector<double> m_markedAlphas, m_markedValues, m_runningEnds, m_runningSums;
    std::vector<double> m_classProbs;
    double m_sumAttr = 0.0, m_change = 0.0;  // of the shown path
};

}  // namespace attrscope::ui
