#include "py_common.h"

#include <algorithm>

namespace attrscope::py {

namespace {
// A raw reference, kept for the life of the process: a static pyb::object would be released
// after the interpreter is gone.
PyObject* errorTypePtr = nullptr;
}  // namespace

pyb::object errorType() { return pyb::reinterpret_borrow<pyb::object>(errorTypePtr); }

void registerErrorType(pyb::module_& m) {
    PyObject* type = PyErr_NewExceptionWithDoc(
        "attrscope.Error",
        "A failure reported by the engine. str(e) is the same one-line message attrscope-cli "
        "prints after 'error: ' (it names the file and the problem).",
        PyExc_RuntimeError, nullptr);
    if (!type) throw pyb::error_already_set();
    errorTypePtr = type;  // owns the new reference
    m.attr("Error") = pyb::reinterpret_borrow<pyb::object>(type);
}

void raise(const Status& status) {
    PyErr_SetString(errorTypePtr, status.message().c_str());
    throw pyb::error_already_set();
}

pyb::array_t<float> toNumpy(const FloatArray& a) {
    std::vector<pyb::ssize_t> shape(a.shape.begin(), a.shape.end());
    if (shape.empty()) shape = {0};
    pyb::array_t<float> out(shape);
    std::copy(a.data.begin(), a.data.end(), out.mutable_data());
    return out;
}

void PythonProgress::deliver(pyb::dict info) {
    if (pending_) return;
    try {
        if (!callback_.is_none()) callback_(info);
        if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
    } catch (pyb::error_already_set& e) {
        pending_.emplace(std::move(e));
        cancel_.cancel();
    }
}

void PythonProgress::onProgress(const JobProgress& p) {
    pyb::gil_scoped_acquire gil;
    pyb::dict info;
    info["stage"] = p.stage;
    info["done"] = p.done;
    info["total"] = p.total;
    if (p.layer >= 0) {  // attribution: the layer and its steps
        info["layer"] = p.layer;
        info["layers_done"] = p.stageIndex;
        info["layers_total"] = p.stageCount;
        info["steps_done"] = p.done;
        info["steps_total"] = p.total;
    }
    info["fraction"] = p.fraction;
    info["elapsed_seconds"] = p.elapsedSeconds;
    info["eta_seconds"] = p.etaSeconds;
    deliver(std::move(info));
}

void PythonProgress::rethrowPending() {
    if (!pending_) {
        // A signal that arrived after the last progress update still interrupts.
        if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
        return;
    }
    pyb::error_already_set e = std::move(*pending_);
    pending_.reset();
    throw e;
}

}  // namespace attrscope::py
