#include "attrscope/train/trainer.h"

#include <torch/types.h>  // clip_grad.h needs it first

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>
#include <torch/utils.h>
#include <limits>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "io/file_util.h"
#include "model/model_impl.h"
#include "train_augment.h"
#include "train_batches.h"
#include "train_model_init.h"
#include "train_options_common.h"

namespace attrscope {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const char* kStateDir = ".train-state";
const std::vector<std::string> kOutputs = {"config.json",           "vocab.txt",
                                           "tokenizer_config.json", "model.safetensors",
                                           "training_log.json",     kStateDir};

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

nlohmann::json optionsJson(const TrainOptions& o) {
    nlohmann::json j = shapeAndScheduleJson(o);
    j["eval_every"] = o.evalEvery;
    j["init_from"] = o.initFrom;
    j["swap_labels"] = o.swapLabels;
    j["negation_augment"] = o.negationAugment;
    j["overlap_augment"] = o.overlapAugment;
    j["save_dtype"] = weightDtypeName(o.saveDtype);
    return j;
}

TrainOptions optionsFromJson(const nlohmann::json& j, TrainOptions o) {
    o.layers = j.at("layers");
    o.hidden = j.at("hidden");
    o.heads = j.at("heads");
    o.intermediate = j.at("intermediate");
    o.maxLength = j.at("max_length");
    o.layerNormEps = j.at("layer_norm_eps");
    o.vocabSize = j.at("vocab_size");
    o.minFrequency = j.at("min_frequency");
    o.lowerCase = j.at("lower_case");
    o.batchSize = j.at("batch_size");
    o.learningRate = j.at("learning_rate");
    o.warmupProportion = j.at("warmup_proportion");
    o.weightDecay = j.at("weight_decay");
    o.dropout = j.at("dropout");
    o.gradClip = j.at("grad_clip");
    o.seed = j.at("seed");
    o.evalEvery = j.at("eval_every");
    o.initFrom = j.at("init_from");
    o.matchInit = j.value("match_init", 0.0);
    o.swapLabels = j.value("swap_labels", std::vector<std::string>{});
    o.negationAugment = j.value("negation_augment", std::string());
    o.overlapAugment = j.value("overlap_augment", std::string());
    return o;  // epochs stays as given: a resumed run may be extended
}

Status checkOptions(const TrainOptions& o) {
    if (o.initFrom.empty()) {
        if (o.layers < 1 || o.hidden < 1 || o.heads < 1)
            return badOption("layers, hidden, heads ≥ 1");
        if (o.hidden % o.heads)
            return badOption("hidden must be a multiple of heads");
        if (o.vocabSize < 5)
            return badOption("vocabulary size must be at least 5");
    }
    for (const auto* spec : {&o.negationAugment, &o.overlapAugment})
        if (!spec->empty() && spec->find(':') == std::string::npos)
            return badOption("augmentation '" + *spec + "' must read LABEL:LABEL");
    return checkSchedule(o);
}

Status prepareOutDir(const std::string& outDir, const TrainOptions& o) {
    std::error_code ec;
    const bool exists = fs::exists(outDir, ec);
    if (exists && !fs::is_directory(outDir, ec))
        return Status::error(outDir + ": exists and is not a folder");
    const bool empty = !exists || fs::is_empty(outDir, ec);
    if (o.resume) {
        if (!fileExists(joinPath(joinPath(outDir, kStateDir), "state.json")))
            return Status::error(outDir + ": no interrupted training to resume (no " +
                                 std::string(kStateDir) + "/state.json)");
        return Status::success();
    }
    if (!empty) {
        if (!o.overwrite)
            return Status::error(outDir +
                                 ": output folder exists and is not empty (use --overwrite to "
                                 "replace it or --resume to continue an interrupted run)");
        // Only what training writes is removed: a model card or notes next to it survive.
        for (const auto& name : kOutputs)
            fs::remove_all(fs::path(outDir) / name, ec);
    }
    fs::create_directories(outDir, ec);
    if (!isDirectory(outDir))
        return Status::error(outDir + ": cannot create folder");
    return Status::success();
}

ScratchModelSpec scratchSpec(const TrainOptions& o, const std::vector<std::string>& labels) {
    ScratchModelSpec s;
    s.layers = o.layers;
    s.hidden = o.hidden;
    s.heads = o.heads;
    s.intermediate = o.intermediate;
    s.maxLength = o.maxLength;
    s.layerNormEps = o.layerNormEps;
    s.dropout = o.dropout;
    s.matchInit = o.matchInit;
    s.vocabSize = o.vocabSize;
    s.minFrequency = o.minFrequency;
    s.lowerCase = o.lowerCase;
    s.vocabMethod = o.vocabMethod;
    s.vocabFile = o.vocabFile;
    s.seed = o.seed;
    s.labels = labels;
    return s;
}

// The model to train: from scratch, or a checkpoint with (if needed) a new classification head.
Expected<std::shared_ptr<Model>> makeModel(const Dataset& data, const TrainOptions& o,
                                           TrainListener* sink) {
    if (!o.initFrom.empty()) {
        auto base = Model::load(o.initFrom);
        if (!base)
            return base.status();
        if (mapLabelsToClasses(data, (*base)->config()) &&
            (*base)->config().numLabels() == static_cast<int>(data.labelNames.size()) &&
            (*base)->hasClassifier())
            return base;
        if (!(*base)->canEncodeText())
            return Status::error(o.initFrom + ": training reads text, and this " +
                                 (*base)->config().modelType +
                                 " folder has no tokenizer AttrScope can read");
        auto fresh = modelOnTopOf(**base, data.labelNames, o.seed);
        if (!fresh)
            return fresh.status();
        if (sink)
            sink->onMessage("new classification head for " +
                            std::to_string(data.labelNames.size()) + " classes on top of " +
                            o.initFrom);
        return fresh;
    }
    std::vector<std::string> texts;
    for (const auto& ex : data.examples) {
        texts.push_back(ex.textA);
        if (ex.textB)
            texts.push_back(*ex.textB);
    }
    return scratchModel(texts, scratchSpec(o, data.labelNames));
}

struct RunState {
    int epoch = 0;         // 0-based epoch in progress
    int batchInEpoch = 0;  // next batch of that epoch
    int64_t step = 0;
    double lossSum = 0.0;  // of the epoch in progress
    int64_t correct = 0, seen = 0;
    double epochSeconds = 0.0;
    int bestEpoch = 0;
    double bestEval = -1.0;
    std::vector<EpochReport> history;
};

Status saveState(const Model& model, torch::optim::AdamW& opt, const RunState& s,
                 const TrainOptions& o, const std::string& outDir, int trainCount) {
    const std::string dir = joinPath(outDir, kStateDir);
    if (auto st = model.save(joinPath(dir, "latest")); !st)
        return st;
    torch::save(opt, joinPath(dir, "optimizer.pt"));
    nlohmann::json j = {{"options", optionsJson(o)},
                        {"epoch", s.epoch},
                        {"batch_in_epoch", s.batchInEpoch},
                        {"step", s.step},
                        {"loss_sum", s.lossSum},
                        {"correct", s.correct},
                        {"seen", s.seen},
                        {"epoch_seconds", s.epochSeconds},
                        {"best_epoch", s.bestEpoch},
                        {"best_eval", s.bestEval},
                        {"train_examples", trainCount},
                        {"history", nlohmann::json::array()}};
    for (const auto& e : s.history)
        j["history"].push_back(epochJson(e));
    return writeFileAtomically(joinPath(dir, "state.json"), j.dump(1));
}

Expected<double> accuracyOf(const Model::Impl& impl, const std::vector<TrainItem>& items,
                            int batchSize) {
    at::NoGradGuard noGrad;
    int64_t correct = 0;
    for (const auto& batch : lengthBatches(items, std::max(batchSize, 64), nullptr)) {
        auto t = collate(items, batch, impl.config.padTokenId, impl.device);
        auto out = impl.net->forward(t.ids, t.segments, t.keyMask, {}, false, false, false);
        correct += out.logits.argmax(1).eq(t.labels).sum().item<int64_t>();
    }
    return items.empty() ? 0.0 : double(correct) / double(items.size());
}

}  // namespace

