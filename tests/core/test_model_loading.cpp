// Checkpoint loading: every kind of bad input gives a one-line error naming the file and the
// problem, and the accepted variants (F16/BF16, no "bert." prefix, bare encoder) load.

#include <QtTest>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"
#include "attrscope/model/weight_dtype.h"
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

// A scratch copy of the golden model folder whose files a test may then break.
struct ScratchModel {
    QTemporaryDir tmp;
    std::string dir;
    ScratchModel(bool withWeights = true) {
        dir = tmp.path().toStdString();
        for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json"})
            fs::copy_file(golden::modelDir() + "/" + f, dir + "/" + f);
        if (withWeights)
            fs::copy_file(golden::modelDir() + "/model.safetensors", dir + "/model.safetensors");
    }
    std::string path(const char* f) const { return dir + "/" + f; }
};

std::vector<SafetensorsTensor> goldenTensors() {
    auto file = SafetensorsFile::open(golden::modelDir() + "/model.safetensors");
    std::vector<SafetensorsTensor> out;
    for (const auto& e : file->entries())
        out.push_back({e.name, e.dtype, e.shape,
                       std::string(reinterpret_cast<const char*>(file->data(e)), e.end - e.begin)});
    return out;
}

uint16_t toHalf(float f) {  // round-to-nearest for normal numbers, enough for weights
    uint32_t x;
    std::memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000, exp = (x >> 23) & 0xff, mant = x & 0x7fffff;
    int e = int(exp) - 127 + 15;
    if (e <= 0)
        return uint16_t(sign);
    if (e >= 31)
        return uint16_t(sign | 0x7c00);
    uint32_t h = sign | (uint32_t(e) << 10) | (mant >> 13);
    if (mant & 0x1000)
        ++h;
    return uint16_t(h);
}

std::string convert(const std::string& bytes, const std::string& dtype) {
    std::string out;
    for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
        float f;
        std::memcpy(&f, bytes.data() + i, 4);
        uint32_t x;
        std::memcpy(&x, &f, 4);
        uint16_t v = dtype == "F16" ? toHalf(f) : uint16_t((x + 0x7fff + ((x >> 16) & 1)) >> 16);
        out.append(reinterpret_cast<const char*>(&v), 2);
    }
    return out;
}

void expectError(const std::string& dir, const std::string& fragment) {
    auto m = Model::load(dir);
    QVERIFY2(!m.ok(), ("loaded but expected: " + fragment).c_str());
    QVERIFY2(m.error().find(fragment) != std::string::npos, m.error().c_str());
    QVERIFY2(m.error().find('\n') == std::string::npos, "error must be one line");
}

}  // namespace

