// attrscope-cli as a user scripts it: JSON on stdout or --out, exit codes 0 / 1 / 2, one-line
// errors, official JSONL files, and trees equal to the official ones.

#include <QProcess>
#include <fstream>
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
        auto rule = cli(QStringList{"attribute", "--rule", "trapezoid"} + inputArgs("A04"));
        QCOMPARE(rule.code, 1);
        QVERIFY(rule.err.contains("unknown rule 'trapezoid'"));
        auto steps = cli(QStringList{"attribute", "--steps", "0"} + inputArgs("A04"));
        QCOMPARE(steps.code, 1);
        QVERIFY(steps.err.contains("steps"));
        auto target = cli(QStringList{"attribute", "--target", "maybe"} + inputArgs("A04"));
        QCOMPARE(target.code, 1);
        QVERIFY(target.err.contains("unknown target label"));
        auto layers = cli(QStringList{"attribute", "--layers", "0,9"} + inputArgs("A04"));
        QCOMPARE(layers.code, 1);
        QVERIFY(layers.err.contains("layer 9 is out of range"));
        auto empty = cli({"predict", "--model", model(), "--text-a", "   "});
        QCOMPARE(empty.code, 1);
        QVERIFY(empty.err.contains("empty"));
        auto missing = cli({"predict", "--model", "/no/such/model", "--text-a", "hi"});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("/no/such/model"));
        QCOMPARE(missing.err.count('\n'), 1);
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
