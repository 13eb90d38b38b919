#include "zip_archive.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>

namespace attrscope {

namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kEndSize = 22;
constexpr size_t kZip64EndSize = 56;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kMaxCommentSize = 0xffff;
// A sane central directory is ~100 bytes per entry; this bounds what a corrupt size can allocate.
constexpr uint64_t kMaxCentralDirSize = 256ull << 20;

uint16_t le16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
uint32_t le32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
           (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t le64(const uint8_t* p) {
    return static_cast<uint64_t>(le32(p)) | (static_cast<uint64_t>(le32(p + 4)) << 32);
}

// Slicing-by-8 tables: checking every storage of a large checkpoint must not dominate loading.
struct CrcTables {
    std::array<std::array<uint32_t, 256>, 8> t{};
    CrcTables() {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i)
            for (size_t s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
};

}  // namespace

uint32_t zipCrc32(uint32_t crc, const uint8_t* data, size_t size) {
    static const CrcTables tables;
    const auto& t = tables.t;
    uint32_t c = ~crc;
    while (size >= 8) {
        uint32_t lo = c ^ le32(data);
        uint32_t hi = le32(data + 4);
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
            t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        data += 8;
        size -= 8;
    }
    while (size-- > 0)
        c = t[0][(c ^ *data++) & 0xff] ^ (c >> 8);
    return ~c;
}

bool MemorySource::read(uint64_t offset, void* out, size_t n) {
    if (offset > size_ || n > size_ - offset)
        return false;
    if (n > 0)
        std::memcpy(out, data_ + offset, n);
    return true;
}

Expected<std::unique_ptr<FileSource>> FileSource::open(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return Status::error(path + ": is a folder, not a checkpoint file");
    std::unique_ptr<FileSource> source(new FileSource());
    source->in_.open(path, std::ios::binary);
    if (!source->in_)
        return Status::error(path + ": cannot open file: " + std::strerror(errno));
    source->in_.seekg(0, std::ios::end);
    std::streamoff end = source->in_.tellg();
    if (!source->in_ || end < 0)
        return Status::error(path + ": cannot determine the file size");
    source->size_ = static_cast<uint64_t>(end);
    return source;
}

bool FileSource::read(uint64_t offset, void* out, size_t n) {
    if (offset > size_ || n > size_ - offset)
        return false;
    if (n == 0)
        return true;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<size_t>(in_.gcount()) == n;
}

Status ZipArchive::fail(const std::string& what) const {
    return Status::error(displayName_ + ": " + what);
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
    auto it = byName_.find(name);
    return it == byName_.end() ? nullptr : &entries_[it->second];
}

Expected<ZipArchive> ZipArchive::open(ByteSource& source, const std::string& displayName) {
    ZipArchive zip(source, displayName);
    const uint64_t fileSize = source.size();
    if (fileSize < kEndSize)
        return zip.fail("not a zip archive (file too small)");

    // The end record sits at the very end, after a comment of up to 64 KiB.
    const size_t tailSize =
        static_cast<size_t>(std::min<uint64_t>(fileSize, kEndSize + kMaxCommentSize));
    std::vector<uint8_t> tail(tailSize);
    if (!source.read(fileSize - tailSize, tail.data(), tailSize))
        return zip.fail("cannot read the end of the file");
    size_t endPos = std::string::npos;
    for (size_t pos = tailSize - kEndSize + 1; pos-- > 0;) {
        if (le32(&tail[pos]) == kEndSig && pos + kEndSize + le16(&tail[pos + 20]) == tailSize) {
            endPos = pos;
            break;
        }
    }
    if (endPos == std::string::npos)
        return zip.fail("not a zip archive (no end-of-central-directory record)");
    const uint8_t* end = &tail[endPos];
    const uint64_t endOffset = fileSize - tailSize + endPos;

    uint64_t entryCount = le16(end + 10);
    uint64_t cdSize = le32(end + 12);
    uint64_t cdOffset = le32(end + 16);
    uint64_t cdLimit = endOffset;  // the central directory must end before this
    bool multiDisk = le16(end + 4) != 0 || le16(end + 6) != 0 || le16(end + 8) != entryCount;

    // torch always writes zip64 records; big archives need them.
    uint8_t loc[kZip64LocatorSize];
    if (endOffset >= kZip64LocatorSize &&
        source.read(endOffset - kZip64LocatorSize, loc, sizeof loc) &&
        le32(loc) == kZip64LocatorSig) {
        uint64_t z64Offset = le64(loc + 8);
        uint8_t z64[kZip64EndSize];
        if (z64Offset > endOffset - kZip64LocatorSize ||
            endOffset - kZip64LocatorSize - z64Offset < kZip64EndSize ||
            !source.read(z64Offset, z64, sizeof z64) || le32(z64) != kZip64EndSig)
            return zip.fail("corrupt zip archive (bad zip64 end-of-central-directory record)");
        multiDisk = multiDisk || le32(loc + 4) != 0 || le32(z64 + 16) != 0 || le32(z64 + 20) != 0 ||
                    le64(z64 + 24) != le64(z64 + 32);
        entryCount = le64(z64 + 32);
        cdSize = le64(z64 + 40);
        cdOffset = le64(z64 + 48);
        cdLimit = z64Offset;
    } else if (entryCount == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) {
        return zip.fail("corrupt zip archive (zip64 sizes without a zip64 record)");
    }
    if (multiDisk)
        return zip.fail("multi-volume zip archives are not supported");
    if (cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
        return zip.fail("corrupt zip archive (central directory outside the file)");
    if (cdSize > kMaxCentralDirSize)
        return zip.fail("zip central directory is implausibly large");
    if (entryCount > cdSize / kCentralHeaderSize)
        return zip.fail("corrupt zip archive (entry count does not fit the central directory)");
    zip.centralDirOffset_ = cdOffset;

    std::vector<uint8_t> cd(static_cast<size_t>(cdSize));
    if (!source.read(cdOffset, cd.data(), cd.size()))
        return zip.fail("cannot read the zip central directory");
    zip.entries_.reserve(static_cast<size_t>(entryCount));
    size_t pos = 0;
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (cd.size() - pos < kCentralHeaderSize || le32(&cd[pos]) != kCentralHeaderSig)
            return zip.fail("corrupt zip archive (bad central directory entry " +
                            std::to_string(i) + ")");
        const uint8_t* h = &cd[pos];
        ZipEntry e;
        e.flags = le16(h + 8);
        e.method = le16(h + 10);
        e.crc32 = le32(h + 16);
        e.compressedSize = le32(h + 20);
        e.size = le32(h + 24);
        const size_t nameLen = le16(h + 28), extraLen = le16(h + 30), commentLen = le16(h + 32);
        e.localHeaderOffset = le32(h + 42);
        if (cd.size() - pos - kCentralHeaderSize < nameLen + extraLen + commentLen)
            return zip.fail("corrupt zip archive (central directory entry " + std::to_string(i) +
                            " overruns the directory)");
        e.name.assign(reinterpret_cast<const char*>(h + kCentralHeaderSize), nameLen);

        // Saturated 32-bit fields are replaced, in this order, from the zip64 extra field.
        const bool needSize = e.size == 0xffffffff, needCsize = e.compressedSize == 0xffffffff,
                   needOffset = e.localHeaderOffset == 0xffffffff;
        const uint8_t* extra = h + kCentralHeaderSize + nameLen;
        bool found64 = false;
        for (size_t x = 0; x + 4 <= extraLen;) {
            const uint16_t id = le16(extra + x), len = le16(extra + x + 2);
            if (len > extraLen - x - 4)
                break;
            if (id == 0x0001 && !found64) {
                found64 = true;
                const uint8_t* f = extra + x + 4;
                size_t left = len;
                auto take = [&](uint64_t& v) {
                    if (left < 8)
                        return false;
                    v = le64(f);
                    f += 8;
                    left -= 8;
                    return true;
                };
                if ((needSize && !take(e.size)) || (needCsize && !take(e.compressedSize)) ||
                    (needOffset && !take(e.localHeaderOffset)))
                    return zip.fail("corrupt zip archive (short zip64 field for " + e.name + ")");
            }
            x += 4 + len;
        }
        if ((needSize || needCsize || needOffset) && !found64)
            return zip.fail("corrupt zip archive (missing zip64 field for " + e.name + ")");
        if (!zip.byName_.emplace(e.name, zip.entries_.size()).second)
            return zip.fail("corrupt zip archive (duplicate entry " + e.name + ")");
        zip.entries_.push_back(std::move(e));
        pos += kCentralHeaderSize + nameLen + extraLen + commentLen;
    }
    return zip;
}

Status ZipArchive::read(const ZipEntry& entry, std::vector<uint8_t>& out, bool verifyCrc) const {
    if (entry.flags & 0x1)
        return fail("zip entry " + entry.name + " is encrypted");
    if (entry.method != 0)
        return fail("zip entry " + entry.name + " is compressed (method " +
                    std::to_string(entry.method) +
                    "); only uncompressed archives as written by torch.save are supported");
    if (entry.compressedSize != entry.size)
        return fail("corrupt zip archive (size mismatch in entry " + entry.name + ")");

    uint8_t h[kLocalHeaderSize];
    if (entry.localHeaderOffset > centralDirOffset_ ||
        centralDirOffset_ - entry.localHeaderOffset < kLocalHeaderSize ||
        !source_->read(entry.localHeaderOffset, h, sizeof h) || le32(h) != kLocalHeaderSig)
        return fail("corrupt zip archive (bad local header for " + entry.name + ")");
    const uint64_t nameLen = le16(h + 26), extraLen = le16(h + 28);
    const uint64_t dataOffset = entry.localHeaderOffset + kLocalHeaderSize + nameLen + extraLen;
    if (nameLen != entry.name.size() || dataOffset > centralDirOffset_ ||
        entry.size > centralDirOffset_ - dataOffset)
        return fail("corrupt zip archive (entry " + entry.name + " lies outside the file)");
    std::string localName(entry.name.size(), '\0');
    if (!source_->read(entry.localHeaderOffset + kLocalHeaderSize, localName.data(),
                       localName.size()) ||
        localName != entry.name)
        return fail("corrupt zip archive (local header name differs for " + entry.name + ")");
    if (entry.size > std::numeric_limits<size_t>::max())
        return fail("zip entry " + entry.name + " is too large for this system");

    out.clear();
    out.resize(static_cast<size_t>(entry.size));
    if (!source_->read(dataOffset, out.data(), out.size()))
        return fail("cannot read zip entry " + entry.name + " (truncated file?)");
    if (verifyCrc && zipCrc32(0, out.data(), out.size()) != entry.crc32)
        return fail("zip entry " + entry.name + " is corrupt (CRC-32 mismatch)");
    return Status::success();
}

}  // namespace attrscope
