// attrscope-cli as a user scripts it: JSON on stdout or --out, exit codes 0 / 1 / 2, one-line
// errors, official JSONL files, and trees equal to the official ones.

#include <QProcess>
#include <fstream>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "attrscope/json/result_json.h"
#include "cli_runner.h"
#include "golden.h"

using Run = CliRun;

namespace {

Run cli(const QStringList& args) { return runCli(args, 2); }

QString model() { return QString::fromStdString(golden::modelDir()); }

QStringList inputArgs(const std::string& id) {
    auto g = golden::load(id + ".json");
    QStringList args{"--model", model(), "--text-a",
                     QString::fromStdString(g["input"]["text_a"].get<std::string>())};
    if (!g["input"]["text_b"].is_null())
        args << "--text-b" << QString::fromStdString(g["input"]["text_b"].get<std::string>());
    return args;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void predictMatchesGolden() {
        auto r = cli(QStringList{"predict"} + inputArgs("A02"));
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = nlohmann::json::parse(r.out.toStdString());
        auto g = golden::load("A02.json");
        QCOMPARE(j["tokens"], g["tokens"]);
        QCOMPARE(j["input_ids"], g["input_ids"]);
        QCOMPARE(j["segment_ids"], g["segment_ids"]);
        QCOMPARE(j["predicted_label"], g["predicted_label"]);
        QCOMPARE(j["truncated"].get<bool>(), false);
        QVERIFY(golden::maxAbsDiff(golden::toArray(j["attention"]), golden::toArray(g["attention"])) <= 5e-5);
    }

    void attributeAndTree() {
        QTemporaryDir dir;
        const QString out = dir.filePath("A01.json"), jsonl = dir.filePath("jsonl");
        auto r = cli(QStringList{"attribute", "--rule", "left", "--out", out, "--jsonl-dir", jsonl} +
                     inputArgs("A01"));
        QVERIFY2(r.code == 0, r.err.constData());
        auto res = attrscope::readResultFile(out.toStdString());
        QVERIFY2(res.ok(), res.error().c_str());
        auto g = golden::load("A01.json");
        QVERIFY(golden::maxAbsDiff(res->attributionArray(), golden::toArray(g["attribution"]["left"])) <= 1e-5);
        auto file = nlohmann::json::parse(std::ifstream(out.toStdString()));
        for (const char* key : {"settings", "completeness", "step_probs", "timings", "target"})
            QVERIFY2(file.contains(key), key);
        QCOMPARE(file["settings"]["rule"].get<std::string>(), std::string("left"));
        // The official one-line-per-layer files read back to the same maps.
        auto official = attrscope::readOfficialJsonl(jsonl.toStdString() + "/attr_zero_base_exp0.json");
        QVERIFY2(official.ok(), official.error().c_str());
        QCOMPARE(golden::maxAbsDiff(*official, res->attributionArray()), 0.0);

        auto t = cli({"tree", "--result", out});
        QVERIFY2(t.code == 0, t.err.constData());
        auto tree = nlohmann::json::parse(t.out.toStdString());
        auto gt = golden::load("tree_A01.json");
        QCOMPARE(tree["edges"], gt["edges"]);
        QCOMPARE(tree["root"], gt["root"]);

        const QString svg = dir.filePath("tree.svg");
        auto s = cli({"tree", "--result", out, "--out", svg});
        QVERIFY2(s.code == 0, s.err.constData());
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("<svg"));
    }

    void treeDirectFromText() {
        auto t = cli(QStringList{"tree", "--rule", "left"} + inputArgs("A05"));
        QVERIFY2(t.code == 0, t.err.constData());
        auto tree = nlohmann::json::parse(t.out.toStdString());
        QCOMPARE(tree["edges"], golden::load("tree_A05.json")["edges"]);
    }

