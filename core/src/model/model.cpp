#include "attrscope/model/model.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/nn/init.h>
#include <torch/utils.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "config_validation.h"
#include "finite_check.h"
#include "io/file_util.h"
#include "io/safetensors_file.h"
#include "model/checkpoint_weights.h"
#include "model/checkpoint_writer.h"
#include "model_impl.h"

namespace attrscope {

namespace fs = std::filesystem;

namespace {

void freeze(EncoderClassifier& net) {
    net->eval();
    for (auto& p : net->parameters())
        p.set_requires_grad(false);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

HeadMask HeadMask::ones(int layers, int heads) {
    HeadMask m;
    m.numLayers = layers;
    m.numHeads = heads;
    m.values.assign(static_cast<size_t>(layers * heads), 1.0f);
    return m;
}

bool HeadMask::isAllOnes() const {
    for (float v : values)
        if (v != 1.0f)
            return false;
    return true;
}

at::Tensor Model::Impl::ids(const Encoding& e) const {
    return at::tensor(e.inputIds, at::kLong).view({1, -1}).to(device);
}

at::Tensor Model::Impl::segments(const Encoding& e) const {
    if (!config.usesTokenTypes())
        return at::zeros({1, static_cast<int64_t>(e.inputIds.size())}, longOptions());
    return at::tensor(e.segmentIds, at::kLong).view({1, -1}).to(device);
}

at::Tensor Model::Impl::headMaskTensor(const HeadMask* mask) const {
    if (!mask || mask->isAllOnes())
        return {};
    return at::tensor(mask->values, at::kFloat).view({mask->numLayers, mask->numHeads}).to(device);
}

Prediction makePrediction(const ModelConfig& config, const at::Tensor& logits) {
    auto l = logits.detach().to(at::kCPU, at::kFloat).contiguous();
    auto probs = classScores(config, l).contiguous();
    Prediction p;
    p.logits.assign(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
    p.probs.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
    p.predicted = static_cast<int>(l.argmax().item<int64_t>());
    p.predictedLabel = config.id2label.at(static_cast<size_t>(p.predicted));
    return p;
}

Status checkEncoding(const Model::Impl& impl, const Encoding& e) {
    const auto& c = impl.config;
    if (e.inputIds.empty())
        return Status::error("the input is empty");
    if (e.inputIds.size() != e.segmentIds.size())
        return Status::error("input ids and segment ids differ in length");
    if (static_cast<int>(e.inputIds.size()) > c.maxSequenceLength())
        return Status::error("the input has " + std::to_string(e.inputIds.size()) +
                             " tokens but the model allows at most " +
                             std::to_string(c.maxSequenceLength()));
    for (int64_t id : e.inputIds)
        if (id < 0 || id >= c.vocabSize)
            return Status::error("token id " + std::to_string(id) + " is outside the vocabulary");
    if (c.usesTokenTypes())  // the other families ignore them
        for (int64_t s : e.segmentIds)
            if (s < 0 || s >= c.typeVocabSize)
                return Status::error("segment id " + std::to_string(s) +
                                     " is outside type_vocab_size");
    return Status::success();
}

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

Expected<std::shared_ptr<Model>> Model::load(const std::string& dir) {
    if (dir.empty())
        return Status::error("no model folder given");
    if (!isDirectory(dir))
        return Status::error(dir + ": model folder does not exist");
    auto config = ModelConfig::fromFile(joinPath(dir, "config.json"));
    if (!config)
        return config.status();
    auto impl = std::make_unique<Impl>();
    impl->config = *config;
    impl->directory = dir;
    // WordPiece folders (vocab.txt: BERT, DistilBERT, ELECTRA) keep the tokenizer that matches
    // the official AttAttr code; every other family reads its own tokenizer files.
    const std::string vocabPath = joinPath(dir, "vocab.txt");
    if (config->modelType == "bert" || fileExists(vocabPath)) {
        auto vocab = Vocabulary::fromFile(vocabPath);
        if (!vocab)
            return vocab.status();
        if (vocab->size() > config->vocabSize)
            return Status::error(vocabPath + ": has " + std::to_string(vocab->size()) +
                                 " tokens but config.json says " + "vocab_size " +
                                 std::to_string(config->vocabSize));
        auto settings = TokenizerSettings::fromFile(joinPath(dir, "tokenizer_config.json"));
        if (!settings)
            return settings.status();
        impl->tokenizer = std::make_unique<Tokenizer>(std::move(vocab.value()), *settings);
    } else if (auto text = loadTokenizer(dir); !text) {
        impl->warnings.push_back("no usable tokenizer (" + text.error() +
                                 "): inputs must be given as token ids");
    } else if ((*text)->vocabSize() > config->vocabSize) {
        return Status::error(
            (*text)->sourceFile() + ": has " + std::to_string((*text)->vocabSize()) +
            " tokens but config.json says vocab_size " + std::to_string(config->vocabSize));
    } else {
        if (!(*text)->loadNote().empty())
            impl->warnings.push_back((*text)->loadNote());
        impl->textTokenizer = *text;
    }
    const std::string st = joinPath(dir, "model.safetensors");
    const std::string bin = joinPath(dir, "pytorch_model.bin");
    // Shapes before allocating: a wrong vocab_size must not cost gigabytes first.
    if (fileExists(st) || fileExists(bin))
        if (auto s = checkCheckpointShapes(impl->config, fileExists(st) ? st : bin); !s)
            return s;
    try {
        Status s;
        if (fileExists(st)) {
            impl->weightsFile = st;
            s = loadSafetensors(*impl, st);
        } else if (fileExists(bin)) {
            impl->weightsFile = bin;
            s = loadTorchBin(*impl, bin);
        } else {
            return Status::error(dir + ": no model.safetensors or pytorch_model.bin");
        }
        if (!s)
            return s;
        freeze(impl->net);
    } catch (const std::exception& e) {
        return Status::error(dir + ": cannot build the model: " + torchErrorText(e));
    }
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

Expected<std::shared_ptr<Model>> Model::random(const ModelConfig& config, uint64_t seed,
                                               std::optional<Vocabulary> vocab) {
    if (!vocab) {
        std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
        for (char ch = 'a'; ch <= 'z'; ++ch)
            tokens.push_back(std::string(1, ch));
        for (char ch = 'a'; ch <= 'z'; ++ch)
            tokens.push_back("##" + std::string(1, ch));
        for (const char* p : {".", ",", "!", "?", "'", "-"})
            tokens.push_back(p);
        for (const char* w : {"the", "man", "woman", "is", "not", "playing", "guitar", "dog", "cat",
                              "running", "on", "in", "park", "and", "of", "good", "bad"})
            tokens.push_back(w);
        auto v = Vocabulary::fromTokens(tokens, "synthetic vocabulary");
        if (!v)
            return v.status();
        vocab = std::move(v.value());
    }
    if (vocab->size() > config.vocabSize)
        return Status::error("random model: vocabulary larger than vocab_size");
    auto impl = std::make_unique<Impl>();
    impl->config = config;
    impl->tokenizer = std::make_unique<Tokenizer>(std::move(*vocab), TokenizerSettings());
    try {
        auto net = makeEncoderClassifier(config);
        if (!net)
            return net.status();
        impl->net = *net;
        at::NoGradGuard noGrad;
        auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
        // Larger Q/K than V/O keeps upper-layer attention from going uniform (as in the golden
        // fixture's recipe), so random models still show structure.
        for (auto& item : impl->net->named_parameters()) {
            const std::string& k = item.key();
            at::Tensor& p = item.value();
            auto has = [&](const char* part) { return k.find(part) != std::string::npos; };
            const bool isNorm = has("LayerNorm") || has("layer_norm");
            const bool isBias = k.size() > 4 && k.compare(k.size() - 4, 4, "bias") == 0;
            double stdev = 0.2;
            if (has(".query") || has(".key") || has(".q_lin.") || has(".k_lin."))
                stdev = 0.25;
            if (has(".value") || has("attention.output.dense") || has(".v_lin.") ||
                has(".out_lin.") || has("attention.dense"))
                stdev = 0.1;
            if (isBias)
                stdev = 0.05;
            // Keep activations bounded for wide models.
            if (!isNorm && !isBias && p.dim() == 2 && k.find("embeddings") == std::string::npos)
                stdev *= std::sqrt(64.0 / double(p.size(1)));
            auto noise = at::normal(0.0, stdev, p.sizes(), gen);
            if (isNorm && !isBias)
                p.copy_(1.0 + at::normal(0.0, 0.1, p.sizes(), gen));
            else if (isNorm)
                p.copy_(at::normal(0.0, 0.05, p.sizes(), gen));
            else
                p.copy_(noise);
        }
        freeze(impl->net);
    } catch (const std::exception& e) {
        return Status::error(std::string("cannot build a random model: ") + e.what());
    }
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

const ModelConfig& Model::config() const {
    return impl_->config;
}
const Tokenizer& Model::tokenizer() const {
    static const Tokenizer none{Vocabulary(), TokenizerSettings()};
    return impl_->tokenizer ? *impl_->tokenizer : none;
}
bool Model::hasTokenizer() const {
    return impl_->tokenizer != nullptr;
}
const std::string& Model::directory() const {
    return impl_->directory;
}
uint64_t Model::forwardPasses() const {
    return impl_->forwardPasses.load();
}
const std::string& Model::weightsFile() const {
    return impl_->weightsFile;
}
bool Model::hasClassifier() const {
    return impl_->hasClassifier;
}
const std::vector<std::string>& Model::warnings() const {
    return impl_->warnings;
}

int Model::defaultMaxLength() const {
    return std::min(128, impl_->config.maxSequenceLength());
}

bool Model::canEncodeText() const {
    return impl_->tokenizer || impl_->textTokenizer;
}

std::string Model::tokenizerDescription() const {
    if (impl_->textTokenizer)
        return impl_->textTokenizer->description();
    if (impl_->tokenizer)
        return impl_->tokenizer->description();
    return "no tokenizer (token ids only)";
}

int64_t Model::tokenizerVocabSize() const {
    if (impl_->textTokenizer)
        return impl_->textTokenizer->vocabSize();
    return impl_->tokenizer ? impl_->tokenizer->vocabSize() : 0;
}

std::string Model::idToToken(int64_t id) const {
    if (impl_->textTokenizer)
        return impl_->textTokenizer->idToToken(id);
    if (impl_->tokenizer)
        return impl_->tokenizer->idToToken(id);
    return {};
}

Expected<Encoding> Model::encode(const std::string& a, const std::optional<std::string>& b,
                                 int maxLength) const {
    if (!canEncodeText())
        return Status::error("this " + impl_->config.modelType +
                             " folder has no tokenizer AttrScope can read; give token ids");
    if (maxLength <= 0)
        maxLength = defaultMaxLength();
    if (maxLength > impl_->config.maxSequenceLength())
        return Status::error("maximum length " + std::to_string(maxLength) + " exceeds the " +
                             std::to_string(impl_->config.maxSequenceLength()) +
                             " tokens the model's max_position_embeddings allows");
    Expected<Encoding> e = Status::error("");
    if (impl_->textTokenizer) {
        EncodeOptions options;
        options.maxLength = maxLength;
        e = impl_->textTokenizer->encode(a, b, options);
    } else {
        e = impl_->tokenizer->encode(a, b, maxLength);
    }
    if (!e)
        return e;
    if (auto s = checkEncoding(*impl_, *e); !s)
        return s;
    return e;
}

Expected<Encoding> Model::encodeIds(const std::vector<int64_t>& ids,
                                    const std::vector<int64_t>& typeIds) const {
    if (!typeIds.empty() && typeIds.size() != ids.size())
        return Status::error("token type ids and token ids differ in length");
    Encoding e;
    e.inputIds = ids;
    e.segmentIds = typeIds.empty() ? std::vector<int64_t>(ids.size(), 0) : typeIds;
    for (int64_t id : ids) {
        std::string token = id >= 0 ? idToToken(id) : std::string();
        e.tokens.push_back(token.empty() ? "#" + std::to_string(id) : token);
    }
    const auto second = std::count(e.segmentIds.begin(), e.segmentIds.end(), 1);
    e.isPair = second > 0;
    e.lengthA = std::max<int>(0, static_cast<int>(ids.size() - second) - 2);
    e.lengthB = std::max<int>(0, static_cast<int>(second) - 1);
    e.originalLengthA = e.lengthA;
    e.originalLengthB = e.lengthB;
    if (auto s = checkEncoding(*impl_, e); !s)
        return s;
    return e;
}

// A checkpoint without its classification head would predict with a random classifier.
static Status requireClassifier(const Model::Impl& impl) {
    if (impl.hasClassifier)
        return Status::success();
    return Status::error((impl.weightsFile.empty() ? impl.directory : impl.weightsFile) +
                         ": the checkpoint has no classification head (classifier.* or "
                         "bert.pooler.* missing), so predict, attribute and dataset studies are "
                         "refused; fine-tune it first (attrscope-cli train --init-from)");
}

Expected<FloatArray> Model::attention(const Encoding& input) const {
    if (auto s = checkEncoding(*impl_, input); !s)
        return s;
    try {
        at::NoGradGuard noGrad;
        ++impl_->forwardPasses;
        auto out =
            impl_->net->forward(impl_->ids(input), impl_->segments(input), {}, {}, true, false);
        auto att = at::stack(out.attention, 0).select(1, 0).to(at::kCPU, at::kFloat).contiguous();
        FloatArray a(att.sizes().vec());
        std::memcpy(a.data.data(), att.data_ptr<float>(), att.nbytes());
        if (auto s = checkFiniteArray(a, "the attention of the input"); !s)
            return s;
        return a;
    } catch (const std::exception& e) {
        return Status::error(std::string("forward pass failed: ") + e.what());
    }
}

Expected<Prediction> Model::predict(const Encoding& input, bool withAttention,
                                    const HeadMask* mask) const {
    if (auto s = checkEncoding(*impl_, input); !s)
        return s;
    if (auto s = requireClassifier(*impl_); !s)
        return s;
    try {
        at::NoGradGuard noGrad;
        ++impl_->forwardPasses;
        auto ids = impl_->ids(input), segments = impl_->segments(input);
        auto out = impl_->net->forward(ids, segments, {}, impl_->headMaskTensor(mask),
                                       withAttention, false);
        if (auto s = checkFiniteLogits(*impl_, out.logits, {}, ids, segments, {}, "the input"); !s)
            return s;
        Prediction p = makePrediction(impl_->config, out.logits[0]);
        if (withAttention) {
            auto att = at::stack(out.attention, 0).select(1, 0).to(at::kCPU).contiguous();
            p.attention = FloatArray(att.sizes().vec());
            std::memcpy(p.attention.data.data(), att.data_ptr<float>(), att.nbytes());
        }
        return p;
    } catch (const std::exception& e) {
        return Status::error(std::string("forward pass failed: ") + torchErrorText(e));
    }
}

Expected<std::vector<Prediction>> Model::predictBatch(const std::vector<Encoding>& inputs,
                                                      const HeadMask* mask) const {
    std::vector<Prediction> results;
    if (inputs.empty())
        return results;
    if (auto s = requireClassifier(*impl_); !s)
        return s;
    size_t maxLen = 0;
    for (const auto& e : inputs) {
        if (auto s = checkEncoding(*impl_, e); !s)
            return s;
        maxLen = std::max(maxLen, e.inputIds.size());
    }
    const int64_t B = static_cast<int64_t>(inputs.size()), n = static_cast<int64_t>(maxLen);
    std::vector<int64_t> ids(static_cast<size_t>(B * n), impl_->config.padTokenId),
        segs(static_cast<size_t>(B * n), 0);
    std::vector<float> maskAdd(static_cast<size_t>(B * n), -10000.0f);
    for (int64_t b = 0; b < B; ++b)
        for (size_t i = 0; i < inputs[b].inputIds.size(); ++i) {
            ids[b * n + i] = inputs[b].inputIds[i];
            segs[b * n + i] = inputs[b].segmentIds[i];
            maskAdd[b * n + i] = 0.0f;
        }
    try {
        at::NoGradGuard noGrad;
        auto dev = impl_->device;
        auto idT = at::tensor(ids, at::kLong).view({B, n}).to(dev);
        auto segT = at::tensor(segs, at::kLong).view({B, n}).to(dev);
        auto keyMask = at::tensor(maskAdd, at::kFloat).view({B, 1, 1, n}).to(dev);
        ++impl_->forwardPasses;
        auto out =
            impl_->net->forward(idT, segT, keyMask, impl_->headMaskTensor(mask), false, false);
        if (auto s = checkFiniteLogits(*impl_, out.logits, {}, idT, segT, keyMask,
                                       "a batch of " + std::to_string(B) + " inputs");
            !s)
            return s;
        auto logits = out.logits.to(at::kCPU);
        for (int64_t b = 0; b < B; ++b)
            results.push_back(makePrediction(impl_->config, logits[b]));
        return results;
    } catch (const std::exception& e) {
        return Status::error(std::string("forward pass failed: ") + torchErrorText(e));
    }
}

Status Model::setDevice(const std::string& device) {
    try {
        at::Device d(device);
        if (d.is_cuda() && !torch::cuda::is_available())
            return Status::error("CUDA is not available in this LibTorch build or on this machine");
        impl_->net->to(d);
        impl_->device = d;
        return Status::success();
    } catch (const std::exception& e) {
        return Status::error("unknown device '" + device + "' (use cpu or cuda)");
    }
}

std::string Model::device() const {
    return impl_->device.str();
}

std::vector<std::string> Model::availableDevices() {
    std::vector<std::string> devices = {"cpu"};
    const int64_t n = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
    for (int64_t i = 0; i < n; ++i)
        devices.push_back("cuda:" + std::to_string(i));
    return devices;
}

SafetensorsTensor float32Safetensor(const std::string& name, const at::Tensor& value) {
    auto t = value.detach().to(at::kCPU).to(at::kFloat).contiguous();
    SafetensorsTensor st{name, "F32", t.sizes().vec(), std::string()};
    st.bytes.assign(static_cast<const char*>(t.data_ptr()), t.nbytes());
    return st;
}

const char* weightDtypeName(WeightDtype dtype) {
    return dtype == WeightDtype::Float16 ? "float16" : "float32";
}

namespace {
// F32 bytes to F16 (round to nearest even, as torch does). A value beyond float16's range would
// become inf and the model would load but never predict a finite number: refused instead.
Status toFloat16(SafetensorsTensor& t) {
    const int64_t n = int64_t(t.bytes.size() / sizeof(float));
    auto f = at::from_blob(t.bytes.data(), {n}, at::kFloat);
    if (n > 0 && f.abs().max().item<float>() > 65504.0f)
        return Status::error(t.name + ": values beyond float16's range (65504); save as float32");
    auto h = f.to(at::kHalf).contiguous();
    t.bytes.assign(static_cast<const char*>(h.data_ptr()), h.nbytes());
    t.dtype = "F16";
    return Status::success();
}
}  // namespace

Status writeCheckpointAs(const Model::Impl& impl, const std::string& dir,
                         std::vector<SafetensorsTensor> tensors, const std::string& configJson,
                         WeightDtype dtype) {
    if (dtype == WeightDtype::Float16)
        for (auto& t : tensors)
            if (t.dtype == "F32")
                if (auto s = toFloat16(t); !s)
                    return s;
    return writeCheckpoint(impl, dir, tensors, configJson);
}

Status writeCheckpoint(const Model::Impl& impl, const std::string& dir,
                       const std::vector<SafetensorsTensor>& tensors,
                       const std::string& configJson) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!isDirectory(dir))
        return Status::error(dir + ": cannot create folder");
    if (auto s = writeSafetensors(joinPath(dir, "model.safetensors"), tensors, {{"format", "pt"}});
        !s)
        return s;
    if (auto s = writeFileAtomically(joinPath(dir, "config.json"), configJson); !s)
        return s;
    if (!impl.tokenizer) {  // another family's tokenizer files travel unchanged
        for (const char* name :
             {"tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt", "spiece.model",
              "spm.model", "sentencepiece.bpe.model", "added_tokens.json",
              "special_tokens_map.json"}) {
            const std::string from = joinPath(impl.directory, name);
            if (impl.directory.empty() || !fileExists(from))
                continue;
            std::error_code ec;
            // A resumed run saves into the folder it was loaded from: nothing to copy.
            if (fs::equivalent(from, joinPath(dir, name), ec))
                continue;
            fs::copy_file(from, joinPath(dir, name), fs::copy_options::overwrite_existing, ec);
            if (ec)
                return Status::error(joinPath(dir, name) + ": cannot write: " + ec.message());
        }
        return Status::success();
    }
    if (auto s = impl.tokenizer->vocabulary().save(joinPath(dir, "vocab.txt")); !s)
        return s;
    return writeFileAtomically(joinPath(dir, "tokenizer_config.json"),
                               impl.tokenizer->settings().toJson());
}

Status Model::save(const std::string& dir) const {
    return saveModel(*this, dir, WeightDtype::Float32);
}

Status saveModel(const Model& model, const std::string& dir, WeightDtype dtype) {
    const Model::Impl& impl = ModelAccess::impl(model);
    std::vector<SafetensorsTensor> tensors;
    for (const auto& item : impl.net->named_parameters())
        tensors.push_back(float32Safetensor(item.key(), item.value()));
    return writeCheckpointAs(impl, dir, std::move(tensors), impl.config.toJson(), dtype);
}

void setThreadCount(int threads) {
    // 0 honours OMP_NUM_THREADS: two runs side by side with one thread each must not each
    // start one per core, since oversubscribed OpenMP spins and runs ~10x slower.
    if (threads <= 0) {
        const char* env = std::getenv("OMP_NUM_THREADS");
        const long fromEnv = env ? std::strtol(env, nullptr, 10) : 0;
        threads = fromEnv > 0 && fromEnv <= 1024
                      ? static_cast<int>(fromEnv)
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    at::set_num_threads(threads);
}

int threadCount() {
    return at::get_num_threads();
}

}  // namespace attrscope
