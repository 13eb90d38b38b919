#pragma once
// Writing results: whole or not at all (writeFileAtomically), or to standard output, with every
// error reported. The CLI writes all its outputs through writeOutput.

#include <string>

#include "attrscope/io/atomic_file.h"  // writeFileAtomically
#include "attrscope/status.h"

namespace attrscope {

// Writes to standard output and flushes it; a write error (e.g. stdout is /dev/full) is an error.
Status writeStdout(const std::string& contents);

// stdout when path is empty or "-", else writeFileAtomically.
Status writeOutput(const std::string& path, const std::string& contents);

}  // namespace attrscope
