// attrscope-cli: the headless face of the engine. Parses options, wires core calls, prints JSON.
// Exit codes: 0 success, 2 usage error, 1 failure (one line naming the file and the problem).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "attrscope/attribution/attribution.h"
#include "attrscope/tree/attribution_tree.h"
#include "attrscope/model/model.h"
#include "attrscope/model/model_paths.h"
#include "attrscope/json/result_json.h"
#include "attrscope/tree/tree_layout.h"
#include "cli_analysis.h"
#include "cli_commands.h"
#include "cli_progress.h"
#include "cmd_deletion.h"

using namespace attrscope;

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "attrscope-cli: error: %s\n", message.c_str());
    return 1;
}

Status writeOutput(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return Status::success();
    }
    std::ofstream out(path, std::ios::binary);
    if (!out) return Status::error(path + ": cannot write output file");
    out << text;
    return out ? Status::success() : Status::error(path + ": write failed");
}

struct InputOptions {
    std::string model;
    std::string textA;
    std::string textB;
    bool hasTextB = false;
    int maxLength = 0;
    std::string device = "cpu";
};

void addInputOptions(CLI::App* cmd, InputOptions& o, bool required = true) {
    cmd->add_option("--model", o.model, "Hugging Face BERT checkpoint folder (default: sick-nli demo)");
    auto* a = cmd->add_option("--text-a", o.textA, "First sentence (or the only one)");
    if (required) a->required();
    cmd->add_option("--text-b", o.textB, "Second sentence of a pair")->each([&](const std::string&) {
        o.hasTextB = true;
    });
    cmd->add_option("--max-length", o.maxLength, "Maximum tokens incl. specials (default 128)");
    cmd->add_option("--device", o.device, "cpu or cuda")->capture_default_str();
}

Expected<std::shared_ptr<Model>> openModel(const InputOptions& o) {
    std::string dir = o.model;
    if (dir.empty()) {
        dir = findDemoModel("sick-nli");
        if (dir.empty())
            return Status::error("no --model given and the sick-nli demo model was not found "
                                 "(set ATTRSCOPE_MODELS or pass --model DIR)");
    }
    auto model = Model::load(dir);
    if (!model) return model.status();
    if (o.device != "cpu")
        if (auto s = (*model)->setDevice(o.device); !s) return s;
    for (const auto& w : (*model)->warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return model;
}

Expected<Encoding> encodeInput(const Model& model, const InputOptions& o) {
    std::optional<std::string> b;
    if (o.hasTextB) b = o.textB;
    auto enc = model.encode(o.textA, b, o.maxLength);
    if (enc && enc->truncated) std::fprintf(stderr, "warning: %s\n", enc->truncationNote.c_str());
    return enc;
}

std::vector<int> parseLayers(const std::string& text, bool& ok) {
    std::vector<int> layers;
    ok = true;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            size_t dash = item.find('-');
            if (dash != std::string::npos && dash > 0) {
                int a = std::stoi(item.substr(0, dash)), b = std::stoi(item.substr(dash + 1));
                for (int l = a; l <= b; ++l) layers.push_back(l);
            } else {
                layers.push_back(std::stoi(item));
            }
        } catch (...) {
            ok = false;
        }
    }
    return layers;
}

std::string treeToJson(const AttributionTree& t, const std::vector<std::string>& tokens) {
    nlohmann::json j;
    j["root"] = t.root;
    j["threshold"] = t.threshold;
    j["tokens"] = tokens;
    nlohmann::json edges = nlohmann::json::array();
    for (const auto& e : t.edges) edges.push_back({e.parent, e.child, e.layer});
    j["edges"] = edges;
    j["edge_weights"] = nlohmann::json::array();
    for (const auto& e : t.edges) j["edge_weights"].push_back(e.weight);
    j["heights"] = t.heights;
    j["node_state"] = t.nodeState;
    j["indexing"] = "0-based; edges are [query (parent), key (child), layer]";
    return j.dump(1) + "\n";
}

