#pragma once
// Builds torch.save-style checkpoints byte by byte (a pickle in a stored zip archive) for the
// checkpoint reader's tests and its committed fuzz seeds: there is no Python torch here.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ckpt {

using Bytes = std::vector<uint8_t>;

// A pickle writer, enough to emit what torch.save emits (protocol 2) and what newer picklers
// emit (protocol 4/5: FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL).
class Pickle {
public:
    explicit Pickle(int protocol) : protocol_(protocol) {}
    Pickle& op(uint8_t c) {
        body_.push_back(c);
        return *this;
    }
    Pickle& raw(const std::string& s) {
        body_.insert(body_.end(), s.begin(), s.end());
        return *this;
    }
    Pickle& le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            op(static_cast<uint8_t>(v >> (8 * i)));
        return *this;
    }
    Pickle& str(const std::string& s) {
        if (protocol_ >= 4 && s.size() < 256)
            op(0x8c).op(static_cast<uint8_t>(s.size()));
        else
            op('X').le(s.size(), 4);
        return raw(s).memoize();
    }
    Pickle& integer(int64_t v) {
        if (v >= 0 && v < 256)
            return op('K').le(static_cast<uint64_t>(v), 1);
        if (v >= 0 && v < 65536)
            return op('M').le(static_cast<uint64_t>(v), 2);
        if (v >= INT32_MIN && v <= INT32_MAX)
            return op('J').le(static_cast<uint64_t>(v), 4);
        return op(0x8a).op(8).le(static_cast<uint64_t>(v), 8);
    }
    Pickle& global(const std::string& module, const std::string& name) {
        if (protocol_ >= 4)
            return str(module).str(name).op(0x93).memoize();
        return op('c').raw(module + "\n" + name + "\n").memoize();
    }
    Pickle& memoize() {
        lastMemo_ = memoCount_++;
        if (protocol_ >= 4)
            return op(0x94);
        return lastMemo_ < 256 ? op('q').le(lastMemo_, 1) : op('r').le(lastMemo_, 4);
    }
    Pickle& get(uint32_t index) {
        return index < 256 ? op('h').le(index, 1) : op('j').le(index, 4);
    }
    uint32_t lastMemo() const { return lastMemo_; }
    Pickle& orderedDict() { return global("collections", "OrderedDict").op(')').op('R'); }
    Pickle& ints(const std::vector<int64_t>& v) {
        if (v.empty())
            return op(')');
        if (v.size() <= 3) {
            for (int64_t x : v)
                integer(x);
            return op(static_cast<uint8_t>(0x84 + v.size()));
        }
        op('(');
        for (int64_t x : v)
            integer(x);
        return op('t');
    }
    Bytes bytes() const {
        Bytes out = {0x80, static_cast<uint8_t>(protocol_)};
        if (protocol_ >= 4) {  // one frame around the body, as Python writes it
            out.push_back(0x95);
            for (int i = 0; i < 8; ++i)
                out.push_back(static_cast<uint8_t>(body_.size() >> (8 * i)));
        }
        out.insert(out.end(), body_.begin(), body_.end());
        return out;
    }

private:
    int protocol_;
    Bytes body_;
    uint32_t memoCount_ = 0;
    uint32_t lastMemo_ = 0;
};

struct TensorSpec {
    std::string name;
    std::string storageType;  // a torch global, e.g. "FloatStorage"
    std::string key;
    int64_t storageNumel;
    int64_t offset;
    std::vector<int64_t> shape, stride;
};

// _rebuild_tensor_v2(('storage', <module>.<type>, key, 'cpu', numel), offset, size, stride, False,
// OrderedDict()) as torch.save writes it; leaves the tensor on the stack.
void writeTensor(Pickle& p, const TensorSpec& t, const std::string& storageModule = "torch");
// OrderedDict of the tensors, as torch.save(model.state_dict()) writes it.
Bytes stateDictPickle(const std::vector<TensorSpec>& tensors, int protocol = 2);

// ---- a zip writer shaped like torch's (stored entries, zip64 end records) --------------------

struct Record {
    std::string name;
    Bytes data;
    uint16_t method = 0;
};

struct ZipStyle {
    bool zip64End = true;         // torch always writes zip64 end records
    bool dataDescriptor = false;  // sizes after the data, as torch's writer does
    bool zip64Extra = false;      // saturated central fields + zip64 extra field
    std::string comment;
    std::string badCrcFor;  // record whose CRC is written wrong
};

uint32_t crc32(const Bytes& data);  // bit by bit, independent of the reader's
Bytes makeZip(const std::vector<Record>& records, const ZipStyle& style = {});

using Storages = std::vector<std::pair<std::string, Bytes>>;  // key -> bytes
// <prefix>/data.pkl, <prefix>/data/<key>..., <prefix>/version, then `extra`.
Bytes makeCheckpoint(const Bytes& pickle, const Storages& storages,
                     const std::string& prefix = "archive", const ZipStyle& style = {},
                     std::vector<Record> extra = {});
// Raw pickle bytes in a torch-style archive.
Bytes withPickle(const std::string& pickle, const Storages& storages = {});

Bytes pattern(size_t n, uint8_t seed);  // deterministic filler
// Element-by-element reference for a strided view.
Bytes referenceView(const Bytes& storage, size_t itemSize, const TensorSpec& t);

// ---- checkpoints shared by the tests and the committed fuzz seeds ---------------------------

std::vector<TensorSpec> viewSpecs();  // 24 floats viewed many ways, plus a half storage
Storages viewStorages();

struct DtypeCase {
    const char* storageType;
    const char* code;
    size_t itemSize;
};
inline constexpr DtypeCase kDtypeCases[] = {
    {"FloatStorage", "F32", 4},  {"HalfStorage", "F16", 2}, {"BFloat16Storage", "BF16", 2},
    {"DoubleStorage", "F64", 8}, {"LongStorage", "I64", 8}, {"IntStorage", "I32", 4},
    {"CharStorage", "I8", 1},    {"ByteStorage", "U8", 1},  {"BoolStorage", "BOOL", 1}};

// One [2, 3] tensor per dtype.
Bytes dtypesCheckpoint(int protocol);
// {"epoch": 3, key: {"w": tensor}, "optimizer": {"lr": 0.1, "betas": [0.9, 0.999]}}
Bytes nestedCheckpoint(const std::string& key);
// Parameters (with and without state), a 7-argument _rebuild_tensor_v2 whose metadata is
// `metadataArg` ("None", "{}" or anything else for {"conj": True}), and `_metadata` via BUILD.
Bytes parametersCheckpoint(const std::string& metadataArg = "None");
// File name -> bytes of the seeds kept in tests/data/checkpoints.
std::map<std::string, Bytes> fixtures();

}  // namespace ckpt