class TestModelLoading : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void missingFolder() { expectError("/nonexistent/model", "does not exist"); }

    void missingConfig() {
        ScratchModel s;
        fs::remove(s.path("config.json"));
        expectError(s.dir, "config.json");
    }

    void invalidConfigJson() {
        ScratchModel s;
        put(s.path("config.json"), "{ \"hidden_size\": 64, ");
        expectError(s.dir, "invalid JSON");
    }

    void badConfigValue() {
        ScratchModel s;
        auto j = nlohmann::json::parse(slurp(s.path("config.json")));
        j["num_attention_heads"] = 5;
        put(s.path("config.json"), j.dump());
        expectError(s.dir, "not divisible");
    }

    void missingVocab() {
        ScratchModel s;
        fs::remove(s.path("vocab.txt"));
        expectError(s.dir, "vocab.txt");
    }

    void vocabWithoutSep() {
        ScratchModel s;
        std::string v = slurp(s.path("vocab.txt"));
        v.replace(v.find("[SEP]\n"), 6, "[SEQ]\n");
        put(s.path("vocab.txt"), v);
        expectError(s.dir, "[SEP]");
    }

    void vocabLargerThanConfig() {
        ScratchModel s;
        auto j = nlohmann::json::parse(slurp(s.path("config.json")));
        j["vocab_size"] = 1000;
        put(s.path("config.json"), j.dump());
        expectError(s.dir, "vocab_size");
    }

    void noWeights() {
        ScratchModel s(false);
        expectError(s.dir, "no model.safetensors or pytorch_model.bin");
    }

    void truncatedWeights() {
        ScratchModel s;
        std::string bytes = slurp(s.path("model.safetensors"));
        for (size_t cut : {size_t(4), size_t(100), bytes.size() / 2, bytes.size() - 1}) {
            put(s.path("model.safetensors"), bytes.substr(0, cut));
            expectError(s.dir, "model.safetensors");
        }
    }

    void corruptHeader() {
        ScratchModel s;
        std::string bytes = slurp(s.path("model.safetensors"));
        bytes[8] = 'x';  // the JSON header's opening brace
        put(s.path("model.safetensors"), bytes);
        expectError(s.dir, "header is not a JSON object");
        std::string huge = slurp(golden::modelDir() + "/model.safetensors");
        huge[7] = 0x7f;  // absurd header length
        put(s.path("model.safetensors"), huge);
        expectError(s.dir, "invalid header length");
    }

    void wrongDtype() {
        ScratchModel s;
        auto t = goldenTensors();
        t[0].dtype = "I32";  // same byte size, wrong meaning
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        expectError(s.dir, "dtype I32");
    }

    void byteLengthMismatch() {
        ScratchModel s;
        auto t = goldenTensors();
        t[1].dtype = "F16";  // header claims half the bytes the data has
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        expectError(s.dir, "bytes but its shape and dtype need");
    }

    void wrongShape() {
        ScratchModel s;
        auto t = goldenTensors();
        for (auto& x : t)
            if (x.name == "bert.encoder.layer.1.attention.self.query.weight")
                x.shape = {32, 128};
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        expectError(s.dir, "has shape [32, 128] but config.json implies [64, 64]");
    }

    void missingTensor() {
        ScratchModel s;
        auto t = goldenTensors();
        t.erase(std::remove_if(
                    t.begin(), t.end(),
                    [](auto& x) { return x.name == "bert.encoder.layer.2.output.dense.bias"; }),
                t.end());
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        expectError(s.dir, "missing tensor 'bert.encoder.layer.2.output.dense.bias'");
    }

    void nanWeights() {
        ScratchModel s;
        auto t = goldenTensors();
        float nan = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(&t[3].bytes[0], &nan, 4);
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        expectError(s.dir, "NaN");
    }

    void halfPrecisionWeights_data() {
        QTest::addColumn<QString>("dtype");
        QTest::newRow("F16") << "F16";
        QTest::newRow("BF16") << "BF16";
    }
    void halfPrecisionWeights() {
        QFETCH(QString, dtype);
        ScratchModel s;
        auto t = goldenTensors();
        for (auto& x : t) {
            x.bytes = convert(x.bytes, dtype.toStdString());
            x.dtype = dtype.toStdString();
        }
        QVERIFY(writeSafetensors(s.path("model.safetensors"), t, {}).ok());
        auto half = Model::load(s.dir);
        QVERIFY2(half.ok(), half.error().c_str());
        auto full = Model::load(golden::modelDir());
        auto enc =
            (*full)->encode("A man is playing a guitar.", std::string("A man is not playing."));
        auto a = (*full)->predict(*enc, false), b = (*half)->predict(*enc, false);
        const double tol = dtype == "F16" ? 0.05 : 0.3;  // reduced storage precision only
        for (size_t c = 0; c < a->logits.size(); ++c)
            QVERIFY(std::fabs(a->logits[c] - b->logits[c]) < tol);
    }

    // A bare BertModel checkpoint: no "bert." prefix, no classifier. It loads (it can initialise
    // fine-tuning), but predict and attribution refuse it instead of using a random classifier
    // (issue 12, B2).
    void bareEncoder() {
        ScratchModel s;
        auto t = goldenTensors();
        std::vector<SafetensorsTensor> bare;
        for (auto& x : t) {
            if (x.name.rfind("classifier.", 0) == 0)
                continue;
            x.name = x.name.substr(5);  // drop "bert."
            bare.push_back(x);
        }
        bare.push_back({"embeddings.position_ids", "I64", {1, 128}, std::string(128 * 8, '\0')});
        bare.push_back({"cls.predictions.bias", "F32", {4}, std::string(16, '\0')});
        QVERIFY(writeSafetensors(s.path("model.safetensors"), bare, {}).ok());
        auto m = Model::load(s.dir);
        QVERIFY2(m.ok(), m.error().c_str());
        QVERIFY(!(*m)->hasClassifier());
        QVERIFY(!(*m)->warnings().empty());
        auto enc = (*m)->encode("hello world", std::nullopt);
        auto p = (*m)->predict(*enc, true);
        QVERIFY(!p.ok());
        QVERIFY2(p.error().find("no classification head") != std::string::npos, p.error().c_str());
        auto batch = (*m)->predictBatch({*enc});
        QVERIFY(!batch.ok());
        QVERIFY(batch.error().find("no classification head") != std::string::npos);
        auto r = attribute(**m, *enc, AttributionOptions());
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("classification head") != std::string::npos);
    }

    void saveRoundTrip() {
        auto m = Model::load(golden::modelDir());
        QTemporaryDir out;
        const std::string dir = out.path().toStdString() + "/copy";
        QVERIFY((*m)->save(dir).ok());
        auto again = Model::load(dir);
        QVERIFY2(again.ok(), again.error().c_str());
        QCOMPARE((*again)->config().id2label, (*m)->config().id2label);
        QCOMPARE((*again)->config().layerNormEps, 1e-5);
        auto enc = (*m)->encode("A dog runs in the park.", std::string("An animal moves."));
        QCOMPARE((*again)->predict(*enc)->logits, (*m)->predict(*enc)->logits);
    }

    // Float16 weights (issue 15: a shipped demo model under 16 MB): half the file, every value
    // the float32 one rounded to half precision (decoded here independently of torch), logits
    // close to the float32 model's, and a weight beyond float16's range refused.
    void saveFloat16() {
        auto m = Model::load(golden::modelDir());
        QVERIFY(m.ok());
        QTemporaryDir out;
        const std::string d32 = out.path().toStdString() + "/f32";
        const std::string d16 = out.path().toStdString() + "/f16";
        QVERIFY((*m)->save(d32).ok());
        QVERIFY(saveModel(**m, d16, WeightDtype::Float16).ok());
        const double ratio = double(fs::file_size(d16 + "/model.safetensors")) /
                             double(fs::file_size(d32 + "/model.safetensors"));
        QVERIFY2(ratio > 0.49 && ratio < 0.52, qPrintable(QString::number(ratio)));

        auto f32 = SafetensorsFile::open(d32 + "/model.safetensors");
        auto f16 = SafetensorsFile::open(d16 + "/model.safetensors");
        QVERIFY(f32.ok() && f16.ok());
        QCOMPARE(f16->entries().size(), f32->entries().size());
        auto halfToFloat = [](uint16_t h) {
            const int e = (h >> 10) & 0x1f, m = h & 0x3ff;
            const double v = e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
            return (h & 0x8000) ? -v : v;
        };
        size_t checked = 0;
        for (size_t i = 0; i < f32->entries().size(); ++i) {
            const auto& a = f32->entries()[i];
            const auto& b = f16->entries()[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.dtype, std::string("F16"));
            QCOMPARE(b.shape, a.shape);
            const size_t n = (a.end - a.begin) / 4;
            QCOMPARE(size_t(b.end - b.begin), 2 * n);
            for (size_t k = 0; k < n; ++k, ++checked) {
                float x;
                uint16_t h;
                std::memcpy(&x, f32->data(a) + 4 * k, 4);
                std::memcpy(&h, f16->data(b) + 2 * k, 2);
                // Round to nearest: within half a unit in the last place (2^-11 relative), or
                // half the smallest subnormal step.
                const double tol =
                    std::max(std::abs(double(x)) * std::ldexp(1.0, -11), std::ldexp(1.0, -25));
                if (std::abs(halfToFloat(h) - x) > tol)
                    QFAIL(qPrintable(QString("%1[%2]: %3 -> %4")
                                         .arg(QString::fromStdString(a.name))
                                         .arg(k)
                                         .arg(x)
                                         .arg(halfToFloat(h))));
            }
        }
        QVERIFY(checked > 1000);

        auto half = Model::load(d16);
        QVERIFY2(half.ok(), half.error().c_str());
        auto enc = (*m)->encode("A dog runs in the park.", std::string("An animal moves."));
        const auto l32 = (*m)->predict(*enc)->logits, l16 = (*half)->predict(*enc)->logits;
        QCOMPARE(l16.size(), l32.size());
        for (size_t c = 0; c < l32.size(); ++c)
            QVERIFY2(std::abs(l16[c] - l32[c]) < 5e-3 * (1.0 + std::abs(l32[c])),
                     qPrintable(QString("%1 vs %2").arg(l16[c]).arg(l32[c])));

        // A weight of 1e6 has no float16: refused with a message, and no half-written folder.
        ScratchModel big(false);
        auto tensors = goldenTensors();
        for (auto& t : tensors)
            if (t.dtype == "F32" && t.name.find("classifier.weight") != std::string::npos) {
                const float huge = 1e6f;
                std::memcpy(t.bytes.data(), &huge, 4);
            }
        QVERIFY(writeSafetensors(big.path("model.safetensors"), tensors, {}).ok());
        auto bigModel = Model::load(big.dir);
        QVERIFY2(bigModel.ok(), bigModel.error().c_str());
        const std::string dBig = out.path().toStdString() + "/big";
        Status refused = saveModel(**bigModel, dBig, WeightDtype::Float16);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.message().find("float16") != std::string::npos, refused.message().c_str());
        QVERIFY(!fs::exists(dBig + "/model.safetensors"));
    }

    void randomModelIsDeterministic() {
        ModelConfig c;
        c.numLayers = 2;
        c.hiddenSize = 32;
        c.numHeads = 2;
        c.intermediateSize = 64;
        c.vocabSize = 200;
        c.maxPositionEmbeddings = 64;
        c.id2label = {"a", "b", "c"};
        auto m1 = Model::random(c, 7), m2 = Model::random(c, 7), m3 = Model::random(c, 8);
        QVERIFY(m1.ok() && m2.ok() && m3.ok());
        auto enc = (*m1)->encode("the man is playing", std::string("a dog"));
        QCOMPARE((*m1)->predict(*enc)->logits, (*m2)->predict(*enc)->logits);
        QVERIFY((*m1)->predict(*enc)->logits != (*m3)->predict(*enc)->logits);
    }

    // 0 threads = OMP_NUM_THREADS when set (side-by-side runs), else one per core.
    void threadCountHonoursOmpNumThreads() {
        const int before = threadCount();
        qputenv("OMP_NUM_THREADS", "1");
        setThreadCount(0);
        QCOMPARE(threadCount(), 1);
        qputenv("OMP_NUM_THREADS", "not a number");
        setThreadCount(0);
        QCOMPARE(threadCount(), int(std::max(1u, std::thread::hardware_concurrency())));
        qunsetenv("OMP_NUM_THREADS");
        setThreadCount(3);
        QCOMPARE(threadCount(), 3);
        setThreadCount(before);
    }
};

QTEST_GUILESS_MAIN(TestModelLoading)
#include "test_model_loading.moc"
