#pragma once
// What every attrscope-cli subcommand shares: the option groups (model, text, data), opening the
// model and the data, the one failure printer and the exit codes, bounded list parsing, output
// writing (atomic, every error reported) and Ctrl-C.
//
// Exit codes: 0 success, 1 failure (one line naming the file and the problem), 2 usage error
// (an option out of range, a malformed list, an unknown name; also everything CLI11 rejects).

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/analysis/studies.h"
#include "attrscope/attribution/attribution.h"
#include "attrscope/data/dataset.h"
#include "attrscope/io/output_file.h"
#include "attrscope/model/model.h"

namespace attrscope::cli {

enum ExitCode { kSuccess = 0, kFailure = 1, kUsage = 2 };

// "attrscope-cli: error: MESSAGE" on stderr; returns kFailure.
int fail(const std::string& message);
// "attrscope-cli: usage error: MESSAGE" on stderr; returns kUsage.
int usageError(const std::string& message);
// A Status as an exit code: 0, or the failure printed.
int exitWith(const Status& status);
void warn(const std::string& message);

struct Globals {
    int threads = 0;
    bool quiet = false;
};

struct ModelOptions {
    std::string dir;
    std::string device = "cpu";
    int maxLength = 0;  // 0: the model's default
};
// --device, checked to be cpu, cuda or cuda:N.
CLI::Option* addDeviceOption(CLI::App* cmd, std::string& device, const std::string& help);
void addModelOptions(CLI::App* cmd, ModelOptions& m);
// The folder given, or the sick-nli demo model; warnings go to stderr.
Expected<std::shared_ptr<Model>> openModel(const ModelOptions& m);

struct TextOptions {
    std::string textA;
    std::string textB;
    bool hasTextB = false;
};
void addTextOptions(CLI::App* cmd, TextOptions& t, bool required = true);
// Usage errors of the text options (an empty --text-b), checked before any model is loaded.
Status checkText(const TextOptions& t);
// Tokenised for the model; a truncation is reported on stderr.
Expected<Encoding> encodeText(const Model& model, const TextOptions& t, int maxLength);

struct DataOptions {
    std::string path;
    std::string format;
    std::string split;
    int limit = 0;
};
void addDataOptions(CLI::App* cmd, DataOptions& d, bool withLimit = true);
Expected<Dataset> loadData(const DataOptions& d);
// The dataset encoded for the model (labels mapped to its classes); truncations reported.
Expected<LabelledInputs> loadInputs(const Model& model, const DataOptions& d, int maxLength);
AnalysisSource sourceOf(const Model& model, const DataOptions& d);

// "a,b,,c" → {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string& text);
// "0,3,5-7" → {0, 3, 5, 6, 7}; "L1,L4,L6-L8" counts from 1 as the GUI and figures do (the
// same list). At most `limit` layers, each in 0..limit−1 (the model checks its own range
// later). Errors are usage errors.
Expected<std::vector<int>> parseLayerList(const std::string& text, int limit = 4096);
// The Riemann rules as CLI11 accepts them (usage error for anything else).
CLI::IsMember ruleNames();

// Ctrl-C / SIGTERM cancel interruptToken() while an Interruptible is alive, instead of killing
// the process: jobs stop after their current unit and keep what they have.
CancelToken& interruptToken();
class Interruptible {
public:
    Interruptible();
    ~Interruptible();
};

}  // namespace attrscope::cli
