// RobertaForSequenceClassification (also XLM-RoBERTa, whose checkpoints use the same "roberta."
// keys): BERT's encoder with positions counted from the padding index, a single token-type row,
// no pooler, and a dense → tanh → out_proj head on <s>.

#include "model/arch/bert.h"

namespace attrscope {

namespace nn = torch::nn;

namespace {

struct RobertaClassificationHeadImpl : nn::Module {
    explicit RobertaClassificationHeadImpl(const ModelConfig& c) {
        dense = register_module("dense", nn::Linear(c.hiddenSize, c.hiddenSize));
        out_proj = register_module("out_proj", nn::Linear(c.hiddenSize, c.numLabels()));
    }
    nn::Linear dense{nullptr}, out_proj{nullptr};
};
TORCH_MODULE(RobertaClassificationHead);

struct RobertaForSequenceClassificationImpl : EncoderClassifierImpl {
    explicit RobertaForSequenceClassificationImpl(const ModelConfig& c) : EncoderClassifierImpl(c) {
        roberta = register_module("roberta", BertModel(c, /*withPooler=*/false));
        classifier = register_module("classifier", RobertaClassificationHead(c));
    }
    BertModel roberta{nullptr};
    RobertaClassificationHead classifier{nullptr};

    // HF: position = padding_idx + cumulative count of non-padding tokens (padding keeps
    // padding_idx), so an unpadded input reads rows padding_idx+1 … padding_idx+n.
    at::Tensor embed(const at::Tensor& ids, const at::Tensor& /*segments*/,
                     bool train) const override {
        const int64_t pad = config.padTokenId;
        auto mask = ids.ne(pad).to(at::kLong);
        auto positions = at::cumsum(mask, 1) * mask + pad;
        // The tokenizers return no token types; the model adds its type-0 row.
        return bertEmbeddings(*roberta->embeddings, config, ids, positions, at::zeros_like(ids),
                              train);
    }

    at::Tensor classify(const at::Tensor& cls, bool train) const override {
        auto x = at::dropout(cls, config.hiddenDropout, train);
        x = at::tanh(at::linear(x, classifier->dense->weight, classifier->dense->bias));
        x = at::dropout(x, config.hiddenDropout, train);
        return at::linear(x, classifier->out_proj->weight, classifier->out_proj->bias);
    }

protected:
    LayerWeights layerWeights(int l) const override {
        return bertLayerWeights(
            *roberta->encoder->layer->ptr<BertLayerImpl>(static_cast<size_t>(l)));
    }
};

}  // namespace

EncoderClassifier makeRoberta(const ModelConfig& c) {
    return std::make_shared<RobertaForSequenceClassificationImpl>(c);
}

}  // namespace attrscope
