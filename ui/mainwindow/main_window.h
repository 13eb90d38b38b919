#pragma once
// The application window. It only assembles: a left dock with model, input, run settings and
// prediction; tabs with the linked heatmaps (+ head bars and completeness), the overview grid and
// the attribution tree; and the wiring between the AttributionJob and the AnalysisDocument.

#include <QFont>
#include <QMainWindow>
#include <QString>
#include <memory>

#include "engine/attribution_job.h"
#include "export/figure_exporter.h"

class QAction;
class QLabel;
class QScrollArea;
class QSplitter;
class QTabWidget;

namespace attrscope::ui {

class AnalysisDocument;
class AttributionJob;
class CompareView;
class CompletenessPanel;
class DatasetDocument;
class DatasetTab;
class ConventionsPanel;
class SessionController;
class HeadBars;
class InputPanel;
class LinkedHeatmaps;
class ModelHolder;
class ModelLoader;
class ModelPanel;
class OverviewGrid;
class PredictionPanel;
class RunPanel;
class TeachingView;
class TreeView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class View { Heatmaps, Overview, Tree, Teaching, Dataset, Compare };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a checkpoint folder in the background; modelReady or modelFailed follows.
    void openModel(const QString& directory);
    // Uses an already loaded (or random) model at once.
    void setModel(ModelPtr model, const QString& name);
    ModelPtr model() const;

    void setInput(const QString& textA, const QString& textB);
    void runAttribution();
    void cancelAttribution();
    void showView(View view);
    // Shows a head (0-based) on the current example: selects it in the attribution views and
    // runs the attribution when nothing has been analysed yet (the dataset heatmap's click).
    void openHead(int layer, int head);
    // True when the shown result belongs to an input that has since been edited.
    bool isResultStale() const;

    // Exports (issue 6). No dialogs: errors go to the status bar, a non-modal message and
    // lastError().
    bool exportFigure(FigureKind kind, const QString& path, int dpi = 200);
    // Paper-figure options of the heatmap exports (the Export figure dialog sets and remembers
    // them; light theme and one column by default, whatever the window's theme).
    void setFigureOptions(const FigureOptions& options) { m_figureOptions = options; }
    const FigureOptions& figureOptions() const { return m_figureOptions; }
    bool exportData(FigureKind kind, const QString& path);
    bool saveSession(const QString& path);
    bool openSession(const QString& path);
    // The official scripts' per-layer JSONL files (attr_/att_score_zero_base_exp{index}.json).
    bool writeOfficialFiles(const QString& directory, int index = 0);
    // Shows an official attribution + attention pair for the given word pieces.
    bool loadOfficialFiles(const QString& attributionPath, const QString& attentionPath,
                           const QStringList& tokens);
    QString lastError() const { return m_lastError; }
    // A stored result (session, official files) shown without recomputing; `note` appears in a
    // banner (e.g. "the model changed"). keepModel: the open model is the result's model.
    void showStoredResult(ResultPtr result, const QStringList& labels, const QString& textA,
                          const QString& textB, const QString& note, bool keepModel);
    QString modelName() const { return m_modelName; }
    void setModelName(const QString& name) { m_modelName = name; }
    int currentTab() const;
    void setCurrentTab(int index);
    QLabel* sessionBanner() const { return m_sessionBanner; }
    ConventionsPanel* conventionsPanel() const { return m_conventions; }
    SessionController* sessions() const { return m_sessions; }

    AnalysisDocument* document() const { return m_doc; }
    DatasetDocument* datasetDocument() const { return m_datasetDoc; }
    ModelHolder* models() const { return m_models; }
    AttributionJob* job() const { return m_job; }
    ModelPanel* modelPanel() const { return m_modelPanel; }
    InputPanel* inputPanel() const { return m_inputPanel; }
    RunPanel* runPanel() const { return m_runPanel; }
    PredictionPanel* predictionPanel() const { return m_predictionPanel; }
    CompletenessPanel* completenessPanel() const { return m_completeness; }
    LinkedHeatmaps* heatmaps() const { return m_heatmaps; }
    HeadBars* headBars() const { return m_headBars; }
    OverviewGrid* overview() const { return m_overview; }
    TreeView* treeView() const { return m_tree; }
    TeachingView* teachingView() const { return m_teaching; }
    DatasetTab* datasetTab() const { return m_dataset; }
    CompareView* compareView() const { return m_compare; }
    QLabel* staleBanner() const { return m_staleBanner; }

    // Presentation mode (View menu, F5): application and heatmap fonts ×1.5 for a projector;
    // remembered in QSettings ("view/presentation") unless `remember` is false (screenshots).
    void setPresentationMode(bool on, bool remember = true);
    bool isPresentationMode() const { return m_presentation; }
    // High-contrast window palette (light or dark), remembered ("view/highContrast").
    void setHighContrast(bool on, bool remember = true);
    bool isHighContrast() const { return m_highContrast; }
    // Heatmap zoom (Ctrl+= / Ctrl+-, Ctrl+0 resets): the smallest cell grows, the maps scroll.
    void setHeatmapZoom(double zoom);
    double heatmapZoom() const { return m_zoom; }

Q_SIGNALS:
    void modelReady();
    void modelFailed(const QString& message);

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildActions();
    void buildFileActions(class QMenu* file);
    void buildConventionActions(class QMenu* view);
    void installContextMenus();
    void reportError(const QString& message);
    void exportFigureDialog(FigureKind kind);
    void exportDataDialog(FigureKind kind);
    void applyTheme();
    void buildPresentationActions(class QMenu* view);
    void applyFontScale();
    void revealPrediction();
    QWidget* buildHeatmapTab();
    void onModelLoaded(ModelPtr model, const QString& directory);
    void onInputEdited();
    void onPredictionReady();
    void onFinished(ResultPtr result);
    void onFailed(const QString& message);
    void onCancelled();
    void updateStale();

    ModelHolder* m_models;
    AnalysisDocument* m_doc;
    DatasetDocument* m_datasetDoc;
    AttributionJob* m_job;
    ModelLoader* m_loader;
    ModelPanel* m_modelPanel;
    InputPanel* m_inputPanel;
    RunPanel* m_runPanel;
    PredictionPanel* m_predictionPanel;
    CompletenessPanel* m_completeness;
    LinkedHeatmaps* m_heatmaps;
    HeadBars* m_headBars;
    OverviewGrid* m_overview;
    TreeView* m_tree;
    TeachingView* m_teaching;
    DatasetTab* m_dataset;
    CompareView* m_compare;
    QTabWidget* m_tabs;
    QLabel* m_staleBanner;
    QLabel* m_sessionBanner;
    ConventionsPanel* m_conventions;
    SessionController* m_sessions;
    QString m_lastError;
    int m_lastDpi = 200;
    FigureOptions m_figureOptions;
    SaliencySource m_saliencySource = SaliencySource(0);  // received
    QLabel* m_modelStatus;
    QScrollArea* m_sideScroll = nullptr;
    QSplitter* m_heatmapSplit = nullptr;
    QList<int> m_heatmapSplitSizes;  // before presentation mode folded the bars away
    bool m_presentation = false;
    bool m_highContrast = false;
    bool m_themeApplied = false;
    double m_zoom = 1.0;
    QFont m_baseFont;  // the application font before presentation mode scaled it
    QAction* m_presentationAction = nullptr;
    QAction* m_highContrastAction = nullptr;
    QString m_modelName;
    // Texts of the run in flight (the analysed input once its prediction arrives).
    // Tells the dataset tab that an attribution run is in flight (its own run waits for it).
    void setAttributionBusy(bool busy);
};

}  // namespace attrscope::ui
