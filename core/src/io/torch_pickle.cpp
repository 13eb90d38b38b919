#include "torch_pickle.h"

#include <cstdio>
#include <cstring>
#include <utility>

namespace attrscope::torch_pickle {

namespace {

enum class Global : uint8_t { OrderedDict, RebuildTensorV2, RebuildParameter, StorageType, Dtype };
struct AllowedGlobal {
    const char* name;
    Global kind;
    int dtype;
};
// The whole allowlist. Any other name is refused as soon as its GLOBAL opcode is read.
constexpr AllowedGlobal kAllowedGlobals[] = {
    {"collections.OrderedDict", Global::OrderedDict, -1},
    {"torch._utils._rebuild_tensor_v2", Global::RebuildTensorV2, -1},
    {"torch._utils._rebuild_parameter", Global::RebuildParameter, -1},
    {"torch._utils._rebuild_parameter_with_state", Global::RebuildParameter, -1},
    {"torch.FloatStorage", Global::StorageType, kF32},
    {"torch.HalfStorage", Global::StorageType, kF16},
    {"torch.BFloat16Storage", Global::StorageType, kBF16},
    {"torch.DoubleStorage", Global::StorageType, kF64},
    {"torch.LongStorage", Global::StorageType, kI64},
    {"torch.IntStorage", Global::StorageType, kI32},
    {"torch.CharStorage", Global::StorageType, kI8},
    {"torch.ByteStorage", Global::StorageType, kU8},
    {"torch.BoolStorage", Global::StorageType, kBool},
    // An untyped storage (torch >= 2.0) is pickled with its size in bytes.
    {"torch.UntypedStorage", Global::StorageType, kU8},
    {"torch.storage.UntypedStorage", Global::StorageType, kU8},
    {"torch.float32", Global::Dtype, kF32},
    {"torch.float16", Global::Dtype, kF16},
    {"torch.bfloat16", Global::Dtype, kBF16},
    {"torch.float64", Global::Dtype, kF64},
    {"torch.int64", Global::Dtype, kI64},
    {"torch.int32", Global::Dtype, kI32},
    {"torch.int8", Global::Dtype, kI8},
    {"torch.uint8", Global::Dtype, kU8},
    {"torch.bool", Global::Dtype, kBool},
};

}  // namespace

const char* kindName(Kind kind) {
    static const char* const names[] = {"None",  "bool", "int",  "float",  "str",     "bytes",
                                        "tuple", "list", "dict", "global", "storage", "tensor"};
    return names[static_cast<int>(kind)];
}

std::string printable(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 120))
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return s.size() > 120 ? out + "..." : out;
}

Unpickler::Unpickler(const uint8_t* data, size_t size, RecordSize recordSize)
    : data_(data), size_(size), recordSize_(std::move(recordSize)) {
    objects_.resize(3);  // None, False, True are shared, as in Python
    objects_[1].kind = objects_[2].kind = Kind::Bool;
    objects_[2].num = 1;
}

bool Unpickler::fail(std::string message) {
    if (error_.empty())
        error_ = std::move(message);
    return false;
}

bool Unpickler::corrupt(const std::string& what) {
    return fail("corrupt data.pkl (byte " + std::to_string(opStart_) + "): " + what);
}

uint64_t Unpickler::readLe(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
        v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
}

Ref Unpickler::make(Kind kind) {
    objects_.emplace_back();
    objects_.back().kind = kind;
    return static_cast<Ref>(objects_.size() - 1);
}

Ref Unpickler::makeInt(int64_t v) {
    Ref r = make(Kind::Int);
    objects_[r].num = v;
    return r;
}

// Popping below the innermost MARK is an underflow, as in Python's separate mark stacks.
bool Unpickler::pop(Ref& out) {
    if (stack_.size() <= (marks_.empty() ? 0 : marks_.back()))
        return corrupt("stack underflow");
    out = stack_.back();
    stack_.pop_back();
    return true;
}

bool Unpickler::top(Ref& out) {
    if (stack_.size() <= (marks_.empty() ? 0 : marks_.back()))
        return corrupt("stack underflow");
    out = stack_.back();
    return true;
}

