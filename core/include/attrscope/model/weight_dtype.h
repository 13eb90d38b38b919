#pragma once
// Saving a model's weights in a chosen precision. Float16 halves the file (a shipped demo model
// stays under 16 MB); loading upcasts to float32. Model::save writes float32.

#include <string>

#include "attrscope/status.h"

namespace attrscope {

class Model;

enum class WeightDtype { Float32, Float16 };

const char* weightDtypeName(WeightDtype dtype);  // "float32", "float16"

// Model::save in `dtype`: config.json, the tokenizer files and model.safetensors into dir. A
// weight beyond float16's range is refused before anything is written.
Status saveModel(const Model& model, const std::string& dir, WeightDtype dtype);

}  // namespace attrscope
