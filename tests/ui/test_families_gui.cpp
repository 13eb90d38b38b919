// The desktop app on every supported family (issue 14's GUI smoke test): the checkpoint of each
// family in tests/data/families loads, the typed pair runs to a complete attribution, every tab
// renders, and the heatmap pair exports as a vector SVG with every displayed token.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "attrscope/model/model.h"
#include "document/analysis_document.h"
#include "engine/attribution_job.h"
#include "export/figure_exporter.h"
#include "figure/figure_options.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_panel.h"
#include "ui_test_util.h"
#include "views/compare/compare_view.h"

using namespace attrscope::ui;

class TestFamiliesGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void loadRunRenderExport_data() {
        QTest::addColumn<QString>("family");
        for (const char* f :
             {"bert", "roberta", "xlm-roberta", "distilbert", "electra", "albert", "deberta-v3"})
            QTest::newRow(f) << QString(f);
    }

    void loadRunRenderExport() {
        QFETCH(QString, family);
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(QStringLiteral(ATTRSCOPE_TEST_DATA_DIR "/families/") + family + "/model");
        QVERIFY2(ready.wait(30000), qPrintable(family));
        window.runPanel()->setSteps(2);
        window.inputPanel()->setTexts(QStringLiteral("A man is playing a guitar."),
                                      QStringLiteral("A man is not playing a guitar."));
        QSignalSpy finished(window.job(), &AttributionJob::finished);
        window.runAttribution();
        QVERIFY(finished.wait(60000));
        const ResultPtr r = finished.at(0).at(0).value<ResultPtr>();
        QVERIFY(r && r->isComplete());
        QVERIFY(r->encoding.isPair);
        QCOMPARE(r->numLayers, window.model()->config().numLayers);

        // Every tab draws something (not one flat colour).
        for (MainWindow::View v :
             {MainWindow::View::Heatmaps, MainWindow::View::Overview, MainWindow::View::Tree,
              MainWindow::View::Teaching, MainWindow::View::Dataset}) {
            window.showView(v);
            QTest::qWait(50);
            const QImage shot = window.grab().toImage();
            QVERIFY(!shot.isNull());
            QSet<QRgb> colours;
            for (int y = 0; y < shot.height(); y += 7)
                for (int x = 0; x < shot.width(); x += 7)
                    colours.insert(shot.pixel(x, y));
            QVERIFY2(colours.size() > 20, qPrintable(family + ": a blank tab"));
        }
        // The Compare tab computes every method (rollout, flow, gradient-weighted attention,
        // token IG, deletion) for this family too.
        QSignalSpy compared(window.compareView(), &CompareView::resultReady);
        window.showView(MainWindow::View::Compare);
        window.compareView()->compute();  // the window is not shown: no showEvent starts it
        QVERIFY2(window.compareView()->isUpToDate() || compared.wait(120000),
                 qPrintable(family + ": " + window.compareView()->message()));
        QCOMPARE(window.compareView()->data().maps.size(), size_t(5));
        for (const CompareMap& m : window.compareView()->data().maps)
            QVERIFY2(!m.values.empty(), qPrintable(family + ": " + m.key));

        // The pair as a vector figure: n×n cells per map, every displayed token as text, and
        // no vocabulary markers ("Ġ", "▁") in the labels.
        QTemporaryDir dir;
        FigureExporter exporter(window.document());
        exporter.setModelName(family);
        const QString svg = dir.filePath("pair.svg");
        QVERIFY(exporter.exportFigure(FigureKind::HeatmapPair, svg));
        const test::SvgStats s = test::readSvg(svg);
        QVERIFY(!s.error);
        QCOMPARE(s.images, 0);
        const TokenAxis axis = window.document()->displayAxis();
        const int n = axis.size();
        QVERIFY2(s.rects >= 2 * n * n,
                 qPrintable(QString("%1 rects for n = %2").arg(s.rects).arg(n)));
        for (const QString& label : axis.labels) {
            QVERIFY2(s.texts.contains(label), qPrintable(family + ": no label " + label));
            QVERIFY(!label.startsWith(QChar(0x0120)) && !label.startsWith(QChar(0x2581)));
        }
    }
};

QTEST_MAIN(TestFamiliesGui)
#include "test_families_gui.moc"
