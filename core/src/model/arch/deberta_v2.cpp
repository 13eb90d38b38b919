// DebertaV2ForSequenceClassification (DeBERTa-v2 and -v3): word embeddings (plus absolute
// positions when position_biased_input, token types when type_vocab_size > 0, embed_proj when
// embedding_size ≠ hidden_size), BERT-like post-LN layers whose attention adds the disentangled
// relative-position terms, and a pooler.dense → pooler_hidden_act → classifier head on [CLS].
// The attention probabilities attributed are the softmax over all three score terms.

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "model/arch/encoder.h"

namespace attrscope {

namespace nn = torch::nn;

namespace {

nn::LayerNorm debertaNorm(const ModelConfig& c) {
    return nn::LayerNorm(nn::LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps));
}

struct DebertaEmbeddingsImpl : nn::Module {
    explicit DebertaEmbeddingsImpl(const ModelConfig& c) {
        const int e = c.embeddingDim();
        word_embeddings = register_module("word_embeddings", nn::Embedding(c.vocabSize, e));
        if (c.positionBiasedInput)
            position_embeddings = register_module("position_embeddings",
                                                  nn::Embedding(c.maxPositionEmbeddings, e));
        if (c.typeVocabSize > 0)
            token_type_embeddings =
                register_module("token_type_embeddings", nn::Embedding(c.typeVocabSize, e));
        if (e != c.hiddenSize)
            embed_proj = register_module(
                "embed_proj", nn::Linear(nn::LinearOptions(e, c.hiddenSize).bias(false)));
        LayerNorm = register_module("LayerNorm", debertaNorm(c));
    }
    nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr},
        token_type_embeddings{nullptr};
    nn::Linear embed_proj{nullptr};
    nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(DebertaEmbeddings);

struct DebertaSelfAttentionImpl : nn::Module {
    explicit DebertaSelfAttentionImpl(const ModelConfig& c) {
        const int d = c.hiddenSize;
        query_proj = register_module("query_proj", nn::Linear(d, d));
        key_proj = register_module("key_proj", nn::Linear(d, d));
        value_proj = register_module("value_proj", nn::Linear(d, d));
    }
    nn::Linear query_proj{nullptr}, key_proj{nullptr}, value_proj{nullptr};
};
TORCH_MODULE(DebertaSelfAttention);

struct DebertaDenseNormImpl : nn::Module {  // SelfOutput and Output
    DebertaDenseNormImpl(const ModelConfig& c, int in) {
        dense = register_module("dense", nn::Linear(in, c.hiddenSize));
        LayerNorm = register_module("LayerNorm", debertaNorm(c));
    }
    nn::Linear dense{nullptr};
    nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(DebertaDenseNorm);

struct DebertaAttentionImpl : nn::Module {
    explicit DebertaAttentionImpl(const ModelConfig& c) {
        self = register_module("self", DebertaSelfAttention(c));
        output = register_module("output", DebertaDenseNorm(c, c.hiddenSize));
    }
    DebertaSelfAttention self{nullptr};
    DebertaDenseNorm output{nullptr};
};
TORCH_MODULE(DebertaAttention);

struct DebertaIntermediateImpl : nn::Module {
    explicit DebertaIntermediateImpl(const ModelConfig& c) {
        dense = register_module("dense", nn::Linear(c.hiddenSize, c.intermediateSize));
    }
    nn::Linear dense{nullptr};
};
TORCH_MODULE(DebertaIntermediate);

struct DebertaLayerImpl : nn::Module {
    explicit DebertaLayerImpl(const ModelConfig& c) {
        attention = register_module("attention", DebertaAttention(c));
        intermediate = register_module("intermediate", DebertaIntermediate(c));
        output = register_module("output", DebertaDenseNorm(c, c.intermediateSize));
    }
    DebertaAttention attention{nullptr};
    DebertaIntermediate intermediate{nullptr};
    DebertaDenseNorm output{nullptr};
};
TORCH_MODULE(DebertaLayer);

// The span of relative positions: 2·span rows of rel_embeddings are used.
int attentionSpan(const ModelConfig& c) {
    return c.positionBuckets > 0 ? c.positionBuckets : c.maxRelativePositions;
}

struct DebertaEncoderImpl : nn::Module {
    explicit DebertaEncoderImpl(const ModelConfig& c) {
        layer = register_module("layer", nn::ModuleList());
        for (int i = 0; i < c.numLayers; ++i) layer->push_back(DebertaLayer(c));
        if (c.relativeAttention) {
            rel_embeddings = register_module(
                "rel_embeddings", nn::Embedding(2 * attentionSpan(c), c.hiddenSize));
            if (c.normRelEmbedding) LayerNorm = register_module("LayerNorm", debertaNorm(c));
        }
    }
    nn::ModuleList layer{nullptr};
    nn::Embedding rel_embeddings{nullptr};
    nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(DebertaEncoder);

struct DebertaModelImpl : nn::Module {
    explicit DebertaModelImpl(const ModelConfig& c) {
        embeddings = register_module("embeddings", DebertaEmbeddings(c));
        encoder = register_module("encoder", DebertaEncoder(c));
    }
    DebertaEmbeddings embeddings{nullptr};
    DebertaEncoder encoder{nullptr};
};
TORCH_MODULE(DebertaModel);

struct DebertaPoolerImpl : nn::Module {  // HF's ContextPooler
    explicit DebertaPoolerImpl(const ModelConfig& c) {
        dense = register_module("dense", nn::Linear(c.hiddenSize, c.hiddenSize));
    }
    nn::Linear dense{nullptr};
};
TORCH_MODULE(DebertaPooler);

struct DebertaV2ForSequenceClassificationImpl : EncoderClassifierImpl {
    explicit DebertaV2ForSequenceClassificationImpl(const ModelConfig& c)
        : EncoderClassifierImpl(c) {
        deberta = register_module("deberta", DebertaModel(c));
        pooler = register_module("pooler", DebertaPooler(c));
        classifier = register_module("classifier", nn::Linear(c.hiddenSize, c.numLabels()));
    }
    DebertaModel deberta{nullptr};
    DebertaPooler pooler{nullptr};
    nn::Linear classifier{nullptr};

