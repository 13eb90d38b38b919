#include "figure/color_scale.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace attrscope::ui {

std::string scaleKindName(ScaleKind kind) {
    switch (kind) {
        case ScaleKind::Linear:
            return "linear";
        case ScaleKind::Gamma:
            return "gamma";
        case ScaleKind::SymLog:
            return "symlog";
        case ScaleKind::Percentile:
            return "percentile";
    }
    return "linear";
}

std::optional<ScaleSpec> parseScaleSpec(const std::string& text) {
    std::string name = text, arg;
    const size_t colon = text.find(':');
    if (colon != std::string::npos) {
        name = text.substr(0, colon);
        arg = text.substr(colon + 1);
    }
    // "p99", "clip99": percentile with the number glued on.
    for (const char* prefix : {"clip", "p"}) {
        const std::string p(prefix);
        if (arg.empty() && name.size() > p.size() && name.compare(0, p.size(), p) == 0 &&
            std::isdigit(static_cast<unsigned char>(name[p.size()]))) {
            arg = name.substr(p.size());
            name = "percentile";
        }
    }
    double value = 0.0;
    if (!arg.empty()) {
        char* end = nullptr;
        value = std::strtod(arg.c_str(), &end);
        if (end == arg.c_str() || *end != '\0' || !std::isfinite(value))
            return std::nullopt;
    }
    ScaleSpec s;
    if (name == "linear") {
        s.kind = ScaleKind::Linear;
        if (!arg.empty())
            return std::nullopt;
    } else if (name == "gamma") {
        s.kind = ScaleKind::Gamma;
        if (!arg.empty()) {
            if (value <= 0.0 || value > 10.0)
                return std::nullopt;
            s.gamma = value;
        }
    } else if (name == "symlog") {
        s.kind = ScaleKind::SymLog;
        if (!arg.empty()) {
            if (value <= 0.0 || value >= 1.0)
                return std::nullopt;
            s.linearWidth = value;
        }
    } else if (name == "percentile" || name == "clip") {
        s.kind = ScaleKind::Percentile;
        if (!arg.empty()) {
            if (value <= 0.0 || value > 100.0)
                return std::nullopt;
            s.percentile = value;
        }
    } else {
        return std::nullopt;
    }
    return s;
}

double percentileOf(std::vector<double> values, double p) {
    if (values.empty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * double(values.size() - 1);
    const size_t lo = size_t(std::floor(rank));
    const size_t hi = std::min(lo + 1, values.size() - 1);
    const double f = rank - double(lo);
    return values[lo] + (values[hi] - values[lo]) * f;
}

std::vector<double> niceTicks(double limit, int count) {
    std::vector<double> out;
    if (!(limit > 0.0) || !std::isfinite(limit) || count < 1)
        return out;
    const double raw = limit / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw)
            break;
    }
    for (int k = 1; k * step <= limit * (1.0 + 1e-9); ++k)
        out.push_back(k * step);
    return out;
}

std::string formatTick(double value) {
    if (std::abs(value) < 1e-300)
        return "0";
    std::ostringstream s;
    s.precision(3);
    s << value;
    return s.str();
}

ColorScale::ColorScale(ScaleSpec spec, bool diverging, double limit)
    : m_spec(spec),
      m_diverging(diverging),
      m_limit(std::isfinite(limit) && limit > 0 ? limit : 0) {}

ColorScale ColorScale::withLimit(const ScaleSpec& spec, bool diverging, double limit,
                                 const std::vector<float>* values) {
    ColorScale scale(spec, diverging, limit);
    if (values && spec.kind == ScaleKind::Percentile && scale.m_limit > 0.0)
        for (float v : *values) {
            const double m = diverging ? std::abs(double(v)) : std::max(0.0, double(v));
            if (std::isfinite(v) && m > scale.m_limit * (1.0 + 1e-9)) {
                scale.m_clipped = true;
                break;
            }
        }
    return scale;
}

ColorScale ColorScale::fit(const ScaleSpec& spec, bool diverging,
                           const std::vector<float>& values) {
    std::vector<double> magnitudes;
    magnitudes.reserve(values.size());
    double top = 0.0;
    for (float v : values) {
        if (!std::isfinite(v))
            continue;
        const double m = diverging ? std::abs(double(v)) : std::max(0.0, double(v));
        magnitudes.push_back(m);
        top = std::max(top, m);
    }
    double limit = top;
    if (spec.kind == ScaleKind::Percentile && !magnitudes.empty()) {
        const double p = percentileOf(magnitudes, spec.percentile);
        if (p > 0.0)
            limit = p;
    }
    ColorScale scale(spec, diverging, limit);
    scale.m_clipped = spec.kind == ScaleKind::Percentile && top > limit * (1.0 + 1e-9);
    return scale;
}

