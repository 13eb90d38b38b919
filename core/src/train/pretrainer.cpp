#include "attrscope/train/pretrainer.h"

#include <torch/types.h>  // clip_grad.h needs it first

#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "io/file_util.h"
#include "model/model_impl.h"
#include "train_batches.h"
#include "train_model_init.h"
#include "train_options_common.h"

namespace attrscope {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// BertForMaskedLM's prediction head (cls.predictions.*): transform (dense, GELU, LayerNorm),
// then the decoder tied to the word embeddings, plus an output bias.
struct MaskedLmHeadImpl : torch::nn::Module {
    MaskedLmHeadImpl(int hidden, int vocab, double eps) {
        dense = register_module("dense", torch::nn::Linear(hidden, hidden));
        LayerNorm = register_module(
            "LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden}).eps(eps)));
        bias = register_parameter("bias", at::zeros({vocab}));
    }
    // h [M, d] at the masked positions → logits [M, V].
    at::Tensor forward(const at::Tensor& h, const at::Tensor& wordEmbeddings) {
        return at::linear(LayerNorm(at::gelu(dense(h))), wordEmbeddings, bias);
    }
    torch::nn::Linear dense{nullptr};
    torch::nn::LayerNorm LayerNorm{nullptr};
    at::Tensor bias;
};
TORCH_MODULE(MaskedLmHead);

struct MaskedBatch {
    BatchTensors tensors;  // ids with the masks applied
    at::Tensor positions;  // [M] flat indices into [B·n]
    at::Tensor targets;    // [M] original ids
};

class Masker {
public:
    Masker(const Vocabulary& v, double p) : probability_(p), vocabSize_(v.size()) {
        maskId_ = v.contains("[MASK]") ? v.id("[MASK]") : -1;
        for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
            if (v.contains(s))
                special_.push_back(v.id(s));
        for (const auto& t : {"[CLS]", "[SEP]", "[PAD]"})
            if (v.contains(t))
                notPredicted_.push_back(v.id(t));
    }
    bool usable() const { return maskId_ >= 0; }

    // Masks one batch's sequences in place and pads them into tensors.
    MaskedBatch apply(std::vector<TrainItem> batch, int64_t padId, const at::Device& device,
                      std::mt19937_64& rng) const {
        std::vector<int64_t> positions, targets;
        size_t n = 0;
        for (const TrainItem& it : batch)
            n = std::max(n, it.ids.size());
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        for (size_t b = 0; b < batch.size(); ++b) {
            TrainItem& it = batch[b];
            std::vector<size_t> candidates;
            for (size_t i = 0; i < it.ids.size(); ++i)
                if (std::find(notPredicted_.begin(), notPredicted_.end(), it.ids[i]) ==
                    notPredicted_.end())
                    candidates.push_back(i);
            std::vector<size_t> chosen;
            for (size_t i : candidates)
                if (uniform(rng) < probability_)
                    chosen.push_back(i);
            if (chosen.empty() && !candidates.empty())
                chosen.push_back(candidates[rng() % candidates.size()]);
            for (size_t i : chosen) {
                positions.push_back(static_cast<int64_t>(b * n + i));
                targets.push_back(it.ids[i]);
                const double r = uniform(rng);
                if (r < 0.8)
                    it.ids[i] = maskId_;
                else if (r < 0.9)
                    it.ids[i] = randomOrdinary(rng);
            }
        }
        std::vector<int> all(batch.size());
        std::iota(all.begin(), all.end(), 0);
        MaskedBatch out;
        out.tensors = collate(batch, all, padId, device);
        out.positions = at::tensor(positions, at::kLong).to(device);
        out.targets = at::tensor(targets, at::kLong).to(device);
        return out;
    }

