// libFuzzer target for the torch.save checkpoint reader (zip container + restricted unpickler):
// arbitrary bytes as a whole pytorch_model.bin. Must never crash, leak or allocate without bound;
// a failure must name the file, and a success must satisfy the invariants below (a violation
// aborts, which libFuzzer records).
//
// Seeds: tests/fuzz/seeds/fuzz_torch_checkpoint (small hand-built checkpoints) and, for a longer
// run, tests/data/golden/tiny-uncased-3cls/model/pytorch_model.bin.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/torch_checkpoint_reader.h"

using namespace attrscope;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

#define CHECK(condition)      \
    do {                      \
        if (!(condition))     \
            fail(#condition); \
    } while (false)

uint64_t itemSize(const std::string& dtype) {
    if (dtype == "F64" || dtype == "I64")
        return 8;
    if (dtype == "F32" || dtype == "I32")
        return 4;
    if (dtype == "F16" || dtype == "BF16")
        return 2;
    if (dtype == "I8" || dtype == "U8" || dtype == "BOOL")
        return 1;
    fail("unknown dtype");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    TorchCheckpointOptions options;
    // A mutation almost never keeps a CRC-32 valid: check them on one input in eight only, so
    // that most inputs get past the zip layer into the unpickler.
    options.verifyChecksums = size % 8 == 0;
    auto result = parseTorchCheckpoint(data, size, "fuzz.bin", options);
    if (!result) {
        CHECK(result.error().rfind("fuzz.bin: ", 0) == 0);
        CHECK(result.error().size() < 4096);  // names from the file are shortened in messages
        return 0;
    }
    uint64_t total = 0;
    for (const RawTensor& t : *result) {
        uint64_t numel = 1;
        for (int64_t d : t.shape) {
            CHECK(d >= 0);
            numel *= static_cast<uint64_t>(d);
        }
        CHECK(t.bytes.size() == numel * itemSize(t.dtype));
        total += t.bytes.size();
    }
    CHECK(total <= 4 * uint64_t{size} + (1u << 20));  // the reader's expansion budget
    return 0;
}
