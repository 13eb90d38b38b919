#include "attrscope/train/pretrainer.h"

#include <torch/types.h>  // clip_grad.h needs it first

#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>

#include <ATen/autocast_mode.h>

#include "io/file_util.h"
#include "model/model_impl.h"
#include "pretrain_checkpoint.h"
#include "pretrain_heads.h"
#include "pretrain_masking.h"
#include "train_batches.h"
#include "train_model_init.h"
#include "train_options_common.h"

namespace attrscope {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kPretrainStateDir = ".pretrain-state";

namespace {

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
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
    at::Tensor logits =
        head->forward(picked, net->bert->embeddings->word_embeddings->weight).to(at::kFloat);
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
            at::Tensor pairLogits = (*pairHead)(pooled).to(at::kFloat);
            r.loss = r.loss + at::cross_entropy_loss(pairLogits, labels, {}, at::Reduction::Mean,
                                                     /*ignore_index=*/-1);
            r.pairCorrect =
                pairLogits.argmax(1).eq(labels).logical_and(usable).sum().item<int64_t>();
        }
    }
    return r;
}

// Matrix products in bfloat16 (LibTorch's CPU autocast: linear, matmul, bmm go through oneDNN,
// which uses AVX512-BF16 where the CPU has it); weights, optimizer and losses stay float32.
class Bf16Products {
public:
    explicit Bf16Products(bool on) : on_(on) {
        if (!on_)
            return;
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
    ~Bf16Products() {
        if (!on_)
            return;
        at::autocast::set_cpu_enabled(false);
        at::autocast::clear_cache();
    }
    Bf16Products(const Bf16Products&) = delete;
    Bf16Products& operator=(const Bf16Products&) = delete;

private:
    bool on_;
};

// What a checkpoint must agree on to be resumed: every option but the checkpointing ones and
// `resume` itself (the schedule depends on epochs, so they must match too).
nlohmann::json resumeKey(nlohmann::json options) {
    for (const char* k :
         {"checkpoint_every_steps", "checkpoint_minutes", "keep_state", "overwrite", "save_dtype"})
        options.erase(k);
    return options;
}

// FNV-1a over the texts, so that a checkpoint is not resumed on other data.
uint64_t fingerprint(const std::vector<std::string>& texts) {
    uint64_t h = 1469598103934665603ULL;
    for (const auto& t : texts) {
        for (unsigned char c : t)
            h = (h ^ c) * 1099511628211ULL;
        h = (h ^ 0xFFu) * 1099511628211ULL;
    }
    return h;
}

nlohmann::json optionsJson(const PretrainOptions& o) {
    nlohmann::json j = shapeAndScheduleJson(o);
    j["mask_probability"] = o.maskProbability;
    j["swap_pairs"] = o.swapPairs;
    j["pair_task"] = o.pairTask;
    j["pair_replace"] = o.pairReplace;
    j["held_out"] = o.heldOut;
    j["bf16"] = o.bf16;
    j["checkpoint_every_steps"] = o.checkpointEverySteps;
    j["checkpoint_minutes"] = o.checkpointMinutes;
    j["keep_state"] = o.keepState;
    j["save_dtype"] = weightDtypeName(o.saveDtype);
    j["init_from"] = o.initFrom;
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
    if (o.checkpointEverySteps < 0 || o.checkpointMinutes < 0)
        return badOption("checkpoint intervals must be ≥ 0");
    return checkSchedule(o);
}

// Continued pre-training: the checkpoint gives the model's shape and vocabulary.
Expected<std::shared_ptr<Model>> continueFrom(PretrainOptions& o) {
    auto base = Model::load(o.initFrom);
    if (!base)
        return base.status();
    const Model::Impl& impl = ModelAccess::impl(**base);
    if (!impl.bert() || !impl.tokenizer)
        return Status::error(o.initFrom + ": continued pre-training needs a BERT checkpoint " +
                             "with its vocab.txt");
    const ModelConfig& c = impl.config;
    if (o.maxLength > c.maxPositionEmbeddings)
        return badOption("maximum length " + std::to_string(o.maxLength) + " exceeds the " +
                         std::to_string(c.maxPositionEmbeddings) + " positions of " + o.initFrom);
    o.layers = c.numLayers;
    o.hidden = c.hiddenSize;
    o.heads = c.numHeads;
    o.intermediate = c.intermediateSize;
    o.layerNormEps = c.layerNormEps;
    o.vocabSize = c.vocabSize;
    o.lowerCase = impl.tokenizer->settings().doLowerCase;
    return *base;
}

}  // namespace

