#pragma once
// What the Python result objects hold: the engine's values plus what their JSON needs (the
// model's config, as the CLI passes it to predictionToJson / resultToJson).

#include <memory>
#include <string>
#include <vector>

#include "attrscope/analysis/head_importance.h"
#include "attrscope/attribution/attribution.h"
#include "attrscope/data/dataset.h"
#include "attrscope/model/model.h"
#include "attrscope/tree/attribution_tree.h"

namespace attrscope::py {

struct PyPrediction {
    Encoding encoding;
    Prediction prediction;
    ModelConfig config;
};

struct PyAttribution {
    AttributionResult result;
    ModelConfig config;
};

struct PyTree {
    AttributionTree tree;
    std::vector<std::string> tokens;
    std::string title;
};

struct PyDataset {
    Dataset data;
};

struct PyHeadImportance {
    HeadImportance value;
    std::string modelPath, device;
    std::string dataPath, format, split;
    std::vector<std::string> exampleIds;
    std::vector<int> exampleLabels;
};

}  // namespace attrscope::py
