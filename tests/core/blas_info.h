#pragma once
// Which BLAS kernel this process runs: trained weights depend on it (OpenBLAS picks a kernel per
// CPU, or OPENBLAS_CORETYPE), so the planted tests log it. Looked up at run time because LibTorch
// may use OpenBLAS, another BLAS or none.

#include <dlfcn.h>

#include <cstdlib>
#include <string>

namespace blas {

inline std::string kernelName() {
    using NameFn = char* (*)();
    auto corename = reinterpret_cast<NameFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    auto config = reinterpret_cast<NameFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
    const char* env = std::getenv("OPENBLAS_CORETYPE");
    if (!corename) return "not OpenBLAS (openblas_get_corename not found)";
    std::string s = std::string("OpenBLAS core ") + corename();
    if (config) s += std::string(" (") + config() + ")";
    s += std::string(", OPENBLAS_CORETYPE=") + (env ? env : "unset");
    return s;
}

}  // namespace blas
