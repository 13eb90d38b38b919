#pragma once
// Figures of the dataset tab's result views, each drawn from a fresh off-screen copy of the view
// at a fixed size (so a figure does not depend on the window), through writePaintedFigure.

#include <QString>
#include <QStringList>

#include "engine/dataset_analysis_job.h"
#include "document/conventions.h"
#include "views/dataset/dataset_export.h"

namespace attrscope::ui {

class TriggerTable;

struct DatasetFigureOptions {
    QString quantityKey;      // importance: which quantity (importanceQuantities' key)
    QString importanceTitle;  // importance: the heatmap title as on screen
    const TriggerTable* triggers = nullptr;  // triggers: the on-screen table (sorted as shown)
    ViewConventions conventions;
    QStringList caption;
    int dpi = 200;
};

// .svg, .pdf or .png by suffix. Returns an error message, empty on success.
QString writeDatasetFigure(const DatasetResult& r, DatasetView view, const QString& path,
                           const DatasetFigureOptions& options);

QString accuracyPercent(double fraction);  // "81 %"

}  // namespace attrscope::ui
