#pragma once
// Attention rollout (Abnar & Zuidema, ACL 2020): each layer's attention is averaged over heads,
// mixed with the identity for the residual connection, rows renormalised, and the layers are
// multiplied bottom-up. A pure function of the attention arrays; see docs/methods.md.

#include "attrscope/float_array.h"
#include "attrscope/status.h"

namespace attrscope {

struct RolloutOptions {
    // Â = w·I + (1 − w)·mean_h A, then rows renormalised; 0.5 as in the paper's code.
    double residualWeight = 0.5;
};

// [L][H][n][n] post-softmax attention → [L][n][n] residual-mixed, head-mean matrices Â_l.
Expected<FloatArray> mixedAttention(const FloatArray& attention, const RolloutOptions& options = {});

// [L][H][n][n] → [L][n][n] cumulative rollout R_l = Â_l · Â_{l−1} ⋯ Â_0: row i of R_l is how
// much of token i's representation after layer l comes from each input token. R_{L−1} is the
// rollout to the input; R_{L−1}[0] the usual [CLS] explanation.
Expected<FloatArray> attentionRollout(const FloatArray& attention,
                                      const RolloutOptions& options = {});

// Rollout mass of [CLS] at the top that passes through each attention entry:
// score[l][i][j] = (Â_{L−1} ⋯ Â_{l+1})[0][i] · (1 − w)·mean_h A_l[i][j]. Ranks the
// token-to-token interactions of every layer for the deletion test.
Expected<FloatArray> rolloutEdgeScores(const FloatArray& attention,
                                       const RolloutOptions& options = {});

}  // namespace attrscope
