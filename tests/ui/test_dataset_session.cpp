// The Dataset tab's document in a session (issue 11): importance, pruning and trigger studies run
// through the tab on the golden fixture are saved with the session and reopen in a fresh window
// with the same numbers (core's files of both sides are identical) and the same views, without
// running anything; the restore holds once the session's model has loaded too. A version-1
// session file (no dataset section) still opens and leaves the document empty.

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "attrscope/json/analysis_json.h"
#include "attrscope/json/session.h"
#include "document/dataset_document.h"
#include "document/model_holder.h"
#include "golden.h"
#include "mainwindow/main_window.h"
#include "views/dataset/dataset_tab.h"
#include "views/dataset/importance_heatmap.h"
#include "views/dataset/per_layer_plot.h"
#include "views/dataset/pruning_plot.h"
#include "views/dataset/trigger_table.h"

using namespace attrscope;
using namespace attrscope::ui;

namespace {

DatasetRequest request(DatasetAnalysis analysis) {
    DatasetRequest r;
    r.analysis = analysis;
    r.path = QString::fromStdString(golden::datasetPath("sick/SICK.txt"));
    r.data.format = "sick";
    r.examples = 6;
    r.steps = 8;
    r.rule = Rule::Left;
    r.rankings = {QStringLiteral("attribution"), QStringLiteral("attention"),
                  QStringLiteral("random")};
    r.seeds = 2;
    r.firstSeed = 3;
    r.perLayer = true;
    r.evalExamples = 30;
    r.threshold = 0.0;
    r.maxPatterns = 4;
    return r;
}

DatasetResultPtr runAndWait(DatasetTab* tab, const DatasetRequest& r) {
    QSignalSpy done(tab, &DatasetTab::resultReady);
    tab->run(r);
    if (!done.wait(120000))
        return nullptr;
    return done.first().first().value<DatasetResultPtr>();
}

// The same numbers: core writes the same files for both, and the tab's own fields agree.
void checkSameStudy(const DatasetResultPtr& a, const DatasetResultPtr& b) {
    QVERIFY(a && b);
    QCOMPARE(b->analysis, a->analysis);
    QCOMPARE(b->modelName, a->modelName);
    QCOMPARE(b->numLayers, a->numLayers);
    QCOMPARE(b->numHeads, a->numHeads);
    QCOMPARE(b->classNames, a->classNames);
    QCOMPARE(b->complete, a->complete);
    QCOMPARE(b->settings, a->settings);
    QCOMPARE(b->seconds, a->seconds);
    QVERIFY(sameRequest(a->request, b->request));
    QCOMPARE(b->request.data.limit, a->request.data.limit);
    const std::vector<std::string> classes(a->classNames.size());
    switch (a->analysis) {
        case DatasetAnalysis::Pruning:
            QCOMPARE(pruneReportToJson(b->prune), pruneReportToJson(a->prune));
            QCOMPARE(b->prune.global.size(), a->prune.global.size());
            for (size_t i = 0; i < a->prune.global.size(); ++i) {
                QCOMPARE(b->prune.global[i].ranking, a->prune.global[i].ranking);
                QCOMPARE(b->prune.global[i].accuracy, a->prune.global[i].accuracy);
            }
            QVERIFY(b->prune.random);
            QCOMPARE(b->prune.random->mean, a->prune.random->mean);
            QCOMPARE(b->prune.perLayer.size(), a->prune.perLayer.size());
            [[fallthrough]];
        case DatasetAnalysis::Importance:
            QCOMPARE(headImportanceToJson(b->importance), headImportanceToJson(a->importance));
            QVERIFY(b->importance.attribution);
            QCOMPARE(b->importance.attribution->attributionSum,
                     a->importance.attribution->attributionSum);
            QCOMPARE(b->importance.attribution->attentionSum,
                     a->importance.attribution->attentionSum);
            break;
        case DatasetAnalysis::Triggers:
            QCOMPARE(triggerMiningToJson(b->mining, b->importance.source, classes),
                     triggerMiningToJson(a->mining, a->importance.source, classes));
            QCOMPARE(triggerEvaluationToJson(b->evaluation, b->mining.records, b->evalSource),
                     triggerEvaluationToJson(a->evaluation, a->mining.records, a->evalSource));
            QCOMPARE(b->evaluation.results.size(), a->evaluation.results.size());
            for (size_t i = 0; i < a->evaluation.results.size(); ++i)
                QCOMPARE(b->evaluation.results[i].meanDrop, a->evaluation.results[i].meanDrop);
            break;
    }
}

int distinctTriggers(const TriggerEvaluation& ev) {
    int n = 0;
    for (const auto& t : ev.results)
        n += t.sameAs < 0 ? 1 : 0;
    return n;
}

}  // namespace

