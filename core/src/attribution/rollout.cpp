#include "attrscope/attribution/rollout.h"

#include <string>

namespace attrscope {

namespace {

Status checkAttention(const FloatArray& a, double w) {
    if (a.rank() != 4 || a.dim(2) != a.dim(3) || a.dim(0) < 1 || a.dim(1) < 1 || a.dim(2) < 1)
        return Status::error("attention must be [layers][heads][n][n]");
    if (!(w >= 0.0 && w <= 1.0))
        return Status::error("residual weight must lie in [0, 1] (got " + std::to_string(w) + ")");
    return Status::success();
}

using Matrix = std::vector<double>;  // n×n row-major

// Row i of B·C.
Matrix multiply(const Matrix& b, const Matrix& c, int64_t n) {
    Matrix out(static_cast<size_t>(n * n), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t k = 0; k < n; ++k) {
            const double bik = b[static_cast<size_t>(i * n + k)];
            if (bik == 0.0) continue;
            for (int64_t j = 0; j < n; ++j)
                out[static_cast<size_t>(i * n + j)] += bik * c[static_cast<size_t>(k * n + j)];
        }
    return out;
}

// Â_l in double.
std::vector<Matrix> mixed(const FloatArray& a, double w) {
    const int64_t L = a.dim(0), H = a.dim(1), n = a.dim(2);
    std::vector<Matrix> out(static_cast<size_t>(L));
    for (int64_t l = 0; l < L; ++l) {
        Matrix m(static_cast<size_t>(n * n), 0.0);
        for (int64_t h = 0; h < H; ++h) {
            const float* p = a.block({l, h});
            for (int64_t k = 0; k < n * n; ++k) m[static_cast<size_t>(k)] += p[k] / double(H);
        }
        for (int64_t i = 0; i < n; ++i) {
            double row = 0.0;
            for (int64_t j = 0; j < n; ++j) {
                double& v = m[static_cast<size_t>(i * n + j)];
                v = (1.0 - w) * v + (i == j ? w : 0.0);
                row += v;
            }
            // Renormalised as in the paper's code; a row of zeros (w = 0, masked) stays zero.
            if (row > 0.0)
                for (int64_t j = 0; j < n; ++j) m[static_cast<size_t>(i * n + j)] /= row;
        }
        out[static_cast<size_t>(l)] = std::move(m);
    }
    return out;
}

FloatArray toArray(const std::vector<Matrix>& ms, int64_t n) {
    FloatArray out({static_cast<int64_t>(ms.size()), n, n});
    for (size_t l = 0; l < ms.size(); ++l)
        for (size_t k = 0; k < ms[l].size(); ++k)
            out.data[l * static_cast<size_t>(n * n) + k] = static_cast<float>(ms[l][k]);
    return out;
}

}  // namespace

Expected<FloatArray> mixedAttention(const FloatArray& attention, const RolloutOptions& options) {
    if (auto s = checkAttention(attention, options.residualWeight); !s) return s;
    return toArray(mixed(attention, options.residualWeight), attention.dim(2));
}

Expected<FloatArray> attentionRollout(const FloatArray& attention, const RolloutOptions& options) {
    if (auto s = checkAttention(attention, options.residualWeight); !s) return s;
    const int64_t n = attention.dim(2);
    auto layers = mixed(attention, options.residualWeight);
    for (size_t l = 1; l < layers.size(); ++l) layers[l] = multiply(layers[l], layers[l - 1], n);
    return toArray(layers, n);
}

Expected<FloatArray> rolloutEdgeScores(const FloatArray& attention, const RolloutOptions& options) {
    const double w = options.residualWeight;
    if (auto s = checkAttention(attention, w); !s) return s;
    const int64_t L = attention.dim(0), H = attention.dim(1), n = attention.dim(2);
    const auto layers = mixed(attention, w);
    FloatArray out({L, n, n});
    // above[i]: rollout weight of token i after layer l in [CLS] at the top (row 0 of
    // Â_{L−1}⋯Â_{l+1}); walked top-down.
    std::vector<double> above(static_cast<size_t>(n), 0.0);
    above[0] = 1.0;
    for (int64_t l = L - 1; l >= 0; --l) {
        for (int64_t i = 0; i < n; ++i) {
            if (above[static_cast<size_t>(i)] == 0.0) continue;
            for (int64_t h = 0; h < H; ++h) {
                const float* p = attention.block({l, h, i});
                for (int64_t j = 0; j < n; ++j)
                    out.at({l, i, j}) += static_cast<float>(above[static_cast<size_t>(i)] *
                                                            (1.0 - w) * p[j] / double(H));
            }
        }
        std::vector<double> next(static_cast<size_t>(n), 0.0);
        const Matrix& m = layers[static_cast<size_t>(l)];
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j)
                next[static_cast<size_t>(j)] +=
                    above[static_cast<size_t>(i)] * m[static_cast<size_t>(i * n + j)];
        above = std::move(next);
    }
    return out;
}

}  // namespace attrscope
