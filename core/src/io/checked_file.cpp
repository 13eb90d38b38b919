#include "checked_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace attrscope {

namespace {

std::string sizeText(uint64_t bytes) {
    if (bytes >= (1ull << 20)) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1ull << 10)) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

Status notRegular(const std::string& path, const std::string& what, mode_t mode) {
    if (S_ISDIR(mode)) return Status::error(path + ": is a folder, expected " + what);
    return Status::error(path + ": is not a regular file (a device, FIFO or socket), expected " +
                         what);
}

}  // namespace

Expected<std::string> readRegularFile(const std::string& path, const std::string& what,
                                      uint64_t maxBytes) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return Status::error(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
    if (!S_ISREG(st.st_mode)) return notRegular(path, what, st.st_mode);
    // O_NONBLOCK: if the path is swapped for a FIFO after stat, open must not wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Status::error(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return notRegular(path, what, st.st_mode);
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > maxBytes)
        return Status::error(path + ": is " + sizeText(size) + "; a " + what + " larger than " +
                             sizeText(maxBytes) + " is refused");
    std::string out;
    out.resize(static_cast<size_t>(size));
    size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::read(fd, &out[done], out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return Status::error(path + ": read error (" + std::string(std::strerror(errno)) + ")");
        if (n == 0) break;  // shrank while reading
        done += static_cast<size_t>(n);
    }
    out.resize(done);
    return out;
}

}  // namespace attrscope
