#pragma once
// The restricted unpickler behind torch_checkpoint_reader: a pickle machine for protocols 2 to 5
// that builds plain data (None, bool, int, float, str, bytes, tuple, list, dict) plus storages
// and tensor views. It executes nothing: the only callables are a short allowlist of torch and
// collections globals, interpreted here; any other global is refused by name.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace attrscope::torch_pickle {

enum DtypeId : int { kF32, kF16, kBF16, kF64, kI64, kI32, kI8, kU8, kBool };
struct DtypeInfo {
    const char* code;  // RawTensor::dtype
    uint64_t itemSize;
};
inline constexpr DtypeInfo kDtypes[] = {{"F32", 4}, {"F16", 2}, {"BF16", 2}, {"F64", 8}, {"I64", 8},
                                        {"I32", 4}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}};

enum class Kind : uint8_t {
    None,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    Tuple,
    List,
    Dict,
    Global,
    Storage,
    Tensor
};
const char* kindName(Kind kind);

// Objects live in one arena and refer to each other by index: pickle memo references may form
// cycles, which shared ownership would leak, and nothing here recurses over the object graph.
using Ref = uint32_t;
struct Object {
    Kind kind = Kind::None;
    int dtype = -1;          // Global (storage type or dtype), Storage: a DtypeId
    int64_t num = 0;         // Bool, Int; Global: which one; Storage: numel; Tensor: view index
    double real = 0;         // Float
    std::string text;        // Str, Bytes; Global: "module.name"; Storage: its key
    std::vector<Ref> items;  // Tuple, List; Dict: key, value, key, value, ...
};

// A tensor as _rebuild_tensor_v2 describes it; checked to lie inside its storage.
struct TensorView {
    Ref storage = 0;  // an Object of kind Storage
    uint64_t offset = 0;
    uint64_t numel = 0;
    std::vector<int64_t> shape;
    std::vector<int64_t> stride;
};

// Size in bytes of the record "<archive>/data/<key>", or nullopt when there is none.
using RecordSize = std::function<std::optional<uint64_t>(const std::string& key)>;

// Names read from the file go into messages: keep them short and free of control characters.
std::string printable(const std::string& s);

class Unpickler {
public:
    Unpickler(const uint8_t* data, size_t size, RecordSize recordSize);

    // Runs to the STOP opcode. On failure error() says why (without the file name).
    bool run(Ref& root);
    const std::string& error() const { return error_; }
    const Object& at(Ref r) const { return objects_[r]; }
    const TensorView& view(Ref tensor) const { return views_[objects_[tensor].num]; }

private:
    bool fail(std::string message);
    bool corrupt(const std::string& what);
    bool need(uint64_t n) { return n <= size_ - pos_ || corrupt("truncated"); }
    uint64_t readLe(int n);
    Ref make(Kind kind);
    Ref makeInt(int64_t v);
    bool pop(Ref& out);
    bool top(Ref& out);
    bool popMark(std::vector<Ref>& items);
    bool pushString(Kind kind, uint64_t len);
    bool readLine(std::string& out);
    bool memoPut(uint64_t index);
    bool memoGet(uint64_t index);
    bool addItems(Ref target, const std::vector<Ref>& items, Kind expected);
    bool pushGlobal(const std::string& module, const std::string& name);
    bool persistentLoad(Ref pid);
    bool reduce(Ref callable, Ref args, Ref& result);
    bool rebuildTensor(const std::vector<Ref>& args, Ref& result);
    bool step(uint8_t op, Ref& root, bool& done);

    const uint8_t* data_;
    size_t size_;
    size_t pos_ = 0;
    size_t opStart_ = 0;
    RecordSize recordSize_;
    std::vector<Object> objects_;
    std::vector<TensorView> views_;
    std::vector<Ref> stack_;
    std::vector<size_t> marks_;  // stack heights at each open MARK
    std::unordered_map<uint64_t, Ref> memo_;
    std::unordered_map<std::string, Ref> storages_;  // one object per storage key
    std::string error_;
};

}  // namespace attrscope::torch_pickle
