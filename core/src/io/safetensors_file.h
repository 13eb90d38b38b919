#pragma once
// Strict reader and writer of the safetensors format: an 8-byte little-endian header length, a
// JSON header {name: {dtype, shape, data_offsets}}, then the raw little-endian tensor bytes.
// Every field is validated, since checkpoints come from anywhere.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "attrscope/status.h"

namespace attrscope {

struct SafetensorsEntry {
    std::string name;
    std::string dtype;  // "F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL"
    std::vector<int64_t> shape;
    uint64_t begin = 0;  // byte offsets into the data section
    uint64_t end = 0;
};

class SafetensorsFile {
public:
    static Expected<SafetensorsFile> open(const std::string& path);
    // Parses an in-memory file (copied); sourceName appears in error messages.
    static Expected<SafetensorsFile> parse(std::string bytes, const std::string& sourceName);

    const std::vector<SafetensorsEntry>& entries() const { return entries_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    const uint8_t* data(const SafetensorsEntry& e) const {
        return reinterpret_cast<const uint8_t*>(bytes_.data()) + dataStart_ + e.begin;
    }

    static int dtypeSize(const std::string& dtype);  // 0 when unknown

private:
    std::string bytes_;
    size_t dataStart_ = 0;
    std::vector<SafetensorsEntry> entries_;
    std::map<std::string, std::string> metadata_;
};

struct SafetensorsTensor {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    std::string bytes;  // little-endian, row-major
};

Status writeSafetensors(const std::string& path, const std::vector<SafetensorsTensor>& tensors,
                        const std::map<std::string, std::string>& metadata);

}  // namespace attrscope
