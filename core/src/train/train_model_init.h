#pragma once
// Building blocks shared by classifier training (trainer.cpp) and masked-LM pre-training
// (pretrainer.cpp): a from-scratch model with its own vocabulary, BERT's initialisation and
// AdamW with BERT's two parameter groups.

#include <torch/optim/adamw.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attrscope/model/model.h"
#include "attrscope/status.h"
#include "model/arch/bert.h"

namespace attrscope {

struct ScratchModelSpec {
    int layers = 4, hidden = 128, heads = 4;
    int intermediate = 0;  // 0 = 4 × hidden
    int maxLength = 64;    // also max_position_embeddings
    double layerNormEps = 1e-12;
    double dropout = 0.1;
    double matchInit = 0.0;  // see TrainOptions::matchInit
    int vocabSize = 6000, minFrequency = 2;
    bool lowerCase = true;
    std::string vocabMethod = "words";  // or "wordpiece" (VocabBuilderOptions::wordPiece)
    std::string vocabFile;              // a vocab.txt to use instead of building one
    uint64_t seed = 42;
    std::vector<std::string> labels;  // id2label
};

// A randomly initialised model whose WordPiece vocabulary is built from `texts`.
Expected<std::shared_ptr<Model>> scratchModel(const std::vector<std::string>& texts,
                                              const ScratchModelSpec& spec);

// A model with `base`'s configuration, tokenizer and weights under new labels (id2label).
// Everything `base` has is kept (a pre-trained pooler too) except its classifier; what it lacks
// starts fresh with BERT's initialisation. Used to fine-tune and to continue pre-training.
Expected<std::shared_ptr<Model>> modelOnTopOf(const Model& base,
                                              const std::vector<std::string>& labels,
                                              uint64_t seed);

// BERT's initialisation: N(0, 0.02) weights and embeddings, zero biases, LayerNorm 1 and 0.
// With `only`, just the parameters whose names start with one of those prefixes.
void initWeights(torch::nn::Module& module, const std::vector<std::string>& only = {});

void setTrainable(torch::nn::Module& net, bool trainable);

// AdamW (eps 1e-6) with no weight decay on biases and LayerNorm weights. `named` holds every
// trainable parameter with its name.
std::unique_ptr<torch::optim::AdamW> makeAdamW(
    const std::vector<std::pair<std::string, at::Tensor>>& named, double learningRate,
    double weightDecay);

}  // namespace attrscope
