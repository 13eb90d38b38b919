#include <algorithm>
#include <cctype>
#include <cmath>

#include "attrscope/attribution/attribution.h"

namespace attrscope {

std::string ruleName(Rule rule) {
    switch (rule) {
        case Rule::Right: return "right";
        case Rule::Left: return "left";
        case Rule::Midpoint: return "midpoint";
        case Rule::GaussLegendre: return "gauss-legendre";
        case Rule::Adaptive: return "adaptive";
    }
    return "right";
}

std::optional<Rule> parseRule(const std::string& name) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "right") return Rule::Right;
    if (n == "left") return Rule::Left;
    if (n == "midpoint" || n == "mid") return Rule::Midpoint;
    if (n == "gauss-legendre" || n == "gausslegendre" || n == "gauss") return Rule::GaussLegendre;
    if (n == "adaptive") return Rule::Adaptive;
    return std::nullopt;
}

std::string precisionName(Precision precision) {
    return precision == Precision::Bf16 ? "bf16" : "fp32";
}

std::optional<Precision> parsePrecision(const std::string& name) {
    if (name == "fp32" || name == "float32") return Precision::Fp32;
    if (name == "bf16" || name == "bfloat16") return Precision::Bf16;
    return std::nullopt;
}

namespace {

// Nodes and weights of the m-point Gauss–Legendre rule on [−1, 1] by Newton's method on P_m.
void gaussLegendre(int m, std::vector<double>& x, std::vector<double>& w) {
    x.assign(static_cast<size_t>(m), 0.0);
    w.assign(static_cast<size_t>(m), 0.0);
    const double pi = std::acos(-1.0);
    for (int i = 0; i < (m + 1) / 2; ++i) {
        double z = std::cos(pi * (i + 0.75) / (m + 0.5));
        double dp = 0.0;
        for (int iter = 0; iter < 100; ++iter) {
            double p0 = 1.0, p1 = 0.0;
            for (int k = 1; k <= m; ++k) {  // three-term recurrence for P_k(z)
                const double p2 = p1;
                p1 = p0;
                p0 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p2) / k;
            }
            dp = m * (z * p0 - p1) / (z * z - 1.0);
            const double dz = p0 / dp;
            z -= dz;
            if (std::fabs(dz) < 1e-15) break;
        }
        x[static_cast<size_t>(i)] = -z;
        x[static_cast<size_t>(m - 1 - i)] = z;
        w[static_cast<size_t>(i)] = w[static_cast<size_t>(m - 1 - i)] =
            2.0 / ((1.0 - z * z) * dp * dp);
    }
}

}  // namespace

Quadrature Quadrature::make(Rule rule, int m) {
    Quadrature q;
    if (m < 1) return q;
    if (rule == Rule::GaussLegendre || rule == Rule::Adaptive) {
        std::vector<double> x, w;
        gaussLegendre(m, x, w);
        for (int k = 0; k < m; ++k) {
            q.alphas.push_back(0.5 * (x[static_cast<size_t>(k)] + 1.0));
            q.weights.push_back(0.5 * w[static_cast<size_t>(k)]);
        }
        return q;
    }
    const double offset = rule == Rule::Right ? 1.0 : rule == Rule::Left ? 0.0 : 0.5;
    for (int k = 0; k < m; ++k) {
        q.alphas.push_back((k + offset) / m);
        q.weights.push_back(1.0 / m);
    }
    return q;
}

}  // namespace attrscope
