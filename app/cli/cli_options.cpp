#include "cli_options.h"

#include <csignal>
#include <cstdio>
#include <sstream>

#include "attrscope/model/model_paths.h"

namespace attrscope::cli {

int fail(const std::string& message) {
    std::fprintf(stderr, "attrscope-cli: error: %s\n", message.c_str());
    return kFailure;
}

int usageError(const std::string& message) {
    std::fprintf(stderr, "attrscope-cli: usage error: %s\n", message.c_str());
    return kUsage;
}

int exitWith(const Status& status) {
    return status ? kSuccess : fail(status.message());
}

void warn(const std::string& message) {
    std::fprintf(stderr, "warning: %s\n", message.c_str());
}

CLI::Option* addDeviceOption(CLI::App* cmd, std::string& device, const std::string& help) {
    return cmd->add_option("--device", device, help)
        ->capture_default_str()
        ->check(CLI::Validator(
            [](std::string& s) {
                const bool ok = s == "cpu" || s == "cuda" ||
                                (s.rfind("cuda:", 0) == 0 && s.size() > 5 && s.size() < 9 &&
                                 s.find_first_not_of("0123456789", 5) == std::string::npos);
                return ok ? std::string() : "'" + s + "' is not cpu, cuda or cuda:N";
            },
            "DEVICE"));
}

void addModelOptions(CLI::App* cmd, ModelOptions& m) {
    cmd->add_option("--model", m.dir, "Checkpoint folder (default: the sick-nli demo model)");
    addDeviceOption(cmd, m.device, "cpu, cuda or cuda:N");
    cmd->add_option("--max-length", m.maxLength,
                    "Maximum tokens incl. specials (default: the model's own limit)")
        ->check(CLI::Range(0, 1 << 20));
}

Expected<std::shared_ptr<Model>> openModel(const ModelOptions& m) {
    std::string dir = m.dir;
    if (dir.empty()) {
        dir = findDemoModel("sick-nli");
        if (dir.empty())
            return Status::error(
                "no --model given and the sick-nli demo model was not found "
                "(set ATTRSCOPE_MODELS or pass --model DIR)");
    }
    auto model = Model::load(dir);
    if (!model)
        return model.status();
    if (m.device != "cpu")
        if (auto s = (*model)->setDevice(m.device); !s)
            return s;
    for (const auto& w : (*model)->warnings())
        warn(w);
    return model;
}

void addTextOptions(CLI::App* cmd, TextOptions& t, bool required) {
    auto* a = cmd->add_option("--text-a", t.textA, "First sentence (or the only one)");
    if (required)
        a->required();
    cmd->add_option("--text-b", t.textB, "Second sentence of a pair")
        ->each([&](const std::string&) { t.hasTextB = true; });
}

Status checkText(const TextOptions& t) {
    if (t.hasTextB && t.textB.find_first_not_of(" \t\r\n") == std::string::npos)
        return Status::error("--text-b is empty (leave it out for a single sentence)");
    return Status::success();
}

Expected<Encoding> encodeText(const Model& model, const TextOptions& t, int maxLength) {
    std::optional<std::string> b;
    if (t.hasTextB)
        b = t.textB;
    auto enc = model.encode(t.textA, b, maxLength);
    if (enc && enc->truncated)
        warn(enc->truncationNote);
    return enc;
}

void addDataOptions(CLI::App* cmd, DataOptions& d, bool withLimit) {
    cmd->add_option("--data", d.path, "Dataset file")->required();
    cmd->add_option("--format", d.format, "sick | sst2 | rte | mrpc | glue-pair | glue-single")
        ->required()
        ->check(CLI::IsMember({"sick", "sst2", "rte", "mrpc", "glue-pair", "glue-single"}));
    cmd->add_option("--split", d.split, "e.g. test / trial / train (SICK), dev/test (MRPC)");
    if (withLimit)
        cmd->add_option("--limit", d.limit, "Only the first N examples of the split")
            ->check(CLI::NonNegativeNumber);
}

Expected<Dataset> loadData(const DataOptions& d) {
    DatasetOptions o;
    o.format = d.format;
    o.split = d.split;
    o.limit = d.limit;
    auto data = loadDataset(d.path, o);
    if (data && data->examples.empty())
        return Status::error(d.path + ": no examples" +
                             (d.split.empty() ? std::string() : " in split '" + d.split + "'"));
    return data;
}

Expected<LabelledInputs> loadInputs(const Model& model, const DataOptions& d, int maxLength) {
    auto data = loadData(d);
    if (!data)
        return data.status();
    auto inputs = encodeDataset(model, *data, maxLength);
    if (inputs && inputs->truncated > 0)
        warn(d.path + ": " + std::to_string(inputs->truncated) + " inputs were truncated to " +
             std::to_string(inputs->maxLength) + " tokens");
    return inputs;
}

AnalysisSource sourceOf(const Model& model, const DataOptions& d) {
    DatasetOptions o;
    o.format = d.format;
    o.split = d.split;
    return analysisSource(model, d.path, o);
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

namespace {

// "3" (0-based) or "L4" (1-based, as the GUI and the figures label layers) → 3.
bool readIndex(std::string s, int limit, int& out) {
    int base = 0;
    if (!s.empty() && (s[0] == 'L' || s[0] == 'l')) {
        s.erase(0, 1);
        base = 1;
    }
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out = std::stoi(s) - base;
    return out >= 0 && out < limit;
}

}  // namespace

Expected<std::vector<int>> parseLayerList(const std::string& text, int limit) {
    std::vector<int> layers;
    const auto bad = [&](const std::string& item) {
        return Status::error("cannot read --layers item '" + item +
                             "' (e.g. 0,3,5-7 counted from 0, or L1,L4,L6-L8 counted from 1)");
    };
    for (const auto& item : splitList(text)) {
        const size_t dash = item.find('-');
        int a = 0, b = 0;
        if (dash == std::string::npos) {
            if (!readIndex(item, limit, a))
                return bad(item);
            b = a;
        } else if (!readIndex(item.substr(0, dash), limit, a) ||
                   !readIndex(item.substr(dash + 1), limit, b) || b < a) {
            return bad(item);
        }
        for (int l = a; l <= b; ++l) {
            if (static_cast<int>(layers.size()) >= limit)
                return bad(item);
            layers.push_back(l);
        }
    }
    if (layers.empty())
        return Status::error("--layers lists no layer (e.g. 0,3,5-7 or L1,L4)");
    return layers;
}

CLI::IsMember ruleNames() {
    return CLI::IsMember({"right", "left", "midpoint", "gauss-legendre", "adaptive"});
}

CancelToken& interruptToken() {
    static CancelToken token;
    return token;
}

namespace {
extern "C" void onInterrupt(int) {
    interruptToken().cancel();  // a lock-free atomic store: safe in a signal handler
}
}  // namespace

Interruptible::Interruptible() {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

Interruptible::~Interruptible() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

}  // namespace attrscope::cli