class TestDatasetSession : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    DatasetResultPtr m_importance, m_pruning, m_triggers;
    QTemporaryDir m_dir;

    // The restored tab shows the saved studies.
    void checkRestored(MainWindow& w) {
        DatasetDocument* doc = w.datasetDocument();
        QVERIFY(!doc->isEmpty());
        checkSameStudy(m_pruning, doc->pruning());
        checkSameStudy(m_triggers, doc->triggers());
        // The importance view shows the pruning run's importances (the later of the two).
        checkSameStudy(m_pruning, doc->importance());
        checkSameStudy(m_triggers, doc->latest());
        QCOMPARE(doc->importance(), doc->pruning());  // one study, stored once
        QCOMPARE(doc->dataset().path, m_triggers->request.path);
        QCOMPARE(doc->dataset().data.format, std::string("sick"));
        QCOMPARE(doc->dataset().evalExamples, 30);

        DatasetTab* tab = w.datasetTab();
        QCOMPARE(tab->result(), doc->latest());
        const auto& sums = doc->importance()->importance.attribution->attributionSum;
        QVERIFY(tab->heatmap()->hasValues());
        QCOMPARE(tab->heatmap()->layers(), 4);
        QCOMPARE(tab->heatmap()->heads(), 4);
        QCOMPARE(tab->quantityBox()->currentData().toString(), QStringLiteral("attribution-sum"));
        for (int l = 0; l < 4; ++l)
            for (int h = 0; h < 4; ++h)
                QCOMPARE(tab->heatmap()->value(l, h), sums[size_t(l * 4 + h)]);
        for (const QString ranking : {QStringLiteral("attribution"), QStringLiteral("attention")}) {
            const auto saved = m_window->datasetTab()->pruningPlot()->curve(ranking);
            const auto shown = tab->pruningPlot()->curve(ranking);
            QCOMPARE(shown.size(), 11);
            QCOMPARE(shown, saved);
        }
        QCOMPARE(tab->pruningPlot()->curve(QStringLiteral("random")).size(), 11);
        QCOMPARE(tab->pruningPlot()->legendNames(),
                 m_window->datasetTab()->pruningPlot()->legendNames());
        const auto keep =
            tab->perLayerPlot()->curve(QStringLiteral("attribution"), PerLayerMode::KeepTopK);
        QCOMPARE(keep.size(), 4);
        QCOMPARE(keep, m_window->datasetTab()->perLayerPlot()->curve(QStringLiteral("attribution"),
                                                                     PerLayerMode::KeepTopK));
        QTableWidget* table = tab->triggerTable()->table();
        QCOMPARE(table->rowCount(), distinctTriggers(m_triggers->evaluation));
        QVERIFY(table->rowCount() > 0);
        QTableWidget* saved = m_window->datasetTab()->triggerTable()->table();
        for (int row = 0; row < table->rowCount(); ++row)
            for (int col = 0; col < table->columnCount(); ++col)
                QCOMPARE(table->item(row, col)->text(), saved->item(row, col)->text());
        QCOMPARE(tab->resultTabs()->currentIndex(), 2);  // the latest study's page
        QVERIFY(!tab->isRunning());
        QVERIFY(tab->statusLabel()->text().contains(QStringLiteral("Restored")));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_window = std::make_unique<MainWindow>();
        m_window->setModel(golden::model(), QStringLiteral("tiny-uncased-3cls"));
        m_window->show();
        m_window->showView(MainWindow::View::Dataset);
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void studiesRunThroughTheDocument() {
        DatasetTab* tab = m_window->datasetTab();
        DatasetDocument* doc = m_window->datasetDocument();
        QVERIFY(doc->isEmpty());
        QCOMPARE(doc->model(), m_window->models()->model());
        m_importance = runAndWait(tab, request(DatasetAnalysis::Importance));
        QVERIFY(m_importance && m_importance->complete);
        QCOMPARE(doc->importance(), m_importance);
        QCOMPARE(m_importance->request.examples, 6);
        QVERIFY(!m_importance->request.model);  // stored results do not hold the model
        m_pruning = runAndWait(tab, request(DatasetAnalysis::Pruning));
        QVERIFY(m_pruning && m_pruning->complete);
        m_triggers = runAndWait(tab, request(DatasetAnalysis::Triggers));
        QVERIFY(m_triggers && m_triggers->complete);
        QCOMPARE(doc->pruning(), m_pruning);
        QCOMPARE(doc->triggers(), m_triggers);
        QCOMPARE(doc->importance(), m_pruning);
        QCOMPARE(doc->latest(), m_triggers);
    }

    void sessionRestoresTheDatasetTab() {
        const QString path = m_dir.filePath(QStringLiteral("dataset.attrscope"));
        QVERIFY2(m_window->saveSession(path), qPrintable(m_window->lastError()));
        auto stored = readSession(path.toStdString());
        QVERIFY(stored.ok());
        QVERIFY(!stored->datasetJson.empty());

        MainWindow other;
        QSignalSpy ready(&other, &MainWindow::modelReady);
        QSignalSpy started(other.datasetTab()->job(), &DatasetAnalysisJob::started);
        QVERIFY2(other.openSession(path), qPrintable(other.lastError()));
        // Shown at once, before (and without) the model.
        checkRestored(other);
        QCOMPARE(other.currentTab(), m_window->currentTab());
        // The session's model file is unchanged, so it loads; the tab still shows the studies.
        QVERIFY(ready.wait(60000));
        checkRestored(other);
        QVERIFY(other.datasetTab()->runButton()->isEnabled());
        QVERIFY(started.isEmpty());  // nothing was recomputed
        // Saving the reopened session writes the same dataset section.
        const QString again = m_dir.filePath(QStringLiteral("again.attrscope"));
        QVERIFY(other.saveSession(again));
        QCOMPARE(readSession(again.toStdString())->datasetJson, stored->datasetJson);
    }

    void versionOneSessionOpens() {
        const QString path = m_dir.filePath(QStringLiteral("old.attrscope"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": "attrscope-session", "format_version": 1,
                    "model": {"path": "", "weights_file": "", "weights_hash_fnv1a64": ""},
                    "input": {"text_a": "A man is playing.", "text_b": ""},
                    "labels": [], "view": {"tab": 4}, "result": null})");
        f.close();
        auto s = readSession(path.toStdString());
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().c_str());
        QVERIFY(s->datasetJson.empty());
        // Over a window with dataset results: the old file leaves the dataset document empty.
        QVERIFY(!m_window->datasetDocument()->isEmpty());
        QVERIFY2(m_window->openSession(path), qPrintable(m_window->lastError()));
        QVERIFY(m_window->datasetDocument()->isEmpty());
        QVERIFY(!m_window->datasetTab()->result());
        QVERIFY(!m_window->datasetTab()->heatmap()->hasValues());
        QVERIFY(m_window->datasetTab()->triggerTable()->table()->rowCount() == 0);
        QCOMPARE(m_window->currentTab(), 4);
        // A fresh window opens it too.
        MainWindow fresh;
        QVERIFY(fresh.openSession(path));
        QVERIFY(fresh.datasetDocument()->isEmpty());
    }

    void newerSessionIsRefused() {
        const std::string text = R"({"format": "attrscope-session", "format_version": 99,
            "model": {}, "input": {}})";
        auto s = sessionFromJson(text, "new.attrscope");
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error()).contains(QStringLiteral("newer")));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestDatasetSession)
#include "test_dataset_session.moc"
