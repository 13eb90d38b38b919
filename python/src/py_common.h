#pragma once
// Helpers shared by the binding files: engine values to NumPy arrays (always copies, so a Python
// object never points into engine memory), Status to Python exceptions, and the progress sink
// that calls back into Python and turns Ctrl-C into a cancel.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/attribution/attribution.h"
#include "attrscope/float_array.h"
#include "attrscope/status.h"

namespace attrscope::py {

namespace pyb = pybind11;

// attrscope.Error, a RuntimeError subclass carrying the engine's one-line message.
pyb::object errorType();
void registerErrorType(pyb::module_& m);
[[noreturn]] void raise(const Status& status);
template <typename T>
T unwrap(Expected<T> value) {
    if (!value) raise(value.status());
    return std::move(value).value();
}
inline void check(const Status& s) {
    if (!s) raise(s);
}

pyb::array_t<float> toNumpy(const FloatArray& a);
template <typename T>
pyb::array_t<T> toNumpy(const std::vector<T>& v, std::vector<pyb::ssize_t> shape = {}) {
    if (shape.empty()) shape = {static_cast<pyb::ssize_t>(v.size())};
    pyb::array_t<T> out(shape);
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

// Runs an engine job without the GIL. Progress reaches the Python callback (with the GIL), and
// between updates a pending signal (Ctrl-C) or an exception from the callback cancels the job;
// rethrowPending() then raises it in place of the engine's "cancelled" status.
class PythonProgress : public ProgressSink {
public:
    explicit PythonProgress(pyb::object callback) : callback_(std::move(callback)) {}
    void onProgress(const JobProgress& p) override;
    // The engine's job context: this sink and its cancel token.
    JobContext job() { return {this, &cancel_}; }
    void rethrowPending();

private:
    void deliver(pyb::dict info);
    pyb::object callback_;
    CancelToken cancel_;
    std::optional<pyb::error_already_set> pending_;
};

}  // namespace attrscope::py
