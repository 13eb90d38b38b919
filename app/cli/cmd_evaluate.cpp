// attrscope-cli evaluate: accuracy, per-class accuracy and the confusion matrix as JSON.

#include <cstdio>
#include <fstream>

#include "attrscope/model/model.h"
#include "attrscope/model/model_paths.h"
#include "cli_commands.h"

namespace attrscope::cli {

int failLine(const std::string& message) {
    std::fprintf(stderr, "attrscope-cli: error: %s\n", message.c_str());
    return 1;
}

Expected<Dataset> loadDataOption(const DataOptions& d) {
    DatasetOptions o;
    o.format = d.format;
    o.split = d.split;
    o.limit = d.limit;
    auto data = loadDataset(d.path, o);
    if (data && data->examples.empty()) return Status::error(d.path + ": no examples");
    return data;
}

EvaluateCommand::EvaluateCommand(CLI::App& app) {
    cmd_ = app.add_subcommand("evaluate", "Accuracy, per-class accuracy and confusion matrix (JSON)");
    cmd_->add_option("--model", model_, "Checkpoint folder (default: sick-nli demo)");
    cmd_->add_option("--data", data_.path, "Dataset file")->required();
    cmd_->add_option("--format", data_.format, "sick | sst2 | rte | mrpc | glue-pair | glue-single")
        ->required();
    cmd_->add_option("--split", data_.split, "e.g. test (SICK), dev/test (MRPC)");
    cmd_->add_option("--limit", data_.limit, "Only the first N examples");
    cmd_->add_option("--batch-size", batchSize_, "Inputs per forward pass")->capture_default_str();
    cmd_->add_option("--max-length", maxLength_, "Maximum tokens (default: the model's)");
    cmd_->add_option("--out", out_, "Write the JSON here instead of stdout");
}

int EvaluateCommand::run() {
    std::string dir = model_.empty() ? findDemoModel("sick-nli") : model_;
    if (dir.empty()) return failLine("no --model given and the sick-nli demo model was not found");
    auto data = loadDataOption(data_);
    if (!data) return failLine(data.error());
    auto model = Model::load(dir);
    if (!model) return failLine(model.error());
    auto report = evaluate(**model, *data, batchSize_, maxLength_);
    if (!report) return failLine(report.error());
    const std::string json = evalReportToJson(*report);
    if (out_.empty() || out_ == "-") {
        std::fwrite(json.data(), 1, json.size(), stdout);
        return 0;
    }
    std::ofstream f(out_, std::ios::binary);
    f << json;
    return f ? 0 : failLine(out_ + ": cannot write output file");
}

}  // namespace attrscope::cli