bool Unpickler::popMark(std::vector<Ref>& items) {
    if (marks_.empty())
        return corrupt("no MARK on the stack");
    items.assign(stack_.begin() + marks_.back(), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return true;
}

bool Unpickler::pushString(Kind kind, uint64_t len) {
    if (!need(len))
        return false;
    Ref r = make(kind);
    objects_[r].text.assign(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len;
    stack_.push_back(r);
    return true;
}

bool Unpickler::readLine(std::string& out) {
    const void* nl = std::memchr(data_ + pos_, '\n', size_ - pos_);
    if (!nl)
        return corrupt("truncated");
    const size_t len = static_cast<size_t>(static_cast<const uint8_t*>(nl) - (data_ + pos_));
    out.assign(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len + 1;
    return true;
}

bool Unpickler::memoPut(uint64_t index) {
    Ref r{};
    if (!top(r))
        return false;
    memo_[index] = r;
    return true;
}

bool Unpickler::memoGet(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end())
        return corrupt("memo entry " + std::to_string(index) + " missing");
    stack_.push_back(it->second);
    return true;
}

bool Unpickler::run(Ref& root) {
    // Each opcode makes at most one object; the cap bounds memory for hostile pickles (a state
    // dict needs about 15 objects per tensor).
    constexpr size_t kMaxObjects = size_t{1} << 23;
    bool done = false;
    while (!done) {
        opStart_ = pos_;
        if (pos_ >= size_)
            return corrupt("truncated (no STOP opcode)");
        if (objects_.size() > kMaxObjects)
            return corrupt("too many objects");
        if (!step(data_[pos_++], root, done))
            return false;
    }
    return true;
}

bool Unpickler::addItems(Ref target, const std::vector<Ref>& items, Kind expected) {
    if (objects_[target].kind != expected)
        return corrupt(std::string("cannot add items to an object of type ") +
                       kindName(objects_[target].kind));
    if (expected == Kind::Dict && items.size() % 2 != 0)
        return corrupt("odd number of dict items");
    auto& dst = objects_[target].items;
    dst.insert(dst.end(), items.begin(), items.end());
    return true;
}

bool Unpickler::pushGlobal(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    for (const auto& g : kAllowedGlobals) {
        if (full == g.name) {
            Ref r = make(Kind::Global);
            objects_[r].num = static_cast<int64_t>(g.kind);
            objects_[r].dtype = g.dtype;
            objects_[r].text = full;
            stack_.push_back(r);
            return true;
        }
    }
    return fail("unsupported object in checkpoint: " + printable(full));
}

// torch.save replaces each storage with ('storage', storage_type, key, location, numel).
bool Unpickler::persistentLoad(Ref pid) {
    const Object& p = objects_[pid];
    if (p.kind != Kind::Tuple || p.items.size() != 5)
        return corrupt("unexpected persistent id");
    const Object& tag = objects_[p.items[0]];
    const Object& type = objects_[p.items[1]];
    const Object& key = objects_[p.items[2]];
    const Object& location = objects_[p.items[3]];
    const Object& numel = objects_[p.items[4]];
    if (tag.kind != Kind::Str || tag.text != "storage")
        return corrupt("persistent id is not a storage reference");
    if (type.kind != Kind::Global || static_cast<Global>(type.num) != Global::StorageType)
        return fail("unsupported storage type in checkpoint: " +
                    (type.kind == Kind::Global ? type.text : std::string(kindName(type.kind))));
    if (key.kind != Kind::Str || location.kind != Kind::Str || numel.kind != Kind::Int ||
        numel.num < 0)
        return corrupt("malformed storage reference");
    const int dtype = type.dtype;
    const uint64_t count = static_cast<uint64_t>(numel.num);
    const std::string keyText = key.text;

    auto known = storages_.find(keyText);
    if (known != storages_.end()) {
        const Object& s = objects_[known->second];
        if (s.dtype != dtype || static_cast<uint64_t>(s.num) != count)
            return fail("storage data/" + printable(keyText) +
                        " is used with different types or sizes");
        stack_.push_back(known->second);
        return true;
    }
    const std::optional<uint64_t> bytes = recordSize_(keyText);
    if (!bytes)
        return fail("missing storage record data/" + printable(keyText));
    const uint64_t itemSize = kDtypes[dtype].itemSize;
    if (count > *bytes / itemSize || count * itemSize != *bytes)
        return fail("storage data/" + printable(keyText) + " holds " + std::to_string(*bytes) +
                    " bytes, but the checkpoint declares " + std::to_string(count) + " " +
                    kDtypes[dtype].code + " elements");
    Ref r = make(Kind::Storage);
    objects_[r].dtype = dtype;
    objects_[r].num = static_cast<int64_t>(count);
    objects_[r].text = keyText;
    storages_.emplace(keyText, r);
    stack_.push_back(r);
    return true;
}

// _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[,
// metadata]). The view must lie inside its storage; it is materialized later.
bool Unpickler::rebuildTensor(const std::vector<Ref>& args, Ref& result) {
    if (args.size() != 6 && args.size() != 7)
        return corrupt("_rebuild_tensor_v2 takes 6 or 7 arguments, got " +
                       std::to_string(args.size()));
    const Object& storage = objects_[args[0]];
    const Object& offset = objects_[args[1]];
    const Object& size = objects_[args[2]];
    const Object& stride = objects_[args[3]];
    if (storage.kind != Kind::Storage || offset.kind != Kind::Int || offset.num < 0 ||
        size.kind != Kind::Tuple || stride.kind != Kind::Tuple ||
        size.items.size() != stride.items.size() || objects_[args[4]].kind != Kind::Bool ||
        objects_[args[5]].kind != Kind::Dict)
        return corrupt("malformed _rebuild_tensor_v2 arguments");
    if (args.size() == 7) {
        const Object& meta = objects_[args[6]];
        if (meta.kind != Kind::None && (meta.kind != Kind::Dict || !meta.items.empty()))
            return fail("unsupported object in checkpoint: tensor with metadata (conj/neg view)");
    }
    if (size.items.size() > 64)
        return corrupt("tensor has too many dimensions");

    // Limits keep every product below 2^63 (and each element count within int64).
    constexpr uint64_t kLimit = uint64_t{1} << 62;
    TensorView v;
    v.storage = args[0];
    v.offset = static_cast<uint64_t>(offset.num);
    v.numel = 1;
    uint64_t extent = 0;  // offset of the last element, relative to storage_offset
    for (size_t d = 0; d < size.items.size(); ++d) {
        const Object& n = objects_[size.items[d]];
        const Object& s = objects_[stride.items[d]];
        if (n.kind != Kind::Int || s.kind != Kind::Int || n.num < 0 || s.num < 0)
            return corrupt("malformed tensor size or stride");
        const auto un = static_cast<uint64_t>(n.num), us = static_cast<uint64_t>(s.num);
        if (un != 0 && v.numel > kLimit / un)
            return corrupt("tensor is implausibly large");
        v.numel *= un;
        if (un > 1) {
            if (us != 0 && (un - 1) > (kLimit - extent) / us)
                return corrupt("tensor stride is implausibly large");
            extent += (un - 1) * us;
        }
        v.shape.push_back(n.num);
        v.stride.push_back(s.num);
    }
    const auto storageNumel = static_cast<uint64_t>(storage.num);
    const bool inside = v.numel == 0 ? v.offset <= storageNumel
                                     : v.offset < storageNumel && extent < storageNumel - v.offset;
    if (!inside)
        return fail("tensor view (offset " + std::to_string(v.offset) + ", " +
                    std::to_string(v.numel) + " elements) lies outside its storage data/" +
                    printable(storage.text) + " of " + std::to_string(storageNumel) + " elements");
    result = make(Kind::Tensor);
    objects_[result].num = static_cast<int64_t>(views_.size());
    views_.push_back(std::move(v));
    return true;
}

bool Unpickler::reduce(Ref callable, Ref args, Ref& result) {
    const Object& fn = objects_[callable];
    if (objects_[args].kind != Kind::Tuple)
        return corrupt("REDUCE arguments are not a tuple");
    if (fn.kind != Kind::Global)
        return corrupt(std::string("cannot call an object of type ") + kindName(fn.kind));
    const std::vector<Ref> a = objects_[args].items;  // copy: make() may move the arena
    switch (static_cast<Global>(fn.num)) {
        case Global::OrderedDict:
            if (!a.empty())
                return fail("unsupported object in checkpoint: OrderedDict built from arguments");
            result = make(Kind::Dict);
            return true;
        case Global::RebuildTensorV2:
            return rebuildTensor(a, result);
        case Global::RebuildParameter:  // (tensor, requires_grad, backward_hooks[, state])
            if ((a.size() != 3 && a.size() != 4) || objects_[a[0]].kind != Kind::Tensor)
                return corrupt("malformed _rebuild_parameter arguments");
            result = a[0];
            return true;
        case Global::StorageType:
        case Global::Dtype:
            break;
    }
    return fail("unsupported object in checkpoint: call of " + printable(fn.text));
}

bool Unpickler::step(uint8_t op, Ref& root, bool& done) {
    Ref a, b, c;
    std::vector<Ref> items;
    switch (op) {
        case 0x80:  // PROTO
            if (!need(1))
                return false;
            if (data_[pos_++] > 5)
                return corrupt("unsupported pickle protocol");
            return true;
        case 0x95:  // FRAME: only a read-ahead hint
            if (!need(8))
                return false;
            return need(readLe(8));
        case '.':  // STOP
            done = true;
            return pop(root);
        case 'c': {  // GLOBAL
            std::string module, name;
            return readLine(module) && readLine(name) && pushGlobal(module, name);
        }
        case 0x93:  // STACK_GLOBAL
            if (!pop(b) || !pop(a))
                return false;
            if (objects_[a].kind != Kind::Str || objects_[b].kind != Kind::Str)
                return corrupt("STACK_GLOBAL needs two strings");
            return pushGlobal(objects_[a].text, objects_[b].text);
        case '(':  // MARK
            marks_.push_back(stack_.size());
            return true;
        case ')':  // EMPTY_TUPLE
            stack_.push_back(make(Kind::Tuple));
            return true;
        case ']':  // EMPTY_LIST
            stack_.push_back(make(Kind::List));
            return true;
        case '}':  // EMPTY_DICT
            stack_.push_back(make(Kind::Dict));
            return true;
        case 't':    // TUPLE
        case 'l':    // LIST
        case 'd': {  // DICT
            if (!popMark(items))
                return false;
            const Kind kind = op == 't' ? Kind::Tuple : op == 'l' ? Kind::List : Kind::Dict;
            Ref r = make(kind);
            if (!addItems(r, items, kind))
                return false;
            stack_.push_back(r);
            return true;
        }
        case 0x85:    // TUPLE1
        case 0x86:    // TUPLE2
        case 0x87: {  // TUPLE3
            items.resize(op - 0x84);
            for (size_t i = items.size(); i-- > 0;)
                if (!pop(items[i]))
                    return false;
            Ref r = make(Kind::Tuple);
            objects_[r].items = std::move(items);
            stack_.push_back(r);
            return true;
        }
        case 'a':  // APPEND
            return pop(b) && top(a) && addItems(a, {b}, Kind::List);
        case 'e':  // APPENDS
            return popMark(items) && top(a) && addItems(a, items, Kind::List);
        case 's':  // SETITEM
            return pop(c) && pop(b) && top(a) && addItems(a, {b, c}, Kind::Dict);
        case 'u':  // SETITEMS
            return popMark(items) && top(a) && addItems(a, items, Kind::Dict);
        case 'N':
            stack_.push_back(0);
            return true;
        case 0x89:  // NEWFALSE
        case 0x88:  // NEWTRUE
            stack_.push_back(op == 0x88 ? 2 : 1);
            return true;
        case 'J':  // BININT
            if (!need(4))
                return false;
            stack_.push_back(makeInt(static_cast<int32_t>(static_cast<uint32_t>(readLe(4)))));
            return true;
        case 'K':  // BININT1
        case 'M':  // BININT2
            if (!need(op == 'K' ? 1 : 2))
                return false;
            stack_.push_back(makeInt(static_cast<int64_t>(readLe(op == 'K' ? 1 : 2))));
            return true;
        case 0x8a:    // LONG1
        case 0x8b: {  // LONG4
            const int lenSize = op == 0x8a ? 1 : 4;
            if (!need(lenSize))
                return false;
            const uint64_t n = readLe(lenSize);
            if (!need(n))
                return false;
            if (n > 8)
                return corrupt("integer too large");
            uint64_t v = readLe(static_cast<int>(n));
            if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1)
                v |= ~uint64_t{0} << (8 * n);
            stack_.push_back(makeInt(static_cast<int64_t>(v)));
            return true;
        }
        case 'G': {  // BINFLOAT, big-endian
            if (!need(8))
                return false;
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | data_[pos_++];
            Ref r = make(Kind::Float);
            std::memcpy(&objects_[r].real, &bits, sizeof bits);
            stack_.push_back(r);
            return true;
        }
        case 'X':  // BINUNICODE
        case 'B':  // BINBYTES
            return need(4) && pushString(op == 'X' ? Kind::Str : Kind::Bytes, readLe(4));
        case 0x8c:  // SHORT_BINUNICODE
        case 'U':   // SHORT_BINSTRING
        case 'C':   // SHORT_BINBYTES
            return need(1) && pushString(op == 'C' ? Kind::Bytes : Kind::Str, readLe(1));
        case 0x8d:  // BINUNICODE8
        case 0x8e:  // BINBYTES8
            return need(8) && pushString(op == 0x8d ? Kind::Str : Kind::Bytes, readLe(8));
        case 'T': {  // BINSTRING (signed length)
            if (!need(4))
                return false;
            const auto len = static_cast<int32_t>(static_cast<uint32_t>(readLe(4)));
            return len >= 0 ? pushString(Kind::Str, static_cast<uint64_t>(len))
                            : corrupt("negative string length");
        }
        case 'q':  // BINPUT
            return need(1) && memoPut(readLe(1));
        case 'r':  // LONG_BINPUT
            return need(4) && memoPut(readLe(4));
        case 0x94:  // MEMOIZE
            return memoPut(memo_.size());
        case 'h':  // BINGET
            return need(1) && memoGet(readLe(1));
        case 'j':  // LONG_BINGET
            return need(4) && memoGet(readLe(4));
        case 'Q':  // BINPERSID
            return pop(a) && persistentLoad(a);
        case 'R':  // REDUCE
            if (!pop(b) || !top(a) || !reduce(a, b, c))
                return false;
            stack_.back() = c;
            return true;
        case 0x81:  // NEWOBJ: only OrderedDict.__new__(OrderedDict)
            if (!pop(b) || !top(a))
                return false;
            if (objects_[a].kind != Kind::Global ||
                static_cast<Global>(objects_[a].num) != Global::OrderedDict)
                return fail("unsupported object in checkpoint: NEWOBJ of " +
                            printable(objects_[a].text.empty() ? kindName(objects_[a].kind)
                                                               : objects_[a].text));
            if (objects_[b].kind != Kind::Tuple || !objects_[b].items.empty())
                return corrupt("malformed NEWOBJ arguments");
            stack_.back() = make(Kind::Dict);
            return true;
        case 'b':  // BUILD: state_dict() attaches `_metadata` (module versions) this way; ignored
            if (!pop(b) || !top(a))
                return false;
            if (objects_[a].kind != Kind::Dict ||
                (objects_[b].kind != Kind::Dict && objects_[b].kind != Kind::None))
                return fail(std::string("unsupported object in checkpoint: state of a ") +
                            kindName(objects_[a].kind));
            return true;
        case '0':  // POP
            return pop(a);
        case '1':  // POP_MARK
            return popMark(items);
        case '2':  // DUP
            if (!top(a))
                return false;
            stack_.push_back(a);
            return true;
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            return corrupt(std::string("unsupported pickle opcode ") + hex);
        }
    }
}

}  // namespace attrscope::torch_pickle
