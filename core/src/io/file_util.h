#pragma once
// Small file helpers shared by the loaders and exporters.

#include <string>

#include "attrscope/io/output_file.h"
#include "attrscope/status.h"

namespace attrscope {

Expected<std::string> readFile(const std::string& path, const std::string& what);
bool isDirectory(const std::string& path);
bool fileExists(const std::string& path);
std::string joinPath(const std::string& dir, const std::string& name);

}  // namespace attrscope
