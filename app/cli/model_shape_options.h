#pragma once
// Options that `train` and `pretrain` share: model shape, vocabulary and the AdamW schedule.
// Templated on the options struct because TrainOptions and PretrainOptions name them alike.

#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include "attrscope/model/weight_dtype.h"
#include "cli_options.h"

namespace attrscope::cli {

template <typename Options>
void addModelShapeOptions(CLI::App* cmd, Options& o) {
    cmd->add_option("--layers", o.layers, "Encoder layers")->capture_default_str();
    cmd->add_option("--hidden", o.hidden, "Hidden size")->capture_default_str();
    cmd->add_option("--heads", o.heads, "Attention heads")->capture_default_str();
    cmd->add_option("--intermediate", o.intermediate, "FFN size (0: 4 × hidden)")
        ->capture_default_str();
    cmd->add_option("--max-length", o.maxLength, "Max word pieces incl. specials")
        ->capture_default_str();
    cmd->add_option("--vocab-size", o.vocabSize, "Vocabulary entries")->capture_default_str();
    cmd->add_option("--min-frequency", o.minFrequency, "Vocabulary min count")
        ->capture_default_str();
    cmd->add_option("--vocab", o.vocabMethod,
                    "Vocabulary from scratch: words (whole words + endings) or wordpiece "
                    "(learned subword merges)")
        ->check(CLI::IsMember({"words", "wordpiece"}))
        ->capture_default_str();
    cmd->add_option("--vocab-file", o.vocabFile, "Use this vocab.txt instead of building one");
    cmd->add_option("--match-init", o.matchInit,
                    "Start layer 0 with equal query/key weights of this std (0: off)");
}

template <typename Options>
void addScheduleOptions(CLI::App* cmd, Options& o) {
    cmd->add_option("--epochs", o.epochs, "Epochs")->capture_default_str();
    cmd->add_option("--batch-size", o.batchSize, "Batch size")->capture_default_str();
    cmd->add_option("--lr", o.learningRate, "Peak learning rate (AdamW)")->capture_default_str();
    cmd->add_option("--warmup", o.warmupProportion, "Warm-up share of all steps")
        ->capture_default_str();
    cmd->add_option("--weight-decay", o.weightDecay, "AdamW weight decay")->capture_default_str();
    cmd->add_option("--dropout", o.dropout, "Hidden and attention dropout")->capture_default_str();
    cmd->add_option("--grad-clip", o.gradClip, "Max gradient norm (0: off)")->capture_default_str();
    cmd->add_option("--seed", o.seed, "Random seed")->capture_default_str();
    addDeviceOption(cmd, o.device, "Where to train: cpu, cuda or cuda:N (the CUDA build)");
    cmd->add_option("--save-dtype", o.saveDtype,
                    "Weights of the finished model: float32, or float16 (half the file; "
                    "loading upcasts)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, WeightDtype>{
            {"float32", WeightDtype::Float32}, {"float16", WeightDtype::Float16}}))
        ->default_str("float32");
}

}  // namespace attrscope::cli
