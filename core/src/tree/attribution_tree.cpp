#include "attrscope/tree/attribution_tree.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <string>

namespace attrscope {

namespace {

// Heads summed in float64 in head order, as numpy's `np.array(json).sum(1)` does; [L][n][n].
struct LayerSums {
    int layers = 0;
    int n = 0;
    std::vector<double> s;
    double at(int l, int i, int j) const { return s[(static_cast<size_t>(l) * n + i) * n + j]; }
};

Status validate(const FloatArray& a) {
    if (a.rank() != 4)
        return Status::error(
            "attribution tree: expected an attribution of shape [layers][heads]"
            "[tokens][tokens], got rank " +
            std::to_string(a.rank()));
    if (a.dim(0) < 2)
        return Status::error("attribution tree: needs at least 2 layers, got " +
                             std::to_string(a.dim(0)));
    if (a.dim(1) < 1)
        return Status::error("attribution tree: the attribution has no heads");
    if (a.dim(2) != a.dim(3))
        return Status::error("attribution tree: attribution maps are not square (" +
                             std::to_string(a.dim(2)) + "x" + std::to_string(a.dim(3)) + ")");
    if (a.dim(2) < 2)
        return Status::error("attribution tree: needs at least 2 tokens, got " +
                             std::to_string(a.dim(2)));
    if (a.data.size() != FloatArray::count(a.shape))
        return Status::error("attribution tree: the attribution's data does not match its shape");
    for (float v : a.data) {
        if (!std::isfinite(v))
            return Status::error("attribution tree: the attribution contains NaN or infinity");
    }
    return Status::success();
}

LayerSums sumHeads(const FloatArray& a) {
    LayerSums r;
    r.layers = static_cast<int>(a.dim(0));
    const int heads = static_cast<int>(a.dim(1));
    r.n = static_cast<int>(a.dim(2));
    const size_t nn = static_cast<size_t>(r.n) * r.n;
    r.s.assign(static_cast<size_t>(r.layers) * nn, 0.0);
    for (int l = 0; l < r.layers; ++l) {
        double* out = r.s.data() + l * nn;
        for (int h = 0; h < heads; ++h) {
            const float* in = a.block({l, h});
            for (size_t k = 0; k < nn; ++k)
                out[k] += static_cast<double>(in[k]);
        }
    }
    return r;
}

// |max over query rows 1..n-1| of one layer; 0 means the official code would divide 0/0.
double layerNormaliser(const LayerSums& s, int l) {
    double mx = s.at(l, 1, 0);
    for (int i = 1; i < s.n; ++i)
        for (int j = 0; j < s.n; ++j)
            mx = std::max(mx, s.at(l, i, j));
    return std::fabs(mx);
}

// numpy's pairwise summation (the float64 `ndarray.sum(-1)` of a contiguous row), so that the
// root scores match the official ones to the last bit.
double pairwiseSum(const double* a, size_t n) {
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; ++i)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (size_t k = 0; k < 8; ++k)
            r[k] = a[k];
        size_t i = 8;
        for (; i < n - (n % 8); i += 8)
            for (size_t k = 0; k < 8; ++k)
                r[k] += a[i + k];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, n2) + pairwiseSum(a + n2, n - n2);
}

// Official root scores: T = sum_l S_l / |max T|, diagonal, negatives and row 0 zeroed, row sums.
std::vector<double> rootScores(const LayerSums& s) {
    const int n = s.n;
    std::vector<double> t(static_cast<size_t>(n) * n, 0.0);
    for (int l = 0; l < s.layers; ++l)
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                t[static_cast<size_t>(i) * n + j] += s.at(l, i, j);
    const double mx = std::fabs(*std::max_element(t.begin(), t.end()));
    std::vector<double> scores(n, 0.0);
    if (mx == 0.0)
        return scores;  // official: 0/0 = NaN everywhere; we call every row 0
    std::vector<double> row(n);
    for (int i = 1; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            const double v = t[static_cast<size_t>(i) * n + j] / mx;
            row[j] = (i != j && v > 0.0) ? v : 0.0;
        }
        scores[i] = pairwiseSum(row.data(), row.size());
    }
    return scores;
}

