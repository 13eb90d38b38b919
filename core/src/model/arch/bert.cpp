#include "model/arch/bert.h"


namespace attrscope {

namespace nn = torch::nn;

namespace {
nn::LayerNorm makeNorm(const ModelConfig& c, int dim) {
    return nn::LayerNorm(nn::LayerNormOptions({dim}).eps(c.layerNormEps));
}
}  // namespace

BertSelfAttentionImpl::BertSelfAttentionImpl(const ModelConfig& c) {
    query = register_module("query", nn::Linear(c.hiddenSize, c.hiddenSize));
    key = register_module("key", nn::Linear(c.hiddenSize, c.hiddenSize));
    value = register_module("value", nn::Linear(c.hiddenSize, c.hiddenSize));
}

BertDenseNormImpl::BertDenseNormImpl(const ModelConfig& c, int in) {
    dense = register_module("dense", nn::Linear(in, c.hiddenSize));
    LayerNorm = register_module("LayerNorm", makeNorm(c, c.hiddenSize));
}

BertAttentionImpl::BertAttentionImpl(const ModelConfig& c) {
    self = register_module("self", BertSelfAttention(c));
    output = register_module("output", BertDenseNorm(c, c.hiddenSize));
}

BertIntermediateImpl::BertIntermediateImpl(const ModelConfig& c) {
    dense = register_module("dense", nn::Linear(c.hiddenSize, c.intermediateSize));
}

BertLayerImpl::BertLayerImpl(const ModelConfig& c) {
    attention = register_module("attention", BertAttention(c));
    intermediate = register_module("intermediate", BertIntermediate(c));
    output = register_module("output", BertDenseNorm(c, c.intermediateSize));
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const ModelConfig& c) {
    const int e = c.embeddingDim();  // ELECTRA factorises the embeddings
    word_embeddings = register_module("word_embeddings", nn::Embedding(c.vocabSize, e));
    position_embeddings =
        register_module("position_embeddings", nn::Embedding(c.maxPositionEmbeddings, e));
    token_type_embeddings =
        register_module("token_type_embeddings", nn::Embedding(c.typeVocabSize, e));
    LayerNorm = register_module("LayerNorm", makeNorm(c, e));
}

BertEncoderImpl::BertEncoderImpl(const ModelConfig& c) {
    layer = register_module("layer", nn::ModuleList());
    for (int i = 0; i < c.numLayers; ++i) layer->push_back(BertLayer(c));
}

BertPoolerImpl::BertPoolerImpl(const ModelConfig& c) {
    dense = register_module("dense", nn::Linear(c.hiddenSize, c.hiddenSize));
}

BertModelImpl::BertModelImpl(const ModelConfig& c, bool withPooler) {
    embeddings = register_module("embeddings", BertEmbeddings(c));
    encoder = register_module("encoder", BertEncoder(c));
    if (withPooler) pooler = register_module("pooler", BertPooler(c));
}

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const ModelConfig& c)
    : EncoderClassifierImpl(c) {
    bert = register_module("bert", BertModel(c));
    classifier = register_module("classifier", nn::Linear(c.hiddenSize, c.numLabels()));
}

BertLayer BertForSequenceClassificationImpl::layerModule(int l) const {
    return bert->encoder->layer->ptr<BertLayerImpl>(static_cast<size_t>(l));
}

LayerWeights bertLayerWeights(const BertLayerImpl& m) {
    const auto& a = m.attention->self;
    const auto& so = m.attention->output;
    return {a->query->weight,        a->query->bias,
            a->key->weight,          a->key->bias,
            a->value->weight,        a->value->bias,
            so->dense->weight,       so->dense->bias,
            so->LayerNorm->weight,   so->LayerNorm->bias,
            m.intermediate->dense->weight, m.intermediate->dense->bias,
            m.output->dense->weight, m.output->dense->bias,
            m.output->LayerNorm->weight, m.output->LayerNorm->bias};
}

LayerWeights BertForSequenceClassificationImpl::layerWeights(int l) const {
    return bertLayerWeights(*layerModule(l));
}

at::Tensor bertEmbeddings(const BertEmbeddingsImpl& e, const ModelConfig& c, const at::Tensor& ids,
                          const at::Tensor& positions, const at::Tensor& segments, bool train) {
    auto x = at::embedding(e.word_embeddings->weight, ids) +
             at::embedding(e.position_embeddings->weight, positions) +
             at::embedding(e.token_type_embeddings->weight, segments);
    x = at::layer_norm(x, {c.embeddingDim()}, e.LayerNorm->weight, e.LayerNorm->bias,
                       c.layerNormEps);
    return at::dropout(x, c.hiddenDropout, train);
}

at::Tensor BertForSequenceClassificationImpl::embed(const at::Tensor& ids,
                                                    const at::Tensor& segments, bool train) const {
    auto positions = at::arange(ids.size(1), ids.options()).unsqueeze(0);
    return bertEmbeddings(*bert->embeddings, config, ids, positions, segments, train);
}

at::Tensor BertForSequenceClassificationImpl::classify(const at::Tensor& cls, bool train) const {
    const auto& p = bert->pooler->dense;
    auto pooled = at::tanh(at::linear(cls, p->weight, p->bias));
    pooled = at::dropout(pooled, config.hiddenDropout, train);
    return at::linear(pooled, classifier->weight, classifier->bias);
}

EncoderClassifier makeBert(const ModelConfig& c) {
    return std::make_shared<BertForSequenceClassificationImpl>(c);
}

}  // namespace attrscope
