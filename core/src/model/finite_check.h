#pragma once
// Non-finite numbers (NaN, infinity) are errors, never results: weights near the float32 limit
// overflow inside a layer, and the message names where the first non-finite value appears.

#include <string>
#include <vector>

#include "attrscope/float_array.h"
#include "model_impl.h"

namespace attrscope {

// Success when every logit is finite. Otherwise names the first non-finite stage of the forward
// pass: `hidden` holds each layer's input (as recorded by forward(..., recordHidden=true)); when
// it is empty the pass is rerun on (ids, segments, keyMask) to find it. `what` names the input.
Status checkFiniteLogits(const Model::Impl& impl, const at::Tensor& logits,
                         std::vector<at::Tensor> hidden, const at::Tensor& ids,
                         const at::Tensor& segments, const at::Tensor& keyMask,
                         const std::string& what);

// Success when every value of `values` is finite; `what` names the tensor ("attribution of layer 3").
Status checkFiniteArray(const FloatArray& values, const std::string& what);

// A torch exception as one line: c10::Error's message without its C++ backtrace.
std::string torchErrorText(const std::exception& e);

}  // namespace attrscope
