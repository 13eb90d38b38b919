// The torch.save checkpoint reader: the golden pytorch_model.bin against model.safetensors (bit
// for bit), hand-built checkpoints for dtypes, views and pickle protocols (there is no Python
// torch here to write them), and malformed or hostile files, which must fail with a message
// that names the file, never crash or run anything.

#include <QtTest>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "checkpoint_builder.h"
#include "golden.h"
#include "io/torch_checkpoint_reader.h"

using namespace attrscope;
using namespace std::string_literals;

namespace QTest {
template <>
inline char* toString(const std::string& s) {
    return qstrdup(s.c_str());
}
}  // namespace QTest

namespace {

using namespace ckpt;

// Empty when the file is missing; the comparisons that follow then fail.
Bytes readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

// ---- safetensors, read inline so the test does not depend on the production reader ----------

struct SafeTensor {
    std::string name, dtype;
    std::vector<int64_t> shape;
    Bytes bytes;
};

std::vector<SafeTensor> readSafetensors(const std::string& path) {
    const Bytes file = readFile(path);
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | file.at(i);
    const auto header = nlohmann::json::parse(file.begin() + 8, file.begin() + 8 + headerLen);
    std::vector<std::pair<uint64_t, SafeTensor>> byOffset;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__")
            continue;
        const auto begin = info["data_offsets"][0].get<uint64_t>();
        const auto end = info["data_offsets"][1].get<uint64_t>();
        const auto data = file.begin() + 8 + headerLen;
        byOffset.push_back(
            {begin,
             {name, info["dtype"].get<std::string>(), info["shape"].get<std::vector<int64_t>>(),
              Bytes(data + begin, data + end)}});
    }
    std::sort(byOffset.begin(), byOffset.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<SafeTensor> out;
    for (auto& entry : byOffset)
        out.push_back(std::move(entry.second));
    return out;
}

Expected<std::vector<RawTensor>> parse(const Bytes& file, bool verifyChecksums = true) {
    TorchCheckpointOptions options;
    options.verifyChecksums = verifyChecksums;
    return parseTorchCheckpoint(file.data(), file.size(), "test.bin", options);
}

std::string fixtureDir() {
    return std::string(ATTRSCOPE_TEST_DATA_DIR) + "/checkpoints";
}

}  // namespace

class TestTorchCheckpoint : public QObject {
    Q_OBJECT

private:
    // The call must fail, and its message must name the file and contain `fragment`.
    static void expectError(const Expected<std::vector<RawTensor>>& r, const std::string& fragment,
                            const std::string& file = "test.bin") {
        QVERIFY2(!r.ok(), ("unexpectedly parsed; wanted an error with: " + fragment).c_str());
        const std::string& m = r.error();
        QVERIFY2(m.rfind(file + ": ", 0) == 0, ("message does not name the file: " + m).c_str());
        QVERIFY2(m.find(fragment) != std::string::npos,
                 ("'" + fragment + "' not in: " + m).c_str());
    }

private Q_SLOTS:
    void goldenMatchesSafetensors() {
        auto tensors = readTorchCheckpoint(golden::modelDir() + "/pytorch_model.bin");
        QVERIFY2(tensors.ok(), tensors.error().c_str());
        const auto expected = readSafetensors(golden::modelDir() + "/model.safetensors");
        QCOMPARE(tensors->size(), size_t(73));
        QCOMPARE(tensors->size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            const RawTensor& t = (*tensors)[i];
            QCOMPARE(t.name, expected[i].name);
            QCOMPARE(t.dtype, std::string("F32"));
            QCOMPARE(expected[i].dtype, std::string("F32"));
            QVERIFY2(t.shape == expected[i].shape, t.name.c_str());
            QVERIFY2(t.bytes == expected[i].bytes, t.name.c_str());
        }
        QCOMPARE((*tensors)[0].name, std::string("bert.embeddings.word_embeddings.weight"));
        QCOMPARE((*tensors)[0].shape, (std::vector<int64_t>{30522, 64}));
    }

