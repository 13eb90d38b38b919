// attrscope-cli: the headless face of the engine. Parses options, runs the parsed subcommand.
// Exit codes: 0 success, 2 usage error, 1 failure (one line naming the file and the problem).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <thread>

#include "commands.h"

using namespace attrscope::cli;

int main(int argc, char** argv) {
    CLI::App app{"AttrScope command line: self-attention attribution for Transformer classifiers"};
    app.require_subcommand(1);
    Globals globals;
    // More threads than a few per core only slows OpenMP down (and huge counts abort libgomp).
    const int maxThreads = 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    app.add_option("--threads", globals.threads,
                   "CPU threads (default: OMP_NUM_THREADS if set, else one per core; at most " +
                       std::to_string(maxThreads) + ")")
        ->check(CLI::Range(0, maxThreads));
    app.add_flag("--quiet,-q", globals.quiet, "No progress on stderr");

    std::vector<std::unique_ptr<Command>> commands;
    for (auto make :
         {makePredictCommand, makeAttributeCommand, makeTreeCommand, makeEvaluateCommand,
          makeHeadsCommand, makePruneCommand, makeTriggersCommand, makeTrainCommand,
          makePretrainCommand, makeTokenizeCommand, makeDeletionCommand})
        commands.push_back(make(app));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kSuccess : kUsage;
    }
    try {
        attrscope::setThreadCount(globals.threads);
        for (auto& c : commands)
            if (c->parsed())
                return c->run(globals);
        return usageError("no subcommand (see --help)");
    } catch (const std::exception& e) {
        // Core reports errors as values; this keeps a broken promise from aborting.
        return fail(std::string("internal error: ") + e.what());
    }
}
