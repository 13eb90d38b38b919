#pragma once
// Masked-language-model pre-training of a small BERT from scratch on raw sentences and sentence
// pairs (the labels of the given datasets are not used). Small labelled sets such as SICK's 4.4k
// pairs are too few to learn word meaning and cross-sentence word matching from nothing; masked
// tokens in one sentence of a pair that also occur in the other teach the attention to match them.
// The result is an HF BertForMaskedLM folder (bert.* without pooler, cls.predictions.*) that
// `train` fine-tunes with initFrom.

#include <cstdint>
#include <string>
#include <vector>

#include "attrscope/data/dataset.h"
#include "attrscope/status.h"
#include "attrscope/train/trainer.h"  // TrainListener

namespace attrscope {

struct PretrainOptions {
    // Model shape and vocabulary, as TrainOptions.
    int layers = 2;
    int hidden = 128;
    int heads = 4;
    int intermediate = 0;  // 0 = 4 × hidden
    int maxLength = 64;
    double layerNormEps = 1e-12;
    double matchInit = 0.0;
    int vocabSize = 6000;
    int minFrequency = 2;
    bool lowerCase = true;
    std::string vocabMethod = "words";  // "wordpiece": learned subword merges
    std::string vocabFile;              // use this vocab.txt instead of building one
    // Continue pre-training this BertForMaskedLM/BertForPreTraining folder (e.g. on in-domain
    // pairs with the pair task): its shape, vocabulary, encoder and heads replace the options
    // above; a head it lacks starts fresh.
    std::string initFrom;
    // Where the model trains: cpu, cuda or cuda:N (a resumed run continues on the device it is
    // given; its checkpoints load onto it).
    std::string device = "cpu";
    // Precision of the finished model's weights (checkpoints for --resume stay float32).
    WeightDtype saveDtype = WeightDtype::Float32;
    // Masking: this share of the word pieces (not [CLS]/[SEP]) is predicted; of those 80 % are
    // replaced by [MASK], 10 % by a random piece and 10 % kept (BERT's recipe). Every sequence
    // gets at least one.
    double maskProbability = 0.15;
    // Pairs are also shown as (B, A), with a probability of 1/2 per epoch and pair.
    bool swapPairs = true;
    // BERT's next-sentence task on pairs, from the pooled [CLS]: does B belong to A? Half the
    // pairs are kept; a quarter get another pair's B, a quarter get B with `pairReplace` of its
    // word pieces replaced by random ones, so [CLS] learns how well the two sentences match.
    // The trained pooler is saved (BertForPreTraining) and kept by fine-tuning.
    bool pairTask = false;
    double pairReplace = 0.4;
    // Schedule.
    int epochs = 40;
    int batchSize = 32;
    double learningRate = 5e-4;
    double warmupProportion = 0.1;
    double weightDecay = 0.01;
    double dropout = 0.1;
    double gradClip = 1.0;
    uint64_t seed = 42;
    double heldOut = 0.05;  // share of the sequences kept out to measure masked-token accuracy
    // Matrix products in bfloat16 through LibTorch's CPU autocast (fast on CPUs with
    // AVX512-BF16; emulated and slow elsewhere). Weights, AdamW and losses stay float32.
    bool bf16 = false;
    // Resumable runs: the state is saved in outDir/.pretrain-state every checkpointMinutes of
    // wall time and every checkpointEverySteps steps (0 = off), and when cancelled. With resume
    // the newest saved state is continued bit-identically (same options and texts required).
    double checkpointMinutes = 10.0;
    int checkpointEverySteps = 0;
    bool resume = false;
    bool keepState = false;  // keep outDir/.pretrain-state after a finished run
    bool overwrite = false;
};

struct PretrainReport {
    std::vector<EpochReport> epochs;          // trainAccuracy/evalAccuracy: masked-token accuracy
    std::vector<double> heldOutPairAccuracy;  // per epoch, with pairTask
    double seconds = 0.0;
    int64_t steps = 0;
    int64_t parameters = 0;
    int vocabSize = 0;
    int sequences = 0;  // training sequences (pairs or single sentences)
    int heldOutSequences = 0;
    int64_t tokens = 0;            // real (not padding) word pieces trained on, whole run
    double tokensPerSecond = 0.0;  // of this session
    bool resumed = false;
    std::string outDir;
};

// Pre-trains on the texts of every given dataset and writes the model to outDir (refused when
// it exists and is not empty, unless overwrite). Progress and per-epoch reports go to `sink`
// (loss = masked-LM cross-entropy, accuracy = masked-token accuracy). Cancelling stops after
// the current step, saves the resumable state and returns Status::cancelled(); the model itself
// is written only when the run finishes.
Expected<PretrainReport> pretrainMaskedLm(const std::vector<Dataset>& corpora,
                                          const PretrainOptions& options, const std::string& outDir,
                                          const JobContext& job = {},
                                          TrainListener* sink = nullptr);

std::string pretrainOptionsToJson(const PretrainOptions& options);

}  // namespace attrscope
