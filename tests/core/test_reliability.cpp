// Issue 12: input that can never corrupt output. Each function is the regression test of one
// B-item of docs/reliability.md: atomic writes (B7, core side), side files that are devices,
// FIFOs or huge (B5), the whole config validated at load (B3), shapes checked before allocating
// (B4), non-finite results as errors naming where they appear (B1), checkpoints without their
// classifier refused (B2), non-numeric importance values and unknown result versions (B8).

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attrscope/attribution/attribution.h"
#include "attrscope/io/atomic_file.h"
#include "attrscope/json/analysis_json.h"
#include "attrscope/json/result_json.h"
#include "attrscope/json/session.h"
#include "attrscope/model/model.h"
#include "golden.h"
#include "io/safetensors_file.h"

using namespace attrscope;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// A scratch model folder: copies of the golden side files, the weights linked (a symlink to a
// regular file is accepted) unless a test writes its own.
struct Scratch {
    QTemporaryDir tmp;
    std::string dir = tmp.path().toStdString();
    explicit Scratch(bool linkWeights = true) {
        for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json"})
            fs::copy_file(golden::modelDir() + "/" + f, path(f));
        if (linkWeights)
            fs::create_symlink(golden::modelDir() + "/model.safetensors", path("model.safetensors"));
    }
    std::string path(const std::string& f) const { return dir + "/" + f; }
    void editConfig(const std::function<void(nlohmann::json&)>& edit) {
        auto j = nlohmann::json::parse(slurp(path("config.json")));
        edit(j);
        put(path("config.json"), j.dump());
    }
};

std::vector<SafetensorsTensor> goldenTensors() {
    auto file = SafetensorsFile::open(golden::modelDir() + "/model.safetensors");
    if (!file) qFatal("%s", file.error().c_str());
    std::vector<SafetensorsTensor> out;
    for (const auto& e : file->entries())
        out.push_back({e.name, e.dtype, e.shape,
                       std::string(reinterpret_cast<const char*>(file->data(e)), e.end - e.begin)});
    return out;
}

std::string message(const Status& s) { return s.message(); }
template <typename T>
std::string message(const Expected<T>& e) {
    return e.ok() ? std::string() : e.error();
}

#define CHECK_ERROR(expr, fragment)                                                     \
    do {                                                                                \
        const auto& r_ = (expr);                                                        \
        QVERIFY2(!r_.ok(), (std::string("no error, expected: ") + (fragment)).c_str()); \
        const std::string m_ = message(r_);                                             \
        QVERIFY2(m_.find(fragment) != std::string::npos, m_.c_str());                   \
        QVERIFY2(m_.find('\n') == std::string::npos, "error must be one line");         \
    } while (false)

}  // namespace

