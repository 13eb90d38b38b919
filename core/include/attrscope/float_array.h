#pragma once
// A dense row-major float array with a shape: how the engine hands tensors to views, files and tests
// without exposing torch types.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace attrscope {

struct FloatArray {
    std::vector<int64_t> shape;
    std::vector<float> data;

    FloatArray() = default;
    explicit FloatArray(std::vector<int64_t> s) : shape(std::move(s)), data(count(shape), 0.0f) {}

    static size_t count(const std::vector<int64_t>& s) {
        size_t n = 1;
        for (int64_t d : s) n *= static_cast<size_t>(d);
        return s.empty() ? 0 : n;
    }
    bool empty() const { return data.empty(); }
    int64_t dim(size_t i) const { return shape.at(i); }
    size_t rank() const { return shape.size(); }

    size_t offset(std::initializer_list<int64_t> index) const {
        const size_t rank = shape.size();
        size_t off = 0;
        size_t axis = 0;
        for (int64_t i : index) {
            if (axis == rank) break;  // more indices than axes: ignore the extras
            off = off * static_cast<size_t>(shape[axis++]) + static_cast<size_t>(i);
        }
        for (; axis < rank; ++axis) off *= static_cast<size_t>(shape[axis]);
        return off;
    }
    float at(std::initializer_list<int64_t> index) const { return data[offset(index)]; }
    float& at(std::initializer_list<int64_t> index) { return data[offset(index)]; }
    // Pointer to the contiguous block starting at a leading index, e.g. one head's n×n map.
    const float* block(std::initializer_list<int64_t> index) const { return data.data() + offset(index); }
    float* block(std::initializer_list<int64_t> index) { return data.data() + offset(index); }
};

}  // namespace attrscope
