#pragma once
// Attention flow (Abnar & Zuidema, ACL 2020): the layered attention graph (one node per token
// and layer boundary, an edge from token i above layer l to token j below it with capacity
// Â_l[i][j], the residual-mixed head-mean attention of rollout.h), and the maximum flow from
// each token at a layer's output to each input token. Solved by Boost.Graph's push-relabel.

#include <vector>

#include "attrscope/attribution/attribution.h"
#include "attrscope/attribution/rollout.h"
#include "attrscope/float_array.h"
#include "attrscope/status.h"

namespace attrscope {

struct FlowOptions {
    RolloutOptions mixing;  // how the capacities are built (residual weight 0.5)
    // Output layers to solve; empty = all. Layer l costs n² max-flows on (l + 2)·n nodes.
    std::vector<int> layers;
    // Solve only query row 0 ([CLS]) of each layer: n max-flows instead of n².
    bool clsOnly = false;
};

// [L][H][n][n] → [L][n][n]: flow[l][i][j] = max-flow from token i after layer l to input token
// j. Rows or layers not solved are zero. Every value lies in [rollout, 1] (a feasible flow of
// value R_l[i][j] exists, and i's out-capacity is 1).
Expected<FloatArray> attentionFlow(const FloatArray& attention, const FlowOptions& options = {},
                                   const JobContext& job = {});

}  // namespace attrscope
