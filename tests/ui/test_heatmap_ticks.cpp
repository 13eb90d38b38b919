// Issue 16: the on-screen colour bar's tick labels for small and odd ranges. Every label reads
// back as its tick's value (to well within a tick step), labels are distinct, and none is a
// negative zero ("-0", "-0.00"), beside the map and below it (a fixed precision of 2 read 1.25
// as "1.3"). The title is never clipped: it lies inside the plot whatever its length, the font
// scale and the colour bar's place.

#include <QRegularExpression>
#include <QtTest>
#include <cmath>

#include "plot/qcustomplot_wrapper.h"
#include "views/heatmap/colour_ticker.h"
#include "views/heatmap/heatmap_plot.h"

using namespace attrscope::ui;

namespace {
QCPColorScale* colourScale(HeatmapPlot& plot) {
    auto* custom = qobject_cast<QCustomPlot*>(plot.plotWidget());
    for (QCPLayoutElement* e : custom->plotLayout()->elements(true))
        if (auto* scale = qobject_cast<QCPColorScale*>(e))
            return scale;
    return nullptr;
}
}  // namespace

class TestHeatmapTicks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void labelsHaveTheStepsDigits() {
        const QLocale c = QLocale::c();
        QCOMPARE(ColourTicker::label(1.25, 0.25, c), QStringLiteral("1.25"));
        QCOMPARE(ColourTicker::label(0.5, 0.25, c), QStringLiteral("0.5"));
        QCOMPARE(ColourTicker::label(-0.0075, 0.0025, c), QStringLiteral("-0.0075"));
        QCOMPARE(ColourTicker::label(1.5e-5, 5e-6, c), QStringLiteral("1.5e-05"));
        QCOMPARE(ColourTicker::label(-0.0, 0.001, c), QStringLiteral("0"));
        QCOMPARE(ColourTicker::label(-2e-19, 0.001, c), QStringLiteral("0"));
        QCOMPARE(ColourTicker::label(1000.0, 250.0, c), QStringLiteral("1000"));
    }

    void tickLabelsReadBackAsTheirValues_data() {
        QTest::addColumn<bool>("diverging");
        QTest::addColumn<double>("limit");
        QTest::addColumn<QSize>("size");
        const QSize beside(620, 420), below(330, 700);
        for (double limit : {0.7, 0.0123, 4.2e-3, 3.1e-5, 2.4e-7, 1.37}) {
            for (bool diverging : {true, false}) {
                const QString name = QStringLiteral("%1 %2").arg(diverging ? "±" : "0…").arg(limit);
                QTest::newRow(qPrintable(name + " beside")) << diverging << limit << beside;
                QTest::newRow(qPrintable(name + " below")) << diverging << limit << below;
            }
        }
    }

    void tickLabelsReadBackAsTheirValues() {
        QFETCH(bool, diverging);
        QFETCH(double, limit);
        QFETCH(QSize, size);
        HeatmapPlot plot(diverging ? HeatmapPlot::Scale::Diverging
                                   : HeatmapPlot::Scale::Sequential);
        plot.resize(size);
        plot.show();
        plot.setTokens({"[CLS]", "a", "b", "[SEP]"}, -1);
        std::vector<float> m(16, 0.0f);
        m[1] = float(limit);
        m[6] = float(diverging ? -0.4 * limit : 0.4 * limit);
        plot.setMatrix(m);
        QTest::qWait(20);
        auto* custom = qobject_cast<QCustomPlot*>(plot.plotWidget());
        custom->replot();
        QCPColorScale* scale = colourScale(plot);
        QVERIFY(scale);
        const QVector<double> ticks = scale->axis()->tickVector();
        const QVector<QString> labels = scale->axis()->tickVectorLabels();
        QCOMPARE(labels.size(), ticks.size());
        QVERIFY(ticks.size() >= 3);
        const double step = std::abs(ticks[1] - ticks[0]);
        for (int k = 0; k < ticks.size(); ++k) {
            const QString text = labels[k];
            QVERIFY2(
                !QRegularExpression(QStringLiteral("^[-\u2212]0([.,]0*)?$")).match(text).hasMatch(),
                qPrintable(text));
            bool ok = false;
            const double value = QString(text).replace(QChar(0x2212), '-').toDouble(&ok);
            QVERIFY2(ok, qPrintable(text));
            QVERIFY2(
                std::abs(value - ticks[k]) <= 0.05 * step,
                qPrintable(
                    QStringLiteral("'%1' for %2 (step %3)").arg(text).arg(ticks[k]).arg(step)));
        }
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
    }

    // A title wider than the map's column (the colour bar beside it) was centred on that column
    // and cut at the plot's left edge.
    void titleLiesInsideThePlot_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("scale");
        for (double scale : {1.0, 1.5})
            for (QSize size : {QSize(330, 700), QSize(420, 330), QSize(520, 400), QSize(620, 420),
                               QSize(900, 500)})
                QTest::newRow(qPrintable(
                    QStringLiteral("%1x%2 x%3").arg(size.width()).arg(size.height()).arg(scale)))
                    << size << scale;
    }

    void titleLiesInsideThePlot() {
        QFETCH(QSize, size);
        QFETCH(double, scale);
        HeatmapPlot plot(HeatmapPlot::Scale::Diverging);
        plot.setFontScale(scale);
        plot.resize(size);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const QStringList tokens = {"[CLS]", "a",   "man", "is",  "playing", "[SEP]",
                                    "a",     "man", "is",  "not", "playing", "[SEP]"};
        plot.setTokens(tokens, 5);
        plot.setMatrix(std::vector<float>(size_t(tokens.size() * tokens.size()), 0.1f));
        for (const QString& title :
             {QStringLiteral("L1 \u03a3 heads"),
              QStringLiteral("Attribution to p(contradiction) \u00b7 L1 \u00b7 \u03a3 heads"),
              QStringLiteral("Attribution to p(contradiction) \u00b7 L12 \u00b7 H12 \u00b7 "
                             "merged words \u00b7 hide [CLS]/[SEP] \u00b7 \u03b1 = 0.35")}) {
            plot.setTitle(title);
            QTest::qWait(20);
            auto* custom = qobject_cast<QCustomPlot*>(plot.plotWidget());
            custom->replot();
            const QRect text = plot.titleRect();
            QVERIFY(!text.isEmpty());
            QVERIFY2(custom->rect().contains(text),
                     qPrintable(QStringLiteral("'%1' at x %2..%3 in a %4 px plot (bar %5)")
                                    .arg(title)
                                    .arg(text.left())
                                    .arg(text.right())
                                    .arg(custom->width())
                                    .arg(plot.colourBarBelow() ? "below" : "beside")));
        }
    }
};

QTEST_MAIN(TestHeatmapTicks)
#include "test_heatmap_ticks.moc"