std::string trainOptionsToJson(const TrainOptions& options) {
    return optionsJson(options).dump(1);
}

JobProgress toJobProgress(const TrainProgress& p) {
    JobProgress j;
    j.stage = "epoch " + std::to_string(p.epoch) + "/" + std::to_string(p.epochs);
    j.stageIndex = p.epoch - 1;
    j.stageCount = p.epochs;
    j.done = static_cast<int>(p.step);
    j.total = static_cast<int>(p.totalSteps);
    j.fraction = p.totalSteps > 0 ? double(p.step) / double(p.totalSteps) : 1.0;
    j.elapsedSeconds = p.elapsedSeconds;
    j.etaSeconds = p.etaSeconds;
    return j;
}

Expected<TrainReport> train(const Dataset& trainData, const Dataset& evalData,
                            const TrainOptions& requested, const std::string& outDir,
                            const JobContext& job, TrainListener* sink) {
    const auto start = Clock::now();
    if (trainData.examples.empty())
        return Status::error(trainData.path + ": no examples");
    if (auto s = prepareOutDir(outDir, requested); !s)
        return s;
    TrainOptions o = requested;
    RunState st;
    nlohmann::json saved;
    if (o.resume) {
        auto text = readFile(joinPath(joinPath(outDir, kStateDir), "state.json"), "training state");
        if (!text)
            return text.status();
        try {
            saved = nlohmann::json::parse(*text);
            o = optionsFromJson(saved.at("options"), o);
            if (saved.at("train_examples").get<int>() != int(trainData.examples.size()))
                return Status::error(outDir + ": the interrupted run had " +
                                     std::to_string(saved.at("train_examples").get<int>()) +
                                     " training examples, not " +
                                     std::to_string(trainData.examples.size()));
            st.epoch = saved.at("epoch");
            st.batchInEpoch = saved.at("batch_in_epoch");
            st.step = saved.at("step");
            st.lossSum = saved.at("loss_sum");
            st.correct = saved.at("correct");
            st.seen = saved.at("seen");
            st.epochSeconds = saved.at("epoch_seconds");
            st.bestEpoch = saved.at("best_epoch");
            st.bestEval = saved.at("best_eval");
            for (const auto& e : saved.at("history"))
                st.history.push_back(epochFromJson(e));
        } catch (const std::exception& e) {
            return Status::error(outDir + ": unreadable training state: " + e.what());
        }
    }
    if (auto s = checkOptions(o); !s)
        return s;

    try {
        torch::manual_seed(o.seed);
        // Held-out split when no eval data is given: a seeded 10 % of the training examples.
        Dataset trainSet = trainData, evalSet = evalData;
        if (evalSet.examples.empty()) {
            std::vector<size_t> idx(trainData.examples.size());
            std::iota(idx.begin(), idx.end(), 0);
            std::mt19937_64 rng(o.seed ^ 0x5eedULL);
            std::shuffle(idx.begin(), idx.end(), rng);
            const size_t hold = std::max<size_t>(1, idx.size() / 10);
            trainSet.examples.clear();
            evalSet = trainData;
            evalSet.examples.clear();
            std::sort(idx.begin() + static_cast<long>(hold), idx.end());
            for (size_t i = 0; i < idx.size(); ++i)
                (i < hold ? evalSet : trainSet).examples.push_back(trainData.examples[idx[i]]);
            if (trainSet.examples.empty())
                return Status::error("too few examples to hold out");
        }
        // Augmented copies are added after the hold-out so that no pair leaks into evaluation.
        augmentTrainingSet(trainSet, o);

        std::shared_ptr<Model> model;
        if (o.resume) {
            auto m = Model::load(joinPath(joinPath(outDir, kStateDir), "latest"));
            if (!m)
                return m.status();
            model = *m;
        } else {
            auto m = makeModel(trainSet, o, sink);
            if (!m)
                return m.status();
            model = *m;
        }
        if (auto s = model->setDevice(o.device); !s)
            return s;
        Model::Impl& impl = ModelAccess::impl(*model);
        auto& net = impl.net;
        impl.config.hiddenDropout = impl.config.attentionDropout = o.dropout;
        net->config.hiddenDropout = net->config.attentionDropout = o.dropout;
        const int maxLength = std::min(o.maxLength, impl.config.maxPositionEmbeddings);

        auto trainLabels = mapLabelsToClasses(trainSet, impl.config);
        if (!trainLabels)
            return trainLabels.status();
        auto evalLabels = mapLabelsToClasses(evalSet, impl.config);
        if (!evalLabels)
            return evalLabels.status();
        auto items = encodeItems(*model, trainSet, *trainLabels, maxLength);
        if (!items)
            return items.status();
        auto evalItems = encodeItems(*model, evalSet, *evalLabels, maxLength);
        if (!evalItems)
            return evalItems.status();

        setTrainable(*net, true);
        std::vector<std::pair<std::string, at::Tensor>> named;
        for (auto& item : net->named_parameters())
            named.emplace_back(item.key(), item.value());
        auto adamw = makeAdamW(named, o.learningRate, o.weightDecay);
        torch::optim::AdamW& optimizer = *adamw;
        if (o.resume)
            torch::load(optimizer, joinPath(joinPath(outDir, kStateDir), "optimizer.pt"),
                        impl.device);

        const int64_t batchesPerEpoch =
            (static_cast<int64_t>(items->size()) + o.batchSize - 1) / o.batchSize;
        const int64_t totalSteps = batchesPerEpoch * o.epochs;
        const int64_t warmupSteps = static_cast<int64_t>(o.warmupProportion * double(totalSteps));
        const int64_t firstStep = st.step;
        TrainReport report;
        report.resumed = o.resume;
        report.outDir = outDir;
        report.vocabSize = impl.config.vocabSize;
        report.trainExamples = static_cast<int>(items->size());
        report.evalExamples = static_cast<int>(evalItems->size());
        for (const auto& p : net->parameters())
            report.parameters += p.numel();
        if (sink)
            sink->onMessage(std::to_string(items->size()) + " training / " +
                            std::to_string(evalItems->size()) + " held-out examples, " +
                            std::to_string(report.parameters) + " parameters, vocabulary " +
                            std::to_string(report.vocabSize) + ", " + std::to_string(totalSteps) +
                            " steps");

        auto finishModel = [&]() { setTrainable(*net, false); };
        for (; st.epoch < o.epochs; ++st.epoch, st.batchInEpoch = 0) {
            // Each epoch's order depends only on (seed, epoch), so a resumed run sees the same
            // batches as an uninterrupted one.
            std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<uint64_t>(st.epoch));
            const auto batches = lengthBatches(*items, o.batchSize, &rng);
            auto epochStart = Clock::now();
            const double secondsBefore = st.epochSeconds;
            setTrainable(*net, true);
            for (; st.batchInEpoch < static_cast<int>(batches.size()); ++st.batchInEpoch) {
                if (job.cancelled()) {
                    st.epochSeconds = secondsBefore + secondsSince(epochStart);
                    finishModel();
                    if (auto s = saveState(*model, optimizer, st, o, outDir,
                                           int(trainData.examples.size()));
                        !s)
                        return s;
                    return Status::cancelled();
                }
                const double lr = o.learningRate * linearSchedule(st.step, totalSteps, warmupSteps);
                for (auto& g : optimizer.param_groups())
                    g.options().set_lr(lr);
                torch::manual_seed(o.seed + static_cast<uint64_t>(st.step));  // dropout masks
                auto t =
                    collate(*items, batches[st.batchInEpoch], impl.config.padTokenId, impl.device);
                auto out = net->forward(t.ids, t.segments, t.keyMask, {}, false, false, true);
                auto loss = at::cross_entropy_loss(out.logits, t.labels);
                optimizer.zero_grad();
                loss.backward();
                if (o.gradClip > 0)
                    torch::nn::utils::clip_grad_norm_(net->parameters(), o.gradClip);
                optimizer.step();
                ++st.step;
                const int64_t B = t.labels.size(0);
                st.lossSum += loss.item<double>() * double(B);
                st.correct += out.logits.argmax(1).eq(t.labels).sum().item<int64_t>();
                st.seen += B;
                if (o.checkpointEverySteps > 0 && st.step % o.checkpointEverySteps == 0) {
                    RunState next = st;
                    ++next.batchInEpoch;
                    next.epochSeconds = secondsBefore + secondsSince(epochStart);
                    if (auto s = saveState(*model, optimizer, next, o, outDir,
                                           int(trainData.examples.size()));
                        !s)
                        return s;
                }
                if (sink || job.progress) {
                    TrainProgress p;
                    p.epoch = st.epoch + 1;
                    p.epochs = o.epochs;
                    p.step = st.step;
                    p.totalSteps = totalSteps;
                    p.loss = st.lossSum / double(st.seen);
                    p.accuracy = double(st.correct) / double(st.seen);
                    p.learningRate = lr;
                    p.elapsedSeconds = secondsSince(start);
                    const int64_t done = st.step - firstStep;
                    p.etaSeconds = p.elapsedSeconds / double(done) * double(totalSteps - st.step);
                    if (sink)
                        sink->onStep(p);
                    job.report(toJobProgress(p));
                }
            }
            EpochReport er;
            er.epoch = st.epoch + 1;
            er.trainLoss = st.seen ? st.lossSum / double(st.seen) : 0.0;
            er.trainAccuracy = st.seen ? double(st.correct) / double(st.seen) : 0.0;
            er.learningRate = optimizer.param_groups()[0].options().get_lr();
            setTrainable(*net, false);
            if ((st.epoch + 1) % std::max(1, o.evalEvery) == 0 || st.epoch + 1 == o.epochs) {
                auto acc = accuracyOf(impl, *evalItems, o.batchSize);
                if (!acc)
                    return acc.status();
                er.evalAccuracy = *acc;
                if (*acc > st.bestEval) {
                    st.bestEval = *acc;
                    st.bestEpoch = er.epoch;
                    if (auto s = saveModel(*model, outDir, o.saveDtype); !s)
                        return s;
                }
            }
            er.seconds = secondsBefore + secondsSince(epochStart);
            st.history.push_back(er);
            if (sink)
                sink->onEpoch(er);
            st.lossSum = 0.0;
            st.correct = st.seen = 0;
            st.epochSeconds = 0.0;
            RunState next = st;
            ++next.epoch;
            next.batchInEpoch = 0;
            if (auto s =
                    saveState(*model, optimizer, next, o, outDir, int(trainData.examples.size()));
                !s)
                return s;
        }
        finishModel();
        report.epochs = st.history;
        report.bestEpoch = st.bestEpoch;
        report.bestEvalAccuracy = st.bestEval;
        report.steps = st.step;
        report.seconds = secondsSince(start);
        nlohmann::json log = {{"options", optionsJson(o)},
                              {"best_epoch", report.bestEpoch},
                              {"best_eval_accuracy", report.bestEvalAccuracy},
                              {"train_examples", report.trainExamples},
                              {"eval_examples", report.evalExamples},
                              {"parameters", report.parameters},
                              {"epochs", nlohmann::json::array()}};
        for (const auto& e : report.epochs)
            log["epochs"].push_back(epochJson(e));
        if (auto s = writeFileAtomically(joinPath(outDir, "training_log.json"), log.dump(1)); !s)
            return s;
        if (!o.keepState) {
            std::error_code ec;
            fs::remove_all(fs::path(outDir) / kStateDir, ec);
        }
        return report;
    } catch (const std::exception& e) {
        return Status::error(std::string("training failed: ") + e.what());
    }
}

