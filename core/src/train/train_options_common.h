#pragma once
// What TrainOptions and PretrainOptions share (model shape, vocabulary, AdamW schedule): their
// JSON record and the schedule's validation. Templated because both structs name them alike.

#include <nlohmann/json.hpp>
#include <string>

#include "attrscope/status.h"

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

}  // namespace attrscope
