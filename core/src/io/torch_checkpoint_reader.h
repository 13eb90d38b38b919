#pragma once
// Reads PyTorch state-dict checkpoints (pytorch_model.bin, torch.save zip format, torch >= 1.6)
// without torch: LibTorch 1.13's pickle_load cannot read them, and a general unpickler would run
// whatever the file names. This one knows only the few globals a state dict needs (OrderedDict,
// tensor rebuilding, storage types, dtypes) and refuses everything else by name.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "attrscope/status.h"

namespace attrscope {

struct RawTensor {
    std::string name;
    std::string dtype;           // "F32", "F16", "BF16", "F64", "I64", "I32", "I8", "U8" or "BOOL"
    std::vector<int64_t> shape;  // empty for a scalar
    std::vector<uint8_t> bytes;  // contiguous row-major little-endian, exactly numel * itemsize
};

struct TorchCheckpointOptions {
    // CRC-32 checks catch corrupt downloads; the fuzzer turns them off to reach the unpickler.
    bool verifyChecksums = true;
};

// Tensors in file order. A top-level dict of tensors is used as is; otherwise a dict holding one
// dict of tensors under "state_dict" or "model" (training checkpoints). Errors name the file.
Expected<std::vector<RawTensor>> readTorchCheckpoint(const std::string& path,
                                                     const TorchCheckpointOptions& options = {});
Expected<std::vector<RawTensor>> parseTorchCheckpoint(const uint8_t* data, size_t size,
                                                      const std::string& sourceName,
                                                      const TorchCheckpointOptions& options = {});

}  // namespace attrscope
