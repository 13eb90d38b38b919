#pragma once
// Training and evaluation of BERT-shaped sequence classifiers with the engine's own code: a small
// model from scratch (own WordPiece vocabulary) or fine-tuning from a checkpoint folder. The result
// is an ordinary Hugging Face folder (config.json with id2label, vocab.txt, tokenizer_config.json,
// model.safetensors) that Model::load and HF tools read.

#include <cstdint>
#include <string>
#include <vector>

#include "attrscope/data/dataset.h"
#include "attrscope/job.h"
#include "attrscope/model/model.h"
#include "attrscope/model/weight_dtype.h"
#include "attrscope/status.h"

namespace attrscope {

struct TrainOptions {
    // Model shape (from scratch only; initFrom keeps the checkpoint's config and vocabulary).
    int layers = 4;
    int hidden = 128;
    int heads = 4;
    int intermediate = 0;  // 0 = 4 × hidden
    int maxLength = 64;    // word pieces incl. specials; also max_position_embeddings
    double layerNormEps = 1e-12;
    // From scratch: layer 0's query and key projections start equal, N(0, matchInit), so that
    // attention starts out favouring identical tokens (cross-sentence word matching, which small
    // data sets barely teach). 0 = the ordinary BERT initialisation.
    double matchInit = 0.0;
    // Augmentation: examples whose label is listed (e.g. "contradiction" for a symmetric
    // relation) are added once more with A and B swapped.
    std::vector<std::string> swapLabels;
    // Augmentation "FROM:TO" (e.g. "entailment:contradiction"): for each FROM pair whose B has
    // an "is"/"are" and no negation, (A, B with "not" inserted after it) is added as TO.
    // Teaches that a negation present on one side only flips the relation.
    std::string negationAugment;
    // Augmentation "SAME:UNRELATED" (e.g. "entailment:neutral"): for every fourth pair, (A, A) is
    // added as SAME and (A, the B of a random other pair) as UNRELATED, so that word overlap
    // between the sentences is seen to matter.
    std::string overlapAugment;
    // Vocabulary (from scratch): built from the training texts with buildVocabulary.
    int vocabSize = 6000;
    int minFrequency = 2;
    bool lowerCase = true;
    std::string vocabMethod = "words";  // "wordpiece": learned subword merges
    std::string vocabFile;              // use this vocab.txt instead of building one
    // Where the model trains: cpu, cuda or cuda:N (a resumed run continues on the device it is
    // given; its checkpoints load onto it).
    std::string device = "cpu";
    // Precision of the finished model's weights (checkpoints for --resume stay float32).
    WeightDtype saveDtype = WeightDtype::Float32;
    // Schedule.
    int epochs = 10;
    int batchSize = 32;
    double learningRate = 5e-4;
    double warmupProportion = 0.1;  // of all steps; linear warm-up, then linear decay to 0
    double weightDecay = 0.01;      // AdamW, not on biases and LayerNorm weights
    double dropout = 0.1;           // hidden and attention dropout
    double gradClip = 1.0;          // max global L2 norm; 0 = off
    uint64_t seed = 42;
    int evalEvery = 1;  // evaluate (and keep the best) every N epochs and at the end
    // Fine-tuning: a checkpoint folder. Its classifier is kept when its classes match the
    // dataset's labels, otherwise replaced by a fresh one.
    std::string initFrom;
    // Output folder handling: an existing non-empty folder is refused unless overwrite (its
    // contents are replaced) or resume (continues the interrupted run recorded in
    // outDir/.train-state with that run's options; only epochs may differ).
    bool overwrite = false;
    bool resume = false;
    bool keepState = false;        // keep outDir/.train-state after a finished run
    int checkpointEverySteps = 0;  // also save the resumable state every N steps (0 = per epoch)
};

struct EpochReport {
    int epoch = 0;  // 1-based
    double trainLoss = 0.0;
    double trainAccuracy = 0.0;  // with dropout, over the epoch
    double evalAccuracy = -1.0;  // -1 when not evaluated this epoch
    double learningRate = 0.0;   // at the end of the epoch
    double seconds = 0.0;
};

struct TrainReport {
    std::vector<EpochReport> epochs;  // all epochs, including those before a resume
    int bestEpoch = 0;
    double bestEvalAccuracy = -1.0;
    double seconds = 0.0;  // wall time of this invocation
    int64_t steps = 0;     // optimizer steps over the whole run
    int64_t parameters = 0;
    int vocabSize = 0;
    int trainExamples = 0;
    int evalExamples = 0;
    bool resumed = false;
    std::string outDir;
};

struct TrainProgress {
    int epoch = 0;  // 1-based
    int epochs = 0;
    int64_t step = 0;  // over the whole run
    int64_t totalSteps = 0;
    double loss = 0.0;      // running mean over the current epoch
    double accuracy = 0.0;  // running train accuracy over the current epoch
    double learningRate = 0.0;
    double elapsedSeconds = 0.0;
    double etaSeconds = -1.0;
};

// Training's own per-step and per-epoch reports, beside the generic JobContext progress.
class TrainListener {
public:
    virtual ~TrainListener() = default;
    virtual void onStep(const TrainProgress&) {}
    virtual void onEpoch(const EpochReport&) {}
    virtual void onMessage(const std::string&) {}
};

// The generic progress of a training step (stage "epoch e/E", done/total = steps).
JobProgress toJobProgress(const TrainProgress& p);

// Trains on `train`, evaluates on `eval` (when eval has no examples, a deterministic 10 % of
// train is held out instead) and writes the best checkpoint by eval accuracy to outDir.
// A cancelled run saves its state and returns Status::cancelled(); rerun with resume = true.
Expected<TrainReport> train(const Dataset& train, const Dataset& eval, const TrainOptions& options,
                            const std::string& outDir, const JobContext& job = {},
                            TrainListener* listener = nullptr);

struct EvalReport {
    std::vector<std::string> labels;  // the model's classes
    int examples = 0;
    double accuracy = 0.0;
    std::vector<double> perClassAccuracy;     // recall per gold class (-1 when the class is absent)
    std::vector<int> perClassCount;           // gold examples per class
    std::vector<std::vector<int>> confusion;  // [gold][predicted]
    double majorityBaseline = 0.0;            // share of the most frequent gold class
    std::string majorityLabel;
    int truncated = 0;  // inputs cut to the maximum length
};

// Batched evaluation (inputs grouped by length). maxLength 0 = the model's default.
Expected<EvalReport> evaluate(Model& model, const Dataset& data, int batchSize = 64,
                              int maxLength = 0);

std::string trainOptionsToJson(const TrainOptions& options);
std::string evalReportToJson(const EvalReport& report);

}  // namespace attrscope
