// attrscope._core: the engine's Python binding. The pure-Python package `attrscope` re-exports
// it and adds notebook rendering (attrscope/_html.py).

#include "py_common.h"

namespace attrscope::py {
void bindModel(pybind11::module_& m);
void bindResults(pybind11::module_& m);
void bindAnalysis(pybind11::module_& m);
}  // namespace attrscope::py

PYBIND11_MODULE(_core, m) {
    m.doc() = "AttrScope engine: self-attention attribution (Hao et al., AAAI 2021) for BERT "
              "classifiers. Import the 'attrscope' package rather than this module.";
    attrscope::py::registerErrorType(m);
    attrscope::py::bindResults(m);
    attrscope::py::bindAnalysis(m);
    attrscope::py::bindModel(m);
}
