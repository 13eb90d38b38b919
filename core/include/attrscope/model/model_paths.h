#pragma once
// Where the built-in demo models live: $ATTRSCOPE_MODELS, the install prefix, or the source tree.

#include <string>

namespace attrscope {

// Folder of a shipped demo model ("sick-nli", "sst2-sentiment"), or "" when none is found.
std::string findDemoModel(const std::string& name = "sick-nli");

}  // namespace attrscope
