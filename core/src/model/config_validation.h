#pragma once
// Load-time checks of a model folder, before any tensor is allocated: the whole config.json
// (ranges, divisibility, ids within the vocabulary, size caps) and the weight file's tensor
// shapes against it. Forward-time torch errors (stack traces, allocator failures) never happen
// for a folder that passes.

#include <string>

#include "attrscope/model/model_config.h"
#include "attrscope/status.h"

namespace attrscope {

Status validateModelConfig(const ModelConfig& config, const std::string& source);

// Reads only the safetensors header (a pytorch_model.bin is read through its pickle) and compares
// the shapes that config.json determines; also refuses a checkpoint with more layers than
// num_hidden_layers.
Status checkCheckpointShapes(const ModelConfig& config, const std::string& weightsPath);

}  // namespace attrscope
