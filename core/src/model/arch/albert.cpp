// AlbertForSequenceClassification: factorised embeddings (width embedding_size) mapped to the
// hidden size by encoder.embedding_hidden_mapping_in, num_hidden_groups layer groups of one layer
// each, applied num_hidden_layers times in order (layer l uses group l / (L / groups)), and a
// pooler (dense + tanh on [CLS]) → classifier head. Attribution is per application: layer l is
// the l-th time the shared weights run, each with its own attention map.

#include "model/arch/bert.h"

namespace attrscope {

namespace nn = torch::nn;

namespace {

struct AlbertAttentionImpl : nn::Module {
    explicit AlbertAttentionImpl(const ModelConfig& c) {
        const int d = c.hiddenSize;
        query = register_module("query", nn::Linear(d, d));
        key = register_module("key", nn::Linear(d, d));
        value = register_module("value", nn::Linear(d, d));
        dense = register_module("dense", nn::Linear(d, d));
        LayerNorm = register_module(
            "LayerNorm", nn::LayerNorm(nn::LayerNormOptions({d}).eps(c.layerNormEps)));
    }
    nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, dense{nullptr};
    nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(AlbertAttention);

struct AlbertLayerImpl : nn::Module {
    explicit AlbertLayerImpl(const ModelConfig& c) {
        attention = register_module("attention", AlbertAttention(c));
        ffn = register_module("ffn", nn::Linear(c.hiddenSize, c.intermediateSize));
        ffn_output = register_module("ffn_output", nn::Linear(c.intermediateSize, c.hiddenSize));
        full_layer_layer_norm = register_module(
            "full_layer_layer_norm",
            nn::LayerNorm(nn::LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps)));
    }
    AlbertAttention attention{nullptr};
    nn::Linear ffn{nullptr}, ffn_output{nullptr};
    nn::LayerNorm full_layer_layer_norm{nullptr};
};
TORCH_MODULE(AlbertLayer);

struct AlbertLayerGroupImpl : nn::Module {
    explicit AlbertLayerGroupImpl(const ModelConfig& c) {
        albert_layers = register_module("albert_layers", nn::ModuleList());
        albert_layers->push_back(AlbertLayer(c));  // inner_group_num = 1 (checked in the config)
    }
    nn::ModuleList albert_layers{nullptr};
};
TORCH_MODULE(AlbertLayerGroup);

struct AlbertTransformerImpl : nn::Module {
    explicit AlbertTransformerImpl(const ModelConfig& c) {
        embedding_hidden_mapping_in = register_module(
            "embedding_hidden_mapping_in", nn::Linear(c.embeddingDim(), c.hiddenSize));
        albert_layer_groups = register_module("albert_layer_groups", nn::ModuleList());
        for (int g = 0; g < c.numHiddenGroups; ++g) albert_layer_groups->push_back(AlbertLayerGroup(c));
    }
    nn::Linear embedding_hidden_mapping_in{nullptr};
    nn::ModuleList albert_layer_groups{nullptr};
};
TORCH_MODULE(AlbertTransformer);

struct AlbertModelImpl : nn::Module {
    explicit AlbertModelImpl(const ModelConfig& c) {
        embeddings = register_module("embeddings", BertEmbeddings(c));
        encoder = register_module("encoder", AlbertTransformer(c));
        pooler = register_module("pooler", nn::Linear(c.hiddenSize, c.hiddenSize));
    }
    BertEmbeddings embeddings{nullptr};  // the same names as BERT's, of width embedding_size
    AlbertTransformer encoder{nullptr};
    nn::Linear pooler{nullptr};
};
TORCH_MODULE(AlbertModel);

struct AlbertForSequenceClassificationImpl : EncoderClassifierImpl {
    explicit AlbertForSequenceClassificationImpl(const ModelConfig& c)
        : EncoderClassifierImpl(c) {
        albert = register_module("albert", AlbertModel(c));
        classifier = register_module("classifier", nn::Linear(c.hiddenSize, c.numLabels()));
    }
    AlbertModel albert{nullptr};
    nn::Linear classifier{nullptr};

    at::Tensor embed(const at::Tensor& ids, const at::Tensor& segments,
                     bool train) const override {
        auto positions = at::arange(ids.size(1), ids.options()).unsqueeze(0);
        auto x = bertEmbeddings(*albert->embeddings, config, ids, positions, segments, train);
        const auto& map = albert->encoder->embedding_hidden_mapping_in;
        return at::linear(x, map->weight, map->bias);
    }

    at::Tensor classify(const at::Tensor& cls, bool train) const override {
        auto pooled = at::tanh(at::linear(cls, albert->pooler->weight, albert->pooler->bias));
        pooled = at::dropout(pooled, config.hiddenDropout, train);
        return at::linear(pooled, classifier->weight, classifier->bias);
    }

protected:
    int weightGroup(int l) const override {
        return l / (config.numLayers / config.numHiddenGroups);
    }
    int numWeightGroups() const override { return config.numHiddenGroups; }

    LayerWeights layerWeights(int l) const override {
        const auto& group =
            albert->encoder->albert_layer_groups->ptr<AlbertLayerGroupImpl>(size_t(weightGroup(l)));
        const auto& m = *group->albert_layers->ptr<AlbertLayerImpl>(0);
        const auto& a = m.attention;
        return {a->query->weight,      a->query->bias,
                a->key->weight,        a->key->bias,
                a->value->weight,      a->value->bias,
                a->dense->weight,      a->dense->bias,
                a->LayerNorm->weight,  a->LayerNorm->bias,
                m.ffn->weight,         m.ffn->bias,
                m.ffn_output->weight,  m.ffn_output->bias,
                m.full_layer_layer_norm->weight, m.full_layer_layer_norm->bias};
    }
};

}  // namespace

EncoderClassifier makeAlbert(const ModelConfig& c) {
    return std::make_shared<AlbertForSequenceClassificationImpl>(c);
}

}  // namespace attrscope
