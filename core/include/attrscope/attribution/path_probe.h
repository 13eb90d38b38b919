#pragma once
// Probes of the straight attribution path α·A of one layer (α ∈ [0, 1]) for the teaching view:
// every class's probability along the path and the slope dF/dα whose weighted sum over the
// integration points is the layer's total attribution (Σ Attr = Σ_k w_k dF/dα(α_k)).

#include <vector>

#include "attrscope/text/encoding.h"
#include "attrscope/model/model.h"
#include "attrscope/status.h"

namespace attrscope {

// [alphas.size()][numLabels]: softmax of the logits with layer `layer`'s attention (all heads)
// scaled by each α. One batched no-grad pass.
Expected<std::vector<std::vector<double>>> classProbabilitiesAlongPath(
    Model& model, const Encoding& input, int layer, const std::vector<double>& alphas);

// dF/dα at each α, F = the target-class probability of α·A (one batched backward pass).
// Σ_ij A_ij ∂F/∂A_ij(α·A) = dF/dα, so Σ_k w_k slope(α_k) is exactly the layer's Σ Attr.
Expected<std::vector<double>> targetSlopeAlongPath(Model& model, const Encoding& input, int layer,
                                                   const std::vector<double>& alphas, int target);

}  // namespace attrscope