class TestReliability : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // B7 (core side): /dev/full fails; a write that fails half-way (file size limit, as on a
    // full disk) leaves the old file intact and no temporary behind.
    void atomicWriterReportsEveryError() {
        CHECK_ERROR(writeFileAtomically("/dev/full", "{}"), "write failed");
        CHECK_ERROR(writeFileAtomically("/nonexistent-folder/x.json", "{}"), "does not exist");
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/result.json";
        QVERIFY(writeFileAtomically(out, std::string(500, 'a')).ok());
        CHECK_ERROR(writeFileAtomically(tmp.path().toStdString(), "x"), "is a folder");

        struct rlimit old {};
        getrlimit(RLIMIT_FSIZE, &old);
        auto oldHandler = signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 4096;
        QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
        const Status big = writeFileAtomically(out, std::string(100000, 'b'));
        setrlimit(RLIMIT_FSIZE, &old);
        signal(SIGXFSZ, oldHandler);
        CHECK_ERROR(big, "the old file is unchanged");
        QCOMPARE(slurp(out), std::string(500, 'a'));
        QCOMPARE(std::distance(fs::directory_iterator(tmp.path().toStdString()),
                               fs::directory_iterator()),
                 std::ptrdiff_t(1));
        QVERIFY(writeFileAtomically(out, "new").ok());
        QCOMPARE(slurp(out), std::string("new"));
    }

    // B5: a FIFO config.json must not hang, /dev/zero as vocab.txt must not exhaust memory, a huge
    // regular config.json is refused before reading.
    void sideFilesAreRegularAndCapped() {
        {
            Scratch s;
            fs::remove(s.path("config.json"));
            QVERIFY(mkfifo(s.path("config.json").c_str(), 0600) == 0);
            QElapsedTimer t;
            t.start();
            CHECK_ERROR(Model::load(s.dir), "not a regular file");
            QVERIFY(t.elapsed() < 5000);
        }
        {
            Scratch s;
            fs::remove(s.path("vocab.txt"));
            fs::create_symlink("/dev/zero", s.path("vocab.txt"));
            CHECK_ERROR(Model::load(s.dir), "not a regular file");
        }
        {
            Scratch s;
            fs::remove(s.path("tokenizer_config.json"));
            fs::create_symlink("/dev/zero", s.path("tokenizer_config.json"));
            CHECK_ERROR(Model::load(s.dir), "not a regular file");
        }
        {
            Scratch s;
            fs::resize_file(s.path("config.json"), 64ull << 20);  // sparse: no disk used
            CHECK_ERROR(Model::load(s.dir), "larger than 16 MiB is refused");
        }
    }

    // B3: every config value checked at load, not at forward time.
    void wholeConfigValidatedAtLoad() {
        const std::pair<std::function<void(nlohmann::json&)>, const char*> cases[] = {
            {[](auto& j) { j["hidden_dropout_prob"] = 5; }, "hidden_dropout_prob must be a probability"},
            {[](auto& j) { j["attention_probs_dropout_prob"] = -0.5; }, "attention_probs_dropout_prob"},
            {[](auto& j) { j["pad_token_id"] = 999999; }, "pad_token_id is 999999"},
            {[](auto& j) { j["vocab_size"] = 1 << 30; }, "vocab_size is 1073741824, expected 1.."},
            {[](auto& j) { j["max_position_embeddings"] = 1 << 29; }, "max_position_embeddings"},
            {[](auto& j) { j["num_hidden_layers"] = 100000; }, "num_hidden_layers is 100000"},
            {[](auto& j) {
                 j["id2label"] = {{"0", "a"}, {"+0", "b"}, {"2", "c"}};
             },
             "id2label has no name for class 1"},
        };
        for (const auto& [edit, fragment] : cases) {
            Scratch s;
            s.editConfig(edit);
            QElapsedTimer t;
            t.start();
            CHECK_ERROR(Model::load(s.dir), fragment);
            QVERIFY2(t.elapsed() < 5000, fragment);
        }
    }

    // B4: a config that disagrees with the weights fails before the model is allocated (a
    // vocabulary of one million rows would take gigabytes and many seconds to build), for both
    // weight formats; a checkpoint with more layers than num_hidden_layers is an error.
    void shapesComparedBeforeAllocating() {
        for (const char* weights : {"model.safetensors", "pytorch_model.bin"}) {
            Scratch s(false);
            fs::create_symlink(golden::modelDir() + "/" + weights, s.path(weights));
            s.editConfig([](auto& j) { j["vocab_size"] = 2000000; });
            QElapsedTimer t;
            t.start();
            CHECK_ERROR(Model::load(s.dir),
                        "'bert.embeddings.word_embeddings.weight' has shape [30522, 64] but "
                        "config.json implies [2000000, 64]");
            qInfo("%s: vocab_size 2,000,000 refused in %lld ms", weights, t.elapsed());
            QVERIFY(t.elapsed() < 3000);
        }
        Scratch s;
        s.editConfig([](auto& j) { j["num_hidden_layers"] = 2; });
        CHECK_ERROR(Model::load(s.dir), "has layer 2");
        CHECK_ERROR(Model::load(s.dir), "num_hidden_layers 2");
    }

    // B1: one weight at 3e38 overflows layer 1; predict, predictBatch and attribute say so.
    void nonFiniteResultsAreErrors() {
        Scratch s(false);
        auto t = goldenTensors();
        for (auto& x : t)
            if (x.name == "bert.encoder.layer.1.attention.self.query.weight") {
                const float huge = 3e38f;
                for (size_t i = 0; i < x.bytes.size(); i += 4 * 65) std::memcpy(&x.bytes[i], &huge, 4);
            }
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        auto m = Model::load(s.dir);
        QVERIFY2(m.ok(), m.error().c_str());
        auto enc = (*m)->encode("a man is playing a guitar .", std::string("a man is not playing"));
        QVERIFY(enc.ok());
        CHECK_ERROR((*m)->predict(*enc, true), "are not finite");
        CHECK_ERROR((*m)->predict(*enc, false), "the output of layer 1");
        CHECK_ERROR((*m)->predictBatch({*enc, *enc}), "are not finite");
        AttributionOptions ao;
        ao.steps = 2;
        CHECK_ERROR(attribute(**m, *enc, ao), "not finite");
        // The untouched golden model still predicts.
        auto g = Model::load(golden::modelDir());
        QVERIFY((*g)->predict(*enc, false).ok());
    }

    // B2: without classifier.* (or without the pooler) nothing is predicted with random weights.
    void checkpointWithoutClassifierIsRefused() {
        for (const char* dropped : {"classifier.", "bert.pooler."}) {
            Scratch s(false);
            auto t = goldenTensors();
            std::vector<SafetensorsTensor> kept;
            for (auto& x : t)
                if (x.name.rfind(dropped, 0) != 0) kept.push_back(x);
            QVERIFY(writeSafetensors(s.path("model.safetensors"), kept, {}).ok());
            auto m = Model::load(s.dir);
            QVERIFY2(m.ok(), m.error().c_str());  // still usable to initialise fine-tuning
            auto enc = (*m)->encode("a man is playing", std::nullopt);
            CHECK_ERROR((*m)->predict(*enc, false), "no classification head");
            CHECK_ERROR((*m)->predictBatch({*enc}), "no classification head");
            CHECK_ERROR(attribute(**m, *enc, AttributionOptions()), "classification head");
        }
    }

    // B8: strings among importance values, and result files of an unknown format version.
    void analysisAndResultJsonChecked() {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/importance.json";
        put(path, R"({"num_layers": 1, "num_heads": 2, "importance": ["high", 0.5]})");
        CHECK_ERROR(readImportanceFile(path), "importance value 0 is \"high\", not a number");
        put(path, R"({"num_layers": 1, "num_heads": 2, "importance": [0.1, 0.5],
                      "baselines": {"attention": {"importance": [0.2, {}]}}})");
        CHECK_ERROR(readImportanceFile(path), "attention value 1 is {}, not a number");
        put(path, R"({"num_layers": 1, "num_heads": 2, "importance": [0.1, null]})");
        QVERIFY(readImportanceFile(path).ok());  // null: a head an interrupted run did not reach

        auto golden = golden::model();
        auto enc = golden->encode("a man is playing", std::nullopt);
        AttributionOptions ao;
        ao.steps = 2;
        ao.layers = {0};
        auto r = attribute(*golden, *enc, ao);
        QVERIFY2(r.ok(), r.error().c_str());
        auto j = nlohmann::json::parse(resultToJson(*r, golden->config()));
        QVERIFY(resultFromJson(j.dump(), "result.json").ok());
        j["format_version"] = 999;
        CHECK_ERROR(resultFromJson(j.dump(), "result.json"), "format_version 999 is not supported");
        // Integers beyond their type (fuzz_result_json: float-to-int casts were undefined
        // behaviour) are one-line errors.
        for (const char* bad : {"1e30", "2147483648", "-1e10", "2.5"}) {
            auto k = j;
            k.erase("format_version");
            k["predicted"] = nlohmann::json::parse(bad);
            CHECK_ERROR(resultFromJson(k.dump(), "result.json"), "'predicted' is");
        }
        auto ids = j;
        ids.erase("format_version");
        ids["input_ids"][0] = 1e19;
        CHECK_ERROR(resultFromJson(ids.dump(), "result.json"), "'input_ids' entry is");
        CHECK_ERROR(sessionFromJson(R"({"format": "attrscope-session", "format_version": 6e68})",
                                    "s.json"),
                    "'format_version' is 6");
        put(path, R"({"num_layers": 1e300, "num_heads": 2, "importance": [0.1, 0.5]})");
        CHECK_ERROR(readImportanceFile(path), "num_layers is");
        // fuzz_result_json's finding: a number as a session's "format" threw out of the reader.
        for (const char* format : {R"(2)", R"(null)", R"(["attrscope-session"])", R"("other")"})
            CHECK_ERROR(sessionFromJson(std::string(R"({"format": )") + format + "}", "s.json"),
                        "not an AttrScope session file");
    }
};

QTEST_GUILESS_MAIN(TestReliability)
#include "test_reliability.moc"