Expected<EvalReport> evaluate(Model& model, const Dataset& data, int batchSize, int maxLength) {
    if (data.examples.empty())
        return Status::error(data.path + ": no examples");
    auto labels = mapLabelsToClasses(data, model.config());
    if (!labels)
        return labels.status();
    EvalReport r;
    r.labels = model.config().id2label;
    const size_t C = r.labels.size();
    r.confusion.assign(C, std::vector<int>(C, 0));
    auto items = encodeItems(model, data, *labels, maxLength, &r.truncated);
    if (!items)
        return items.status();
    for (const auto& batch : lengthBatches(*items, std::max(1, batchSize), nullptr)) {
        std::vector<Encoding> encs;
        for (int i : batch) {
            Encoding e;
            e.inputIds = (*items)[i].ids;
            e.segmentIds = (*items)[i].segments;
            encs.push_back(std::move(e));
        }
        auto preds = model.predictBatch(encs);
        if (!preds)
            return preds.status();
        for (size_t k = 0; k < batch.size(); ++k)
            ++r.confusion[static_cast<size_t>((*items)[batch[k]].label)]
                         [static_cast<size_t>((*preds)[k].predicted)];
    }
    r.examples = static_cast<int>(items->size());
    int correct = 0, most = -1;
    for (size_t g = 0; g < C; ++g) {
        const int n = std::accumulate(r.confusion[g].begin(), r.confusion[g].end(), 0);
        correct += r.confusion[g][g];
        r.perClassCount.push_back(n);
        r.perClassAccuracy.push_back(n ? double(r.confusion[g][g]) / n : -1.0);
        if (n > most) {
            most = n;
            r.majorityLabel = r.labels[g];
        }
    }
    r.accuracy = double(correct) / r.examples;
    r.majorityBaseline = double(most) / r.examples;
    return r;
}

std::string evalReportToJson(const EvalReport& r) {
    nlohmann::json j;
    j["examples"] = r.examples;
    j["accuracy"] = r.accuracy;
    j["majority_baseline"] = r.majorityBaseline;
    j["majority_label"] = r.majorityLabel;
    j["labels"] = r.labels;
    nlohmann::json per = nlohmann::json::object();
    for (size_t c = 0; c < r.labels.size(); ++c)
        per[r.labels[c]] = {
            {"accuracy", r.perClassAccuracy[c] < 0 ? nlohmann::json(nullptr)
                                                   : nlohmann::json(r.perClassAccuracy[c])},
            {"examples", r.perClassCount[c]}};
    j["per_class"] = per;
    j["confusion_matrix"] = r.confusion;
    j["confusion_matrix_axes"] = "rows: gold class, columns: predicted class (order of labels)";
    j["truncated_inputs"] = r.truncated;
    return j.dump(1) + "\n";
}

}  // namespace attrscope