// np.argsort(scores)[::-1], first entry that is not 0. Exact ties (practically only all-zero
// scores) go to the higher position, as numpy's stable small-array sort reversed does.
int selectRoot(const std::vector<double>& scores) {
    std::vector<int> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return scores[a] < scores[b]; });
    std::reverse(order.begin(), order.end());
    return order[0] != 0 ? order[0] : order[1];
}

}  // namespace

std::vector<int> AttributionTree::nodes() const {
    std::vector<int> out;
    for (size_t i = 0; i < nodeState.size(); ++i)
        if (nodeState[i] != -1 || static_cast<int>(i) == root)
            out.push_back(static_cast<int>(i));
    return out;
}

Expected<AttributionTree> buildAttributionTree(const FloatArray& attribution, double threshold) {
    if (!std::isfinite(threshold))
        return Status::error("attribution tree: the threshold must be a finite number");
    if (Status st = validate(attribution); !st.ok())
        return st;

    const LayerSums s = sumHeads(attribution);
    const int L = s.layers;
    const int n = s.n;
    const double tau = threshold;

    // Masked P_l: the value where P_l > tau, else 0 (the official `P *= (P > tau)`). A layer
    // with a zero normaliser is "dead": it contributes nothing instead of the official NaNs.
    std::vector<double> masked(s.s.size(), 0.0);
    std::vector<bool> dead(L, false);
    for (int l = 0; l < L; ++l) {
        const double norm = layerNormaliser(s, l);
        if (norm == 0.0) {
            dead[l] = true;
            continue;
        }
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                const double p = s.at(l, i, j) / norm;
                masked[(static_cast<size_t>(l) * n + i) * n + j] = p > tau ? p : 0.0;
            }
    }
    auto m = [&](int l, int i, int j) { return masked[(static_cast<size_t>(l) * n + i) * n + j]; };

    AttributionTree tree;
    tree.threshold = threshold;
    tree.numLayers = L;
    tree.numTokens = n;
    tree.heights.assign(n, 0.0);
    tree.nodeState.assign(n, -1);
    tree.rootScores = rootScores(s);

    const int top = selectRoot(tree.rootScores);
    const double dL = static_cast<double>(L);
    tree.root = top;
    tree.heights[top] = (dL - 1.0) / dL;
    tree.nodeState[top] = 0;

    auto& state = tree.nodeState;
    const int rootLayer = L - 2;
    if (!dead[rootLayer]) {
        for (int j = 0; j < n; ++j) {
            if (j != top && m(rootLayer, top, j) > tau) {
                state[j] = 0;
                state[top] = 1;
                tree.edges.push_back({top, j, rootLayer, static_cast<float>(m(rootLayer, top, j))});
            }
        }
    }

    for (int l = L - 3; l >= 0; --l) {
        if (dead[l])
            continue;
        for (int i = 1; i < n; ++i) {
            for (int j = 0; j < n; ++j) {
                const double v = m(l, i, j);
                // The official test order; `(i, j) in edges` is implied by state[j] != -1 here.
                if (v < tau || state[i] == -1)
                    continue;
                if (state[j] != -1)
                    continue;  // 1: fixed; 0: already placed (both skip cases)
                if (state[i] == 0) {
                    state[i] = 1;
                    state[j] = 0;
                    tree.heights[j] = (tree.heights[i] * dL - 1.0) / dL;
                } else {
                    state[j] = 0;
                    tree.heights[j] = *std::min_element(tree.heights.begin(), tree.heights.end());
                }
                tree.edges.push_back({i, j, l, static_cast<float>(v)});
            }
        }
    }
    return tree;
}

FloatArray normalisedLayerSums(const FloatArray& attribution) {
    if (!validate(attribution).ok())
        return FloatArray();
    const LayerSums s = sumHeads(attribution);
    const int n = s.n;
    FloatArray out({s.layers, n, n});
    for (int l = 0; l < s.layers; ++l) {
        const double norm = layerNormaliser(s, l);
        if (norm == 0.0)
            continue;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                out.at({l, i, j}) = static_cast<float>(s.at(l, i, j) / norm);
    }
    return out;
}

}  // namespace attrscope
