// attrscope-cli train / evaluate as a user runs them, and the shipped demo models: their
// evaluation reproduces the accuracy their MODEL_CARD.md states (±0.5 points), predict without
// --model uses sick-nli and gets the guitar negation right, and bad input fails in one line.

#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "attrscope/model/model.h"
#include "cli_runner.h"

using Run = CliRun;

namespace {

Run cli(const QStringList& args) {
    return runCli(args, 2);
}

QString dataset(const char* rel) {
    return QString(ATTRSCOPE_TEST_DATA_DIR "/datasets/") + rel;
}
QString modelDir(const char* name) {
    return QString(ATTRSCOPE_MODELS_DIR) + "/" + name;
}

// The accuracy stated in a model card's "Test accuracy: 0.xxxx" line.
double cardAccuracy(const QString& dir) {
    std::ifstream f((dir + "/MODEL_CARD.md").toStdString());
    std::stringstream ss;
    ss << f.rdbuf();
    std::smatch m;
    const std::string text = ss.str();
    if (!std::regex_search(text, m, std::regex("Test accuracy: ([0-9.]+)")))
        return -1;
    return std::stod(m[1]);
}

// The dtypes in a checkpoint folder's model.safetensors header.
QSet<QString> weightDtypes(const QString& dir) {
    std::ifstream in((dir + "/model.safetensors").toStdString(), std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    std::string header(size_t(std::min<uint64_t>(n, 1 << 24)), '\0');
    in.read(header.data(), std::streamsize(header.size()));
    QSet<QString> out;
    const auto json = nlohmann::json::parse(header);
    for (auto it = json.begin(); it != json.end(); ++it)
        if (it.key() != "__metadata__")
            out.insert(QString::fromStdString(it.value().at("dtype").get<std::string>()));
    return out;
}

void writeFile(const QString& path, const std::string& text) {
    std::ofstream(path.toStdString(), std::ios::binary) << text;
}

bool oneLineError(const Run& r) {
    return r.code == 1 && r.err.startsWith("attrscope-cli: error: ") && r.err.count('\n') == 1;
}

// Option combinations the CLI refuses before doing anything exit 2 (issue 11).
bool oneLineUsageError(const Run& r) {
    return r.code == 2 && r.err.startsWith("attrscope-cli: usage error: ") &&
           r.err.count('\n') == 1;
}

}  // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sickModelMatchesItsCard() {
        const double card = cardAccuracy(modelDir("sick-nli"));
        QVERIFY2(card > 0, "no 'Test accuracy:' line in sick-nli/MODEL_CARD.md");
        auto r = cli({"evaluate", "--model", modelDir("sick-nli"), "--data",
                      dataset("sick/SICK.txt"), "--format", "sick", "--split", "test"});
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["examples"].get<int>(), 4906);
        qInfo("sick-nli on SICK TEST: %.4f (card %.4f, majority %.4f)", j["accuracy"].get<double>(),
              card, j["majority_baseline"].get<double>());
        QVERIFY(std::fabs(j["accuracy"].get<double>() - card) <= 0.005);
        QVERIFY(std::fabs(j["majority_baseline"].get<double>() - 0.569) < 0.001);
        for (const char* key : {"per_class", "confusion_matrix", "labels"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["confusion_matrix"].size(), size_t(3));
    }

    void sst2ModelMatchesItsCard() {
        const double card = cardAccuracy(modelDir("sst2-sentiment"));
        QVERIFY2(card > 0, "no 'Test accuracy:' line in sst2-sentiment/MODEL_CARD.md");
        auto r = cli({"evaluate", "--model", modelDir("sst2-sentiment"), "--data",
                      dataset("sst2/dev.tsv"), "--format", "sst2"});
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["examples"].get<int>(), 872);
        qInfo("sst2-sentiment on SST-2 dev: %.4f (card %.4f, majority %.4f)",
              j["accuracy"].get<double>(), card, j["majority_baseline"].get<double>());
        QVERIFY(std::fabs(j["accuracy"].get<double>() - card) <= 0.005);
    }

    void predictWithoutModelUsesSickNli() {
        auto r = cli({"predict", "--no-attention", "--text-a", "A man is playing a guitar.",
                      "--text-b", "A man is not playing a guitar."});
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["predicted_label"].get<std::string>(), std::string("contradiction"));
    }

    void trainSmallAndEvaluate() {
        QTemporaryDir dir;
        const QString out = dir.filePath("m");
        const QStringList args{"train",
                               "--data",
                               dataset("sick/SICK.txt"),
                               "--format",
                               "sick",
                               "--split",
                               "train",
                               "--limit",
                               "120",
                               "--eval-data",
                               dataset("sick/SICK.txt"),
                               "--eval-split",
                               "trial",
                               "--out",
                               out,
                               "--layers",
                               "1",
                               "--hidden",
                               "32",
                               "--heads",
                               "2",
                               "--vocab-size",
                               "400",
                               "--epochs",
                               "1",
                               "--batch-size",
                               "16",
                               "--max-length",
                               "40"};
        auto r = cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json",
                              "model.safetensors", "training_log.json"})
            QVERIFY2(QFileInfo::exists(out + "/" + f), f);
        auto config = nlohmann::json::parse(std::ifstream((out + "/config.json").toStdString()));
        QCOMPARE(config["id2label"]["2"].get<std::string>(), std::string("contradiction"));
        // Exists → refused without --overwrite, accepted with it.
        r = cli(args);
        QVERIFY(oneLineError(r));
        QVERIFY2(r.err.contains("--overwrite"), r.err.constData());
        r = cli(args + QStringList{"--overwrite"});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({"evaluate", "--model", out, "--data", dataset("sick/SICK.txt"), "--format", "sick",
                 "--split", "trial"});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["examples"].get<int>(), 495);
    }

    void pretrainThenFineTune() {
        QTemporaryDir dir;
        const QString mlm = dir.filePath("mlm"), tuned = dir.filePath("tuned");
        const QString sick = dataset("sick/SICK.txt");
        auto r = cli({"pretrain",
                      "--data",
                      sick,
                      "--format",
                      "sick",
                      "--split",
                      "train",
                      "--limit",
                      "150",
                      "--out",
                      mlm,
                      "--layers",
                      "1",
                      "--hidden",
                      "32",
                      "--heads",
                      "2",
                      "--vocab-size",
                      "400",
                      "--epochs",
                      "1",
                      "--max-length",
                      "40",
                      "--pair-task",
                      "--save-dtype",
                      "float16"});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(weightDtypes(mlm), QSet<QString>{"F16"});  // the masked-LM head too
        auto config = nlohmann::json::parse(std::ifstream((mlm + "/config.json").toStdString()));
        QCOMPARE(config["architectures"][0].get<std::string>(), std::string("BertForPreTraining"));
        QVERIFY(QFileInfo::exists(mlm + "/pretraining_log.json"));
        r = cli({"train", "--data", sick, "--format", "sick", "--split", "train", "--limit", "120",
                 "--out", tuned, "--init-from", mlm, "--epochs", "1", "--batch-size", "16"});
        QVERIFY2(r.code == 0, r.err.constData());
        // A float16 base fine-tunes (loading upcasts); the result is float32 unless asked.
        QCOMPARE(weightDtypes(tuned), QSet<QString>{"F32"});
        r = cli({"train", "--data", sick, "--format", "sick", "--limit", "20", "--out",
                 dir.filePath("bad"), "--save-dtype", "float8"});
        // CLI11's own check: exit 2 and the option named.
        QVERIFY2(r.code == 2 && r.err.startsWith("--save-dtype:"), r.err.constData());
        auto tunedConfig =
            nlohmann::json::parse(std::ifstream((tuned + "/config.json").toStdString()));
        QCOMPARE(tunedConfig["num_hidden_layers"].get<int>(), 1);
        QCOMPARE(tunedConfig["id2label"]["0"].get<std::string>(), std::string("entailment"));
        // Per-file options must match the files; a used folder is refused.
        r = cli({"pretrain", "--data", sick, "--data", sick, "--format", "sick", "--format", "sick",
                 "--format", "sick", "--out", dir.filePath("x")});
        QVERIFY(oneLineUsageError(r));
        QVERIFY2(r.err.contains("--format"), r.err.constData());
        r = cli({"pretrain", "--data", sick, "--format", "sick", "--limit", "20", "--out", mlm});
        QVERIFY(oneLineError(r));
        QVERIFY2(r.err.contains("--overwrite"), r.err.constData());
    }

    void badInput() {
        QTemporaryDir dir;
        const QString empty = dir.filePath("empty.tsv"), unknown = dir.filePath("unknown.tsv"),
                      noLabel = dir.filePath("nolabel.tsv");
        writeFile(empty, "");
        writeFile(unknown, "sentence1\tsentence2\tlabel\nA man.\tA dog.\tmaybe\n");
        writeFile(noLabel, "sentence1\tsentence2\nA man.\tA dog.\n");
        const QString out = dir.filePath("m");
        const QStringList evalArgs{"evaluate", "--model",   modelDir("sick-nli"),
                                   "--format", "glue-pair", "--data"};
        const QStringList trainArgs{"train", "--out", out, "--format", "glue-pair", "--data"};
        for (const QString& file : {dir.filePath("missing.tsv"), empty, unknown, noLabel}) {
            auto r = cli(evalArgs + QStringList{file});
            QVERIFY2(oneLineError(r), (file + ": " + r.err).toUtf8().constData());
            if (file != unknown) {  // an unknown label is fine for training (it is a class)
                r = cli(trainArgs + QStringList{file});
                QVERIFY2(oneLineError(r), (file + ": " + r.err).toUtf8().constData());
            }
        }
        auto r = cli(evalArgs + QStringList{unknown});
        QVERIFY2(r.err.contains("maybe"), r.err.constData());
        r = cli({"train", "--resume", "--out", dir.filePath("nothing"), "--format", "sick",
                 "--data", dataset("sick/SICK.txt")});
        QVERIFY2(oneLineError(r) && r.err.contains("resume"), r.err.constData());
    }

    // train and pretrain take --device (the CUDA build trains there); an unknown device is a
    // usage error, and CUDA on a machine without it is a one-line error before any training.
    void trainingDevice() {
        QTemporaryDir dir;
        const QStringList train{"train",
                                "--format",
                                "sick",
                                "--split",
                                "train",
                                "--data",
                                dataset("sick/SICK.txt"),
                                "--limit",
                                "40",
                                "--epochs",
                                "1",
                                "--out"};
        const QStringList pretrain{"pretrain",
                                   "--format",
                                   "sick",
                                   "--split",
                                   "train",
                                   "--data",
                                   dataset("sick/SICK.txt"),
                                   "--limit",
                                   "40",
                                   "--epochs",
                                   "1",
                                   "--out"};
        for (const QStringList& cmd : {train, pretrain}) {
            auto r = cli(cmd + QStringList{dir.filePath("gpu"), "--device", "gpu"});
            // CLI11's own check, as for --device elsewhere: exit 2 and the option named.
            QVERIFY2(r.code == 2 && r.err.startsWith("--device: 'gpu'"), r.err.constData());
            const auto devices = attrscope::Model::availableDevices();
            if (std::find(devices.begin(), devices.end(), "cuda:0") == devices.end()) {
                r = cli(cmd + QStringList{dir.filePath("cuda"), "--device", "cuda"});
                QVERIFY2(oneLineError(r) && r.err.contains("CUDA"), r.err.constData());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"