    at::Tensor embed(const at::Tensor& ids, const at::Tensor& segments,
                     bool train) const override {
        const auto& e = deberta->embeddings;
        auto x = at::embedding(e->word_embeddings->weight, ids);
        if (e->position_embeddings)
            x = x + at::embedding(e->position_embeddings->weight,
                                  at::arange(ids.size(1), ids.options()).unsqueeze(0));
        if (e->token_type_embeddings) x = x + at::embedding(e->token_type_embeddings->weight, segments);
        if (e->embed_proj) x = at::linear(x, e->embed_proj->weight);
        x = at::layer_norm(x, {config.hiddenSize}, e->LayerNorm->weight, e->LayerNorm->bias,
                           config.layerNormEps);
        return at::dropout(x, config.hiddenDropout, train);
    }

    at::Tensor classify(const at::Tensor& cls, bool train) const override {
        auto x = at::dropout(cls, config.hiddenDropout, train);
        x = applyActivation(config.poolerHiddenAct,
                            at::linear(x, pooler->dense->weight, pooler->dense->bias));
        x = at::dropout(x, config.hiddenDropout, train);
        return at::linear(x, classifier->weight, classifier->bias);
    }

protected:
    LayerWeights layerWeights(int l) const override {
        const auto& m = *deberta->encoder->layer->ptr<DebertaLayerImpl>(size_t(l));
        const auto& a = m.attention->self;
        const auto& so = m.attention->output;
        return {a->query_proj->weight,      a->query_proj->bias,
                a->key_proj->weight,        a->key_proj->bias,
                a->value_proj->weight,      a->value_proj->bias,
                so->dense->weight,          so->dense->bias,
                so->LayerNorm->weight,      so->LayerNorm->bias,
                m.intermediate->dense->weight, m.intermediate->dense->bias,
                m.output->dense->weight,    m.output->dense->bias,
                m.output->LayerNorm->weight, m.output->LayerNorm->bias};
    }

    // bucket(i − j): exact up to half the buckets, logarithmic beyond (HF's
    // make_log_bucket_position; a float64 evaluation gives its float32 buckets).
    int64_t bucket(int64_t r) const {
        const int64_t S = config.positionBuckets;
        if (S <= 0) return r;
        const int64_t mid = S / 2, a = std::llabs(r);
        if (a <= mid) return r;
        const double P = double(config.maxRelativePositions);
        const auto logPos = static_cast<int64_t>(std::ceil(
            std::log(double(a) / double(mid)) / std::log((P - 1.0) / double(mid)) *
            double(mid - 1))) + mid;
        return r < 0 ? -logPos : logPos;
    }

