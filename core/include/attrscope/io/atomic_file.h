#pragma once
// The one writer for every output file (CLI --out, exports, checkpoints, sessions): a failed or
// interrupted write never leaves a truncated file over a good one, and every error is reported.

#include <string>

#include "attrscope/status.h"

namespace attrscope {

// Writes `contents` to `path`: to a temporary file in the same folder, flushed, fsync'ed, closed
// and renamed over `path` (then the folder is fsync'ed), every step checked. A path that exists
// and is not a regular file (/dev/stdout, a FIFO, /dev/full) cannot be replaced: it is written in
// place, and a short write or a failing flush is an error (so `--out /dev/full` fails).
Status writeFileAtomically(const std::string& path, const std::string& contents);

}  // namespace attrscope
