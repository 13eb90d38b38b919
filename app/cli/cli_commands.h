#pragma once
// Subcommands that live in their own files: each registers its options on the app and runs when
// parsed. main.cpp only constructs them and calls run().

#include <CLI/CLI.hpp>
#include <string>

#include "attrscope/data/dataset.h"
#include "attrscope/train/pretrainer.h"
#include "attrscope/train/trainer.h"

namespace attrscope::cli {

struct DataOptions {
    std::string path;
    std::string format;
    std::string split;
    int limit = 0;
};

// Reads a dataset given on the command line; errors are one line naming the file.
Expected<Dataset> loadDataOption(const DataOptions& d);
int failLine(const std::string& message);

class TrainCommand {
public:
    explicit TrainCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run(bool quiet);

private:
    CLI::App* cmd_;
    DataOptions data_, evalData_;
    std::string out_;
    TrainOptions options_;
};

class PretrainCommand {
public:
    explicit PretrainCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run(bool quiet);

private:
    CLI::App* cmd_;
    std::vector<std::string> data_, formats_, splits_;
    int limit_ = 0;
    std::string out_;
    PretrainOptions options_;
};

class EvaluateCommand {
public:
    explicit EvaluateCommand(CLI::App& app);
    bool parsed() const { return cmd_->parsed(); }
    int run();

private:
    CLI::App* cmd_;
    std::string model_;
    DataOptions data_;
    int batchSize_ = 64;
    int maxLength_ = 0;
    std::string out_;
};

}  // namespace attrscope::cli