    // δ(i, j) = clamp(bucket(i − j) + span, 0, 2·span − 1) for query rows 0..q−1, keys 0..n−1,
    // shifted to start at the smallest index used; `first` receives that index and `count` the
    // number of relative-embedding rows the input can reach.
    at::Tensor relativeIndex(int64_t q, int64_t n, const at::Device& device, int64_t& first,
                             int64_t& count) const {
        const int64_t span = attentionSpan(config);
        std::vector<int64_t> table(static_cast<size_t>(q + n - 1));  // indexed by r + n − 1
        for (int64_t r = -(n - 1); r < q; ++r)
            table[size_t(r + n - 1)] = std::clamp<int64_t>(bucket(r) + span, 0, 2 * span - 1);
        first = *std::min_element(table.begin(), table.end());
        count = *std::max_element(table.begin(), table.end()) - first + 1;
        for (auto& t : table) t -= first;
        auto t = at::tensor(table, at::kLong);
        auto i = at::arange(q, at::kLong).view({q, 1}), j = at::arange(n, at::kLong).view({1, n});
        return t.index_select(0, (i - j + (n - 1)).flatten()).view({q, n}).to(device);
    }

    // The relative embeddings projected by layer l's key and query projections (share_att_key),
    // [1, H, 2·span, dh] each. They depend on weights only, so inference caches them (rebuilt
    // when a source tensor's version moves); with gradients they are recomputed.
    struct PositionProjections {
        at::Tensor key, query;
        int64_t version = -1;
    };
    PositionProjections positionProjections(int l, const LayerWeights& w) const {
        const auto& enc = deberta->encoder;
        auto compute = [&]() {
            at::Tensor rel = enc->rel_embeddings->weight;
            if (enc->LayerNorm)
                rel = at::layer_norm(rel, {config.hiddenSize}, enc->LayerNorm->weight,
                                     enc->LayerNorm->bias, config.layerNormEps);
            rel = rel.unsqueeze(0);  // [1, 2·span, d]
            return PositionProjections{splitHeads(at::linear(rel, w.keyWeight, w.keyBias)),
                                       splitHeads(at::linear(rel, w.queryWeight, w.queryBias)),
                                       -1};
        };
        if (w.queryWeight.requires_grad() || enc->rel_embeddings->weight.requires_grad())
            return compute();
        int64_t version = enc->rel_embeddings->weight._version();
        for (const auto* t : {&w.keyWeight, &w.keyBias, &w.queryWeight, &w.queryBias})
            version += t->_version();
        if (enc->LayerNorm)
            version += enc->LayerNorm->weight._version() + enc->LayerNorm->bias._version();
        std::lock_guard<std::mutex> lock(positionMutex_);
        if (positions_.size() != size_t(config.numLayers)) positions_.resize(size_t(config.numLayers));
        auto& p = positions_[size_t(l)];
        if (p.version != version || !p.key.defined() || p.key.device() != w.keyWeight.device()) {
            at::NoGradGuard noGrad;
            p = compute();
            p.version = version;
        }
        return p;
    }
    mutable std::mutex positionMutex_;
    mutable std::vector<PositionProjections> positions_;

    at::Tensor scores(int l, const at::Tensor& q, const at::Tensor& k) const override {
        const int factor = 1 + (config.c2p ? 1 : 0) + (config.p2c ? 1 : 0);
        // HF computes the scale in float32: sqrt(float(dh) * factor).
        const double scale = double(std::sqrt(float(config.headDim()) * float(factor)));
        auto s = at::matmul(q, k.transpose(-1, -2)) / scale;
        if (!config.relativeAttention || !(config.c2p || config.p2c)) return s;
        const int64_t B = q.size(0), H = q.size(1), rows = q.size(2), n = k.size(2);
        int64_t first = 0, count = 0;
        auto index = relativeIndex(rows, n, q.device(), first, count)
                         .view({1, 1, rows, n})
                         .expand({B, H, rows, n});
        // Only the embedding rows this length can reach take part in the products.
        const auto pos = positionProjections(l, layerWeights(l));
        if (config.c2p) {
            auto posKey = pos.key.narrow(2, first, count);      // [1, H, r, dh]
            auto c2p = at::matmul(q, posKey.transpose(-1, -2));  // [B, H, q, r]: Q_i·Kr[δ]
            s = s + at::gather(c2p, -1, index) / scale;
        }
        if (config.p2c) {
            auto posQuery = pos.query.narrow(2, first, count);
            auto p2c = at::matmul(posQuery, k.transpose(-1, -2));  // [B, H, r, n]: K_j·Qr[δ]
            s = s + at::gather(p2c, -2, index) / scale;
        }
        return s;
    }
};

}  // namespace

EncoderClassifier makeDebertaV2(const ModelConfig& c) {
    return std::make_shared<DebertaV2ForSequenceClassificationImpl>(c);
}

}  // namespace attrscope
