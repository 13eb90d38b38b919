#pragma once
// A strict reader for the uncompressed ("stored") zip archives that torch.save writes. It reads
// the central directory (zip64 included) and hands out entries on demand, so a multi-gigabyte
// checkpoint is never held in memory twice. Every offset and size is checked against the input.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "attrscope/status.h"

namespace attrscope {

// Random-access bytes: a file on disk or a buffer in memory.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual uint64_t size() const = 0;
    // Reads exactly n bytes at offset; false if the range is outside the source or on I/O error.
    virtual bool read(uint64_t offset, void* out, size_t n) = 0;
};

// Views caller-owned memory, which must outlive the source.
class MemorySource : public ByteSource {
public:
    MemorySource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    uint64_t size() const override { return size_; }
    bool read(uint64_t offset, void* out, size_t n) override;

private:
    const uint8_t* data_;
    size_t size_;
};

class FileSource : public ByteSource {
public:
    static Expected<std::unique_ptr<FileSource>> open(const std::string& path);
    uint64_t size() const override { return size_; }
    bool read(uint64_t offset, void* out, size_t n) override;

private:
    FileSource() = default;
    std::ifstream in_;
    uint64_t size_ = 0;
};

struct ZipEntry {
    std::string name;
    uint64_t size = 0;  // uncompressed size
    uint64_t compressedSize = 0;
    uint64_t localHeaderOffset = 0;
    uint32_t crc32 = 0;
    uint16_t method = 0;  // 0 = stored
    uint16_t flags = 0;
};

class ZipArchive {
public:
    // Reads the central directory. `displayName` (usually the path) prefixes every error message.
    // The source must outlive the archive.
    static Expected<ZipArchive> open(ByteSource& source, const std::string& displayName);

    const std::vector<ZipEntry>& entries() const { return entries_; }
    const ZipEntry* find(const std::string& name) const;

    // Reads a stored entry in full, checking its local header, its bounds and (optionally) its
    // CRC-32. Compressed or encrypted entries are refused.
    Status read(const ZipEntry& entry, std::vector<uint8_t>& out, bool verifyCrc) const;

private:
    ZipArchive(ByteSource& source, std::string displayName)
        : source_(&source), displayName_(std::move(displayName)) {}
    Status fail(const std::string& what) const;

    ByteSource* source_;
    std::string displayName_;
    uint64_t centralDirOffset_ = 0;  // entry data must lie before the central directory
    std::vector<ZipEntry> entries_;
    std::unordered_map<std::string, size_t> byName_;
};

// CRC-32 as used by zip (polynomial 0xEDB88320); `crc` is the running value, 0 to start.
uint32_t zipCrc32(uint32_t crc, const uint8_t* data, size_t size);

}  // namespace attrscope
