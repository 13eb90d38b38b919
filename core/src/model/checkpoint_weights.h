#pragma once
// Reading a checkpoint's weights into a built network: both file formats reduced to records,
// Hugging Face keys mapped to the family's module names, shapes and the config checked before
// anything is copied.

#include <string>

#include "attrscope/status.h"
#include "model_impl.h"

namespace attrscope {

Status loadSafetensors(Model::Impl& impl, const std::string& path);
Status loadTorchBin(Model::Impl& impl, const std::string& path);

}  // namespace attrscope
