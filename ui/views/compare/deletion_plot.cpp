#include "views/compare/deletion_plot.h"

#include <QFontMetrics>
#include <algorithm>

#include "views/compare/compare_data.h"
#include "views/heatmap/fit_text.h"

namespace attrscope::ui {

namespace {
// Short legend names, so that the legend fits in two columns under the axes.
QString shortName(const QString& method) {
    if (method == QLatin1String("grad-attention"))
        return QStringLiteral("grad\u00b7attn \u0100");
    if (method == QLatin1String("random"))
        return QStringLiteral("random, band");
    if (method == QLatin1String("attattr"))
        return QStringLiteral("AttAttr");
    return method;
}
}  // namespace

DeletionPlot::DeletionPlot(QWidget* parent)
    : CurvePlot(tr("k interactions removed"), tr("p(target)"), parent) {
    m_plot->setMinimumSize(260, 220);
    // The legend in rows under the axes (not CurvePlot's side column): the plot keeps its width.
    if (auto* side = qobject_cast<QCPLayoutGrid*>(m_plot->plotLayout()->element(1, 1))) {
        side->take(m_plot->legend);
        m_plot->plotLayout()->remove(side);
        m_plot->plotLayout()->simplify();
    }
    m_plot->plotLayout()->addElement(2, 0, m_plot->legend);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(2);
    m_plot->plotLayout()->setRowStretchFactor(2, 0.001);
    clear(tr("No deletion curves yet"));
}

void DeletionPlot::clear(const QString& message) {
    showMessage(message);
    m_plot->xAxis->setRange(0, 1);
    m_plot->yAxis->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void DeletionPlot::setCurves(const attrscope::DeletionResult& r, const QString& targetLabel) {
    m_plot->clearGraphs();
    m_plot->legend->setVisible(true);
    m_fullTitle = tr("Deletion (knockout) of the top-k interactions");
    m_plot->yAxis->setLabel(tr("p(%1)").arg(targetLabel));
    m_plot->xAxis->setLabel(tr("k interactions removed (of %1)").arg(r.interactions));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTick(0, QStringLiteral("0"));
    QVector<double> x{0.0};
    for (size_t i = 0; i < r.ks.size(); ++i) {
        x << double(i + 1);
        // Every other label when there are many, so they never collide.
        ticker->addTick(double(i + 1),
                        r.ks.size() > 8 && i % 2 == 1 ? QString() : QString::number(r.ks[i]));
    }
    m_plot->xAxis->setTicker(ticker);
    double lo = r.fullProb, hi = r.fullProb;
    auto values = [&](const std::vector<double>& v) {
        QVector<double> out{r.fullProb};
        for (double p : v) {
            out << p;
            lo = std::min(lo, p);
            hi = std::max(hi, p);
        }
        return out;
    };
    for (const auto& c : r.curves) {
        const QString method = QString::fromStdString(c.method);
        const QColor colour = deletionColour(method);
        if (!c.low.empty()) {
            auto* lower = m_plot->addGraph();
            lower->setData(x, values(c.low), true);
            lower->setPen(Qt::NoPen);
            lower->setProperty("method", method + QStringLiteral("-min"));
            lower->removeFromLegend();
            auto* upper = m_plot->addGraph();
            upper->setData(x, values(c.high), true);
            upper->setPen(Qt::NoPen);
            upper->setBrush(QColor(colour.red(), colour.green(), colour.blue(), 60));
            upper->setChannelFillGraph(lower);
            upper->setProperty("method", method + QStringLiteral("-max"));
            upper->removeFromLegend();
        }
        auto* g = m_plot->addGraph();
        g->setData(x, values(c.probs), true);
        g->setPen(
            QPen(colour, 2, method == QLatin1String("random") ? Qt::DashLine : Qt::SolidLine));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, colour, 5));
        g->setProperty("method", method);
        g->setName(tr("%1 \u00b7 AUC %2").arg(shortName(method)).arg(c.auc, 0, 'f', 2));
    }
    m_plot->xAxis->setRange(-0.3, double(r.ks.size()) + 0.3);
    m_plot->yAxis->setRange(paddedRange(std::max(0.0, lo), std::min(1.0, hi)));
    fitTexts();
}

void DeletionPlot::resizeEvent(QResizeEvent* event) {
    CurvePlot::resizeEvent(event);
    fitTexts();
}

// The legend in two columns where they fit the width, else in one, and a plot never narrower
// than one column: a name with its AUC is never cut. The title wraps rather than run off.
void DeletionPlot::fitTexts() {
    QCPLegend* legend = m_plot->legend;
    if (!m_fullTitle.isEmpty() && legend->visible())
        m_title->setText(wrapWords(m_fullTitle, QFontMetrics(m_title->font()), width() - 8));
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i)  // cells: a wrapped grid has empty ones
        if (QCPLayoutElement* item = legend->item(i))
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    const int margins = legend->margins().left() + legend->margins().right() + 8;
    const int columns = width() >= 2 * widest + legend->columnSpacing() + margins ? 2 : 1;
    if (legend->wrap() != columns) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLegend::foColumnsFirst, true);
    }
    m_plot->setMinimumWidth(std::max(260, widest + margins));
    // Room for the axes (about 150 px with title and labels) above the legend's rows.
    const int legendHeight =
        legend->visible() ? static_cast<QCPLayoutElement*>(legend)->minimumOuterSizeHint().height()
                          : 0;
    m_plot->setMinimumHeight(std::max(220, legendHeight + 150));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> DeletionPlot::curve(const QString& method) const {
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        const QCPGraph* g = m_plot->graph(i);
        if (g->property("method").toString() != method)
            continue;
        QVector<QPointF> out;
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            out << QPointF(it->key, it->value);
        return out;
    }
    return {};
}

QStringList DeletionPlot::methods() const {
    QStringList out;
    for (int i = 0; i < m_plot->graphCount(); ++i)
        out << m_plot->graph(i)->property("method").toString();
    return out;
}

}  // namespace attrscope::ui
