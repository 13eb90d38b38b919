#pragma once
// The bf16 fast mode of the attribution path: the same suffix as suffixLogits (attention_path.h)
// with the dense projections (Q, K, V, output, FFN, pooler, classifier: ~99 % of the FLOPs) in
// bfloat16 (oneDNN on CPUs with AVX-512, tensor cores on CUDA) and the attention products,
// softmax, LayerNorm, GELU, biases, residuals and the integral's accumulation in float32.
// BERT-specific for now: it reads the weights of BertForSequenceClassificationImpl.

#include <vector>

#include "model/arch/bert.h"

namespace attrscope {

class Bf16Suffix {
public:
    // Copies the weights of layers first..L−1, the pooler and the classifier to bf16.
    Bf16Suffix(const BertForSequenceClassificationImpl& net, int first);
    // As suffixLogits(net, t, X, values, residual); X and residual float32, values float32.
    at::Tensor logits(int t, const at::Tensor& X, const at::Tensor& values,
                      const at::Tensor& residual) const;

private:
    struct Layer {
        at::Tensor q, k, v, o, i, out;  // bf16 weights [out, in]
    };
    at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) const;
    at::Tensor finish(int l, const at::Tensor& probs, const at::Tensor& v,
                      const at::Tensor& residual) const;
    at::Tensor layer(int l, const at::Tensor& h, bool clsOnly) const;

    const BertForSequenceClassificationImpl& net_;
    std::vector<Layer> layers_;
    at::Tensor pooler_, classifier_;
};

}  // namespace attrscope
