#include "pretrain_checkpoint.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <algorithm>
#include <filesystem>

#include "io/file_util.h"
#include "train_options_common.h"

namespace attrscope {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "step-";

// step-N folders of dir, newest first.
std::vector<std::pair<int64_t, fs::path>> checkpointFolders(const std::string& dir) {
    std::vector<std::pair<int64_t, fs::path>> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0 || !entry.is_directory(ec))
            continue;
        const std::string digits = name.substr(std::string(kPrefix).size());
        if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit))
            continue;  // step-N.part: an unfinished write
        out.emplace_back(std::stoll(digits), entry.path());
    }
    std::sort(out.rbegin(), out.rend());
    return out;
}

}  // namespace

Status saveCheckpoint(const std::string& dir, const PretrainState& s, const Vocabulary& vocabulary,
                      const NamedTensors& parameters, const torch::optim::Optimizer& optimizer) {
    const std::string name = kPrefix + std::to_string(s.step);
    const fs::path final = fs::path(dir) / name, part = fs::path(dir) / (name + ".part");
    std::error_code ec;
    fs::remove_all(part, ec);
    fs::create_directories(part, ec);
    if (ec)
        return Status::error(part.string() + ": cannot create checkpoint folder: " + ec.message());
    try {
        torch::serialize::OutputArchive weights;
        for (const auto& [key, tensor] : parameters)
            weights.write(key, tensor.detach());
        weights.save_to((part / "weights.pt").string());
        torch::serialize::OutputArchive moments;
        optimizer.save(moments);
        moments.save_to((part / "optimizer.pt").string());
    } catch (const std::exception& e) {
        return Status::error(part.string() + ": cannot write checkpoint: " + e.what());
    }
    if (auto st = vocabulary.save((part / "vocab.txt").string()); !st)
        return st;
    nlohmann::json j = {{"step", s.step},
                        {"epoch", s.epoch},
                        {"next_batch", s.nextBatch},
                        {"rng", s.rng},
                        {"loss_sum", s.lossSum},
                        {"correct", s.correct},
                        {"predicted", s.predicted},
                        {"epoch_tokens", s.epochTokens},
                        {"epoch_seconds", s.epochSeconds},
                        {"seconds", s.seconds},
                        {"tokens", s.tokens},
                        {"epochs", nlohmann::json::array()},
                        {"pair_accuracy", s.pairAccuracy},
                        {"epochs_log", s.epochsLog},
                        {"options", s.options},
                        {"corpus_fingerprint", s.corpusFingerprint}};
    for (const auto& e : s.epochs)
        j["epochs"].push_back(epochJson(e));
    if (auto st = writeFileAtomically((part / "state.json").string(), j.dump(1) + "\n"); !st)
        return st;
    fs::remove_all(final, ec);
    fs::rename(part, final, ec);
    if (ec)
        return Status::error(final.string() + ": cannot finish checkpoint: " + ec.message());
    for (const auto& [step, path] : checkpointFolders(dir))
        if (path != final)
            fs::remove_all(path, ec);  // only the newest is needed to resume
    return Status::success();
}

std::string latestCheckpoint(const std::string& dir) {
    for (const auto& [step, path] : checkpointFolders(dir))
        if (fileExists((path / "state.json").string()))
            return path.string();
    return {};
}

Expected<PretrainState> readCheckpointState(const std::string& folder) {
    auto text = readFile(joinPath(folder, "state.json"), "pre-training state");
    if (!text)
        return text.status();
    try {
        const auto j = nlohmann::json::parse(*text);
        PretrainState s;
        s.step = j.at("step");
        s.epoch = j.at("epoch");
        s.nextBatch = j.at("next_batch");
        s.rng = j.at("rng");
        s.lossSum = j.at("loss_sum");
        s.correct = j.at("correct");
        s.predicted = j.at("predicted");
        s.epochTokens = j.at("epoch_tokens");
        s.epochSeconds = j.at("epoch_seconds");
        s.seconds = j.at("seconds");
        s.tokens = j.at("tokens");
        for (const auto& e : j.at("epochs"))
            s.epochs.push_back(epochFromJson(e));
        s.pairAccuracy = j.at("pair_accuracy").get<std::vector<double>>();
        s.epochsLog = j.at("epochs_log");
        s.options = j.at("options");
        s.corpusFingerprint = j.at("corpus_fingerprint");
        return s;
    } catch (const std::exception& e) {
        return Status::error(folder + ": unreadable pre-training state: " + e.what());
    }
}

Status loadCheckpointTensors(const std::string& folder, const NamedTensors& parameters,
                             torch::optim::Optimizer& optimizer) {
    try {
        torch::serialize::InputArchive weights;
        // Saved tensors load onto the device the run continues on.
        const at::Device device =
            parameters.empty() ? at::Device(at::kCPU) : parameters.front().second.device();
        weights.load_from(joinPath(folder, "weights.pt"), device);
        at::NoGradGuard noGrad;
        for (const auto& [key, tensor] : parameters) {
            at::Tensor saved;
            if (!weights.try_read(key, saved))
                return Status::error(folder + ": checkpoint lacks " + key);
            if (!saved.sizes().equals(tensor.sizes()))
                return Status::error(folder + ": " + key + " has another shape");
            at::Tensor target = tensor;
            target.copy_(saved);
        }
        torch::serialize::InputArchive moments;
        moments.load_from(joinPath(folder, "optimizer.pt"), device);
        optimizer.load(moments);
    } catch (const std::exception& e) {
        return Status::error(folder + ": cannot read checkpoint: " + e.what());
    }
    return Status::success();
}

}  // namespace attrscope