    int64_t randomOrdinary(std::mt19937_64& rng) const {
        for (;;) {
            const auto id = static_cast<int64_t>(rng() % static_cast<uint64_t>(vocabSize_));
            if (std::find(special_.begin(), special_.end(), id) == special_.end())
                return id;
        }
    }

private:
    double probability_;
    int64_t vocabSize_;
    int64_t maskId_ = -1;
    std::vector<int64_t> special_, notPredicted_;
};

// The next-sentence task's inputs for one batch: label 0 keeps the pair, label 1 gives A another
// pair's B or B with a share of its word pieces replaced. Single sentences keep label 0 and are
// left out of the pair loss (label -1).
std::vector<TrainItem> pairTaskItems(const std::vector<TrainItem>& items,
                                     const std::vector<int>& batch, const Masker& masker,
                                     int64_t sepId, double replaceShare, int maxLength,
                                     std::mt19937_64& rng) {
    auto firstSep = [&](const TrainItem& it) {
        return static_cast<size_t>(std::find(it.ids.begin(), it.ids.end(), sepId) - it.ids.begin());
    };
    std::vector<TrainItem> out;
    for (int i : batch) {
        TrainItem it = items[i];
        const size_t sep = firstSep(it);
        if (sep + 1 >= it.ids.size()) {  // a single sentence
            it.label = -1;
            out.push_back(std::move(it));
            continue;
        }
        const uint64_t r = rng() % 4;
        it.label = r < 2 ? 0 : 1;
        if (r == 2) {
            const TrainItem& other = items[rng() % items.size()];
            const size_t otherSep = firstSep(other);
            if (otherSep + 1 < other.ids.size()) {
                it.ids.resize(sep + 1);
                it.segments.resize(sep + 1);
                for (size_t k = otherSep + 1; k < other.ids.size(); ++k) {
                    it.ids.push_back(other.ids[k]);
                    it.segments.push_back(1);
                }
                if (it.ids.size() > static_cast<size_t>(maxLength)) {  // keep the final [SEP]
                    it.ids.resize(static_cast<size_t>(maxLength));
                    it.segments.resize(static_cast<size_t>(maxLength));
                    it.ids.back() = sepId;
                }
            }
        } else if (r == 3) {
            std::vector<size_t> positions;
            for (size_t k = sep + 1; k + 1 < it.ids.size(); ++k)
                positions.push_back(k);
            std::shuffle(positions.begin(), positions.end(), rng);
            const auto count = std::max<size_t>(
                1, static_cast<size_t>(replaceShare * double(positions.size()) + 0.5));
            for (size_t k = 0; k < std::min(count, positions.size()); ++k)
                it.ids[positions[k]] = masker.randomOrdinary(rng);
        }
        out.push_back(std::move(it));
    }
    return out;
}

// Final hidden states [B, n, d] with dropout as in training.
at::Tensor encodeAll(const BertForSequenceClassification& net, const BatchTensors& t, bool train) {
    at::Tensor h = net->embed(t.ids, t.segments, train);
    LayerHooks hooks;
    hooks.keyMask = &t.keyMask;
    hooks.train = train;
    for (int l = 0; l < net->numLayers(); ++l)
        h = net->layer(l, h, hooks);
    return h;
}

struct StepResult {
    at::Tensor loss;
    int64_t correct = 0, predicted = 0;
    int64_t pairCorrect = 0, pairs = 0;
};

// Masked-LM loss, plus the next-sentence loss from the pooled [CLS] when pairHead is given.
StepResult pretrainStep(const BertForSequenceClassification& net, MaskedLmHead& head,
                        torch::nn::Linear* pairHead, const MaskedBatch& mb, bool train) {
    at::Tensor h = encodeAll(net, mb.tensors, train);
    const int64_t d = h.size(2);
    at::Tensor picked = h.reshape({-1, d}).index_select(0, mb.positions);
    at::Tensor logits = head->forward(picked, net->bert->embeddings->word_embeddings->weight);
    StepResult r;
    r.loss = at::cross_entropy_loss(logits, mb.targets);
    r.correct = logits.argmax(1).eq(mb.targets).sum().item<int64_t>();
    r.predicted = mb.targets.size(0);
    if (pairHead) {
        const at::Tensor labels = mb.tensors.labels;
        const at::Tensor usable = labels.ge(0);
        r.pairs = usable.sum().item<int64_t>();
        if (r.pairs > 0) {
            const auto& pool = net->bert->pooler->dense;
            at::Tensor pooled = at::tanh(at::linear(h.select(1, 0), pool->weight, pool->bias));
            at::Tensor pairLogits = (*pairHead)(pooled);
            r.loss = r.loss + at::cross_entropy_loss(pairLogits, labels, {}, at::Reduction::Mean,
                                                     /*ignore_index=*/-1);
            r.pairCorrect =
                pairLogits.argmax(1).eq(labels).logical_and(usable).sum().item<int64_t>();
        }
    }
    return r;
}

nlohmann::json optionsJson(const PretrainOptions& o) {
    nlohmann::json j = shapeAndScheduleJson(o);
    j["mask_probability"] = o.maskProbability;
    j["swap_pairs"] = o.swapPairs;
    j["pair_task"] = o.pairTask;
    j["pair_replace"] = o.pairReplace;
    j["held_out"] = o.heldOut;
    return j;
}

Status checkOptions(const PretrainOptions& o) {
    if (o.layers < 1 || o.hidden < 1 || o.heads < 1)
        return badOption("layers, hidden, heads ≥ 1");
    if (o.hidden % o.heads)
        return badOption("hidden must be a multiple of heads");
    if (o.vocabSize < 6)
        return badOption("vocabulary size must be at least 6");
    if (!(o.maskProbability > 0 && o.maskProbability < 1))
        return badOption("mask probability must be in (0, 1)");
    if (o.heldOut < 0 || o.heldOut >= 0.5)
        return badOption("held-out share must be in [0, 0.5)");
    if (o.pairReplace <= 0 || o.pairReplace > 1)
        return badOption("pair replace share must be in (0, 1]");
    return checkSchedule(o);
}

// An HF BertForMaskedLM folder: the encoder (no pooler, no classifier) and cls.predictions.
Status saveMaskedLm(const Model& model, MaskedLmHead& head, torch::nn::Linear* pairHead,
                    const std::string& outDir, const PretrainOptions& o,
                    const nlohmann::json& log) {
    const Model::Impl& impl = model.impl();
    std::vector<SafetensorsTensor> tensors;
    for (const auto& item : impl.net->named_parameters()) {
        const std::string& k = item.key();
        if ((k.rfind("bert.pooler.", 0) == 0 && !pairHead) || k.rfind("classifier.", 0) == 0)
            continue;
        tensors.push_back(float32Safetensor(k, item.value()));
    }
    for (const auto& item : head->named_parameters())
        tensors.push_back(float32Safetensor(item.key() == "bias"
                                                ? "cls.predictions.bias"
                                                : "cls.predictions.transform." + item.key(),
                                            item.value()));
    if (pairHead)
        for (const auto& item : (*pairHead)->named_parameters())
            tensors.push_back(
                float32Safetensor("cls.seq_relationship." + item.key(), item.value()));
    nlohmann::json config = nlohmann::json::parse(impl.config.toJson());
    config["architectures"] = {pairHead ? "BertForPreTraining" : "BertForMaskedLM"};
    config.erase("id2label");
    config.erase("label2id");
    config.erase("num_labels");
    if (auto s = writeCheckpoint(impl, outDir, tensors, config.dump(2) + "\n"); !s)
        return s;
    nlohmann::json full = log;
    full["options"] = optionsJson(o);
    return writeFileAtomically(joinPath(outDir, "pretraining_log.json"), full.dump(1) + "\n");
}

}  // namespace

std::string pretrainOptionsToJson(const PretrainOptions& options) {
    return optionsJson(options).dump(1);
}

Expected<PretrainReport> pretrainMaskedLm(const std::vector<Dataset>& corpora,
                                          const PretrainOptions& o, const std::string& outDir,
                                          const JobContext& job, TrainListener* sink) {
    const auto start = Clock::now();
    if (auto s = checkOptions(o); !s)
        return s;
    std::vector<std::string> texts;
    for (const auto& d : corpora)
        for (const auto& ex : d.examples) {
            texts.push_back(ex.textA);
            if (ex.textB)
                texts.push_back(*ex.textB);
        }
    if (texts.empty())
        return Status::error("no text to pre-train on");
    std::error_code ec;
    if (fs::exists(outDir, ec)) {
        if (!fs::is_directory(outDir, ec))
            return Status::error(outDir + ": exists and is not a folder");
        if (!fs::is_empty(outDir, ec) && !o.overwrite)
            return Status::error(outDir +
                                 ": output folder exists and is not empty (use --overwrite)");
    }

    try {
        torch::manual_seed(o.seed);
        ScratchModelSpec spec;
        spec.layers = o.layers;
        spec.hidden = o.hidden;
        spec.heads = o.heads;
        spec.intermediate = o.intermediate;
        spec.maxLength = o.maxLength;
        spec.layerNormEps = o.layerNormEps;
        spec.dropout = o.dropout;
        spec.matchInit = o.matchInit;
        spec.vocabSize = o.vocabSize;
        spec.minFrequency = o.minFrequency;
        spec.lowerCase = o.lowerCase;
        spec.vocabMethod = o.vocabMethod;
        spec.vocabFile = o.vocabFile;
        spec.seed = o.seed;
        spec.labels = {"LABEL_0", "LABEL_1"};
        auto made = scratchModel(texts, spec);
        if (!made)
            return made.status();
        std::shared_ptr<Model> model = *made;
        Model::Impl& impl = model->impl();
        auto net = impl.bert();  // scratch models are BERTs
        const Masker masker(impl.tokenizer->vocabulary(), o.maskProbability);
        if (!masker.usable())
            return Status::error("the vocabulary has no [MASK] token");

        // Sequences: every pair (and its swap) or sentence; a seeded share is held out.
        std::vector<TrainItem> items, swapped, heldOut;
        std::vector<size_t> order;
        for (const auto& d : corpora)
            for (const auto& ex : d.examples) {
                auto enc = model->encode(ex.textA, ex.textB, o.maxLength);
                if (!enc)
                    return Status::error(d.path + " line " + std::to_string(ex.row) + ": " +
                                         enc.error());
                TrainItem it{enc->inputIds, enc->segmentIds, 0};
                TrainItem sw = it;
                if (ex.textB) {
                    auto rev = model->encode(*ex.textB, ex.textA, o.maxLength);
                    if (rev)
                        sw = {rev->inputIds, rev->segmentIds, 0};
                }
                items.push_back(std::move(it));
                swapped.push_back(std::move(sw));
            }
        order.resize(items.size());
        std::iota(order.begin(), order.end(), 0);
        std::mt19937_64 splitRng(o.seed ^ 0x5eedULL);
        std::shuffle(order.begin(), order.end(), splitRng);
        const size_t hold = static_cast<size_t>(o.heldOut * double(items.size()));
        std::vector<TrainItem> trainItems, trainSwapped;
        std::sort(order.begin() + static_cast<long>(hold), order.end());
        for (size_t k = 0; k < order.size(); ++k) {
            if (k < hold) {
                heldOut.push_back(items[order[k]]);
            } else {
                trainItems.push_back(items[order[k]]);
                trainSwapped.push_back(swapped[order[k]]);
            }
        }
        if (trainItems.empty())
            return Status::error("too few sequences to pre-train on");

        MaskedLmHead head(o.hidden, static_cast<int>(impl.config.vocabSize), o.layerNormEps);
        initWeights(*head);
        setTrainable(*net, true);
        head->train();
        torch::nn::Linear pairHead{nullptr};
        if (o.pairTask) {
            pairHead = torch::nn::Linear(o.hidden, 2);
            initWeights(*pairHead);
        }
        torch::nn::Linear* pairHeadPtr = o.pairTask ? &pairHead : nullptr;
        std::vector<std::pair<std::string, at::Tensor>> named;
        for (auto& item : net->named_parameters())
            if ((o.pairTask || item.key().rfind("bert.pooler.", 0) != 0) &&
                item.key().rfind("classifier.", 0) != 0)
                named.emplace_back(item.key(), item.value());
        for (auto& item : head->named_parameters())
            named.emplace_back("cls.predictions." + item.key(), item.value());
        if (o.pairTask)
            for (auto& item : pairHead->named_parameters())
                named.emplace_back("cls.seq_relationship." + item.key(), item.value());
        std::vector<at::Tensor> trained;
        for (auto& [k, p] : named)
            trained.push_back(p);
        auto optimizer = makeAdamW(named, o.learningRate, o.weightDecay);

        PretrainReport report;
        report.outDir = outDir;
        report.vocabSize = impl.config.vocabSize;
        report.sequences = static_cast<int>(trainItems.size());
        report.heldOutSequences = static_cast<int>(heldOut.size());
        for (const auto& p : trained)
            report.parameters += p.numel();
        const int64_t batchesPerEpoch =
            (static_cast<int64_t>(trainItems.size()) + o.batchSize - 1) / o.batchSize;
        const int64_t totalSteps = batchesPerEpoch * o.epochs;
        const auto warmupSteps = static_cast<int64_t>(o.warmupProportion * double(totalSteps));
        if (sink)
            sink->onMessage(std::to_string(trainItems.size()) + " sequences (" +
                            std::to_string(heldOut.size()) + " held out), " +
                            std::to_string(report.parameters) + " parameters, vocabulary " +
                            std::to_string(report.vocabSize) + ", " + std::to_string(totalSteps) +
                            " steps");

        // The held-out masks are drawn once, so every epoch is measured on the same positions.
        const int64_t sepId = impl.tokenizer->vocabulary().sepId();
        auto batchItems = [&](const std::vector<TrainItem>& from, const std::vector<int>& batch,
                              std::mt19937_64& rng) {
            if (o.pairTask)
                return pairTaskItems(from, batch, masker, sepId, o.pairReplace, o.maxLength, rng);
            std::vector<TrainItem> picked;
            for (int i : batch)
                picked.push_back(from[static_cast<size_t>(i)]);
            return picked;
        };
        auto masked = [&](std::vector<TrainItem> picked, std::mt19937_64& rng) {
            return masker.apply(std::move(picked), impl.config.padTokenId, impl.device, rng);
        };
        std::vector<MaskedBatch> heldOutBatches;
        {
            std::mt19937_64 rng(o.seed ^ 0x4e1dULL);
            for (const auto& b : lengthBatches(heldOut, 128, nullptr))
                heldOutBatches.push_back(masked(batchItems(heldOut, b, rng), rng));
        }
        nlohmann::json epochsLog = nlohmann::json::array();
        int64_t step = 0;
        for (int epoch = 0; epoch < o.epochs; ++epoch) {
            const auto epochStart = Clock::now();
            std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<uint64_t>(epoch));
            // Each pair is shown in one of its two orders this epoch.
            std::vector<TrainItem> epochItems = trainItems;
            if (o.swapPairs)
                for (size_t i = 0; i < epochItems.size(); ++i)
                    if (rng() & 1)
                        epochItems[i] = trainSwapped[i];
            const auto batches = lengthBatches(epochItems, o.batchSize, &rng);
            setTrainable(*net, true);
            head->train();
            double lossSum = 0.0;
            int64_t correct = 0, predicted = 0;
            for (const auto& batch : batches) {
                if (job.cancelled())
                    return Status::cancelled();
                const double lr = o.learningRate * linearSchedule(step, totalSteps, warmupSteps);
                for (auto& g : optimizer->param_groups())
                    g.options().set_lr(lr);
                torch::manual_seed(o.seed + static_cast<uint64_t>(step));  // dropout masks
                const MaskedBatch mb = masked(batchItems(epochItems, batch, rng), rng);
                StepResult r = pretrainStep(net, head, pairHeadPtr, mb, true);
                optimizer->zero_grad();
                r.loss.backward();
                if (o.gradClip > 0)
                    torch::nn::utils::clip_grad_norm_(trained, o.gradClip);
                optimizer->step();
                ++step;
                lossSum += r.loss.item<double>() * double(r.predicted);
                correct += r.correct;
                predicted += r.predicted;
                if (sink || job.progress) {
                    TrainProgress p;
                    p.epoch = epoch + 1;
                    p.epochs = o.epochs;
                    p.step = step;
                    p.totalSteps = totalSteps;
                    p.loss = lossSum / double(predicted);
                    p.accuracy = double(correct) / double(predicted);
                    p.learningRate = lr;
                    p.elapsedSeconds = secondsSince(start);
                    p.etaSeconds = p.elapsedSeconds / double(step) * double(totalSteps - step);
                    if (sink) sink->onStep(p);
                    job.report(toJobProgress(p));
                }
            }
            EpochReport er;
            er.epoch = epoch + 1;
            er.trainLoss = predicted ? lossSum / double(predicted) : 0.0;
            er.trainAccuracy = predicted ? double(correct) / double(predicted) : 0.0;
            er.learningRate = optimizer->param_groups()[0].options().get_lr();
            setTrainable(*net, false);
            head->eval();
            double pairAccuracy = -1.0;
            if (!heldOutBatches.empty()) {
                at::NoGradGuard noGrad;
                int64_t c = 0, m = 0, pc = 0, pm = 0;
                for (const auto& mb : heldOutBatches) {
                    StepResult r = pretrainStep(net, head, pairHeadPtr, mb, false);
                    c += r.correct;
                    m += r.predicted;
                    pc += r.pairCorrect;
                    pm += r.pairs;
                }
                er.evalAccuracy = m ? double(c) / double(m) : -1.0;
                if (pm)
                    pairAccuracy = double(pc) / double(pm);
            }
            if (o.pairTask) {
                report.heldOutPairAccuracy.push_back(pairAccuracy);
                if (sink)
                    sink->onMessage("  held-out pair-task accuracy " +
                                    std::to_string(pairAccuracy));
            }
            er.seconds = secondsSince(epochStart);
            report.epochs.push_back(er);
            epochsLog.push_back({{"epoch", er.epoch},
                                 {"mlm_loss", er.trainLoss},
                                 {"masked_accuracy", er.trainAccuracy},
                                 {"held_out_masked_accuracy", er.evalAccuracy},
                                 {"held_out_pair_accuracy", pairAccuracy},
                                 {"seconds", er.seconds}});
            if (sink)
                sink->onEpoch(er);
        }
        setTrainable(*net, false);
        report.steps = step;
        report.seconds = secondsSince(start);
        nlohmann::json log = {{"sequences", report.sequences},
                              {"held_out_sequences", report.heldOutSequences},
                              {"parameters", report.parameters},
                              {"seconds", report.seconds},
                              {"epochs", epochsLog}};
        if (auto s = saveMaskedLm(*model, head, pairHeadPtr, outDir, o, log); !s)
            return s;
        return report;
    } catch (const std::exception& e) {
        return Status::error(std::string("pre-training failed: ") + e.what());
    }
}

}  // namespace attrscope
