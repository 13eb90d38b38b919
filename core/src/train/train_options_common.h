#pragma once
// What TrainOptions and PretrainOptions share (model shape, vocabulary, AdamW schedule): their
// JSON record and the schedule's validation, and the per-epoch record both logs and checkpoints
// keep. Templated because both structs name them alike.

#include <nlohmann/json.hpp>
#include <string>

#include "attrscope/status.h"
#include "attrscope/train/trainer.h"  // EpochReport

namespace attrscope {

template <typename Options>
nlohmann::json shapeAndScheduleJson(const Options& o) {
    return {{"layers", o.layers},
            {"hidden", o.hidden},
            {"heads", o.heads},
            {"intermediate", o.intermediate},
            {"max_length", o.maxLength},
            {"layer_norm_eps", o.layerNormEps},
            {"match_init", o.matchInit},
            {"vocab_size", o.vocabSize},
            {"min_frequency", o.minFrequency},
            {"lower_case", o.lowerCase},
            {"vocab_method", o.vocabMethod},
            {"vocab_file", o.vocabFile},
            {"epochs", o.epochs},
            {"batch_size", o.batchSize},
            {"learning_rate", o.learningRate},
            {"warmup_proportion", o.warmupProportion},
            {"weight_decay", o.weightDecay},
            {"dropout", o.dropout},
            {"grad_clip", o.gradClip},
            {"seed", o.seed}};
}

inline Status badOption(const std::string& what) {
    return Status::error("invalid option: " + what);
}

template <typename Options>
Status checkSchedule(const Options& o) {
    if (o.vocabMethod != "words" && o.vocabMethod != "wordpiece")
        return badOption("vocabulary method must be words or wordpiece");
    if (o.maxLength < 4)
        return badOption("max length must be at least 4");
    if (o.epochs < 1 || o.batchSize < 1)
        return badOption("epochs and batch size must be ≥ 1");
    if (!(o.learningRate > 0))
        return badOption("learning rate must be positive");
    if (o.warmupProportion < 0 || o.warmupProportion > 1)
        return badOption("warm-up must be in [0, 1]");
    if (o.dropout < 0 || o.dropout >= 1)
        return badOption("dropout must be in [0, 1)");
    if (o.weightDecay < 0 || o.gradClip < 0)
        return badOption("weight decay and clip must be ≥ 0");
    return Status::success();
}

// One epoch in training logs and resumable checkpoints (trainer and pretrainer alike).
inline nlohmann::json epochJson(const EpochReport& e) {
    return {{"epoch", e.epoch},
            {"train_loss", e.trainLoss},
            {"train_accuracy", e.trainAccuracy},
            {"eval_accuracy", e.evalAccuracy},
            {"learning_rate", e.learningRate},
            {"seconds", e.seconds}};
}

inline EpochReport epochFromJson(const nlohmann::json& j) {
    EpochReport e;
    e.epoch = j.at("epoch");
    e.trainLoss = j.at("train_loss");
    e.trainAccuracy = j.at("train_accuracy");
    e.evalAccuracy = j.at("eval_accuracy");
    e.learningRate = j.at("learning_rate");
    e.seconds = j.at("seconds");
    return e;
}

}  // namespace attrscope
