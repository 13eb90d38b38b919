#pragma once
// Small file helpers shared by the loaders and exporters.

#include <cstdint>
#include <string>

#include "attrscope/io/output_file.h"  // writeFileAtomically, writeOutput
#include "attrscope/status.h"

namespace attrscope {

// Regular files only (see io/checked_file.h); `maxBytes` caps the size.
Expected<std::string> readFile(const std::string& path, const std::string& what,
                               uint64_t maxBytes = UINT64_MAX);
bool isDirectory(const std::string& path);
bool fileExists(const std::string& path);
std::string joinPath(const std::string& dir, const std::string& name);

}  // namespace attrscope
