#pragma once
// The numbers behind the dataset tab's views: JSON exactly as attrscope-cli writes it (core's
// analysis_json), and CSV with the caption as '#' comment lines. Heads are 0-based in files.

#include <QString>
#include <QStringList>

#include "engine/dataset_analysis_job.h"

namespace attrscope::ui {

enum class DatasetView { Importance, Pruning, PerLayer, Triggers };
QString datasetViewName(DatasetView view);  // "importance", "pruning", "per-layer", "triggers"

// .json or .csv by suffix, through QSaveFile. Returns an error message, empty on success.
QString writeDatasetData(const DatasetResult& result, DatasetView view, const QString& path,
                         const QStringList& caption);
// The JSON text of a view (headImportanceToJson, pruneReportToJson, trigger JSON).
std::string datasetJson(const DatasetResult& result, DatasetView view);
QString datasetCsv(const DatasetResult& result, DatasetView view, const QStringList& caption);

}  // namespace attrscope::ui
