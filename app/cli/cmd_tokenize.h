#pragma once
// attrscope-cli tokenize: how a model's own tokenizer files cut a text (no weights needed).

#include <CLI/CLI.hpp>

namespace attrscope::cli {

// Adds the `tokenize` subcommand; when parsed it prints its JSON and ends the process with
// its exit code (0, or 1 with a one-line message), so main needs only this call.
void registerTokenizeCommand(CLI::App& app);

}  // namespace attrscope::cli
