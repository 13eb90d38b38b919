#pragma once
// Writing an HF checkpoint folder in a chosen weight precision (Model::save, saveModel and the
// pre-trainer's masked-LM folder).

#include <string>
#include <vector>

#include "attrscope/model/weight_dtype.h"
#include "model/model_impl.h"

namespace attrscope {

// writeCheckpoint (model_impl.h) with the F32 tensors stored as `dtype`; float16 refuses values
// beyond its range before the folder is created.
Status writeCheckpointAs(const Model::Impl& impl, const std::string& dir,
                         std::vector<SafetensorsTensor> tensors, const std::string& configJson,
                         WeightDtype dtype);

}  // namespace attrscope
