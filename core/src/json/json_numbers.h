#pragma once
// Integers from untrusted JSON (result, session and analysis files). nlohmann's get<int>()
// casts a floating-point value directly, which is undefined behaviour beyond the type's range
// (1e300, or a float-typed parser's inf; found by fuzz_result_json). These throw instead, and
// every reader already turns an exception into its one-line error.

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace attrscope::json_numbers {

template <class Json>
std::string shortDump(const Json& v) {
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

// v as a signed integer type; integral floats within range (e.g. 3.0) are accepted.
template <class Int, class Json>
Int toInt(const Json& v, const std::string& what) {
    static_assert(std::numeric_limits<Int>::is_signed, "signed integer types only");
    using L = std::numeric_limits<Int>;
    if (v.is_number_unsigned()) {
        const auto u = v.template get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(L::max()))
            return static_cast<Int>(u);
    } else if (v.is_number_integer()) {
        const auto i = v.template get<std::int64_t>();
        if (i >= static_cast<std::int64_t>(L::min()) && i <= static_cast<std::int64_t>(L::max()))
            return static_cast<Int>(i);
    } else if (v.is_number_float()) {
        const double d = static_cast<double>(v.template get<typename Json::number_float_t>());
        // -min is 2^(bits-1), exact in a double; max itself may round up to it.
        if (std::isfinite(d) && d == std::floor(d) && d >= static_cast<double>(L::min()) &&
            d < -static_cast<double>(L::min()))
            return static_cast<Int>(d);
    }
    throw std::runtime_error(what + " is " + shortDump(v) + ", not an integer in range");
}

// obj[key] as Int, or `fallback` when obj has no such key (or it is null).
template <class Int, class Json>
Int intOr(const Json& obj, const char* key, Int fallback) {
    if (!obj.is_object() || !obj.contains(key) || obj[key].is_null())
        return fallback;
    return toInt<Int>(obj[key], std::string("'") + key + "'");
}

template <class Int, class Json>
std::vector<Int> intVector(const Json& v, const std::string& what) {
    if (!v.is_array())
        throw std::runtime_error(what + " is not an array");
    std::vector<Int> out;
    out.reserve(v.size());
    for (const auto& x : v)
        out.push_back(toInt<Int>(x, what + " entry"));
    return out;
}

}  // namespace attrscope::json_numbers
