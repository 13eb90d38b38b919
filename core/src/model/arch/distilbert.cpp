// DistilBertForSequenceClassification: word + position embeddings (no token types), layers named
// q_lin/k_lin/v_lin/out_lin, sa_layer_norm, ffn.lin1/lin2 and output_layer_norm, and a
// pre_classifier → ReLU → classifier head on [CLS]. HF divides q by √d before q·kᵀ; the encoder
// scales the scores instead, which is the same up to float32 rounding.

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <cmath>

#include "model/arch/encoder.h"

namespace attrscope {

namespace nn = torch::nn;

namespace {

nn::LayerNorm distilNorm(int dim) {
    return nn::LayerNorm(nn::LayerNormOptions({dim}).eps(1e-12));  // fixed in HF's code
}

struct DistilEmbeddingsImpl : nn::Module {
    explicit DistilEmbeddingsImpl(const ModelConfig& c) {
        word_embeddings = register_module("word_embeddings", nn::Embedding(c.vocabSize, c.hiddenSize));
        position_embeddings = register_module(
            "position_embeddings", nn::Embedding(c.maxPositionEmbeddings, c.hiddenSize));
        LayerNorm = register_module("LayerNorm", distilNorm(c.hiddenSize));
        if (c.sinusoidalPositions) {  // checkpoints store them too; this is for fresh models
            at::NoGradGuard noGrad;
            auto& w = position_embeddings->weight;
            const double dim = double(w.size(1));
            auto pos = at::arange(w.size(0), at::kDouble).unsqueeze(1);
            auto j = at::arange(w.size(1), at::kDouble);
            auto angle = pos / at::pow(10000.0, 2.0 * at::floor(j / 2.0) / dim);
            auto even = at::arange(w.size(1), at::kLong).remainder(2).eq(0);
            w.copy_(at::where(even, at::sin(angle), at::cos(angle)));
        }
    }
    nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr};
    nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(DistilEmbeddings);

struct DistilAttentionImpl : nn::Module {
    explicit DistilAttentionImpl(const ModelConfig& c) {
        const int d = c.hiddenSize;
        q_lin = register_module("q_lin", nn::Linear(d, d));
        k_lin = register_module("k_lin", nn::Linear(d, d));
        v_lin = register_module("v_lin", nn::Linear(d, d));
        out_lin = register_module("out_lin", nn::Linear(d, d));
    }
    nn::Linear q_lin{nullptr}, k_lin{nullptr}, v_lin{nullptr}, out_lin{nullptr};
};
TORCH_MODULE(DistilAttention);

struct DistilFfnImpl : nn::Module {
    explicit DistilFfnImpl(const ModelConfig& c) {
        lin1 = register_module("lin1", nn::Linear(c.hiddenSize, c.intermediateSize));
        lin2 = register_module("lin2", nn::Linear(c.intermediateSize, c.hiddenSize));
    }
    nn::Linear lin1{nullptr}, lin2{nullptr};
};
TORCH_MODULE(DistilFfn);

struct DistilLayerImpl : nn::Module {  // HF's TransformerBlock
    explicit DistilLayerImpl(const ModelConfig& c) {
        attention = register_module("attention", DistilAttention(c));
        sa_layer_norm = register_module("sa_layer_norm", distilNorm(c.hiddenSize));
        ffn = register_module("ffn", DistilFfn(c));
        output_layer_norm = register_module("output_layer_norm", distilNorm(c.hiddenSize));
    }
    DistilAttention attention{nullptr};
    nn::LayerNorm sa_layer_norm{nullptr};
    DistilFfn ffn{nullptr};
    nn::LayerNorm output_layer_norm{nullptr};
};
TORCH_MODULE(DistilLayer);

struct DistilTransformerImpl : nn::Module {
    explicit DistilTransformerImpl(const ModelConfig& c) {
        layer = register_module("layer", nn::ModuleList());
        for (int i = 0; i < c.numLayers; ++i) layer->push_back(DistilLayer(c));
    }
    nn::ModuleList layer{nullptr};
};
TORCH_MODULE(DistilTransformer);

struct DistilBertModelImpl : nn::Module {
    explicit DistilBertModelImpl(const ModelConfig& c) {
        embeddings = register_module("embeddings", DistilEmbeddings(c));
        transformer = register_module("transformer", DistilTransformer(c));
    }
    DistilEmbeddings embeddings{nullptr};
    DistilTransformer transformer{nullptr};
};
TORCH_MODULE(DistilBertModel);

struct DistilBertForSequenceClassificationImpl : EncoderClassifierImpl {
    explicit DistilBertForSequenceClassificationImpl(const ModelConfig& c)
        : EncoderClassifierImpl(c) {
        config.layerNormEps = 1e-12;
        distilbert = register_module("distilbert", DistilBertModel(c));
        pre_classifier = register_module("pre_classifier", nn::Linear(c.hiddenSize, c.hiddenSize));
        classifier = register_module("classifier", nn::Linear(c.hiddenSize, c.numLabels()));
    }
    DistilBertModel distilbert{nullptr};
    nn::Linear pre_classifier{nullptr}, classifier{nullptr};

    at::Tensor embed(const at::Tensor& ids, const at::Tensor& /*segments*/,
                     bool train) const override {
        const auto& e = distilbert->embeddings;
        auto positions = at::arange(ids.size(1), ids.options()).unsqueeze(0);
        auto x = at::embedding(e->word_embeddings->weight, ids) +
                 at::embedding(e->position_embeddings->weight, positions);
        x = at::layer_norm(x, {config.hiddenSize}, e->LayerNorm->weight, e->LayerNorm->bias,
                           config.layerNormEps);
        return at::dropout(x, config.hiddenDropout, train);
    }

    at::Tensor classify(const at::Tensor& cls, bool train) const override {
        auto x = at::relu(at::linear(cls, pre_classifier->weight, pre_classifier->bias));
        x = at::dropout(x, config.hiddenDropout, train);
        return at::linear(x, classifier->weight, classifier->bias);
    }

protected:
    LayerWeights layerWeights(int l) const override {
        const auto& m = *distilbert->transformer->layer->ptr<DistilLayerImpl>(size_t(l));
        const auto& a = m.attention;
        return {a->q_lin->weight,          a->q_lin->bias,
                a->k_lin->weight,          a->k_lin->bias,
                a->v_lin->weight,          a->v_lin->bias,
                a->out_lin->weight,        a->out_lin->bias,
                m.sa_layer_norm->weight,   m.sa_layer_norm->bias,
                m.ffn->lin1->weight,       m.ffn->lin1->bias,
                m.ffn->lin2->weight,       m.ffn->lin2->bias,
                m.output_layer_norm->weight, m.output_layer_norm->bias};
    }
};

}  // namespace

EncoderClassifier makeDistilBert(const ModelConfig& c) {
    return std::make_shared<DistilBertForSequenceClassificationImpl>(c);
}

}  // namespace attrscope
