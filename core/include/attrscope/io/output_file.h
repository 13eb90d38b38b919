#pragma once
// Writing results: whole or not at all. Every file the CLI and the GUI write goes through here.

#include <string>

#include "attrscope/status.h"

namespace attrscope {

// A regular file (or a new one) is written to a temporary file in the same folder, flushed,
// fsync'ed and renamed over `path`, so a failed write never leaves a half file and never
// replaces a good one. A path that exists and is not a regular file (/dev/stdout, a FIFO, a
// terminal) is written directly. Every error (full disk, EIO, a closed pipe) is reported.
Status writeFileAtomically(const std::string& path, const std::string& contents);

// Writes to standard output and flushes it; a write error (e.g. stdout is /dev/full) is an error.
Status writeStdout(const std::string& contents);

// stdout when path is empty or "-", else writeFileAtomically.
Status writeOutput(const std::string& path, const std::string& contents);

}  // namespace attrscope
