#include "torch_checkpoint_reader.h"

#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>

#include "torch_pickle.h"
#include "zip_archive.h"

namespace attrscope {

namespace {

using torch_pickle::kDtypes;
using torch_pickle::Kind;
using torch_pickle::kindName;
using torch_pickle::Object;
using torch_pickle::printable;
using torch_pickle::Ref;
using torch_pickle::TensorView;
using torch_pickle::Unpickler;

// Strict UTF-8 (no overlong forms or surrogates), as JSON output of the names will require.
bool validUtf8(const std::string& s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = 1;
        unsigned char lo = 0x80, hi = 0xbf;  // range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else if (c >= 0x80) {
            return false;
        }
        if (s.size() - i < len)
            return false;
        for (size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80)
                return false;
        }
        i += len;
    }
    return true;
}

// ---- from the unpickled object to tensors --------------------------------------------------

bool isTensorDict(const Unpickler& u, Ref r) {
    const Object& o = u.at(r);
    if (o.kind != Kind::Dict)
        return false;
    for (size_t i = 0; i < o.items.size(); i += 2)
        if (u.at(o.items[i]).kind != Kind::Str || u.at(o.items[i + 1]).kind != Kind::Tensor)
            return false;
    return true;
}

// Why `r` is not a dict of tensors, for the error message.
std::string describeNonStateDict(const Unpickler& u, Ref r) {
    const Object& o = u.at(r);
    if (o.kind != Kind::Dict)
        return std::string("the top-level object is of type ") + kindName(o.kind);
    for (size_t i = 0; i < o.items.size(); i += 2) {
        const Object& k = u.at(o.items[i]);
        if (k.kind != Kind::Str)
            return std::string("a key is of type ") + kindName(k.kind);
        const Object& v = u.at(o.items[i + 1]);
        if (v.kind != Kind::Tensor)
            return "'" + printable(k.text) + "' is of type " + kindName(v.kind) + ", not a tensor";
    }
    return "";
}

Status selectStateDict(const Unpickler& u, Ref root, Ref& stateDict) {
    if (isTensorDict(u, root)) {
        stateDict = root;
        return Status::success();
    }
    const Object& o = u.at(root);
    int found = 0;
    for (size_t i = 0; o.kind == Kind::Dict && i < o.items.size(); i += 2) {
        const Object& k = u.at(o.items[i]);
        if (k.kind == Kind::Str && (k.text == "state_dict" || k.text == "model") &&
            isTensorDict(u, o.items[i + 1])) {
            stateDict = o.items[i + 1];
            ++found;
        }
    }
    if (found == 1)
        return Status::success();
    if (found > 1)
        return Status::error("both \"state_dict\" and \"model\" hold tensors");
    return Status::error("not a state dict (" + describeNonStateDict(u, root) +
                         "); expected a dict of tensors, or one under \"state_dict\" or \"model\"");
}

bool isContiguous(const TensorView& v) {
    int64_t expected = 1;
    for (size_t d = v.shape.size(); d-- > 0;) {
        if (v.shape[d] != 1 && v.stride[d] != expected)
            return false;
        expected *= v.shape[d];
    }
    return true;
}

// Copies a strided view into row-major order, a whole row at a time when rows are contiguous.
void gather(const uint8_t* storage, uint64_t itemSize, const TensorView& v, uint8_t* out) {
    if (v.numel == 0)
        return;
    const size_t nd = v.shape.size();
    if (nd == 0) {
        std::memcpy(out, storage + v.offset * itemSize, itemSize);
        return;
    }
    const auto inner = static_cast<uint64_t>(v.shape[nd - 1]);
    const auto innerStride = static_cast<uint64_t>(v.stride[nd - 1]);
    std::vector<int64_t> index(nd - 1, 0);
    for (uint64_t row = 0, rows = v.numel / inner; row < rows; ++row) {
        uint64_t start = v.offset;
        for (size_t d = 0; d + 1 < nd; ++d)
            start += static_cast<uint64_t>(index[d] * v.stride[d]);
        if (innerStride == 1) {
            std::memcpy(out, storage + start * itemSize, inner * itemSize);
            out += inner * itemSize;
        } else {
            for (uint64_t j = 0; j < inner; ++j, out += itemSize)
                std::memcpy(out, storage + (start + j * innerStride) * itemSize, itemSize);
        }
        for (size_t d = nd - 1; d-- > 0;) {
            if (++index[d] < v.shape[d])
                break;
            index[d] = 0;
        }
    }
}

