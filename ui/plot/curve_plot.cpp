#include "plot/curve_plot.h"

namespace attrscope::ui {

QCPTextElement* setUpCurvePlot(QCustomPlot* plot, const QString& xLabel, const QString& yLabel) {
    const QString family = plot->font().family();
    plot->plotLayout()->insertRow(0);
    auto* title = new QCPTextElement(plot, QString(), QFont(family, 10, QFont::Bold));
    plot->plotLayout()->addElement(0, 0, title);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setFont(QFont(family, 8));
    plot->legend->setBrush(QColor(255, 255, 255, 220));
    plot->legend->setBorderPen(Qt::NoPen);
    plot->axisRect()->insetLayout()->take(plot->legend);
    auto* side = new QCPLayoutGrid;  // legend on top, an empty stretch below it
    plot->plotLayout()->addElement(1, 1, side);
    plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    side->addElement(0, 0, plot->legend);
    side->addElement(1, 0, new QCPLayoutElement(plot));
    side->setRowStretchFactor(0, 0.001);
    return title;
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
