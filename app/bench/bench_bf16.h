#pragma once
// The bf16 fast mode against float32 on bert-base geometry (docs/benchmarks.md).

namespace attrscope::bench {

int bf16Study(int n, int threads, int steps);

}  // namespace attrscope::bench
