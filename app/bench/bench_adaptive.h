#pragma once
// The adaptive integration rule against right m = 20 on a dataset (docs/benchmarks.md).

#include <string>

namespace attrscope::bench {

int adaptiveStudy(const std::string& modelDir, const std::string& data, const std::string& format,
                  const std::string& split, int n, double tol, int cap, int start);

}  // namespace attrscope::bench
