#pragma once
// Gradient-weighted attention relevance, the generic rule of Chefer, Gur & Wolf (ICCV 2021,
// "Generic Attention-model Explainability"): per layer Ā_l = E_h[(∇_{A_l} F ⊙ A_l)^+], and the
// relevance R = I, R ← R + Ā_l · R from the bottom layer up. See docs/methods.md.

#include <string>

#include "attrscope/float_array.h"
#include "attrscope/model/model.h"
#include "attrscope/status.h"
#include "attrscope/text/encoding.h"

namespace attrscope {

struct GradientAttentionOptions {
    std::string target = "predicted";  // as AttributionOptions::target
    // F = the target logit (Chefer et al.'s code) instead of its probability (this project's F).
    bool logit = false;
};

struct GradientAttentionResult {
    int target = -1;
    double f = 0.0;        // F at the clean input
    FloatArray gradients;  // [L][H][n][n] ∂F/∂A_l, all layers from one backward pass
    FloatArray perLayer;   // [L][n][n] Ā_l = mean_h (∇A ⊙ A)^+
    FloatArray relevance;  // [L][n][n] R after layer l; row 0 of the last is the [CLS] explanation
};

Expected<GradientAttentionResult> gradientWeightedAttention(
    Model& model, const Encoding& input, const GradientAttentionOptions& options = {});

}  // namespace attrscope
