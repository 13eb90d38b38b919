#pragma once
// The head-importance quantities a dataset result holds (attribution sum and mean, attention
// max, Taylor variants, accuracy drop), each with its menu label and its meaning for captions.

#include <QString>
#include <vector>

#include "engine/dataset_analysis_job.h"

namespace attrscope::ui {

struct ImportanceQuantity {
    QString key;                 // stable id, e.g. "attribution-sum"
    QString label;               // menu text and heatmap title
    std::vector<double> values;  // layer-major L·H
    bool diverging = false;      // signed: diverging palette, symmetric limits
    QString meaning;             // caption line
};

// In menu order.
std::vector<ImportanceQuantity> importanceQuantities(const DatasetResult& r);

// The one with `key`; its key is empty when the result has none.
ImportanceQuantity findImportanceQuantity(const DatasetResult& r, const QString& key);

}  // namespace attrscope::ui
