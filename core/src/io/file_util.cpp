#include "file_util.h"

#include "checked_file.h"

#include <filesystem>

namespace attrscope {

namespace fs = std::filesystem;

Expected<std::string> readFile(const std::string& path, const std::string& what,
                               uint64_t maxBytes) {
    return readRegularFile(path, what, maxBytes);
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
