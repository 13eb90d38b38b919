#pragma once
// Resumable pre-training: everything a run needs to continue bit-identically after an interrupt
// (weights, AdamW moments, the epoch's random-number state and position, running sums) in one
// folder per checkpoint, DIR/step-N, written through DIR/step-N.part and a rename so that a
// crash while writing leaves the previous checkpoint intact. Used by pretrainer.cpp only.

#include <torch/optim/optimizer.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "attrscope/status.h"
#include "attrscope/text/vocabulary.h"
#include "attrscope/train/trainer.h"  // EpochReport

namespace attrscope {

struct PretrainState {
    int64_t step = 0;       // optimizer steps done
    int epoch = 0;          // epoch in progress, 0-based
    int64_t nextBatch = 0;  // that epoch's first batch not trained yet
    std::string rng;        // the epoch's std::mt19937_64 state before batch nextBatch
    // Running sums of the epoch in progress.
    double lossSum = 0.0;
    int64_t correct = 0, predicted = 0, epochTokens = 0;
    double epochSeconds = 0.0;
    // The whole run.
    double seconds = 0.0;  // wall time of earlier sessions
    int64_t tokens = 0;    // real (not padding) tokens trained on
    std::vector<EpochReport> epochs;
    std::vector<double> pairAccuracy;
    nlohmann::json epochsLog = nlohmann::json::array();
    // What the checkpoint belongs to: the run's options and a fingerprint of its texts.
    nlohmann::json options;
    uint64_t corpusFingerprint = 0;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

Status saveCheckpoint(const std::string& dir, const PretrainState& state,
                      const Vocabulary& vocabulary, const NamedTensors& parameters,
                      const torch::optim::Optimizer& optimizer);

// The newest complete checkpoint folder in dir ("" when there is none).
std::string latestCheckpoint(const std::string& dir);

// Reads a checkpoint's state (state.json) without touching any tensor.
Expected<PretrainState> readCheckpointState(const std::string& folder);

// Loads the weights into `parameters` (by name; every one must be present with its shape) and
// the optimizer's state.
Status loadCheckpointTensors(const std::string& folder, const NamedTensors& parameters,
                             torch::optim::Optimizer& optimizer);

}  // namespace attrscope
