#pragma once
// The straight path of one layer's attention, shared by the attribution engine and the teaching
// probes: a clean pass that keeps what layer t needs, and the network above t with a substituted
// attention tensor. Implemented in attribution.cpp.

#include "attrscope/float_array.h"
#include "attrscope/text/encoding.h"
#include "attrscope/status.h"
#include "model/model_impl.h"

namespace attrscope {

struct LayerContext {
    at::Tensor attention;  // [1, H, n, n]
    at::Tensor hidden;     // [1, n, d], the input of layer t
    at::Tensor values;     // [1, H, n, dh]
};

// One clean no-grad pass; fails on a model without classifier, a bad layer or a bad encoding.
Expected<LayerContext> layerContext(Model::Impl& impl, const Encoding& input, int layer);

// Logits [B, C] with X [B, H, q, n] as layer t's attention probabilities (q = n, or 1 for the
// [CLS] row of a last-layer target with residual = hidden[:, :1]). Layers above t recompute
// their attention; the last one runs for [CLS] only. Any family (encoder.h).
at::Tensor suffixLogits(const EncoderClassifierImpl& net, int t, const at::Tensor& X,
                        const at::Tensor& values, const at::Tensor& residual);

// A tensor as a float32 FloatArray on the CPU (a copy).
FloatArray toFloatArray(const at::Tensor& t);

}  // namespace attrscope
