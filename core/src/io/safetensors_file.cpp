#include "safetensors_file.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "file_util.h"

namespace attrscope {

using nlohmann::json;

namespace {
constexpr uint64_t kMaxHeader = 100ull << 20;  // the reference implementation's limit
}

int SafetensorsFile::dtypeSize(const std::string& d) {
    if (d == "F64" || d == "I64" || d == "U64") return 8;
    if (d == "F32" || d == "I32" || d == "U32") return 4;
    if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
    if (d == "I8" || d == "U8" || d == "BOOL") return 1;
    return 0;
}

Expected<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    auto bytes = readFile(path, "weights");
    if (!bytes) return bytes.status();
    return parse(std::move(bytes.value()), path);
}

Expected<SafetensorsFile> SafetensorsFile::parse(std::string bytes, const std::string& src) {
    auto fail = [&](const std::string& what) { return Status::error(src + ": " + what); };
    if (bytes.size() < 8) return fail("file too short for a safetensors header (truncated?)");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | static_cast<uint8_t>(bytes[i]);
    if (headerLen < 2 || headerLen > kMaxHeader || headerLen > bytes.size() - 8)
        return fail("invalid header length " + std::to_string(headerLen) + " for a file of " +
                    std::to_string(bytes.size()) + " bytes (truncated or not safetensors)");

    json header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(headerLen),
                              nullptr, false);
    if (header.is_discarded() || !header.is_object()) return fail("header is not a JSON object");

    SafetensorsFile file;
    file.dataStart_ = 8 + headerLen;
    const uint64_t dataSize = bytes.size() - file.dataStart_;
    for (auto& [name, value] : header.items()) {
        if (name == "__metadata__") {
            if (!value.is_object()) return fail("__metadata__ must be an object");
            for (auto& [k, v] : value.items())
                if (v.is_string()) file.metadata_[k] = v.get<std::string>();
            continue;
        }
        if (!value.is_object()) return fail("tensor '" + name + "' is not an object");
        auto dt = value.find("dtype");
        auto sh = value.find("shape");
        auto off = value.find("data_offsets");
        if (dt == value.end() || !dt->is_string() || sh == value.end() || !sh->is_array() ||
            off == value.end() || !off->is_array() || off->size() != 2)
            return fail("tensor '" + name + "' needs dtype, shape and data_offsets");
        SafetensorsEntry e;
        e.name = name;
        e.dtype = dt->get<std::string>();
        const int itemSize = dtypeSize(e.dtype);
        if (itemSize == 0) return fail("tensor '" + name + "' has unknown dtype '" + e.dtype + "'");
        // numel with overflow checks: shape × dtype must equal the byte length.
        uint64_t numel = 1;
        for (const auto& d : *sh) {
            if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<int64_t>() >= 0))
                return fail("tensor '" + name + "' has an invalid shape");
            uint64_t dim = d.get<uint64_t>();
            if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / 8 / dim)
                return fail("tensor '" + name + "' shape overflows");
            numel *= dim;
            e.shape.push_back(static_cast<int64_t>(dim));
        }
        for (const auto& o : *off)
            if (!o.is_number_unsigned() && !(o.is_number_integer() && o.get<int64_t>() >= 0))
                return fail("tensor '" + name + "' has invalid data_offsets");
        e.begin = (*off)[0].get<uint64_t>();
        e.end = (*off)[1].get<uint64_t>();
        if (e.begin > e.end || e.end > dataSize)
            return fail("tensor '" + name + "' data_offsets [" + std::to_string(e.begin) + ", " +
                        std::to_string(e.end) + "] lie outside the " + std::to_string(dataSize) +
                        "-byte data section (truncated file?)");
        if (e.end - e.begin != numel * static_cast<uint64_t>(itemSize))
            return fail("tensor '" + name + "' has " + std::to_string(e.end - e.begin) +
                        " bytes but its shape and dtype need " +
                        std::to_string(numel * static_cast<uint64_t>(itemSize)));
        file.entries_.push_back(std::move(e));
    }
    // No two tensors may share bytes.
    std::vector<const SafetensorsEntry*> byOffset;
    for (const auto& e : file.entries_) byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(),
              [](auto* a, auto* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            return fail("tensors '" + byOffset[i - 1]->name + "' and '" + byOffset[i]->name +
                        "' overlap");
    file.bytes_ = std::move(bytes);
    return file;
}

Status writeSafetensors(const std::string& path, const std::vector<SafetensorsTensor>& tensors,
                        const std::map<std::string, std::string>& metadata) {
    json header = json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        header[t.name] = {{"dtype", t.dtype},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string h = header.dump();
    while ((h.size() + 8) % 8 != 0) h.push_back(' ');  // data section 8-byte aligned
    std::string out;
    out.reserve(8 + h.size() + offset);
    uint64_t len = h.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
    out += h;
    for (const auto& t : tensors) out += t.bytes;
    return writeFileAtomically(path, out);
}

}  // namespace attrscope
