#include "attrscope/model/model_paths.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace attrscope {

std::string findDemoModel(const std::string& name) {
    namespace fs = std::filesystem;
    std::vector<fs::path> roots;
    if (const char* env = std::getenv("ATTRSCOPE_MODELS")) roots.emplace_back(env);
    roots.emplace_back(ATTRSCOPE_INSTALL_MODELS_DIR);
    roots.emplace_back(ATTRSCOPE_SOURCE_MODELS_DIR);
    for (const auto& root : roots) {
        std::error_code ec;
        fs::path dir = root / name;
        if (fs::is_regular_file(dir / "config.json", ec)) return dir.string();
    }
    return {};
}

}  // namespace attrscope
