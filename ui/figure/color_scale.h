#pragma once
// Colour scales for figures: the pure mapping from a value to a palette position t in [0, 1]
// (no Qt, unit-tested on its own). Sequential maps (attention) run from 0 at t = 0 to the limit
// at t = 1; diverging maps (signed attribution) put 0 at t = 0.5 and ±limit at the ends.
//   linear      t ∝ v / limit
//   gamma       t ∝ sign(v) · (|v| / limit)^γ   (γ < 1 lifts small values)
//   symlog      t ∝ sign(v) · log(1 + |v|/c) / log(1 + limit/c), c = linearWidth · limit
//   percentile  linear, with the limit at the p-th percentile of |v|; larger values saturate
// Values beyond the limit are clamped.

#include <optional>
#include <string>
#include <vector>

namespace attrscope::ui {

enum class ScaleKind { Linear, Gamma, SymLog, Percentile };

struct ScaleSpec {
    ScaleKind kind = ScaleKind::Linear;
    double gamma = 0.5;         // Gamma
    double linearWidth = 0.01;  // SymLog: c as a fraction of the limit
    double percentile = 99.0;   // Percentile, in (0, 100]
};

std::string scaleKindName(ScaleKind kind);  // "linear", "gamma", "symlog", "percentile"
// "linear", "gamma", "gamma:0.3", "symlog", "symlog:0.001", "percentile", "percentile:95",
// also "p99" / "clip99"; nullopt when not understood.
std::optional<ScaleSpec> parseScaleSpec(const std::string& text);

class ColorScale {
public:
    ColorScale() = default;
    ColorScale(ScaleSpec spec, bool diverging, double limit);
    // The limit from the values: max v (sequential), max |v| (diverging), or the spec's
    // percentile of them; non-finite values are ignored. 0 when there is nothing positive.
    static ColorScale fit(const ScaleSpec& spec, bool diverging, const std::vector<float>& values);
    // `limit` fixed by the caller (a colour limit shared by several maps): the percentile is not
    // applied again.
    // `values` (optional): this map's, so that a percentile-clip scale knows whether it clips.
    static ColorScale withLimit(const ScaleSpec& spec, bool diverging, double limit,
                                const std::vector<float>* values = nullptr);

    // Palette position of a value, in [0, 1]; 0 (sequential) or 0.5 (diverging) when limit is 0.
    double position(double value) const;
    // The value at a palette position (inverse of position() inside the limits).
    double valueAt(double t) const;
    // Tick values from the low end to the high end, inside [-limit or 0, limit].
    std::vector<double> ticks() const;
    // "linear", "gamma 0.5", "symmetric log, linear within ±0.002", "clipped at 99th pct".
    std::string describe() const;
    // True when values above the limit exist (percentile clipping), so the top tick is "≥".
    bool clipsTop() const { return m_clipped; }

    double limit() const { return m_limit; }
    bool diverging() const { return m_diverging; }
    const ScaleSpec& spec() const { return m_spec; }

private:
    double shape(double x) const;    // x = |v| / limit in [0, 1] → [0, 1]
    double unshape(double y) const;  // inverse of shape

    ScaleSpec m_spec;
    bool m_diverging = false;
    double m_limit = 0.0;
    bool m_clipped = false;
};

// The p-th percentile (0..100) of the values by linear interpolation between order statistics
// (numpy's default); NaN for an empty input.
double percentileOf(std::vector<double> values, double p);
// "Nice" round tick values 0 < … ≤ limit (about `count` of them, 1-2-5 steps).
std::vector<double> niceTicks(double limit, int count);
// Short number text: 3 significant digits, no trailing zeros ("0.25", "1e-05", "3.7").
std::string formatTick(double value);

}  // namespace attrscope::ui
