// Options, loading, output and progress shared by heads / prune / triggers.

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "attrscope/model/model_paths.h"
#include "cli_analysis.h"

namespace attrscope::cli {

void addModelOptions(CLI::App* cmd, AnalysisModel& m) {
    cmd->add_option("--model", m.dir, "Checkpoint folder (default: sick-nli demo)");
    cmd->add_option("--device", m.device, "cpu or cuda")->capture_default_str();
    cmd->add_option("--max-length", m.maxLength, "Maximum tokens incl. specials (default 128)");
}

void addDataOptions(CLI::App* cmd, AnalysisData& d, bool withLimit) {
    cmd->add_option("--data", d.path, "Dataset file")->required();
    cmd->add_option("--format", d.format, "sick | sst2 | rte | mrpc | glue-pair | glue-single")
        ->required();
    cmd->add_option("--split", d.split, "e.g. test / trial / train (SICK), dev/test (MRPC)");
    if (withLimit)
        cmd->add_option("--limit", d.limit, "Only the first N examples of the split");
}

int analysisFail(const std::string& message) {
    std::fprintf(stderr, "attrscope-cli: error: %s\n", message.c_str());
    return 1;
}

Expected<std::shared_ptr<Model>> openAnalysisModel(const AnalysisModel& m) {
    std::string dir = m.dir.empty() ? findDemoModel("sick-nli") : m.dir;
    if (dir.empty())
        return Status::error(
            "no --model given and the sick-nli demo model was not found "
            "(set ATTRSCOPE_MODELS or pass --model DIR)");
    auto model = Model::load(dir);
    if (!model)
        return model.status();
    if (m.device != "cpu")
        if (auto s = (*model)->setDevice(m.device); !s)
            return s;
    for (const auto& w : (*model)->warnings())
        std::fprintf(stderr, "warning: %s\n", w.c_str());
    return model;
}

Expected<LabelledInputs> loadAnalysisInputs(const Model& model, const AnalysisData& d,
                                            int maxLength) {
    DatasetOptions o;
    o.format = d.format;
    o.split = d.split;
    o.limit = d.limit;
    auto data = loadDataset(d.path, o);
    if (!data)
        return data.status();
    auto inputs = encodeDataset(model, *data, maxLength);
    if (inputs && inputs->truncated > 0)
        std::fprintf(stderr, "warning: %s: %d inputs were truncated to %d tokens\n", d.path.c_str(),
                     inputs->truncated, inputs->maxLength);
    return inputs;
}

AnalysisSource analysisSource(const AnalysisModel& m, const AnalysisData& d, const Model& model) {
    AnalysisSource s;
    s.model = model.directory();
    s.data = d.path;
    s.format = d.format;
    s.split = d.split;
    s.device = model.device();
    s.threads = threadCount();
    return s;
}

Status writeJson(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return Status::success();
    }
    std::ofstream out(path, std::ios::binary);
    if (!out)
        return Status::error(path + ": cannot write output file");
    out << text;
    return out ? Status::success() : Status::error(path + ": write failed");
}

CancelToken& interruptToken() {
    static CancelToken token;
    return token;
}

namespace {
void onInterrupt(int) {
    interruptToken().cancel();  // a lock-free atomic store: safe in a signal handler
}
}  // namespace

void installInterruptHandler() {
    std::signal(SIGINT, onInterrupt);
}

void DatasetStderrProgress::onProgress(const DatasetProgress& p) {
    char buf[200];
    std::string eta = p.etaSeconds < 0 ? "?" : std::to_string(int(p.etaSeconds + 0.5)) + "s";
    std::snprintf(buf, sizeof buf, "%s: %d/%d (%3.0f%%), %.0fs elapsed, eta %s", p.stage.c_str(),
                  p.done, p.total, 100.0 * p.fraction, p.elapsedSeconds, eta.c_str());
    line_.line(buf, p.done == p.total);
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty())
            items.push_back(item);
    return items;
}

}  // namespace attrscope::cli