double ColorScale::shape(double x) const {
    x = std::clamp(x, 0.0, 1.0);
    switch (m_spec.kind) {
        case ScaleKind::Gamma:
            return std::pow(x, m_spec.gamma);
        case ScaleKind::SymLog: {
            const double c = m_spec.linearWidth;  // in units of the limit
            return std::log1p(x / c) / std::log1p(1.0 / c);
        }
        case ScaleKind::Linear:
        case ScaleKind::Percentile:
            break;
    }
    return x;
}

double ColorScale::unshape(double y) const {
    y = std::clamp(y, 0.0, 1.0);
    switch (m_spec.kind) {
        case ScaleKind::Gamma:
            return std::pow(y, 1.0 / m_spec.gamma);
        case ScaleKind::SymLog: {
            const double c = m_spec.linearWidth;
            return c * std::expm1(y * std::log1p(1.0 / c));
        }
        case ScaleKind::Linear:
        case ScaleKind::Percentile:
            break;
    }
    return y;
}

double ColorScale::position(double value) const {
    if (!std::isfinite(value) || m_limit <= 0.0)
        return m_diverging ? 0.5 : 0.0;
    const double x = std::abs(value) / m_limit;
    if (!m_diverging)
        return value <= 0.0 ? 0.0 : shape(x);
    const double y = shape(x);
    return value < 0.0 ? 0.5 - 0.5 * y : 0.5 + 0.5 * y;
}

double ColorScale::valueAt(double t) const {
    t = std::clamp(t, 0.0, 1.0);
    if (!m_diverging)
        return unshape(t) * m_limit;
    const double y = std::abs(t - 0.5) * 2.0;
    return (t < 0.5 ? -1.0 : 1.0) * unshape(y) * m_limit;
}

std::vector<double> ColorScale::ticks() const {
    std::vector<double> positive;
    if (m_limit > 0.0) {
        if (m_spec.kind == ScaleKind::SymLog) {
            // Decades from the linear width up to the limit, at most four of them.
            const double c = m_spec.linearWidth * m_limit;
            const int first = int(std::ceil(std::log10(c) - 1e-9));
            const int last = int(std::floor(std::log10(m_limit) + 1e-9));
            const int stride = std::max(1, (last - first + 1 + 3) / 4);
            for (int e = last; e >= first; e -= stride)
                positive.insert(positive.begin(), std::pow(10.0, e));
            if (positive.empty() || position(positive.back()) < (m_diverging ? 0.9 : 0.8))
                positive.push_back(m_limit);
        } else {
            positive = niceTicks(m_limit, m_diverging ? 2 : 4);
        }
    }
    std::vector<double> out;
    if (m_diverging)
        for (auto it = positive.rbegin(); it != positive.rend(); ++it)
            out.push_back(-*it);
    out.push_back(0.0);
    out.insert(out.end(), positive.begin(), positive.end());
    return out;
}

std::string ColorScale::describe() const {
    std::ostringstream s;
    switch (m_spec.kind) {
        case ScaleKind::Linear:
            return "linear";
        case ScaleKind::Gamma:
            s << "gamma " << formatTick(m_spec.gamma);
            return s.str();
        case ScaleKind::SymLog:
            s << "symmetric log, linear within " << (m_diverging ? "\u00b1" : "")
              << formatTick(m_spec.linearWidth * m_limit);
            return s.str();
        case ScaleKind::Percentile: {
            const double p = m_spec.percentile;
            const long whole = std::lround(p);
            const bool integral = std::abs(p - double(whole)) < 1e-9;
            std::string suffix = "th";
            if (integral && whole % 100 / 10 != 1) {
                if (whole % 10 == 1)
                    suffix = "st";
                else if (whole % 10 == 2)
                    suffix = "nd";
                else if (whole % 10 == 3)
                    suffix = "rd";
            }
            s << "clipped at " << formatTick(p) << suffix << " pct";
            if (m_diverging)
                s << " of |value|";
            return s.str();
        }
    }
    return "linear";
}

}  // namespace attrscope::ui