    void memoryMatchesFile() {
        const std::string path = golden::modelDir() + "/pytorch_model.bin";
        const Bytes file = readFile(path);
        auto fromMemory = parseTorchCheckpoint(file.data(), file.size(), "golden.bin");
        auto fromFile = readTorchCheckpoint(path);
        QVERIFY2(fromMemory.ok(), fromMemory.error().c_str());
        QVERIFY(fromFile.ok());
        QCOMPARE(fromMemory->size(), fromFile->size());
        for (size_t i = 0; i < fromFile->size(); ++i) {
            QCOMPARE((*fromMemory)[i].name, (*fromFile)[i].name);
            QVERIFY((*fromMemory)[i].bytes == (*fromFile)[i].bytes);
        }
    }

    void allDtypes() {
        for (int protocol : {2, 4, 5}) {
            auto r = parse(dtypesCheckpoint(protocol));
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->size(), std::size(kDtypeCases));
            for (size_t i = 0; i < r->size(); ++i) {
                const auto& c = kDtypeCases[i];
                QCOMPARE((*r)[i].dtype, std::string(c.code));
                QCOMPARE((*r)[i].shape, (std::vector<int64_t>{2, 3}));
                QVERIFY((*r)[i].bytes == pattern(6 * c.itemSize, static_cast<uint8_t>(i)));
            }
        }
    }

    void untypedStorage() {
        Pickle p(2);
        p.orderedDict().op('(').str("raw");
        writeTensor(p, {"", "UntypedStorage", "0", 10, 2, {8}, {1}}, "torch.storage");
        p.op('u').op('.');
        auto r = parse(makeCheckpoint(p.bytes(), {{"0", pattern(10, 7)}}));
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE((*r)[0].dtype, std::string("U8"));
        const Bytes storage = pattern(10, 7);
        QVERIFY((*r)[0].bytes == Bytes(storage.begin() + 2, storage.end()));
    }

    void stridedViewsAndSharedStorage() {
        for (int protocol : {2, 4}) {
            auto r = parse(makeCheckpoint(stateDictPickle(viewSpecs(), protocol), viewStorages()));
            QVERIFY2(r.ok(), r.error().c_str());
            const auto specs = viewSpecs();
            const auto storages = viewStorages();
            QCOMPARE(r->size(), specs.size());
            for (size_t i = 0; i < specs.size(); ++i) {
                const RawTensor& t = (*r)[i];
                const bool half = specs[i].storageType == "HalfStorage";
                QCOMPARE(t.name, specs[i].name);
                QCOMPARE(t.dtype, std::string(half ? "F16" : "F32"));
                QCOMPARE(t.shape, specs[i].shape);
                const Bytes expected =
                    referenceView(storages[half ? 1 : 0].second, half ? 2 : 4, specs[i]);
                QVERIFY2(t.bytes == expected, t.name.c_str());
            }
            QCOMPARE((*r)[4].bytes.size(), size_t(4));   // scalar
            QCOMPARE((*r)[5].bytes.size(), size_t(48));  // broadcast 3x4 from one row
            QVERIFY((*r)[6].bytes.empty());
        }
    }

    void protocol4Memo() {
        // FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, plus BINGET of a memoized global.
        Pickle p(4);
        p.global("collections", "OrderedDict");
        const uint32_t orderedDict = p.lastMemo();
        p.op(')').op('R').op('(');
        for (int i = 0; i < 3; ++i) {
            p.str("t" + std::to_string(i)).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu");
            p.integer(3).op('t').op('Q').integer(i).op(')').op(')').op(0x89);
            p.get(orderedDict).op(')').op('R').op('t').op('R');
        }
        p.op('u').op('.');
        auto r = parse(makeCheckpoint(p.bytes(), {{"0", pattern(12, 0)}}));
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->size(), size_t(3));
        QVERIFY((*r)[2].shape.empty());
        const Bytes storage = pattern(12, 0);
        QVERIFY((*r)[2].bytes == Bytes(storage.begin() + 8, storage.end()));
    }

    void parametersAndMetadata() {
        for (const char* arg : {"None", "{}"}) {
            auto r = parse(parametersCheckpoint(arg));
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->size(), size_t(3));
            QCOMPARE((*r)[0].name, std::string("weight"));
            QVERIFY((*r)[0].bytes == pattern(24, 3));
            QCOMPARE((*r)[1].name, std::string("bias"));
            QCOMPARE((*r)[2].dtype, std::string("I64"));
            QVERIFY((*r)[2].shape.empty());
        }
        expectError(parse(parametersCheckpoint("conj")), "metadata");
    }

    void nestedStateDicts() {
        for (const char* key : {"state_dict", "model"}) {
            auto r = parse(nestedCheckpoint(key));
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->size(), size_t(1));
            QCOMPARE((*r)[0].name, std::string("w"));
        }
        expectError(parse(nestedCheckpoint("weights")), "'epoch' is of type int, not a tensor");

        Pickle p(2);
        p.op('}').op('(');
        for (const char* key : {"state_dict", "model"}) {
            p.str(key).op('}').str("w");
            writeTensor(p, {"", "FloatStorage", "0", 4, 0, {4}, {1}});
            p.op('s');
        }
        p.op('u').op('.');
        expectError(parse(makeCheckpoint(p.bytes(), {{"0", pattern(16, 0)}})), "both");
    }

    void repeatedKeyKeepsFirstPositionAndLastValue() {
        auto r = parse(makeCheckpoint(stateDictPickle({{"a", "FloatStorage", "0", 2, 0, {1}, {1}},
                                                       {"b", "FloatStorage", "0", 2, 0, {1}, {1}},
                                                       {"a", "FloatStorage", "0", 2, 1, {1}, {1}}}),
                                      {{"0", pattern(8, 0)}}));
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->size(), size_t(2));
        QCOMPARE((*r)[0].name, std::string("a"));
        const Bytes storage = pattern(8, 0);
        QVERIFY((*r)[0].bytes == Bytes(storage.begin() + 4, storage.end()));
    }

    void zipVariants() {
        const Bytes pickle = stateDictPickle(viewSpecs());
        std::vector<ZipStyle> styles(5);
        styles[1].zip64End = false;
        styles[2].dataDescriptor = true;
        styles[3].zip64Extra = true;
        styles[4].comment = "a comment PK\x05\x06 with a fake signature";
        for (const auto& prefix : {"archive", "pytorch_model", "my model-v2.pt"}) {
            for (const auto& style : styles) {
                auto r = parse(makeCheckpoint(
                    pickle, viewStorages(), prefix, style,
                    {{std::string(prefix) + "/byteorder", {'l', 'i', 't', 't', 'l', 'e'}}}));
                QVERIFY2(r.ok(), r.error().c_str());
                QCOMPARE(r->size(), viewSpecs().size());
            }
        }
    }

    // ---- errors ----------------------------------------------------------------------------

    void truncatedGolden() {
        const Bytes file = readFile(golden::modelDir() + "/pytorch_model.bin");
        for (size_t size : {size_t(0), size_t(1), size_t(8), size_t(21), size_t(22), size_t(100),
                            size_t(4096), file.size() / 2, file.size() - 200, file.size() - 23,
                            file.size() - 22, file.size() - 1}) {
            auto r = parseTorchCheckpoint(file.data(), size, "cut.bin");
            expectError(r, "", "cut.bin");
        }
    }

    void corruptedGoldenStorage() {
        Bytes file = readFile(golden::modelDir() + "/pytorch_model.bin");
        file[file.size() / 2] ^= 0x40;  // inside data/0, the word embeddings
        expectError(parseTorchCheckpoint(file.data(), file.size(), "flip.bin"), "CRC-32",
                    "flip.bin");
        TorchCheckpointOptions noCrc;
        noCrc.verifyChecksums = false;
        QVERIFY(parseTorchCheckpoint(file.data(), file.size(), "flip.bin", noCrc).ok());
    }

    void randomBytes() {
        std::mt19937 rng(1234);
        for (int i = 0; i < 300; ++i) {
            Bytes b(rng() % 4096);
            for (auto& x : b)
                x = static_cast<uint8_t>(rng());
            if (i % 3 == 0 && b.size() >= 4)
                std::memcpy(b.data(), "PK\x03\x04", 4);
            if (i % 3 == 1 && b.size() >= 22)
                std::memcpy(&b[b.size() - 22], "PK\x05\x06", 4);
            expectError(parse(b), "");
        }
    }

    void notACheckpoint() {
        expectError(parse(makeZip({{"archive/version", {'3'}}, {"archive/data/0", {1, 2}}})),
                    "no <folder>/data.pkl");
        expectError(parse(makeZip({{"data.pkl", stateDictPickle({})}})), "no <folder>/data.pkl");
        expectError(parse(makeZip({{"a/data.pkl", stateDictPickle({})},
                                   {"b/data.pkl", stateDictPickle({})}})),
                    "several data.pkl");
        expectError(parse(makeCheckpoint(stateDictPickle({}), {}, "archive", {},
                                         {{"archive/constants.pkl", {}}})),
                    "TorchScript");
        expectError(parse(makeCheckpoint(stateDictPickle({}), {}, "archive", {},
                                         {{"archive/byteorder", {'b', 'i', 'g'}}})),
                    "big-endian");
        Bytes legacy = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8};
        expectError(parse(legacy), "legacy");
        const Bytes safetensors = readFile(golden::modelDir() + "/model.safetensors");
        expectError(parseTorchCheckpoint(safetensors.data(), safetensors.size(), "test.bin"),
                    "not a zip archive");
        QVERIFY(parse(makeCheckpoint(stateDictPickle({}), {})).ok());  // empty state dict
        auto missing = readTorchCheckpoint("/nonexistent/pytorch_model.bin");
        expectError(missing, "cannot open", "/nonexistent/pytorch_model.bin");
    }

    void forbiddenGlobals_data() {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("protocol");
        QTest::newRow("builtins.eval") << "builtins"
                                       << "eval" << 2;
        QTest::newRow("os.system") << "os"
                                   << "system" << 4;
        QTest::newRow("posix.system") << "posix"
                                      << "system" << 2;
        QTest::newRow("__builtin__.getattr") << "__builtin__"
                                             << "getattr" << 2;
        QTest::newRow("qtensor") << "torch._utils"
                                 << "_rebuild_qtensor" << 2;
        QTest::newRow("module class") << "torch.nn.modules.linear"
                                      << "Linear" << 4;
        QTest::newRow("Counter") << "collections"
                                 << "Counter" << 2;
        QTest::newRow("ShortStorage") << "torch"
                                      << "ShortStorage" << 2;
    }
    void forbiddenGlobals() {
        QFETCH(QString, module);
        QFETCH(QString, name);
        QFETCH(int, protocol);
        // A valid tensor first: the refusal must also happen mid-stream.
        Pickle p(protocol);
        p.orderedDict().op('(').str("ok");
        writeTensor(p, {"", "FloatStorage", "0", 1, 0, {}, {}});
        p.str("evil").global(module.toStdString(), name.toStdString());
        p.str("print('pwned')").op(0x85).op('R').op('u').op('.');
        auto r = parse(makeCheckpoint(p.bytes(), {{"0", pattern(4, 0)}}));
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), "test.bin: unsupported object in checkpoint: " + module.toStdString() +
                                "." + name.toStdString());
    }

    void forbiddenUses() {
        // Allowed globals used in ways a state dict never does.
        expectError(parse(withPickle("\x80\x02"
                                     "ctorch\nFloatStorage\n)R."s)),
                    "unsupported object in checkpoint: call of torch.FloatStorage");
        expectError(parse(withPickle("\x80\x02"
                                     "ctorch\nfloat32\n)\x81."s)),
                    "unsupported object in checkpoint: NEWOBJ of torch.float32");
        expectError(parse(withPickle("\x80\x02"
                                     "ccollections\nOrderedDict\n]\x85R."s)),
                    "OrderedDict built from arguments");
        expectError(parse(withPickle("\x80\x02(X\x07\x00\x00\x00"
                                     "storage"
                                     "ccollections\nOrderedDict\nX\x01\x00\x00\x00"
                                     "0"
                                     "X\x03\x00\x00\x00"
                                     "cpuK\x01tQ."s,
                                     {{"0", {0}}})),
                    "unsupported storage type in checkpoint: collections.OrderedDict");
        expectError(parse(withPickle("\x80\x02]K\x01\x62."s)), "state of a list");
    }

    void storageErrors() {
        const TensorSpec t{"w", "FloatStorage", "7", 10, 0, {10}, {1}};
        expectError(parse(makeCheckpoint(stateDictPickle({t}), {{"0", pattern(40, 0)}})),
                    "missing storage record data/7");
        expectError(parse(makeCheckpoint(stateDictPickle({t}), {{"7", pattern(36, 0)}})),
                    "storage data/7 holds 36 bytes, but the checkpoint declares 10 F32 elements");
        const TensorSpec other{"v", "IntStorage", "7", 10, 0, {10}, {1}};
        expectError(parse(makeCheckpoint(stateDictPickle({t, other}), {{"7", pattern(40, 0)}})),
                    "different types or sizes");
    }

    void viewsOutsideStorage_data() {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<QList<qint64>>("stride");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("offset at end")
            << 10LL << QList<qint64>{1} << QList<qint64>{1} << "outside its storage";
        QTest::newRow("offset past end of empty")
            << 11LL << QList<qint64>{0} << QList<qint64>{1} << "outside its storage";
        QTest::newRow("extent") << 0LL << QList<qint64>{3, 4} << QList<qint64>{4, 1}
                                << "outside its storage";
        QTest::newRow("offset plus extent")
            << 1LL << QList<qint64>{10} << QList<qint64>{1} << "outside its storage";
        QTest::newRow("huge stride")
            << 0LL << QList<qint64>{3} << QList<qint64>{1LL << 62} << "implausibly large";
        QTest::newRow("huge size") << 0LL << QList<qint64>{1LL << 40, 1LL << 40}
                                   << QList<qint64>{0, 0} << "implausibly large";
        QTest::newRow("negative size")
            << 0LL << QList<qint64>{-1} << QList<qint64>{1} << "malformed tensor size";
        QTest::newRow("negative offset")
            << -1LL << QList<qint64>{1} << QList<qint64>{1} << "malformed _rebuild_tensor_v2";
        QTest::newRow("expanded beyond budget")
            << 0LL << QList<qint64>{1LL << 40} << QList<qint64>{0} << "expands to more data";
        QTest::newRow("rank mismatch")
            << 0LL << QList<qint64>{2, 2} << QList<qint64>{1} << "malformed _rebuild_tensor_v2";
    }
    void viewsOutsideStorage() {
        QFETCH(qint64, offset);
        QFETCH(QList<qint64>, shape);
        QFETCH(QList<qint64>, stride);
        QFETCH(QString, fragment);
        TensorSpec t{"w", "FloatStorage", "0", 10, offset, {}, {}};
        for (qint64 n : shape)
            t.shape.push_back(n);
        for (qint64 s : stride)
            t.stride.push_back(s);
        expectError(parse(makeCheckpoint(stateDictPickle({t}), {{"0", pattern(40, 0)}})),
                    fragment.toStdString());
    }

    void malformedPickles_data() {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("fragment");
        auto row = [](const char* name, std::string bytes, const char* fragment) {
            QTest::newRow(name) << QByteArray(bytes.data(), static_cast<int>(bytes.size()))
                                << fragment;
        };
        row("empty", ""s, "truncated (no STOP opcode)");
        row("no STOP", "\x80\x02}"s, "truncated (no STOP opcode)");
        row("stack underflow", "\x80\x02R."s, "stack underflow");
        row("underflow below MARK", "\x80\x02}(s."s, "stack underflow");
        row("memo missing", "\x80\x02h\x05."s, "memo entry 5 missing");
        row("long memo missing", "\x80\x02j\x00\x01\x00\x00."s, "memo entry 256 missing");
        row("put on empty stack", "\x80\x02q\x00."s, "stack underflow");
        row("TUPLE without MARK", "\x80\x02t."s, "no MARK");
        row("truncated string",
            "\x80\x02X\xff\x00\x00\x00"
            "ab"s,
            "truncated");
        row("truncated int", "\x80\x02J\x01"s, "truncated");
        row("truncated GLOBAL",
            "\x80\x02"
            "cbuiltins\neva"s,
            "truncated");
        row("unknown opcode", "\x80\x02\xff."s, "unsupported pickle opcode 0xff");
        row("text opcode", "\x80\x02I1\n."s, "unsupported pickle opcode 0x49");
        row("protocol 6", "\x80\x06}."s, "unsupported pickle protocol");
        row("frame too long", "\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00}."s, "truncated");
        row("integer too large", "\x80\x02\x8a\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09."s,
            "integer too large");
        row("negative BINSTRING", "\x80\x02T\xff\xff\xff\xff."s, "negative string length");
        row("STACK_GLOBAL of ints", "\x80\x04K\x01K\x02\x93."s, "STACK_GLOBAL needs two strings");
        row("persistent id not a tuple", "\x80\x02K\x01Q."s, "unexpected persistent id");
        row("persistent id tag", "\x80\x02(K\x01K\x02K\x03K\x04K\x05tQ."s, "not a storage");
        row("append to dict", "\x80\x02}K\x01\x61."s, "cannot add items to an object of type dict");
        row("odd SETITEMS", "\x80\x02}(K\x01u."s, "odd number of dict items");
        row("call an int", "\x80\x02K\x01)R."s, "cannot call an object of type int");
        row("REDUCE args not tuple", "\x80\x02K\x01]R."s, "REDUCE arguments are not a tuple");
        row("top-level list", "\x80\x02]."s, "the top-level object is of type list");
        row("self-referencing list", "\x80\x02]q\x00h\x00\x61."s,
            "the top-level object is of type list");
        row("int value",
            "\x80\x02}X\x01\x00\x00\x00"
            "aK\x01s."s,
            "'a' is of type int");
        row("int key", "\x80\x02}K\x01K\x02s."s, "a key is of type int");
        row("rebuild arity",
            "\x80\x02"
            "ctorch._utils\n_rebuild_tensor_v2\n)R."s,
            "takes 6 or 7 arguments");
        row("parameter of int",
            "\x80\x02"
            "ctorch._utils\n_rebuild_parameter\nK\x01K\x02K\x03\x87R."s,
            "malformed _rebuild_parameter");
        row("invalid UTF-8 name",
            "\x80\x02}X\x01\x00\x00\x00\xff"
            "ctorch._utils\n_rebuild_tensor_v2\n"
            "((X\x07\x00\x00\x00"
            "storagectorch\nByteStorage\nX\x01\x00\x00\x00"
            "0"
            "X\x03\x00\x00\x00"
            "cpuK\x01tQK\x00))\x89}tRs."s,
            "not valid UTF-8");
    }
    void malformedPickles() {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, fragment);
        expectError(parse(withPickle(pickle.toStdString(), {{"0", {1}}})), fragment.toStdString());
    }

    void zipStructureErrors() {
        const Bytes good = makeCheckpoint(stateDictPickle(viewSpecs()), viewStorages());
        const size_t cd = std::string(good.begin(), good.end()).find("PK\x01\x02");
        QVERIFY(cd != std::string::npos);
        auto patched = [&](size_t at, std::initializer_list<uint8_t> bytes) {
            Bytes b = good;
            std::copy(bytes.begin(), bytes.end(), b.begin() + static_cast<long>(at));
            return b;
        };
        expectError(parse(patched(cd + 8, {0x01})), "encrypted");
        expectError(parse(patched(cd + 10, {0x08})), "compressed (method 8)");
        expectError(parse(patched(cd + 42, {0x01})), "bad local header");
        expectError(parse(patched(cd + 20, {0x00, 0x00})), "size mismatch");
        expectError(parse(patched(cd + 24, {0xff, 0xff, 0xff, 0xff})), "missing zip64 field");
        expectError(parse(patched(cd, {'X'})), "bad central directory entry 0");
        expectError(parse(patched(0, {'X'})), "bad local header");
        expectError(parse(patched(good.size() - 22 + 10, {0xff, 0x00})),
                    "multi-volume");  // the two entry counts disagree
        expectError(parse(makeZip({{"archive/data.pkl", {}}, {"archive/data.pkl", {}}})),
                    "duplicate entry");
        Bytes bigger = makeCheckpoint(stateDictPickle(viewSpecs()), viewStorages(), "archive",
                                      {false, false, false, "", ""});
        const size_t eocd = bigger.size() - 22;
        bigger[eocd + 19] = 0x7f;  // central directory offset beyond the file
        expectError(parse(bigger), "central directory outside the file");
        expectError(parse(makeCheckpoint(stateDictPickle(viewSpecs()), viewStorages(), "archive",
                                         {true, false, false, "", "archive/data.pkl"})),
                    "archive/data.pkl is corrupt (CRC-32 mismatch)");
    }

    // Every single-byte change and every truncation of a small checkpoint either parses or fails
    // cleanly (run under ASan/UBSan to make this bite).
    void mutationsNeverCrash() {
        const Bytes base =
            makeCheckpoint(stateDictPickle(viewSpecs(), 4), viewStorages(), "archive", {});
        int parsed = 0, failed = 0;
        for (size_t i = 0; i < base.size(); ++i) {
            for (uint8_t v :
                 {uint8_t(0), uint8_t(0xff), uint8_t(base[i] ^ 1), uint8_t(base[i] + 0x80)}) {
                Bytes b = base;
                b[i] = v;
                (parse(b, false).ok() ? parsed : failed)++;
            }
        }
        for (size_t n = 0; n < base.size(); ++n) {
            auto r = parseTorchCheckpoint(base.data(), n, "cut.bin");
            QVERIFY(!r.ok());
        }
        QVERIFY(parsed > 0 && failed > 0);
    }

    // tests/data/checkpoints holds these files as fuzz seeds; they must stay in sync with the
    // builders here. ATTRSCOPE_WRITE_CHECKPOINT_FIXTURES=1 rewrites them.
    void committedFixtures() {
        const bool write = qEnvironmentVariableIsSet("ATTRSCOPE_WRITE_CHECKPOINT_FIXTURES");
        for (const auto& [name, bytes] : fixtures()) {
            const std::string path = fixtureDir() + "/" + name;
            QVERIFY2(bytes.size() <= 50 * 1024, name.c_str());
            if (write) {
                std::ofstream(path, std::ios::binary)
                    .write(reinterpret_cast<const char*>(bytes.data()),
                           static_cast<std::streamsize>(bytes.size()));
            }
            QVERIFY2(readFile(path) == bytes, ("missing or stale fixture " + path).c_str());
            auto r = readTorchCheckpoint(path);
            QVERIFY2(r.ok(), r.error().c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestTorchCheckpoint)
#include "test_torch_checkpoint.moc"
