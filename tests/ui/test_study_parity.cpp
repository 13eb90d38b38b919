// One engine path for GUI and CLI: the same head-importance, pruning and trigger studies run
// through `attrscope-cli heads|prune|triggers` and through the Dataset tab give identical JSON
// (timings aside), because both are thin callers of core's runImportanceStudy /
// runPruneStudy / runTriggerStudy and write through the same serialisers.

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

#include "attrscope/json/analysis_json.h"
#include "engine/dataset_analysis_job.h"
#include "golden.h"
#include "mainwindow/main_window.h"
#include "views/dataset/dataset_export.h"
#include "views/dataset/dataset_tab.h"

using namespace attrscope;
using namespace attrscope::ui;

namespace {

QString sickPath() { return QString::fromStdString(golden::datasetPath("sick/SICK.txt")); }
QString modelDir() { return QString::fromStdString(golden::modelDir()); }

// Wall-clock values differ between any two runs; everything else must be equal: the same keys,
// strings and counts, and numbers equal up to float noise (the GUI computes on a worker thread,
// whose OpenMP team may reduce in another order).
bool sameJson(const nlohmann::json& a, const nlohmann::json& b, std::string& where) {
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>(), y = b.get<double>();
        if (std::fabs(x - y) <= 1e-5 * std::max(1.0, std::fabs(x)))
            return true;
        where += " = " + a.dump() + " vs " + b.dump();
        return false;
    }
    if (a.type() != b.type())
        return false;
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!b.contains(it.key()))
                return false;
            std::string w = where + "." + it.key();
            if (!sameJson(it.value(), b.at(it.key()), w)) {
                where = w;
                return false;
            }
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i) {
            std::string w = where + "[" + std::to_string(i) + "]";
            if (!sameJson(a[i], b[i], w)) {
                where = w;
                return false;
            }
        }
        return true;
    }
    return a == b;
}

nlohmann::json withoutTimings(nlohmann::json j) {
    if (j.is_object()) {
        j.erase("timings");  // every *_seconds of the study
        j.erase("seconds");
        for (auto& [key, value] : j.items())
            value = withoutTimings(value);
    } else if (j.is_array()) {
        for (auto& value : j)
            value = withoutTimings(value);
    }
    return j;
}

nlohmann::json cli(const QStringList& args) {
    QProcess p;
    // The same thread count as this process (the files record it).
    p.start(ATTRSCOPE_CLI_PATH,
            QStringList{"--quiet", "--threads", QString::number(attrscope::threadCount())} + args);
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        qWarning("attrscope-cli %s: exit %d: %s", qPrintable(args.join(' ')), p.exitCode(),
                 p.readAllStandardError().constData());
        return nullptr;
    }
    return nlohmann::json::parse(p.readAllStandardOutput().toStdString());
}

}  // namespace

class TestStudyParity : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    DatasetTab* tab() const { return m_window->datasetTab(); }

    nlohmann::json gui(const DatasetRequest& r, DatasetView view) {
        QSignalSpy done(tab(), &DatasetTab::resultReady);
        tab()->run(r);
        if (!done.wait(300000))
            return nullptr;
        auto result = done.first().first().value<DatasetResultPtr>();
        if (!result || !result->complete)
            return nullptr;
        return nlohmann::json::parse(datasetJson(*result, view));
    }

    DatasetRequest request(DatasetAnalysis analysis) const {
        DatasetRequest r;
        r.analysis = analysis;
        r.path = sickPath();
        r.data.format = "sick";
        r.steps = 4;
        r.rule = Rule::Left;
        return r;
    }

    static void compare(const nlohmann::json& a, const nlohmann::json& b) {
        QVERIFY(!a.is_null());
        QVERIFY(!b.is_null());
        const auto x = withoutTimings(a), y = withoutTimings(b);
        std::string where;
        QVERIFY2(sameJson(x, y, where), ("first difference at" + where).c_str());
    }

private Q_SLOTS:
    void initTestCase() {
        m_window = std::make_unique<MainWindow>();
        m_window->setModel(golden::model(), QStringLiteral("tiny-uncased-3cls"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void importance() {
        DatasetRequest r = request(DatasetAnalysis::Importance);
        r.examples = 6;
        r.taylorLogitSum = true;
        r.taylorLoss = true;
        r.accuracyDifference = true;
        const auto fromGui = gui(r, DatasetView::Importance);
        const auto fromCli = cli({"heads", "--model", modelDir(), "--data", sickPath(), "--format",
                                  "sick", "--examples", "6", "--steps", "4", "--rule", "left",
                                  "--baselines", "attention,taylor,taylor-loss,accuracy"});
        compare(fromGui, fromCli);
    }

    void pruning() {
        DatasetRequest r = request(DatasetAnalysis::Pruning);
        r.examples = 6;       // importance
        r.evalExamples = 12;  // accuracy
        r.rankings = {QStringLiteral("attribution"), QStringLiteral("attention"),
                      QStringLiteral("taylor"), QStringLiteral("random")};
        r.seeds = 2;
        r.perLayer = true;
        const auto fromGui = gui(r, DatasetView::Pruning);
        const auto fromCli =
            cli({"prune", "--model", modelDir(), "--data", sickPath(), "--format", "sick",
                 "--limit", "12", "--importance-examples", "6", "--steps", "4", "--rule", "left",
                 "--ranking", "attribution,attention,taylor,random", "--seeds", "2", "--mode",
                 "both", "--per-layer-ranking", "attribution,attention"});
        compare(fromGui, fromCli);
    }

    void triggers() {
        DatasetRequest r = request(DatasetAnalysis::Triggers);
        r.data.split = "trial";
        r.examples = 8;
        r.evalSplit = QStringLiteral("test");
        r.evalExamples = 10;
        r.maxPatterns = 3;
        QSignalSpy done(tab(), &DatasetTab::resultReady);
        tab()->run(r);
        QVERIFY(done.wait(300000));
        auto result = done.first().first().value<DatasetResultPtr>();
        QVERIFY(result && result->complete);
        std::vector<std::string> names;
        for (const QString& c : result->classNames)
            names.push_back(c.toStdString());
        const auto guiMining = nlohmann::json::parse(
            triggerMiningToJson(result->mining, result->importance.source, names));
        const auto guiEval = nlohmann::json::parse(datasetJson(*result, DatasetView::Triggers));

        QTemporaryDir dir;
        const QString patterns = dir.filePath("mine.json");
        QProcess mine;
        mine.start(ATTRSCOPE_CLI_PATH,
                   {"--quiet", "--threads", QString::number(attrscope::threadCount()), "triggers",
                    "mine", "--model", modelDir(), "--data", sickPath(),
                    "--format", "sick", "--split", "trial", "--examples", "8", "--steps", "4",
                    "--rule", "left", "--out", patterns});
        QVERIFY(mine.waitForFinished(300000));
        QCOMPARE(mine.exitCode(), 0);
        QFile f(patterns);
        QVERIFY(f.open(QIODevice::ReadOnly));
        compare(guiMining, nlohmann::json::parse(f.readAll().toStdString()));
        const auto cliEval =
            cli({"triggers", "evaluate", "--model", modelDir(), "--data", sickPath(), "--format",
                 "sick", "--split", "test", "--limit", "10", "--patterns", patterns,
                 "--max-patterns", "3", "--top", "1000"});
        compare(guiEval, cliEval);
    }
};

QTEST_MAIN(TestStudyParity)
#include "test_study_parity.moc"
