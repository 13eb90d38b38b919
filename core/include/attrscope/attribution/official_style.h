#pragma once
// The official AttAttr code's way of computing the maps (spec §6.1), as a reference: input padded
// to `paddedLength` (128 in the official scripts), a fresh clean forward per target layer with the
// parameters requiring grad, every layer below the target recomputed for every chunk of steps,
// the left rule. The benchmark measures the engine against it; tests check that both agree.

#include "attrscope/attribution/attribution.h"

namespace attrscope {

Expected<AttributionResult> attributeOfficialStyle(Model& model, const Encoding& input, int steps,
                                                   int chunk, int paddedLength = 128);

}  // namespace attrscope
