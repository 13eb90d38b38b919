#include "attrscope/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace attrscope {

namespace fs = std::filesystem;

namespace {

std::string errnoText() { return std::strerror(errno); }

// write(2) until done; EINTR is retried, a short write with no error (a full device) is ENOSPC.
bool writeAll(int fd, const std::string& contents) {
    size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = ENOSPC;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

// A device, FIFO or socket: no rename over it; write in place and check every byte.
Status writeInPlace(const std::string& path, const std::string& contents) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Status::error(path + ": cannot write (" + errnoText() + ")");
    const bool ok = writeAll(fd, contents);
    const std::string why = ok ? std::string() : errnoText();
    // fsync of a terminal or pipe fails with EINVAL: nothing to flush there.
    const bool synced = !ok || ::fsync(fd) == 0 || errno == EINVAL || errno == EROFS;
    const std::string syncWhy = synced ? std::string() : errnoText();
    const bool closed = ::close(fd) == 0;
    if (!ok) return Status::error(path + ": write failed (" + why + ")");
    if (!synced) return Status::error(path + ": write failed (" + syncWhy + ")");
    if (!closed) return Status::error(path + ": write failed (" + errnoText() + ")");
    return Status::success();
}

}  // namespace

Status writeFileAtomically(const std::string& path, const std::string& contents) {
    if (path.empty()) return Status::error("no output file given");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return Status::error(path + ": is a folder, expected a file");
        if (!S_ISREG(st.st_mode)) return writeInPlace(path, contents);
    }
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return Status::error(path + ": folder " + dir.string() + " does not exist");
    // Unique per process and call, so concurrent writers to one path never share a temporary.
    static std::atomic<unsigned> counter{0};
    const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" +
                                std::to_string(::getpid()) + "-" + std::to_string(counter++));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return Status::error(path + ": cannot write (" + errnoText() + ")");
    const bool written = writeAll(fd, contents) && ::fsync(fd) == 0;
    const std::string why = written ? std::string() : errnoText();
    const bool closed = ::close(fd) == 0;
    if (!written || !closed) {
        const std::string reason = !written ? why : errnoText();
        fs::remove(tmp, ec);
        return Status::error(path + ": write failed (" + reason + "); the old file is unchanged");
    }
    // Keep the permissions of a file we replace (e.g. a user's read-only-for-others result).
    if (::stat(path.c_str(), &st) == 0) ::chmod(tmp.c_str(), st.st_mode & 07777);
    fs::rename(tmp, target, ec);
    if (ec) {
        const std::string reason = ec.message();
        fs::remove(tmp, ec);
        return Status::error(path + ": cannot replace file (" + reason + ")");
    }
    // The rename itself is durable only once the folder is synced; failure here is not fatal
    // (some file systems refuse fsync on folders) since the data is already on disk.
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return Status::success();
}

}  // namespace attrscope
