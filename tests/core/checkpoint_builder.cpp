#include "checkpoint_builder.h"

namespace ckpt {

void writeTensor(Pickle& p, const TensorSpec& t, const std::string& storageModule) {
    p.global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.op('(').str("storage").global(storageModule, t.storageType).str(t.key).str("cpu");
    p.integer(t.storageNumel).op('t').op('Q');
    p.integer(t.offset).ints(t.shape).ints(t.stride).op(0x89).orderedDict();
    p.op('t').op('R');
}

Bytes stateDictPickle(const std::vector<TensorSpec>& tensors, int protocol) {
    Pickle p(protocol);
    p.orderedDict().op('(');
    for (const auto& t : tensors) {
        p.str(t.name);
        writeTensor(p, t);
    }
    p.op('u').op('.');
    return p.bytes();
}

uint32_t crc32(const Bytes& data) {
    uint32_t c = 0xffffffff;
    for (uint8_t b : data) {
        c ^= b;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

namespace {

void put(Bytes& out, uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

Bytes makeZip(const std::vector<Record>& records, const ZipStyle& style) {
    Bytes out, central;
    for (const Record& r : records) {
        const uint64_t offset = out.size();
        const uint32_t crc = crc32(r.data) ^ (r.name == style.badCrcFor ? 1u : 0u);
        const uint16_t flags = style.dataDescriptor ? 0x0808 : 0;
        put(out, 0x04034b50, 4);
        put(out, 20, 2);
        put(out, flags, 2);
        put(out, r.method, 2);
        put(out, 0, 2);
        put(out, 0x21, 2);
        put(out, style.dataDescriptor ? 0 : crc, 4);
        put(out, style.dataDescriptor ? 0 : r.data.size(), 4);
        put(out, style.dataDescriptor ? 0 : r.data.size(), 4);
        put(out, r.name.size(), 2);
        put(out, 0, 2);
        out.insert(out.end(), r.name.begin(), r.name.end());
        out.insert(out.end(), r.data.begin(), r.data.end());
        if (style.dataDescriptor) {
            put(out, 0x08074b50, 4);
            put(out, crc, 4);
            put(out, r.data.size(), 4);
            put(out, r.data.size(), 4);
        }
        const uint64_t sat = 0xffffffff;
        put(central, 0x02014b50, 4);
        put(central, 0x031e, 2);
        put(central, 45, 2);
        put(central, flags, 2);
        put(central, r.method, 2);
        put(central, 0, 2);
        put(central, 0x21, 2);
        put(central, crc, 4);
        put(central, style.zip64Extra ? sat : r.data.size(), 4);
        put(central, style.zip64Extra ? sat : r.data.size(), 4);
        put(central, r.name.size(), 2);
        put(central, style.zip64Extra ? 28 : 0, 2);
        put(central, 0, 2);
        put(central, 0, 2);
        put(central, 0, 2);
        put(central, 0, 4);
        put(central, style.zip64Extra ? sat : offset, 4);
        central.insert(central.end(), r.name.begin(), r.name.end());
        if (style.zip64Extra) {
            put(central, 0x0001, 2);
            put(central, 24, 2);
            put(central, r.data.size(), 8);
            put(central, r.data.size(), 8);
            put(central, offset, 8);
        }
    }
    const uint64_t cdOffset = out.size();
    out.insert(out.end(), central.begin(), central.end());
    if (style.zip64End) {
        const uint64_t z64 = out.size();
        put(out, 0x06064b50, 4);
        put(out, 44, 8);
        put(out, 0x031e, 2);
        put(out, 45, 2);
        put(out, 0, 4);
        put(out, 0, 4);
        put(out, records.size(), 8);
        put(out, records.size(), 8);
        put(out, central.size(), 8);
        put(out, cdOffset, 8);
        put(out, 0x07064b50, 4);
        put(out, 0, 4);
        put(out, z64, 8);
        put(out, 1, 4);
    }
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, records.size(), 2);
    put(out, records.size(), 2);
    put(out, central.size(), 4);
    put(out, cdOffset, 4);
    put(out, style.comment.size(), 2);
    out.insert(out.end(), style.comment.begin(), style.comment.end());
    return out;
}

Bytes makeCheckpoint(const Bytes& pickle, const Storages& storages, const std::string& prefix,
                     const ZipStyle& style, std::vector<Record> extra) {
    std::vector<Record> records = {{prefix + "/data.pkl", pickle}};
    for (const auto& [key, data] : storages)
        records.push_back({prefix + "/data/" + key, data});
    records.push_back({prefix + "/version", {'3', '\n'}});
    for (auto& r : extra)
        records.push_back(std::move(r));
    return makeZip(records, style);
}

Bytes pattern(size_t n, uint8_t seed) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i)
        b[i] = static_cast<uint8_t>(i * 31 + seed);
    return b;
}

Bytes referenceView(const Bytes& storage, size_t itemSize, const TensorSpec& t) {
    int64_t numel = 1;
    for (int64_t n : t.shape)
        numel *= n;
    Bytes out;
    for (int64_t linear = 0; linear < numel; ++linear) {
        int64_t rest = linear, pos = t.offset;
        for (size_t d = t.shape.size(); d-- > 0;) {
            pos += (rest % t.shape[d]) * t.stride[d];
            rest /= t.shape[d];
        }
        out.insert(out.end(), storage.begin() + pos * itemSize,
                   storage.begin() + (pos + 1) * itemSize);
    }
    return out;
}

Bytes withPickle(const std::string& pickle, const Storages& storages) {
    return makeCheckpoint(Bytes(pickle.begin(), pickle.end()), storages);
}

std::vector<TensorSpec> viewSpecs() {
    return {{"transposed", "FloatStorage", "0", 24, 0, {6, 4}, {1, 6}},
            {"every_other_column", "FloatStorage", "0", 24, 7, {2, 3}, {8, 2}},
            {"row_slice", "FloatStorage", "0", 24, 6, {6}, {1}},
            {"whole", "FloatStorage", "0", 24, 0, {4, 6}, {6, 1}},
            {"scalar", "FloatStorage", "0", 24, 23, {}, {}},
            {"broadcast", "FloatStorage", "0", 24, 2, {3, 4}, {0, 1}},
            {"empty", "FloatStorage", "0", 24, 24, {0, 5}, {5, 1}},
            {"own_storage", "HalfStorage", "1", 8, 0, {2, 4}, {4, 1}}};
}
Storages viewStorages() {
    return {{"0", pattern(96, 1)}, {"1", pattern(16, 2)}};
}

Bytes dtypesCheckpoint(int protocol) {
    std::vector<TensorSpec> specs;
    Storages storages;
    for (size_t i = 0; i < std::size(kDtypeCases); ++i) {
        const auto& c = kDtypeCases[i];
        const std::string key = std::to_string(i);
        specs.push_back({std::string("t_") + c.code, c.storageType, key, 6, 0, {2, 3}, {3, 1}});
        storages.push_back({key, pattern(6 * c.itemSize, static_cast<uint8_t>(i))});
    }
    return makeCheckpoint(stateDictPickle(specs, protocol), storages, "pytorch_model");
}

// {"epoch": 3, "state_dict": {...}, "optimizer": {"lr": 0.1, "betas": [0.9, 0.999]}}
Bytes nestedCheckpoint(const std::string& key) {
    Pickle p(2);
    p.op('}').op('(').str("epoch").integer(3).str(key);
    p.orderedDict().op('(').str("w");
    writeTensor(p, {"w", "FloatStorage", "0", 4, 0, {2, 2}, {2, 1}});
    p.op('u').str("optimizer").op('}').op('(').str("lr").op('G');
    for (uint8_t b : {0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a})
        p.op(b);
    p.str("betas").op(']').op('(').op('G');
    for (uint8_t b : {0x3f, 0xec, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcd})
        p.op(b);
    p.op('G');
    for (uint8_t b : {0x3f, 0xef, 0xf7, 0xce, 0xd9, 0x16, 0x87, 0x2b})
        p.op(b);
    p.op('e').op('u').op('u').op('.');
    return makeCheckpoint(p.bytes(), {{"0", pattern(16, 9)}});
}

// Parameters (with and without state), a 7-argument _rebuild_tensor_v2, and the `_metadata`
// attribute that Module.state_dict() attaches (pickled with BUILD).
Bytes parametersCheckpoint(const std::string& metadataArg) {
    Pickle p(2);
    p.orderedDict().op('(');
    p.str("weight").global("torch._utils", "_rebuild_parameter");
    writeTensor(p, {"", "FloatStorage", "0", 6, 0, {2, 3}, {3, 1}});
    p.op(0x88).orderedDict().op(0x87).op('R');
    p.str("bias").global("torch._utils", "_rebuild_parameter_with_state").op('(');
    writeTensor(p, {"", "FloatStorage", "1", 2, 0, {2}, {1}});
    p.op(0x89).orderedDict().op('}').op('t').op('R');
    p.str("meta_arg").global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.op('(').str("storage").global("torch", "LongStorage").str("2").str("cuda:0").integer(1);
    p.op('t').op('Q').integer(0).op(')').op(')').op(0x89).orderedDict();
    if (metadataArg == "None")
        p.op('N');
    else if (metadataArg == "{}")
        p.op('}');
    else
        p.op('}').str("conj").op(0x88).op('s');
    p.op('t').op('R');
    p.op('u');
    p.op('}').str("_metadata").orderedDict().str("").op('}').str("version").integer(1).op('s');
    p.op('s').op('s').op('b').op('.');
    return makeCheckpoint(p.bytes(),
                          {{"0", pattern(24, 3)}, {"1", pattern(8, 4)}, {"2", pattern(8, 5)}});
}

std::map<std::string, Bytes> fixtures() {
    return {{"views_proto2.bin", makeCheckpoint(stateDictPickle(viewSpecs()), viewStorages())},
            {"views_proto4.bin", makeCheckpoint(stateDictPickle(viewSpecs(), 4), viewStorages(),
                                                "archive", {true, true, false, "", ""})},
            {"dtypes_proto2.bin", dtypesCheckpoint(2)},
            {"nested_state_dict.bin", nestedCheckpoint("state_dict")},
            {"parameters.bin", parametersCheckpoint()}};
}

}  // namespace ckpt
