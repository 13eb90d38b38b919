#include "plot/curve_plot.h"

#include <QVBoxLayout>

#include "plot/plot_theme.h"

namespace attrscope::ui {

CurvePlot::CurvePlot(const QString& xLabel, const QString& yLabel, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    layout->addWidget(m_plot);
    const QString family = m_plot->font().family();
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(family, 10, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_plot->xAxis->setLabel(xLabel);
    m_plot->yAxis->setLabel(yLabel);
    m_plot->legend->setFont(QFont(family, 8));
    m_plot->legend->setBrush(QColor(255, 255, 255, 220));
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    auto* side = new QCPLayoutGrid;  // legend on top, an empty stretch below it
    m_plot->plotLayout()->addElement(1, 1, side);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    side->addElement(0, 0, m_plot->legend);
    side->addElement(1, 0, new QCPLayoutElement(m_plot));
    side->setRowStretchFactor(0, 0.001);
}

QStringList CurvePlot::legendNames() const {
    QStringList names;
    for (int i = 0; i < m_plot->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(m_plot->legend->item(i)))
            names << item->plottable()->name();
    return names;
}

void CurvePlot::setDarkTheme(bool dark) {
    m_dark = dark;
    applyPlotTheme(m_plot, dark);
}

void CurvePlot::paintTo(QCPPainter* painter) const {
    m_plot->toPainter(painter, m_plot->width(), m_plot->height());
}

void CurvePlot::showMessage(const QString& message) {
    m_plot->clearGraphs();
    m_plot->legend->setVisible(false);
    m_title->setText(message);
}

QCustomPlot* makeAlphaPlot(QWidget* parent, const QString& xLabel, const QString& yLabel) {
    auto* plot = new QCustomPlot(parent);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->xAxis->setRange(-0.02, 1.02);
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->axisRect()->insetLayout()->simplify();
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->setMinimumHeight(130);  // with the note under it on a short window
    // An explicit minimum: QCustomPlot's own hint is its layout's, i.e. the legend's one row.
    plot->setMinimumWidth(160);
    // Before each layout: one row when it fits the plot, else one entry per row.
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] {
        QCPLegend* legend = plot->legend;
        const int count = legend->elementCount();
        int row = legend->margins().left() + legend->margins().right();
        for (int i = 0; i < count; ++i)
            if (QCPLayoutElement* item = legend->elementAt(i))
                row += item->minimumOuterSizeHint().width() + (i > 0 ? legend->columnSpacing() : 0);
        const int wrap = row > plot->width() - 8 ? 1 : 0;
        if (legend->wrap() != wrap) {
            legend->setWrap(wrap);
            legend->setFillOrder(QCPLegend::foColumnsFirst, true);
        }
    });
    return plot;
}

QCPRange paddedRange(double lo, double hi) {
    if (!(hi > lo)) {
        lo -= 0.05;
        hi += 0.05;
    }
    const double pad = 0.08 * (hi - lo);
    return QCPRange(lo - pad, hi + pad);
}

QColor rankingColor(const QString& ranking) {
    if (ranking == QLatin1String("attribution"))
        return QColor(213, 94, 0);
    if (ranking == QLatin1String("attention"))
        return QColor(0, 114, 178);
    if (ranking == QLatin1String("taylor"))
        return QColor(0, 158, 115);
    if (ranking == QLatin1String("taylor-loss"))
        return QColor(204, 121, 167);
    if (ranking == QLatin1String("accuracy"))
        return QColor(230, 159, 0);
    return QColor(90, 90, 90);
}

QCPScatterStyle::ScatterShape rankingShape(const QString& ranking) {
    if (ranking == QLatin1String("attribution"))
        return QCPScatterStyle::ssDisc;
    if (ranking == QLatin1String("attention"))
        return QCPScatterStyle::ssSquare;
    if (ranking == QLatin1String("taylor"))
        return QCPScatterStyle::ssTriangle;
    return QCPScatterStyle::ssDiamond;
}

}  // namespace attrscope::ui
