#pragma once
// The attribution tree of Hao et al. (AAAI 2021), built exactly as the official
// examples/attribution_tree.py does, generalised from 12 to L layers (see
// shared/golden/tiny-uncased-3cls/README.md §4 and §9.9).

#include <vector>

#include "attrscope/float_array.h"
#include "attrscope/status.h"

namespace attrscope {

// One tree edge. It points from the query (receiver, parent) to the key (source, child), as in
// the official code.
struct TreeEdge {
    int parent = -1;      // query position i
    int child = -1;       // key position j
    int layer = -1;       // 0-based layer whose entry admitted the edge
    float weight = 0.0f;  // the normalised head-summed attribution P_layer[i][j]
};

struct AttributionTree {
    int root = -1;
    double threshold = 0.4;
    int numLayers = 0;
    int numTokens = 0;
    std::vector<TreeEdge> edges;     // in the official append order
    std::vector<double> heights;     // the official height_list (drawing hint only), one per token
    std::vector<int> nodeState;      // the official fixed_list: -1 absent, 0 leaf, 1 expanded
    std::vector<double> rootScores;  // row sums of the masked, normalised layer total T

    // True when no edge passed the threshold (the root alone is not a tree worth drawing).
    bool empty() const { return edges.empty(); }
    // Token positions in the tree (root included), ascending.
    std::vector<int> nodes() const;
};

// Builds the tree from a per-head attribution [L][H][n][n] (row = query, column = key).
//
// Official semantics, kept on purpose:
//  - S_l = sum over heads; P_l = S_l / |max(S_l[1:, :])| (the [CLS] row is left out of the max);
//  - the root maximises the row sum of T = sum_l S_l / |max|, with the diagonal, negative
//    entries and row 0 zeroed; ties go to the higher position; position 0 is never the root;
//  - root edges come from layer L-2, then layers L-3 .. 0 are scanned with in-place state updates;
//  - with threshold <= 0 the official comparisons (`> t` for root edges, `!(x < t)` for the
//    others, applied to the masked P) are reproduced as they are.
// Where the official code divides 0/0 (the last layer; any all-zero layer) that layer is treated
// as having no entries above the threshold, instead of producing NaN.
// Errors: rank != 4, L < 2, n < 2, non-square maps, non-finite threshold or input values.
Expected<AttributionTree> buildAttributionTree(const FloatArray& attribution,
                                               double threshold = 0.4);

// The per-layer normalised head sums P_l [L][n][n], unthresholded, for display. A layer whose
// normaliser is 0 (e.g. the last layer, which is non-zero only in row 0) comes back as zeros.
// An input that buildAttributionTree would reject gives an empty array.
FloatArray normalisedLayerSums(const FloatArray& attribution);

}  // namespace attrscope
