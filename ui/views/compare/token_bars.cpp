#include "views/compare/token_bars.h"

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot/palette.h"
#include "plot/plot_theme.h"
#include "plot/qcustomplot_wrapper.h"

namespace attrscope::ui {

TokenBars::TokenBars(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(200, 160);
    layout->addWidget(m_plot);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(m_plot->font().family(), 9, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_positive = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_negative = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    for (QCPBars* b : {m_positive, m_negative}) {
        b->setWidth(0.8);
        b->setPen(Qt::NoPen);
    }
    m_outline = new QCPItemRect(m_plot);
    m_outline->setPen(QPen(Qt::black, 1.5));
    m_outline->setVisible(false);
    m_plot->xAxis->setTickLabelRotation(60);
    m_plot->xAxis->grid()->setVisible(false);
    setPalette(Palette::diverging());
}

QWidget* TokenBars::plotWidget() const {
    return m_plot;
}

void TokenBars::setTitle(const QString& title) {
    m_title->setText(title);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TokenBars::setValueLabel(const QString& label) {
    m_plot->yAxis->setLabel(label);
}

void TokenBars::setPalette(const Palette& diverging) {
    m_palette = &diverging;
    m_positive->setBrush(diverging.colorAt(0.85));
    m_negative->setBrush(diverging.colorAt(0.15));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TokenBars::setDarkTheme(bool dark) {
    applyPlotTheme(m_plot, dark);
    m_outline->setPen(QPen(dark ? Qt::white : Qt::black, 1.5));
    m_title->setTextColor(dark ? Qt::white : Qt::black);
}

void TokenBars::setBars(const QStringList& labels, const std::vector<double>& values,
                        const QString& message) {
    m_labels = labels;
    m_values = values.size() == size_t(labels.size()) ? values : std::vector<double>();
    if (m_values.empty() && !message.isEmpty())
        m_title->setText(message);
    redraw();
}

void TokenBars::redraw() {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> x, pos, neg;
    double lo = 0.0, hi = 0.0;
    for (int k = 0; k < m_labels.size(); ++k) {
        ticker->addTick(k, m_labels[k]);
        if (m_values.empty())
            continue;
        const double v = m_values[size_t(k)];
        x << k;
        pos << std::max(0.0, v);
        neg << std::min(0.0, v);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    m_plot->xAxis->setTicker(ticker);
    m_positive->setData(x, pos, true);
    m_negative->setData(x, neg, true);
    m_plot->xAxis->setRange(-0.6, std::max<int>(1, int(m_labels.size())) - 0.4);
    // No values: an empty frame, not ticks of a meaningless range.
    m_plot->yAxis->setTickLabels(!m_values.empty());
    const double pad = 0.08 * std::max(hi - lo, 1e-6);
    m_plot->yAxis->setRange(m_values.empty() ? QCPRange(0, 1) : QCPRange(lo - pad, hi + pad));
    setHoverIndex(m_hover);
}

void TokenBars::setHoverIndex(int index) {
    const bool show = index >= 0 && index < int(m_values.size());
    m_hover = show ? index : -1;
    m_outline->setVisible(show);
    if (show) {
        const QCPRange y = m_plot->yAxis->range();
        m_outline->topLeft->setCoords(index - 0.45, y.upper);
        m_outline->bottomRight->setCoords(index + 0.45, y.lower);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace attrscope::ui
