#pragma once
// The "Dataset" tab (issue 7): a dataset file and an analysis (head importance, pruning,
// adversarial triggers) run in the background on the window's model, with progress, Cancel,
// Continue (a cancelled run resumes from its partial result) and errors shown in a banner; the
// results as a layers × heads importance heatmap (a click opens that head on the current example),
// pruning curves with the per-layer top-k plot, and a sortable trigger table. Every result view
// exports as SVG/PDF/PNG and its numbers as JSON/CSV. The results live in a DatasetDocument: the
// tab's job delivers into it and the views show what it holds (also after a session restore).

#include <QString>
#include <QStringList>
#include <QWidget>
#include <optional>

#include "document/conventions.h"
#include "engine/dataset_analysis_job.h"
#include "views/dataset/dataset_export.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QToolButton;

namespace attrscope::ui {

class DatasetDocument;
class DatasetForm;
class ImportanceHeatmap;
class PerLayerPlot;
class PruningPlot;
class TriggerTable;

class DatasetTab : public QWidget {
    Q_OBJECT
public:
    // Runs on the document's model; a new one cancels a run (the document drops the results).
    explicit DatasetTab(DatasetDocument* document, QWidget* parent = nullptr);
    DatasetDocument* document() const { return m_doc; }
    // While the attribution job runs (it may be moving the model to another device), a dataset
    // run waits for it and starts when it is done.
    void setAttributionBusy(bool busy);
    bool isWaiting() const { return m_pending.has_value(); }

    // Run the form's analysis (cancels one in flight); errors appear in the banner.
    void run();
    void run(const DatasetRequest& request);  // also fills the form
    void cancel();
    // Resumes the last run from its partial result; possible only when it was cancelled, core
    // can resume its analysis, and neither the model nor the form has changed since.
    void continueRun();
    bool canContinue() const;
    bool isRunning() const;
    // The latest result, and the latest one each view shows (importance: from an importance or a
    // pruning run).
    DatasetResultPtr result() const;
    DatasetResultPtr resultFor(DatasetView view) const;

    // Figure (.svg/.pdf/.png) or data (.json/.csv) of a result view, by suffix; no dialogs.
    bool exportView(DatasetView view, const QString& path, int dpi = 200);
    QString lastError() const { return m_lastError; }
    QStringList caption(DatasetView view) const;
    // Display conventions (label base, palettes, theme) for every result view and its exports;
    // the main window passes the document's on each conventionsChanged.
    void setConventions(const ViewConventions& conventions);
    const ViewConventions& conventions() const { return m_conv; }
    // The head shown in the attribution views, outlined in the heatmap.
    void setSelectedHead(int layer, int head);

    DatasetAnalysisJob* job() const { return m_job; }
    DatasetForm* form() const { return m_form; }
    ImportanceHeatmap* heatmap() const { return m_heatmap; }
    QComboBox* quantityBox() const { return m_quantity; }
    PruningPlot* pruningPlot() const { return m_pruning; }
    PerLayerPlot* perLayerPlot() const { return m_perLayer; }
    TriggerTable* triggerTable() const { return m_triggers; }
    QLabel* errorBanner() const { return m_error; }
    QLabel* statusLabel() const { return m_status; }
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* continueButton() const { return m_continue; }
    QTabWidget* resultTabs() const { return m_results; }

Q_SIGNALS:
    // A heatmap cell was clicked: show that head (0-based) on the current example.
    void headActivated(int layer, int head);
    void resultReady(attrscope::ui::DatasetResultPtr result);

private:
    void start(const DatasetRequest& request, DatasetResultPtr resume = nullptr);
    DatasetRequest currentRequest() const;  // the form's, with the window's model
    void updateContinue();
    void setRunning(bool running);
    void showError(const QString& message);
    void onProgress(const QString& stage, int done, int total, double fraction, double eta);
    void onFinished(DatasetResultPtr result);
    void onModelChanged();
    void clearViews();
    void showResult(const DatasetResultPtr& result);  // one new result, on its page
    void showAll();                                   // every view from the document
    void fillQuantities();
    void showImportance();
    void showPruning(const DatasetResult& result);
    void showTriggers(const DatasetResult& result);
    QToolButton* exportButton(DatasetView view, QWidget* parent);
    void exportDialog(DatasetView view, bool figure);

    DatasetDocument* m_doc;
    DatasetAnalysisJob* m_job;
    bool m_attributionBusy = false;
    std::optional<DatasetRequest> m_pending;
    DatasetResultPtr m_pendingResume;
    DatasetRequest m_runRequest;  // of the latest start()
    // The latest cancelled, resumable result and the request that produced it.
    DatasetResultPtr m_partial;
    DatasetRequest m_partialRequest;
    QString m_lastError;
    ViewConventions m_conv;

    DatasetForm* m_form;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QPushButton* m_continue;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_error;
    QTabWidget* m_results;
    QComboBox* m_quantity;
    ImportanceHeatmap* m_heatmap;
    PruningPlot* m_pruning;
    PerLayerPlot* m_perLayer;
    TriggerTable* m_triggers;
};

}  // namespace attrscope::ui