    void errors() {
        auto usage = cli({"attribute", "--model", model()});  // no --text-a
        QCOMPARE(usage.code, 2);
        // Usage errors exit 2 (the README's promise; they used to exit 1).
        auto rule = cli(QStringList{"attribute", "--rule", "trapezoid"} + inputArgs("A04"));
        QCOMPARE(rule.code, 2);
        QVERIFY(rule.err.contains("trapezoid"));
        auto steps = cli(QStringList{"attribute", "--steps", "0"} + inputArgs("A04"));
        QCOMPARE(steps.code, 2);
        QVERIFY(steps.err.contains("steps"));
        auto target = cli(QStringList{"attribute", "--target", "maybe"} + inputArgs("A04"));
        QCOMPARE(target.code, 1);
        QVERIFY(target.err.contains("unknown target label"));
        auto layers = cli(QStringList{"attribute", "--layers", "0,9"} + inputArgs("A04"));
        QCOMPARE(layers.code, 1);
        QVERIFY(layers.err.contains("layer 9 is out of range"));
        QVERIFY2(layers.err.contains("L1..L"), layers.err.constData());  // names both bases
        auto empty = cli({"predict", "--model", model(), "--text-a", "   "});
        QCOMPARE(empty.code, 1);
        QVERIFY(empty.err.contains("empty"));
        auto missing = cli({"predict", "--model", "/no/such/model", "--text-a", "hi"});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("/no/such/model"));
        QCOMPARE(missing.err.count('\n'), 1);
    }

    // Layers as the GUI and the figures number them: "L2" is the 0-based "1".
    void layersCountedFromOne() {
        QTemporaryDir dir;
        const QString zero = dir.filePath("zero.json"), one = dir.filePath("one.json");
        auto a = cli(QStringList{"attribute", "--steps", "2", "--layers", "1", "--out", zero} +
                     inputArgs("A04"));
        auto b = cli(QStringList{"attribute", "--steps", "2", "--layers", "L2", "--out", one} +
                     inputArgs("A04"));
        QVERIFY2(a.code == 0 && b.code == 0, (a.err + b.err).constData());
        auto ra = attrscope::readResultFile(zero.toStdString());
        auto rb = attrscope::readResultFile(one.toStdString());
        QVERIFY(ra.ok() && rb.ok());
        QCOMPARE(rb->layers.size(), size_t(1));
        QCOMPARE(rb->layers[0].layer, 1);
        QCOMPARE(ra->layers[0].layer, 1);
        for (const char* bad : {"L0", "L1-", "Lx"}) {
            auto r = cli(QStringList{"attribute", "--layers", bad} + inputArgs("A04"));
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("counted from 1"), r.err.constData());
        }
    }

    void usageErrorsExitTwo() {
        const QStringList a = inputArgs("A04");
        const QList<QStringList> cases = {
            {"no-such-command"},
            QStringList{"attribute", "--layers", "1-0"} + a,
            QStringList{"attribute", "--layers", "0-2147483647"} + a,
            QStringList{"attribute", "--layers", "x"} + a,
            QStringList{"attribute", "--max-length", "-5"} + a,
            QStringList{"attribute", "--chunk", "-1"} + a,
            QStringList{"predict", "--device", "gpu"} + a,
            {"predict", "--model", model(), "--text-a", "a man", "--text-b", ""},
            {"evaluate", "--data", "x.tsv", "--format", "sst2", "--batch-size", "0"},
            {"evaluate", "--data", "x.tsv", "--format", "imdb"},
            {"prune", "--data", "x.tsv", "--format", "sst2", "--rates", "0.1,abc"},
            {"prune", "--data", "x.tsv", "--format", "sst2", "--ranking", "magic"},
            {"heads", "--data", "x.tsv", "--format", "sst2", "--baselines", "magic"},
            {"heads", "--data", "x.tsv", "--format", "sst2", "--examples", "-3"},
            {"tree", "--threshold", "0.4"},
        };
        for (const auto& args : cases) {
            auto r = cli(args);
            QVERIFY2(r.code == 2, qPrintable(args.join(' ') + " -> " + QString::number(r.code) +
                                             ": " + QString::fromUtf8(r.err)));
        }
        // Thread counts are bounded by the machine (a huge count used to take minutes or
        // abort in libgomp).
        QProcess p;
        p.start(ATTRSCOPE_CLI_PATH, QStringList{"--threads", "2000000000", "predict"} + a);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
    }

    void treeStdoutEqualsOutJson() {
        QTemporaryDir dir;
        const QString result = dir.filePath("r.json");
        auto r = cli(QStringList{"attribute", "--out", result, "--steps", "4"} + inputArgs("A05"));
        QVERIFY2(r.code == 0, r.err.constData());
        auto stdoutTree = cli({"tree", "--result", result});
        QVERIFY2(stdoutTree.code == 0, stdoutTree.err.constData());
        auto fileTree = cli({"tree", "--result", result, "--out", dir.filePath("t.json")});
        QVERIFY2(fileTree.code == 0, fileTree.err.constData());
        QFile f(dir.filePath("t.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray written = f.readAll();
        QCOMPARE(stdoutTree.out, written);
        auto j = nlohmann::json::parse(written.toStdString());
        for (const char* key : {"root", "edges", "weights", "heights", "node_state", "tau", "tokens"})
            QVERIFY2(j.contains(key), key);
    }

    void outputWriteErrorsFail() {
        // A full device: exit 1 with the error, not 0 with nothing written.
        auto full = cli(QStringList{"predict", "--out", "/dev/full"} + inputArgs("A04"));
        QCOMPARE(full.code, 1);
        QVERIFY(full.err.contains("/dev/full"));
        // A failed write never replaces a good file: the folder is gone, the old file stays.
        QTemporaryDir dir;
        const QString good = dir.filePath("good.json");
        auto first = cli(QStringList{"predict", "--out", good} + inputArgs("A04"));
        QCOMPARE(first.code, 0);
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        auto bad = cli(QStringList{"predict", "--out", dir.filePath("no/such/dir/x.json")} +
                       inputArgs("A04"));
        QCOMPARE(bad.code, 1);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        // Nothing but the good file is left in the folder (no temporary files).
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void treeFromAnotherModel() {
        QTemporaryDir dir;
        // A result file whose tokens/ids do not come from the given model's vocabulary.
        auto r = cli(QStringList{"attribute", "--out", dir.filePath("r.json"), "--steps", "2"} + inputArgs("A04"));
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = nlohmann::json::parse(std::ifstream(dir.filePath("r.json").toStdString()));
        j["tokens"][1] = "zzzz-not-this-vocab";
        std::ofstream(dir.filePath("other.json").toStdString()) << j.dump();
        auto t = cli({"tree", "--result", dir.filePath("other.json"), "--model", model()});
        QCOMPARE(t.code, 1);
        QVERIFY(t.err.contains("another model"));
        auto bad = cli({"tree", "--result", dir.filePath("missing.json")});
        QCOMPARE(bad.code, 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