std::string treeTitle(const AttributionResult& r) {
    std::string text;
    for (const auto& t : r.encoding.tokens) text += (text.empty() ? "" : " ") + t;
    if (text.size() > 90) text = text.substr(0, 87) + "...";
    return "target " + r.targetLabel + " | " + ruleName(r.options.rule) + ", m=" +
           std::to_string(r.options.steps) + " | " + text;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"AttrScope command line: self-attention attribution for BERT classifiers"};
    app.require_subcommand(1);
    int threads = 0;
    bool quiet = false;
    app.add_option("--threads", threads, "CPU threads (default: one per core)");
    app.add_flag("--quiet,-q", quiet, "No progress on stderr");

    // predict
    InputOptions predictIn;
    bool noAttention = false;
    std::string predictOut;
    auto* predict = app.add_subcommand("predict", "Clean forward: tokens, logits, probabilities, attention");
    addInputOptions(predict, predictIn);
    predict->add_flag("--no-attention", noAttention, "Omit the attention maps");
    predict->add_option("--out", predictOut, "Write the JSON here instead of stdout");

    // attribute
    InputOptions attrIn;
    AttributionOptions attrOpt;
    std::string rule = "right", layersText, attrOut, jsonlDir;
    auto* attribute = app.add_subcommand("attribute", "Self-attention attribution of every layer");
    addInputOptions(attribute, attrIn);
    attribute->add_option("--steps", attrOpt.steps, "Integration points m")->capture_default_str();
    attribute->add_option("--rule", rule, "right | left | midpoint | gauss-legendre | adaptive")->capture_default_str();
    attribute->add_option("--tolerance", attrOpt.tolerance, "adaptive: completeness tolerance per layer")->capture_default_str();
    attribute->add_option("--max-steps", attrOpt.maxSteps, "adaptive: cap on m (doubling from --steps)")->capture_default_str();
    std::string precision = "fp32";
    attribute->add_option("--precision", precision, "fp32 | bf16 (matrix products of the path in bf16)")->capture_default_str();
    attribute->add_option("--target", attrOpt.target, "predicted, a class index or a label name")->capture_default_str();
    attribute->add_option("--layers", layersText, "Layers to compute, e.g. 0,3,5-7 (default: all)");
    attribute->add_option("--memory-mb", attrOpt.memoryBudgetMB, "Activation memory budget")->capture_default_str();
    attribute->add_option("--chunk", attrOpt.chunkSize, "Steps per batched pass (0: from the budget)");
    attribute->add_option("--out", attrOut, "Result JSON file (default: stdout)");
    attribute->add_option("--jsonl-dir", jsonlDir, "Also write the official per-layer JSONL files here");

    // tree
    InputOptions treeIn;
    std::string treeResult, treeOut, treeRule = "right";
    double threshold = 0.4;
    int treeSteps = 20;
    auto* tree = app.add_subcommand("tree", "Attribution tree from a result file or a model and text");
    tree->add_option("--result", treeResult, "Result JSON written by 'attribute'");
    addInputOptions(tree, treeIn, false);
    tree->add_option("--steps", treeSteps, "Integration points when computing")->capture_default_str();
    tree->add_option("--rule", treeRule, "Rule when computing")->capture_default_str();
    tree->add_option("--threshold", threshold, "τ: keep interactions above this share of the layer max")->capture_default_str();
    tree->add_option("--out", treeOut, "FILE.json|dot|svg|pdf|png (default: JSON on stdout)");

    cli::PretrainCommand pretrainCmd(app);
    cli::TrainCommand trainCmd(app);
    cli::EvaluateCommand evaluateCmd(app);
    cli::HeadsCommand headsCmd(app);
    cli::PruneCommand pruneCmd(app);
    cli::TriggersCommand triggersCmd(app);
    cli::DeletionCommand deletionCmd(app);  // issue 17 (faithfulness by knockout)

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    setThreadCount(threads);
    cli::StderrProgress progress(!quiet);
    if (pretrainCmd.parsed()) return pretrainCmd.run(quiet);
    if (trainCmd.parsed()) return trainCmd.run(quiet);
    if (evaluateCmd.parsed()) return evaluateCmd.run();
    if (headsCmd.parsed()) return headsCmd.run(quiet);
    if (pruneCmd.parsed()) return pruneCmd.run(quiet);
    if (triggersCmd.parsed()) return triggersCmd.run(quiet);
    if (deletionCmd.parsed()) return deletionCmd.run(quiet);

    if (predict->parsed()) {
        auto model = openModel(predictIn);
        if (!model) return fail(model.error());
        auto enc = encodeInput(**model, predictIn);
        if (!enc) return fail(enc.error());
        auto p = (*model)->predict(*enc, !noAttention);
        if (!p) return fail(p.error());
        auto s = writeOutput(predictOut, predictionToJson(*enc, *p, (*model)->config(), !noAttention));
        return s ? 0 : fail(s.message());
    }

    if (attribute->parsed() || (tree->parsed() && treeResult.empty())) {
        InputOptions& in = attribute->parsed() ? attrIn : treeIn;
        if (tree->parsed()) {
            if (in.textA.empty()) return fail("tree needs --result FILE or --text-a (and --model)");
            attrOpt.steps = treeSteps;
            rule = treeRule;
        }
        auto r = parseRule(rule);
        if (!r) return fail("unknown rule '" + rule + "' (right, left, midpoint, gauss-legendre, adaptive)");
        attrOpt.rule = *r;
        if (auto p = parsePrecision(precision)) attrOpt.precision = *p;
        else return fail("unknown precision '" + precision + "' (fp32, bf16)");
        if (!layersText.empty()) {
            bool ok = true;
            attrOpt.layers = parseLayers(layersText, ok);
            if (!ok) return fail("cannot read --layers '" + layersText + "' (e.g. 0,3,5-7)");
        }
        auto model = openModel(in);
        if (!model) return fail(model.error());
        auto enc = encodeInput(**model, in);
        if (!enc) return fail(enc.error());
        auto result = attrscope::attribute(**model, *enc, attrOpt, &progress, nullptr);
        progress.finish();
        if (!result) return fail(result.error());
        if (attribute->parsed()) {
            if (!jsonlDir.empty())
                if (auto s = writeOfficialJsonl(*result, jsonlDir); !s) return fail(s.message());
            auto s = writeOutput(attrOut, resultToJson(*result, (*model)->config()));
            return s ? 0 : fail(s.message());
        }
        auto t = buildAttributionTree(result->attributionArray(), threshold);
        if (!t) return fail(t.error());
        if (treeOut.empty()) {
            auto s = writeOutput("", treeToJson(*t, result->encoding.tokens));
            return s ? 0 : fail(s.message());
        }
        auto s = exportTree(*t, result->encoding.tokens, treeOut, treeTitle(*result));
        return s ? 0 : fail(s.message());
    }

    if (tree->parsed()) {
        auto result = readResultFile(treeResult);
        if (!result) return fail(result.error());
        if (!treeIn.model.empty()) {
            auto model = Model::load(treeIn.model);
            if (!model) return fail(model.error());
            const auto& c = (*model)->config();
            if (c.numLayers != result->numLayers || c.numHeads != result->numHeads)
                return fail(treeResult + ": computed with a model of " +
                            std::to_string(result->numLayers) + " layers × " +
                            std::to_string(result->numHeads) + " heads, but " + treeIn.model +
                            " has " + std::to_string(c.numLayers) + " × " +
                            std::to_string(c.numHeads));
            for (size_t i = 0; i < result->encoding.inputIds.size(); ++i) {
                int64_t id = result->encoding.inputIds[i];
                if (id >= (*model)->tokenizer().vocabulary().size() ||
                    (*model)->tokenizer().vocabulary().token(id) != result->encoding.tokens[i])
                    return fail(treeResult + ": its tokens do not match the vocabulary of " +
                                treeIn.model + " (a result from another model?)");
            }
        }
        if (!result->isComplete())
            std::fprintf(stderr, "warning: the result lacks some layers; they count as zero\n");
        auto t = buildAttributionTree(result->attributionArray(), threshold);
        if (!t) return fail(t.error());
        if (treeOut.empty()) {
            auto s = writeOutput("", treeToJson(*t, result->encoding.tokens));
            return s ? 0 : fail(s.message());
        }
        auto s = exportTree(*t, result->encoding.tokens, treeOut, treeTitle(*result));
        return s ? 0 : fail(s.message());
    }
    return 0;
}