std::string pretrainOptionsToJson(const PretrainOptions& options) {
    return optionsJson(options).dump(1);
}

Expected<PretrainReport> pretrainMaskedLm(const std::vector<Dataset>& corpora,
                                          const PretrainOptions& options, const std::string& outDir,
                                          const JobContext& job, TrainListener* sink) {
    const auto start = Clock::now();
    PretrainOptions o = options;
    std::shared_ptr<Model> base;
    if (!o.initFrom.empty()) {
        auto loaded = continueFrom(o);
        if (!loaded)
            return loaded.status();
        base = *loaded;
        if (sink)
            sink->onMessage("continuing " + o.initFrom + ": " + std::to_string(o.layers) +
                            " layers x " + std::to_string(o.heads) + " heads, hidden " +
                            std::to_string(o.hidden) + ", its vocabulary of " +
                            std::to_string(o.vocabSize) + " (shape options come from it)");
    }
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
    const std::string stateDir = joinPath(outDir, kPretrainStateDir);
    std::error_code ec;
    PretrainState state;
    std::string resumeFrom;
    if (o.resume) {
        resumeFrom = latestCheckpoint(stateDir);
        if (resumeFrom.empty())
            return Status::error(outDir + ": no interrupted pre-training to resume (no " +
                                 std::string(kPretrainStateDir) + "/step-N)");
        auto saved = readCheckpointState(resumeFrom);
        if (!saved)
            return saved.status();
        state = std::move(*saved);
        if (resumeKey(state.options) != resumeKey(optionsJson(o)))
            return Status::error(resumeFrom + ": the interrupted run had other options (see its " +
                                 "state.json); give the same ones to resume");
        if (state.corpusFingerprint != fingerprint(texts))
            return Status::error(resumeFrom + ": the interrupted run had other texts");
    } else if (fs::exists(outDir, ec)) {
        if (!fs::is_directory(outDir, ec))
            return Status::error(outDir + ": exists and is not a folder");
        if (!fs::is_empty(outDir, ec) && !o.overwrite)
            return Status::error(outDir +
                                 ": output folder exists and is not empty (use "
                                 "--overwrite, or --resume to continue an interrupted run)");
        fs::remove_all(stateDir, ec);
    }
    state.options = optionsJson(o);
    state.corpusFingerprint = fingerprint(texts);

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
        // A resumed run reads the vocabulary it was built with instead of building it again.
        spec.vocabFile = resumeFrom.empty() ? o.vocabFile : joinPath(resumeFrom, "vocab.txt");
        spec.seed = o.seed;
        spec.labels = {"LABEL_0", "LABEL_1"};
        const auto vocabStart = Clock::now();
        auto made = base ? modelOnTopOf(*base, spec.labels, o.seed) : scratchModel(texts, spec);
        if (!made)
            return made.status();
        if (sink && resumeFrom.empty() && o.vocabFile.empty() && !base)
            sink->onMessage("vocabulary (" + o.vocabMethod +
                            "): " + std::to_string(ModelAccess::impl(**made).config.vocabSize) +
                            " entries in " + std::to_string(secondsSince(vocabStart)) + " s");
        std::shared_ptr<Model> model = *made;
        Model::Impl& impl = ModelAccess::impl(*model);
        if (auto s = model->setDevice(o.device); !s)
            return s;
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

        MaskedLmHead head(o.hidden, static_cast<int>(impl.config.vocabSize),
                          impl.config.layerNormEps);
        initWeights(*head);
        head->to(impl.device);
        setTrainable(*net, true);
        head->train();
        torch::nn::Linear pairHead{nullptr};
        if (o.pairTask) {
            pairHead = torch::nn::Linear(o.hidden, 2);
            initWeights(*pairHead);
            pairHead->to(impl.device);
        }
        torch::nn::Linear* pairHeadPtr = o.pairTask ? &pairHead : nullptr;
        if (base && resumeFrom.empty()) {
            std::vector<std::string> fresh;
            if (auto s = loadPretrainedHeads(o.initFrom, head, pairHeadPtr, fresh); !s)
                return s;
            if (sink && !fresh.empty())
                sink->onMessage(o.initFrom + " has no " + fresh.front() + " (" +
                                std::to_string(fresh.size()) + " head tensors start fresh)");
        }
        NamedTensors named;
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
        if (!resumeFrom.empty()) {
            if (auto s = loadCheckpointTensors(resumeFrom, named, *optimizer); !s)
                return s;
            if (sink)
                sink->onMessage("resuming " + resumeFrom + " at step " +
                                std::to_string(state.step));
        }

        PretrainReport report;
        report.outDir = outDir;
        report.vocabSize = impl.config.vocabSize;
        report.sequences = static_cast<int>(trainItems.size());
        report.heldOutSequences = static_cast<int>(heldOut.size());
        report.resumed = !resumeFrom.empty();
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
                            " steps" + (o.bf16 ? ", bf16 matrix products" : ""));

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
        const double earlierSeconds = state.seconds;
        const int64_t sessionFirstStep = state.step;
        int64_t sessionTokens = 0;  // real word pieces trained on in this session
        auto lastCheckpoint = Clock::now();
        int64_t lastSavedStep = state.step;
        auto tokensPerSecond = [&] {
            const double s = secondsSince(start);
            return s > 0 ? double(sessionTokens) / s : 0.0;
        };
        // Saves the run so that it continues at batch `next` of the epoch, with `rng` as it is.
        auto checkpoint = [&](int64_t next, const std::mt19937_64& rng,
                              Clock::time_point epochStart) {
            PretrainState s = state;
            s.nextBatch = next;
            std::ostringstream r;
            r << rng;
            s.rng = r.str();
            s.epochSeconds += secondsSince(epochStart);
            s.seconds = earlierSeconds + secondsSince(start);
            lastCheckpoint = Clock::now();
            lastSavedStep = s.step;
            auto st = saveCheckpoint(stateDir, s, impl.tokenizer->vocabulary(), named, *optimizer);
            if (st && sink)
                sink->onMessage("checkpoint at step " + std::to_string(s.step) + ", " +
                                std::to_string(static_cast<int64_t>(tokensPerSecond())) +
                                " tokens/s");
            return st;
        };
        for (int epoch = state.epoch; epoch < o.epochs; ++epoch) {
            const auto epochStart = Clock::now();
            std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<uint64_t>(epoch));
            // Each pair is shown in one of its two orders this epoch.
            std::vector<TrainItem> epochItems = trainItems;
            if (o.swapPairs)
                for (size_t i = 0; i < epochItems.size(); ++i)
                    if (rng() & 1)
                        epochItems[i] = trainSwapped[i];
            const auto batches = lengthBatches(epochItems, o.batchSize, &rng);
            size_t first = 0;
            if (epoch == state.epoch && !state.rng.empty()) {  // resuming inside this epoch
                std::istringstream r(state.rng);
                r >> rng;
                first = static_cast<size_t>(state.nextBatch);
            } else {
                state.lossSum = 0.0;
                state.correct = state.predicted = state.epochTokens = 0;
                state.epochSeconds = 0.0;
            }
            state.epoch = epoch;
            state.rng.clear();
            setTrainable(*net, true);
            head->train();
            for (size_t bi = first; bi < batches.size(); ++bi) {
                const bool due = (o.checkpointEverySteps > 0 &&
                                  state.step - lastSavedStep >= o.checkpointEverySteps) ||
                                 (o.checkpointMinutes > 0 &&
                                  secondsSince(lastCheckpoint) >= 60.0 * o.checkpointMinutes);
                const bool cancelled = job.cancelled();
                if (due || cancelled)
                    if (auto s = checkpoint(static_cast<int64_t>(bi), rng, epochStart); !s)
                        return s;
                if (cancelled)
                    return Status::cancelled();
                const auto& batch = batches[bi];
                const double lr =
                    o.learningRate * linearSchedule(state.step, totalSteps, warmupSteps);
                for (auto& g : optimizer->param_groups())
                    g.options().set_lr(lr);
                torch::manual_seed(o.seed + static_cast<uint64_t>(state.step));  // dropout masks
                const MaskedBatch mb = masked(batchItems(epochItems, batch, rng), rng);
                StepResult r;
                {
                    Bf16Products bf16(o.bf16);
                    r = pretrainStep(net, head, pairHeadPtr, mb, true);
                    optimizer->zero_grad();
                    r.loss.backward();
                }
                if (o.gradClip > 0)
                    torch::nn::utils::clip_grad_norm_(trained, o.gradClip);
                optimizer->step();
                ++state.step;
                for (int i : batch) {
                    const auto n = static_cast<int64_t>(epochItems[size_t(i)].ids.size());
                    state.epochTokens += n;
                    sessionTokens += n;
                }
                state.lossSum += r.loss.item<double>() * double(r.predicted);
                state.correct += r.correct;
                state.predicted += r.predicted;
                if (sink || job.progress) {
                    TrainProgress p;
                    p.epoch = epoch + 1;
                    p.epochs = o.epochs;
                    p.step = state.step;
                    p.totalSteps = totalSteps;
                    p.loss = state.lossSum / double(state.predicted);
                    p.accuracy = double(state.correct) / double(state.predicted);
                    p.learningRate = lr;
                    p.elapsedSeconds = earlierSeconds + secondsSince(start);
                    p.etaSeconds = secondsSince(start) / double(state.step - sessionFirstStep) *
                                   double(totalSteps - state.step);
                    if (sink)
                        sink->onStep(p);
                    job.report(toJobProgress(p));
                }
            }
            state.tokens += state.epochTokens;
            EpochReport er;
            er.epoch = epoch + 1;
            er.trainLoss = state.predicted ? state.lossSum / double(state.predicted) : 0.0;
            er.trainAccuracy =
                state.predicted ? double(state.correct) / double(state.predicted) : 0.0;
            er.learningRate = optimizer->param_groups()[0].options().get_lr();
            setTrainable(*net, false);
            head->eval();
            double pairAccuracy = -1.0;
            if (!heldOutBatches.empty()) {
                at::NoGradGuard noGrad;
                Bf16Products bf16(o.bf16);
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
                state.pairAccuracy.push_back(pairAccuracy);
                if (sink)
                    sink->onMessage("  held-out pair-task accuracy " +
                                    std::to_string(pairAccuracy));
            }
            er.seconds = state.epochSeconds + secondsSince(epochStart);
            state.epochs.push_back(er);
            state.epochsLog.push_back({{"epoch", er.epoch},
                                       {"mlm_loss", er.trainLoss},
                                       {"masked_accuracy", er.trainAccuracy},
                                       {"held_out_masked_accuracy", er.evalAccuracy},
                                       {"held_out_pair_accuracy", pairAccuracy},
                                       {"tokens", state.epochTokens},
                                       {"seconds", er.seconds}});
            if (sink) {
                sink->onEpoch(er);
                sink->onMessage("  " + std::to_string(static_cast<int64_t>(tokensPerSecond())) +
                                " tokens/s");
            }
        }
        setTrainable(*net, false);
        report.epochs = state.epochs;
        report.heldOutPairAccuracy = state.pairAccuracy;
        report.steps = state.step;
        report.tokens = state.tokens;
        report.seconds = earlierSeconds + secondsSince(start);
        report.tokensPerSecond = tokensPerSecond();
        nlohmann::json log = {{"sequences", report.sequences},
                              {"held_out_sequences", report.heldOutSequences},
                              {"parameters", report.parameters},
                              {"seconds", report.seconds},
                              {"tokens", report.tokens},
                              {"tokens_per_second_last_session", report.tokensPerSecond},
                              {"epochs", state.epochsLog}};
        log["options"] = optionsJson(o);
        if (auto s = saveMaskedLm(*model, head, pairHeadPtr, outDir, o.saveDtype, log); !s)
            return s;
        if (!o.keepState)
            fs::remove_all(stateDir, ec);
        return report;
    } catch (const std::exception& e) {
        return Status::error(std::string("pre-training failed: ") + e.what());
    }
}

}  // namespace attrscope
