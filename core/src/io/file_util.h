#pragma once
// Small file helpers shared by the loaders and exporters.

#include <string>

#include "attrscope/status.h"

namespace attrscope {

Expected<std::string> readFile(const std::string& path, const std::string& what);
// Writes to a temporary file in the same folder, then renames it over path, so a failed write
// never leaves a half file over a good one.
Status writeFileAtomically(const std::string& path, const std::string& contents);
bool isDirectory(const std::string& path);
bool fileExists(const std::string& path);
std::string joinPath(const std::string& dir, const std::string& name);

}  // namespace attrscope
