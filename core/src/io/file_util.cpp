#include "file_util.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <atomic>
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

Status writeFileAtomically(const std::string& path, const std::string& contents) {
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return Status::error(path + ": folder " + dir.string() + " does not exist");
    // Unique per process and call, so concurrent writers to one path never share a temporary.
    static std::atomic<unsigned> counter{0};
    fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                          "-" + std::to_string(counter++));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return Status::error(path + ": cannot write (" + std::strerror(errno) + ")");
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        out.flush();
        if (!out) {
            out.close();
            fs::remove(tmp, ec);
            return Status::error(path + ": write failed (disk full?)");
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return Status::error(path + ": cannot replace file (" + ec.message() + ")");
    }
    return Status::success();
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