Expected<std::vector<RawTensor>> readArchive(ByteSource& source, const std::string& name,
                                             const TorchCheckpointOptions& options) {
    auto error = [&](const std::string& what) { return Status::error(name + ": " + what); };

    // Pre-1.6 torch.save wrote a bare pickle starting with a LONG1 magic number.
    static const uint8_t kLegacyMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46};
    uint8_t head[sizeof kLegacyMagic];
    if (source.read(0, head, sizeof head) && std::memcmp(head, kLegacyMagic, sizeof head) == 0)
        return error(
            "legacy (pre-1.6) torch.save format is not supported; re-save the model "
            "with a current torch or convert it to safetensors");

    Expected<ZipArchive> opened = ZipArchive::open(source, name);
    if (!opened)
        return opened.status();
    const ZipArchive& zip = *opened;

    // The records sit in one top-level folder whose name depends on the saved file name.
    std::string prefix;
    int candidates = 0;
    for (const ZipEntry& e : zip.entries()) {
        const size_t slash = e.name.find('/');
        if (slash != std::string::npos && slash > 0 && e.name.compare(slash, 9, "/data.pkl") == 0 &&
            e.name.size() == slash + 9) {
            prefix = e.name.substr(0, slash + 1);
            ++candidates;
        }
    }
    if (candidates == 0)
        return error("not a PyTorch checkpoint: the zip archive has no <folder>/data.pkl");
    if (candidates > 1)
        return error("not a PyTorch checkpoint: several data.pkl records");
    if (zip.find(prefix + "constants.pkl"))
        return error(
            "this is a TorchScript model, not a state dict; save model.state_dict() "
            "with torch.save instead");

    std::vector<uint8_t> buffer;
    if (const ZipEntry* order = zip.find(prefix + "byteorder")) {
        if (order->size > 16)
            return error("malformed byteorder record");
        Status s = zip.read(*order, buffer, options.verifyChecksums);
        if (!s)
            return s;
        if (std::string(buffer.begin(), buffer.end()) != "little")
            return error("big-endian checkpoints are not supported");
    }

    std::vector<uint8_t> pickle;
    if (Status s = zip.read(*zip.find(prefix + "data.pkl"), pickle, options.verifyChecksums); !s)
        return s;
    Unpickler u(pickle.data(), pickle.size(), [&](const std::string& key) {
        const ZipEntry* e = zip.find(prefix + "data/" + key);
        return e ? std::optional<uint64_t>(e->size) : std::nullopt;
    });
    Ref root = 0, stateDict = 0;
    if (!u.run(root))
        return error(u.error());
    if (Status s = selectStateDict(u, root, stateDict); !s)
        return error(s.message());

    // Python dict semantics: a repeated key keeps its first position and its last value.
    std::vector<std::pair<std::string, Ref>> order;
    std::unordered_map<std::string, size_t> position;
    std::unordered_map<Ref, size_t> usesLeft;  // storage -> tensors still to materialize
    const Object& dict = u.at(stateDict);
    for (size_t i = 0; i < dict.items.size(); i += 2) {
        const std::string& key = u.at(dict.items[i]).text;
        if (!validUtf8(key))
            return error("a tensor name is not valid UTF-8");
        auto [it, added] = position.emplace(key, order.size());
        if (added)
            order.emplace_back(key, dict.items[i + 1]);
        else
            order[it->second].second = dict.items[i + 1];
    }
    for (const auto& entry : order)
        ++usesLeft[u.view(entry.second).storage];

    // Expanded views (stride 0) can describe far more data than the file holds; materializing
    // them is capped so that a crafted file cannot exhaust memory.
    const uint64_t budget = 4 * source.size() + (1u << 20);
    uint64_t produced = 0;
    std::unordered_map<Ref, std::vector<uint8_t>> loaded;
    std::vector<RawTensor> tensors;
    tensors.reserve(order.size());
    for (auto& [key, ref] : order) {
        const TensorView& v = u.view(ref);
        const Object& storage = u.at(v.storage);
        const uint64_t itemSize = kDtypes[storage.dtype].itemSize;
        if (v.numel > (budget - produced) / itemSize)
            return error("tensor '" + printable(key) +
                         "' expands to more data than the file holds");
        const uint64_t bytes = v.numel * itemSize;
        produced += bytes;

        auto it = loaded.find(v.storage);
        if (it == loaded.end()) {
            it = loaded.emplace(v.storage, std::vector<uint8_t>()).first;
            const ZipEntry* record = zip.find(prefix + "data/" + storage.text);
            if (Status s = zip.read(*record, it->second, options.verifyChecksums); !s)
                return s;
        }
        RawTensor t;
        t.name = std::move(key);
        t.dtype = kDtypes[storage.dtype].code;
        t.shape = v.shape;
        const bool lastUse = --usesLeft[v.storage] == 0;
        if (lastUse && v.offset == 0 && bytes == it->second.size() && isContiguous(v)) {
            t.bytes = std::move(it->second);  // the common case: one tensor owns its storage
        } else {
            t.bytes.resize(static_cast<size_t>(bytes));
            gather(it->second.data(), itemSize, v, t.bytes.data());
        }
        if (lastUse)
            loaded.erase(it);
        tensors.push_back(std::move(t));
    }
    return tensors;
}

}  // namespace

Expected<std::vector<RawTensor>> readTorchCheckpoint(const std::string& path,
                                                     const TorchCheckpointOptions& options) {
    auto file = FileSource::open(path);
    if (!file)
        return file.status();
    return readArchive(**file, path, options);
}

Expected<std::vector<RawTensor>> parseTorchCheckpoint(const uint8_t* data, size_t size,
                                                      const std::string& sourceName,
                                                      const TorchCheckpointOptions& options) {
    MemorySource source(data, size);
    return readArchive(source, sourceName, options);
}

}  // namespace attrscope
