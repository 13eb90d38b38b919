// attrscope-cli heads / prune / triggers on the golden model: JSON layout, golden numbers,
// one-line errors.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

#include "cli_runner.h"
#include "golden.h"

using Run = CliRun;

namespace {

Run cli(const QStringList& args) { return runCli(args, 1); }

QStringList sick(int limit) {
    return {"--model",  QString::fromStdString(golden::modelDir()),
            "--data",   QString::fromStdString(golden::datasetPath("sick/SICK.txt")),
            "--format", "sick",
            "--limit",  QString::number(limit)};
}

}  // namespace

class TestCliAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void headsMatchesGoldenSums() {
        auto r = cli(QStringList{"heads", "--examples", "5", "--baselines", "attention,taylor"} +
                     sick(20));
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["num_layers"].get<int>(), 4);
        QCOMPARE(j["examples"].get<int>(), 5);
        QVERIFY(j["complete"].get<bool>());
        QCOMPARE(j["settings"]["rule"].get<std::string>(), std::string("left"));
        QCOMPARE(j["settings"]["steps"].get<int>(), 20);
        const auto g = golden::load("head_importance.json");
        const auto imp = j["importance"].get<std::vector<double>>();
        QCOMPARE(imp.size(), size_t(16));
        for (int h = 0; h < 16; ++h) {
            double sum = 0.0;
            for (int k = 0; k < 5; ++k)
                sum += g["per_example"][k]["head_max"][h].get<double>();
            QVERIFY(std::fabs(imp[h] - sum) <= 1e-4);
            QVERIFY(std::fabs(j["importance_mean"][h].get<double>() - sum / 5) <= 1e-5);
        }
        QCOMPARE(j["ascending_order"].size(), size_t(16));
        QVERIFY(j["baselines"].contains("attention"));
        QCOMPARE(j["baselines"]["taylor"]["objective"].get<std::string>(),
                 std::string("logit-sum"));
        QVERIFY(j["baselines"]["taylor"]["meaning"].get<std::string>().find("logits") !=
                std::string::npos);
    }

    void pruneAndTriggersRun() {
        QTemporaryDir dir;
        const QString heads = dir.filePath("heads.json");
        auto h = cli(QStringList{"heads", "--examples", "20", "--out", heads} + sick(20));
        QVERIFY2(h.code == 0, h.err.constData());
        auto p = cli(QStringList{"prune", "--importance", heads, "--ranking",
                                 "attribution,attention,random", "--seeds", "2", "--mode", "both"} +
                     sick(100));
        QVERIFY2(p.code == 0, p.err.constData());
        auto j = nlohmann::json::parse(p.out.toStdString());
        const auto g = golden::load("prune.json");
        QCOMPARE(j["global"]["attribution"]["accuracy"], g["accuracy"]);
        QCOMPARE(j["global"]["attribution"]["ascending_order"], g["ascending_order"]);
        QCOMPARE(j["global"]["random"]["seeds"].size(), size_t(2));
        QCOMPARE(j["per_layer"]["attention"]["keep-top-k"]["k"].size(), size_t(4));

        const QString patterns = dir.filePath("patterns.json");
        auto m = cli(
            QStringList{"triggers", "mine", "--examples", "3", "--steps", "8", "--out", patterns} +
            sick(3));
        QVERIFY2(m.code == 0, m.err.constData());
        auto e =
            cli(QStringList{"triggers", "evaluate", "--patterns", patterns, "--threshold", "0"} +
                sick(20));
        QVERIFY2(e.code == 0, e.err.constData());
        auto ev = nlohmann::json::parse(e.out.toStdString());
        QCOMPARE(ev["evaluated_patterns"].get<int>(), 3);  // the last pattern is kept
        QVERIFY(ev["meaning"].contains("all"));
        QVERIFY(ev["clean_accuracy"].contains("entailment"));
    }

    // Trigger insertion re-encodes with each family's own tokenizer: RoBERTa's byte-level BPE
    // (single sentences) and XLM-R's SentencePiece with its </s></s> pair template.
    void triggersRunOnOtherFamilies() {
        const std::string families = std::string(ATTRSCOPE_TEST_DATA_DIR) + "/families/";
        const struct {
            const char* family;
            const char* data;
            const char* format;
        } runs[] = {{"roberta", "sst2/dev.tsv", "sst2"}, {"xlm-roberta", "rte/dev.tsv", "rte"}};
        for (const auto& run : runs) {
            QTemporaryDir dir;
            const QStringList data = {
                "--model",  QString::fromStdString(families + run.family + "/model"),
                "--data",   QString::fromStdString(golden::datasetPath(run.data)),
                "--format", run.format,
                "--limit",  "8"};
            const QString patterns = dir.filePath("patterns.json");
            auto m = cli(QStringList{"triggers", "mine", "--examples", "3", "--steps", "4", "--out",
                                     patterns} +
                         data);
            QVERIFY2(m.code == 0, m.err.constData());
            auto e = cli(QStringList{"triggers", "evaluate", "--patterns", patterns, "--threshold",
                                     "0", "--all"} +
                         data);
            QVERIFY2(e.code == 0, e.err.constData());
            auto ev = nlohmann::json::parse(e.out.toStdString());
            QCOMPARE(ev["evaluated_patterns"].get<int>(), 3);
            for (const auto& p : ev["patterns"])
                for (const char* key : {"inserted_tokens_a", "inserted_tokens_b"})
                    for (const auto& t : p[key])
                        QVERIFY2(t != "<s>" && t != "</s>", ev.dump().c_str());
        }
    }

    void unknownLabelIsAnError() {
        QTemporaryDir dir;
        const QString data = dir.filePath("pairs.tsv");
        {
            std::ofstream f(data.toStdString());
            f << "sentence1\tsentence2\tlabel\nA man\tA person\tentailment\nA dog\tA cat\tmaybe\n";
        }
        auto r = cli({"heads", "--model", QString::fromStdString(golden::modelDir()), "--data",
                      data, "--format", "glue-pair", "--examples", "2"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("'maybe'"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        auto u = cli({"prune", "--mode", "sideways", "--data", data, "--format", "glue-pair"});
        QCOMPARE(u.code, 2);  // a usage error (it exited 1 before issue 11)
    }
};

QTEST_GUILESS_MAIN(TestCliAnalysis)
#include "test_cli_analysis.moc"
