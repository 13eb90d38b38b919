#include "file_util.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <atomic>
#include <fcntl.h>
#include <unistd.h>

namespace attrscope {

namespace fs = std::filesystem;

Expected<std::string> readFile(const std::string& path, const std::string& what) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return Status::error(path + ": is a folder, expected " + what);
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::error(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) return Status::error(path + ": read error");
    return out.str();
}

namespace {

// write(2) until done; false with errno set on failure.
bool writeAll(int fd, const std::string& contents) {
    const char* p = contents.data();
    size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    return true;
}

std::string errnoText() { return std::strerror(errno); }

}  // namespace

Status writeFileAtomically(const std::string& path, const std::string& contents) {
    fs::path target(path);
    std::error_code ec;
    const auto status = fs::status(target, ec);
    if (fs::exists(status) && fs::is_directory(status))
        return Status::error(path + ": is a folder");
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        // A device, FIFO or terminal: no temporary file beside it, but every error counts.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return Status::error(path + ": cannot write (" + errnoText() + ")");
        const bool ok = writeAll(fd, contents);
        const std::string why = errnoText();
        if (::close(fd) != 0 || !ok)
            return Status::error(path + ": write failed (" + (ok ? errnoText() : why) + ")");
        return Status::success();
    }
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        return Status::error(path + ": folder " + dir.string() + " does not exist");
    // Unique per process and call, so concurrent writers to one path never share a temporary.
    static std::atomic<unsigned> counter{0};
    fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                          "-" + std::to_string(counter++));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return Status::error(path + ": cannot write (" + errnoText() + ")");
    bool ok = writeAll(fd, contents) && ::fsync(fd) == 0;
    std::string why = ok ? "" : errnoText();
    if (::close(fd) != 0 && ok) {
        ok = false;
        why = errnoText();
    }
    if (!ok) {
        fs::remove(tmp, ec);
        return Status::error(path + ": write failed (" + why + ")");
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return Status::error(path + ": cannot replace file (" + ec.message() + ")");
    }
    return Status::success();
}

Status writeStdout(const std::string& contents) {
    std::fflush(stdout);
    if (!writeAll(STDOUT_FILENO, contents))
        return Status::error("standard output: write failed (" + errnoText() + ")");
    return Status::success();
}

Status writeOutput(const std::string& path, const std::string& contents) {
    if (path.empty() || path == "-") return writeStdout(contents);
    return writeFileAtomically(path, contents);
}

bool isDirectory(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

bool fileExists(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::string joinPath(const std::string& dir, const std::string& name) {
    return (fs::path(dir) / name).string();
}

}  // namespace attrscope
