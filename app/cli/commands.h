#pragma once
// The subcommands, one file each (cmd_*.cpp). A command registers its options on the app when
// constructed; main.cpp runs the one that was parsed.

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>

#include "cli_options.h"

namespace attrscope::cli {

class Command {
public:
    virtual ~Command() = default;
    bool parsed() const { return cmd_->parsed(); }
    virtual int run(const Globals& globals) = 0;

protected:
    CLI::App* cmd_ = nullptr;
};

std::unique_ptr<Command> makePredictCommand(CLI::App& app);
std::unique_ptr<Command> makeAttributeCommand(CLI::App& app);
std::unique_ptr<Command> makeTreeCommand(CLI::App& app);
std::unique_ptr<Command> makeEvaluateCommand(CLI::App& app);
std::unique_ptr<Command> makeHeadsCommand(CLI::App& app);
std::unique_ptr<Command> makePruneCommand(CLI::App& app);
std::unique_ptr<Command> makeTriggersCommand(CLI::App& app);
std::unique_ptr<Command> makeTrainCommand(CLI::App& app);
std::unique_ptr<Command> makePretrainCommand(CLI::App& app);
std::unique_ptr<Command> makeTokenizeCommand(CLI::App& app);
std::unique_ptr<Command> makeDeletionCommand(CLI::App& app);

// Attribution of one text as `attribute` and `tree` compute it, with progress and Ctrl-C.
Expected<AttributionResult> attributeText(Model& model, const Encoding& input,
                                          const AttributionOptions& options, bool quiet);

}  // namespace attrscope::cli
