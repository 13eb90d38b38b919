#include "views/dataset/per_layer_plot.h"

namespace attrscope::ui {

namespace {
QString key(const QString& ranking, attrscope::PerLayerMode mode) {
    return ranking + QLatin1Char('/') + QString::fromStdString(attrscope::perLayerModeName(mode));
}
}  // namespace

PerLayerPlot::PerLayerPlot(QWidget* parent)
    : CurvePlot(tr("k heads per layer"), tr("accuracy"), parent) {
    m_plot->setMinimumSize(300, 200);
    clear(tr("Per-layer top-k: run a pruning analysis with it switched on"));
}

void PerLayerPlot::clear(const QString& message) {
    showMessage(message);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PerLayerPlot::setCurves(const std::vector<attrscope::PerLayerCurve>& curves,
                             double baseAccuracy, const QString& title) {
    m_plot->clearGraphs();
    if (curves.empty())
        return clear(tr("Per-layer top-k was not run"));
    m_plot->legend->setVisible(true);
    m_title->setText(title);
    double lo = baseAccuracy, hi = baseAccuracy;
    int kMax = 1;
    for (const auto& c : curves) {
        QVector<double> x, y;
        for (size_t i = 0; i < c.k.size() && i < c.accuracy.size(); ++i) {
            x << c.k[i];
            y << c.accuracy[i];
            lo = std::min(lo, c.accuracy[i]);
            hi = std::max(hi, c.accuracy[i]);
            kMax = std::max(kMax, c.k[i]);
        }
        const QString ranking = QString::fromStdString(c.ranking);
        const bool keep = c.mode == attrscope::PerLayerMode::KeepTopK;
        const QColor color = rankingColor(ranking);
        auto* g = m_plot->addGraph();
        g->setData(x, y, true);
        g->setPen(QPen(color, 2, keep ? Qt::SolidLine : Qt::DashLine));
        g->setScatterStyle(
            QCPScatterStyle(keep ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssCircle, color,
                            keep ? color : QColor(Qt::white), 6));
        g->setProperty("key", key(ranking, c.mode));
        g->setName(keep ? tr("%1: keep only top-k").arg(ranking)
                        : tr("%1: prune top-k").arg(ranking));
    }
    auto* base = m_plot->addGraph();
    base->setData(QVector<double>{0.5, kMax + 0.5}, QVector<double>{baseAccuracy, baseAccuracy});
    base->setPen(QPen(QColor(120, 120, 120), 1, Qt::DotLine));
    base->setName(tr("no head pruned (%1)").arg(baseAccuracy, 0, 'f', 3));
    auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setRange(0.5, kMax + 0.5);
    const double pad = std::max(0.02, 0.06 * (hi - lo));
    m_plot->yAxis->setRange(std::max(0.0, lo - pad), std::min(1.0, hi + pad));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> PerLayerPlot::curve(const QString& ranking, attrscope::PerLayerMode mode) const {
    const QString k = key(ranking, mode);
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        const QCPGraph* g = m_plot->graph(i);
        if (g->property("key").toString() != k)
            continue;
        QVector<QPointF> out;
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            out << QPointF(it->key, it->value);
        return out;
    }
    return {};
}

}  // namespace attrscope::ui
