#include "views/dataset/pruning_plot.h"

namespace attrscope::ui {

namespace {
QVector<QPointF> points(const QCPGraph* g) {
    QVector<QPointF> out;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        out << QPointF(it->key, it->value);
    return out;
}
}  // namespace

PruningPlot::PruningPlot(QWidget* parent)
    : CurvePlot(tr("fraction of heads pruned (least important first)"), tr("accuracy"), parent) {
    m_plot->setMinimumSize(300, 220);
    clear(tr("Run a pruning analysis to see the curves"));
}

void PruningPlot::clear(const QString& message) {
    showMessage(message);
    m_plot->xAxis->setRange(0, 1);
    m_plot->yAxis->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PruningPlot::setCurves(const std::vector<attrscope::PruneCurve>& curves,
                            const attrscope::RandomPruneCurves* random, int totalHeads,
                            double baseAccuracy, const QString& title) {
    m_plot->clearGraphs();
    m_plot->legend->setVisible(true);
    m_title->setText(title);
    const double total = std::max(totalHeads, 1);
    double lo = baseAccuracy, hi = baseAccuracy;
    auto note = [&](double v) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };

    if (random && !random->mean.empty()) {
        QVector<double> x, mean, mn, mx;
        for (size_t i = 0; i < random->mean.size() && i < random->numPruned.size(); ++i) {
            x << random->numPruned[i] / total;
            mean << random->mean[i];
            mn << random->min[i];
            mx << random->max[i];
            note(random->min[i]);
            note(random->max[i]);
        }
        const QColor c = rankingColor(QStringLiteral("random"));
        auto* lower = m_plot->addGraph();
        lower->setData(x, mn, true);
        lower->setPen(Qt::NoPen);
        lower->setProperty("ranking", QStringLiteral("random-min"));
        lower->removeFromLegend();
        auto* upper = m_plot->addGraph();
        upper->setData(x, mx, true);
        upper->setPen(Qt::NoPen);
        upper->setBrush(QColor(c.red(), c.green(), c.blue(), 60));
        upper->setChannelFillGraph(lower);
        upper->setProperty("ranking", QStringLiteral("random-max"));
        upper->setName(tr("random: min\u2013max of %1 seeds").arg(random->seeds.size()));
        auto* m = m_plot->addGraph();
        m->setData(x, mean, true);
        m->setPen(QPen(c, 2, Qt::DashLine));
        m->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, Qt::white, 5));
        m->setProperty("ranking", QStringLiteral("random"));
        m->setName(tr("random: mean of %1 seeds").arg(random->seeds.size()));
    }
    for (const auto& curve : curves) {
        const QString name = QString::fromStdString(curve.ranking);
        QVector<double> x, y;
        for (size_t i = 0; i < curve.accuracy.size() && i < curve.numPruned.size(); ++i) {
            x << curve.numPruned[i] / total;
            y << curve.accuracy[i];
            note(curve.accuracy[i]);
        }
        const QColor c = rankingColor(name);
        auto* g = m_plot->addGraph();
        g->setData(x, y, true);
        g->setPen(QPen(c, 2));
        g->setScatterStyle(QCPScatterStyle(rankingShape(name), c, c, 6));
        g->setProperty("ranking", name);
        g->setName(curve.complete ? name : tr("%1 (cancelled)").arg(name));
    }
    m_plot->xAxis->setRange(-0.02, 1.02);
    const double pad = std::max(0.02, 0.06 * (hi - lo));
    m_plot->yAxis->setRange(std::max(0.0, lo - pad), std::min(1.0, hi + pad));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> PruningPlot::curve(const QString& ranking) const {
    for (int i = 0; i < m_plot->graphCount(); ++i)
        if (m_plot->graph(i)->property("ranking").toString() == ranking)
            return points(m_plot->graph(i));
    return {};
}

QVector<QPointF> PruningPlot::bandLower() const {
    return curve(QStringLiteral("random-min"));
}

QVector<QPointF> PruningPlot::bandUpper() const {
    return curve(QStringLiteral("random-max"));
}

}  // namespace attrscope::ui
