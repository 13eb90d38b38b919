#include "file_util.h"

#include "checked_file.h"

#include <filesystem>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace attrscope {

namespace fs = std::filesystem;

Expected<std::string> readFile(const std::string& path, const std::string& what,
                               uint64_t maxBytes) {
    return readRegularFile(path, what, maxBytes);
}

Status writeStdout(const std::string& contents) {
    std::fflush(stdout);
    size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            return Status::error(std::string("standard output: write failed (") +
                                 std::strerror(n == 0 ? ENOSPC : errno) + ")");
        done += static_cast<size_t>(n);
    }
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
