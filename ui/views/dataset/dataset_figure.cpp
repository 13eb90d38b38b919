#include "views/dataset/dataset_figure.h"

#include <QObject>
#include <algorithm>
#include <functional>
#include <memory>

#include "plot/figure_writer.h"
#include "plot/qcustomplot_wrapper.h"
#include "views/dataset/importance_heatmap.h"
#include "views/dataset/importance_quantity.h"
#include "views/dataset/per_layer_plot.h"
#include "views/dataset/pruning_plot.h"
#include "views/dataset/trigger_table.h"

namespace attrscope::ui {

QString accuracyPercent(double fraction) {
    return QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 0);
}

QString writeDatasetFigure(const DatasetResult& r, DatasetView view, const QString& path,
                           const DatasetFigureOptions& o) {
    const bool dark = o.conventions.theme == Theme::Dark;
    std::unique_ptr<QWidget> host;
    QSize size;
    std::function<void(QCPPainter*)> paint;
    if (view == DatasetView::Importance) {
        size = QSize(std::max(560, 200 + 64 * r.numHeads), std::max(380, 150 + 40 * r.numLayers));
        host = makeFigureHost(size);
        auto* map = new ImportanceHeatmap(host.get());
        showFigureHost(host.get(), map);
        map->setConventions(o.conventions);
        const ImportanceQuantity q = findImportanceQuantity(r, o.quantityKey);
        if (!q.key.isEmpty())
            map->setValues(
                q.values, r.numLayers, r.numHeads, o.importanceTitle,
                q.diverging ? QObject::tr("importance (signed)") : QObject::tr("importance"),
                q.diverging);
        paint = [map](QCPPainter* p) { map->paintTo(p); };
    } else if (view == DatasetView::Pruning) {
        const auto& p = r.prune;
        size = QSize(760, 480);
        host = makeFigureHost(size);
        auto* plot = new PruningPlot(host.get());
        showFigureHost(host.get(), plot);
        plot->setDarkTheme(dark);
        plot->setCurves(p.global, p.random ? &*p.random : nullptr, p.numLayers * p.numHeads,
                        p.baseAccuracy,
                        QObject::tr("Global head pruning (unpruned accuracy %1)")
                            .arg(accuracyPercent(p.baseAccuracy)));
        paint = [plot](QCPPainter* painter) { plot->paintTo(painter); };
    } else if (view == DatasetView::PerLayer) {
        size = QSize(680, 420);
        host = makeFigureHost(size);
        auto* plot = new PerLayerPlot(host.get());
        showFigureHost(host.get(), plot);
        plot->setDarkTheme(dark);
        plot->setCurves(r.prune.perLayer, r.prune.baseAccuracy,
                        QObject::tr("Per layer: keep only / prune only the top-k heads"));
        paint = [plot](QCPPainter* painter) { plot->paintTo(painter); };
    } else {
        if (!o.triggers)
            return QObject::tr("internal error: no trigger table to draw");
        size = o.triggers->figureSize();
        const TriggerTable* table = o.triggers;
        paint = [table](QCPPainter* p) { table->paintFigure(p); };
    }
    return writePaintedFigure(size, paint, o.caption, path, o.dpi,
                              QStringLiteral("AttrScope %1").arg(datasetViewName(view)), dark);
}

}  // namespace attrscope::ui
