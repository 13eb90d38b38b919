#include "train_model_init.h"

#include <algorithm>

#include "attrscope/train/vocab_builder.h"
#include "model/model_impl.h"

namespace attrscope {

namespace {

bool endsWithBias(const std::string& k) {
    return k.size() >= 4 && k.compare(k.size() - 4, 4, "bias") == 0;
}

bool isNorm(const std::string& k) {
    return k.find("LayerNorm") != std::string::npos || k.find("layer_norm") != std::string::npos;
}

void initParameter(const std::string& key, at::Tensor& p) {
    if (isNorm(key))
        p.fill_(endsWithBias(key) ? 0.0 : 1.0);
    else if (endsWithBias(key))
        p.zero_();
    else
        p.normal_(0.0, 0.02);
}

}  // namespace

void initWeights(torch::nn::Module& module, const std::vector<std::string>& only) {
    at::NoGradGuard noGrad;
    for (auto& item : module.named_parameters()) {
        const std::string& k = item.key();
        if (!only.empty() && std::none_of(only.begin(), only.end(),
                                          [&](const std::string& p) { return k.rfind(p, 0) == 0; }))
            continue;
        initParameter(k, item.value());
    }
}

void setTrainable(torch::nn::Module& net, bool trainable) {
    if (trainable)
        net.train();
    else
        net.eval();
    for (auto& p : net.parameters())
        p.set_requires_grad(trainable);
}

Expected<std::shared_ptr<Model>> scratchModel(const std::vector<std::string>& texts,
                                              const ScratchModelSpec& s) {
    VocabBuilderOptions vo;
    vo.maxSize = s.vocabSize;
    vo.minFrequency = s.minFrequency;
    vo.lowerCase = s.lowerCase;
    vo.wordPiece = s.vocabMethod == "wordpiece";
    auto vocab =
        s.vocabFile.empty() ? buildVocabulary(texts, vo) : Vocabulary::fromFile(s.vocabFile);
    if (!vocab)
        return vocab.status();
    ModelConfig c;
    c.vocabSize = static_cast<int>(vocab->size());
    c.hiddenSize = s.hidden;
    c.numLayers = s.layers;
    c.numHeads = s.heads;
    c.intermediateSize = s.intermediate > 0 ? s.intermediate : 4 * s.hidden;
    c.maxPositionEmbeddings = s.maxLength;
    c.layerNormEps = s.layerNormEps;
    c.hiddenDropout = c.attentionDropout = s.dropout;
    c.padTokenId = static_cast<int>(std::max<int64_t>(0, vocab->padId()));
    c.id2label = s.labels;
    auto model = Model::random(c, s.seed, std::move(vocab.value()));
    if (!model)
        return model;
    initWeights(*ModelAccess::impl(**model).net);
    if (s.matchInit > 0) {
        at::NoGradGuard noGrad;
        auto& self = ModelAccess::impl(**model).bert()->layerModule(0)->attention->self;
        self->query->weight.normal_(0.0, s.matchInit);
        self->key->weight.copy_(self->query->weight);
    }
    TokenizerSettings ts;
    ts.doLowerCase = s.lowerCase;
    auto& impl = ModelAccess::impl(**model);
    impl.tokenizer = std::make_unique<Tokenizer>(impl.tokenizer->vocabulary(), ts);
    return model;
}

std::unique_ptr<torch::optim::AdamW> makeAdamW(
    const std::vector<std::pair<std::string, at::Tensor>>& named, double learningRate,
    double weightDecay) {
    std::vector<at::Tensor> decay, noDecay;
    for (const auto& [k, p] : named)
        (endsWithBias(k) || isNorm(k) ? noDecay : decay).push_back(p);
    torch::optim::AdamWOptions base(learningRate);
    base.eps(1e-6);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(base).weight_decay(weightDecay)));
    groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(base).weight_decay(0.0)));
    return std::make_unique<torch::optim::AdamW>(std::move(groups), base);
}

namespace {
// The head a fine-tune replaces when the classes change: every family's classifier, and
// DistilBERT's pre_classifier, which is part of HF's sequence-classification head too.
bool isClassificationHead(const std::string& key) {
    return key.rfind("classifier.", 0) == 0 || key.rfind("pre_classifier.", 0) == 0;
}
}  // namespace

Expected<std::shared_ptr<Model>> modelOnTopOf(const Model& base,
                                              const std::vector<std::string>& labels,
                                              uint64_t seed) {
    ModelConfig c = base.config();
    c.id2label = labels;
    const Model::Impl& from = ModelAccess::impl(base);
    // Model::random needs a WordPiece list only for BERT-style folders; the other families keep
    // their own tokenizer (set below), so the synthetic list stands in.
    auto fresh = from.tokenizer ? Model::random(c, seed, from.tokenizer->vocabulary())
                                : Model::random(c, seed);
    if (!fresh)
        return fresh.status();
    Model::Impl& impl = ModelAccess::impl(**fresh);
    auto src = from.net->named_parameters();
    at::NoGradGuard noGrad;
    std::vector<std::string> restart;
    for (auto& item : impl.net->named_parameters()) {
        const at::Tensor* t = src.find(item.key());
        // A base model folder without a pooler had it at random: it starts fresh like the head.
        const bool untrained = isClassificationHead(item.key()) ||
                               (!from.hasPooler && item.key().find("pooler") != std::string::npos);
        if (t && !untrained && t->sizes() == item.value().sizes())
            item.value().copy_(*t);
        else
            restart.push_back(item.key());
    }
    if (!restart.empty())
        initWeights(*impl.net, restart);
    // Buffers (DeBERTa's and RoBERTa's position ids, sinusoidal tables) come from the config
    // and need no copy.
    impl.tokenizer = from.tokenizer ? std::make_unique<Tokenizer>(from.tokenizer->vocabulary(),
                                                                  from.tokenizer->settings())
                                    : nullptr;
    impl.textTokenizer = from.textTokenizer;
    // writeCheckpoint copies another family's tokenizer files from here into the output.
    impl.directory = from.directory;
    return fresh;
}

}  // namespace attrscope
