// ElectraForSequenceClassification: BERT-named embeddings of width embedding_size, projected to
// the hidden size by electra.embeddings_project when the two differ, BERT's encoder, no pooler,
// and a dense → gelu → out_proj head on [CLS] (HF hard-codes the exact gelu there).

#include "model/arch/bert.h"

namespace attrscope {

namespace nn = torch::nn;

namespace {

struct ElectraModelImpl : nn::Module {
    explicit ElectraModelImpl(const ModelConfig& c) {
        embeddings = register_module("embeddings", BertEmbeddings(c));
        if (c.embeddingDim() != c.hiddenSize)
            embeddings_project = register_module(
                "embeddings_project", nn::Linear(c.embeddingDim(), c.hiddenSize));
        encoder = register_module("encoder", BertEncoder(c));
    }
    BertEmbeddings embeddings{nullptr};
    nn::Linear embeddings_project{nullptr};
    BertEncoder encoder{nullptr};
};
TORCH_MODULE(ElectraModel);

struct ElectraClassificationHeadImpl : nn::Module {
    explicit ElectraClassificationHeadImpl(const ModelConfig& c) {
        dense = register_module("dense", nn::Linear(c.hiddenSize, c.hiddenSize));
        out_proj = register_module("out_proj", nn::Linear(c.hiddenSize, c.numLabels()));
    }
    nn::Linear dense{nullptr}, out_proj{nullptr};
};
TORCH_MODULE(ElectraClassificationHead);

struct ElectraForSequenceClassificationImpl : EncoderClassifierImpl {
    explicit ElectraForSequenceClassificationImpl(const ModelConfig& c)
        : EncoderClassifierImpl(c) {
        electra = register_module("electra", ElectraModel(c));
        classifier = register_module("classifier", ElectraClassificationHead(c));
    }
    ElectraModel electra{nullptr};
    ElectraClassificationHead classifier{nullptr};

    at::Tensor embed(const at::Tensor& ids, const at::Tensor& segments,
                     bool train) const override {
        auto positions = at::arange(ids.size(1), ids.options()).unsqueeze(0);
        auto x = bertEmbeddings(*electra->embeddings, config, ids, positions, segments, train);
        const auto& p = electra->embeddings_project;
        return p ? at::linear(x, p->weight, p->bias) : x;
    }

    at::Tensor classify(const at::Tensor& cls, bool train) const override {
        auto x = at::dropout(cls, config.hiddenDropout, train);
        x = at::gelu(at::linear(x, classifier->dense->weight, classifier->dense->bias));
        x = at::dropout(x, config.hiddenDropout, train);
        return at::linear(x, classifier->out_proj->weight, classifier->out_proj->bias);
    }

protected:
    LayerWeights layerWeights(int l) const override {
        return bertLayerWeights(
            *electra->encoder->layer->ptr<BertLayerImpl>(static_cast<size_t>(l)));
    }
};

}  // namespace

EncoderClassifier makeElectra(const ModelConfig& c) {
    return std::make_shared<ElectraForSequenceClassificationImpl>(c);
}

}  // namespace attrscope
