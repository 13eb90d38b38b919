// The Compare tab on the golden checkpoint (tests/data/golden/tiny-uncased-3cls): after a run it
// computes every method in its background job (reusing the run's AttAttr), every map shares the
// document's token axis, hovering one cell outlines it in all maps, the deletion plot has each
// method's curve and the random band, and the exports hold the core functions' numbers (JSON)
// and one rectangle per cell with the tokens as text (SVG).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "attrscope/analysis/deletion.h"
#include "attrscope/attribution/attention_flow.h"
#include "attrscope/attribution/gradient_attention.h"
#include "attrscope/attribution/rollout.h"
#include "attrscope/attribution/token_ig.h"
#include "document/analysis_document.h"
#include "golden.h"
#include "mainwindow/main_window.h"
#include "plot/qcustomplot_wrapper.h"
#include "ui_test_util.h"
#include "views/compare/compare_export.h"
#include "views/compare/compare_view.h"
#include "views/compare/deletion_plot.h"
#include "views/compare/token_bars.h"
#include "views/heatmap/heatmap_plot.h"

using namespace attrscope;
using namespace attrscope::ui;

namespace {
// Layer `l` of an [L][n][n] array as JSON rows, for comparing with the exported "raw" maps.
bool equalRows(const QJsonArray& rows, const FloatArray& a, int l) {
    const int64_t n = a.dim(1);
    if (rows.size() != n)
        return false;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
            if (rows[int(i)].toArray()[int(j)].toDouble() != double(a.at({l, i, j})))
                return false;
    return true;
}

bool equalList(const QJsonArray& list, const std::vector<double>& v) {
    if (list.size() != qsizetype(v.size()))
        return false;
    for (size_t k = 0; k < v.size(); ++k)
        if (list[int(k)].toDouble() != v[k])
            return false;
    return true;
}
}  // namespace

class TestCompareView : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_window;
    CompareView* m_view = nullptr;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1500, 950);
        m_window->setModel(golden::model(), QStringLiteral("tiny-uncased-3cls"));
        m_window->setInput(QStringLiteral("a man is playing a guitar ."),
                           QStringLiteral("a man is not playing a guitar ."));
        m_window->show();
        m_view = m_window->compareView();
        QSignalSpy ran(m_window->job(), &AttributionJob::finished);
        m_window->runAttribution();
        QVERIFY(ran.wait(60000));
        QSignalSpy ready(m_view, &CompareView::resultReady);
        m_window->showView(MainWindow::View::Compare);
        QVERIFY(ready.wait(120000));
        QVERIFY(m_view->isUpToDate());
    }

    void everyMethodIsComputed() {
        const CompareResult& r = *m_view->result();
        AnalysisDocument* doc = m_window->document();
        const int64_t L = doc->numLayers(), n = doc->tokenCount();
        QVERIFY(r.attributionReused);  // the run's AttAttr, not a second computation
        for (const FloatArray* a : {&r.attributionSum, &r.rollout, &r.flow, &r.gradientAttention})
            QCOMPARE(a->shape, (std::vector<int64_t>{L, n, n}));
        QCOMPARE(int64_t(r.ig.tokenAttr.size()), n);
        QStringList methods;
        for (const auto& c : r.deletion.curves)
            methods << QString::fromStdString(c.method);
        QCOMPARE(methods,
                 (QStringList{"attattr", "attention", "rollout", "grad-attention", "random"}));
        // The reused AttAttr is the run's Σ over heads.
        for (int l = 0; l < L; ++l) {
            const auto m = doc->attributionMap(l, AnalysisDocument::kSumOfHeads);
            QVERIFY(std::equal(m.begin(), m.end(), r.attributionSum.block({l})));
        }
    }

    void panelsShareTheTokenAxes() {
        for (bool hide : {false, true}) {
            ViewConventions c = m_window->document()->conventions();
            c.hideSpecials = hide;
            m_window->document()->setConventions(c);
            const QStringList axis = m_window->document()->displayAxis().labels;
            QCOMPARE(m_view->plots().size(), size_t(5));
            for (HeatmapPlot* p : m_view->plots()) {
                QCOMPARE(p->columnLabels(), axis);
                QCOMPARE(p->rowLabels(), axis);
                QVERIFY2(p->hasMatrix(), qPrintable(p->objectName()));
            }
            QCOMPARE(m_view->igBars()->labels(), axis);
            QCOMPARE(m_view->igBars()->values().size(), size_t(axis.size()));
        }
        ViewConventions c = m_window->document()->conventions();
        c.hideSpecials = false;
        m_window->document()->setConventions(c);
    }

    void hoverIsLinked() {
        m_view->hoverCell(2, 3);
        for (HeatmapPlot* p : m_view->plots())
            QCOMPARE(p->hoverCell(), QPoint(3, 2));
        QCOMPARE(m_view->igBars()->hoverIndex(), 3);
        for (const char* name : {"Attention", "AttAttr", "Gradient-weighted attention",
                                 "Attention rollout", "Attention flow", "token IG"})
            QVERIFY2(m_view->hoverText().contains(QLatin1String(name)),
                     qPrintable(m_view->hoverText()));
        QCOMPARE(m_view->plots()[3]->plotWidget()->toolTip(), m_view->hoverText());
        // The pointer over one map moves the outline in every map.
        HeatmapPlot* flow = m_view->plot(QStringLiteral("flow"));
        test::moveMouse(flow->plotWidget(), flow->cellCenter(4, 1));
        for (HeatmapPlot* p : m_view->plots())
            QCOMPARE(p->hoverCell(), QPoint(1, 4));
        m_view->hoverCell(-1, -1);
        for (HeatmapPlot* p : m_view->plots())
            QCOMPARE(p->hoverCell(), QPoint(-1, -1));
    }

    void deletionCurvesWithTheRandomBand() {
        DeletionPlot* plot = m_view->deletionPlot();
        for (const char* m : {"attattr", "attention", "rollout", "grad-attention", "random"})
            QVERIFY2(plot->curve(QLatin1String(m)).size() ==
                         int(m_view->result()->deletion.ks.size()) + 1,
                     m);
        const auto lo = plot->curve("random-min"), mean = plot->curve("random"),
                   hi = plot->curve("random-max");
        QCOMPARE(lo.size(), mean.size());
        QCOMPARE(hi.size(), mean.size());
        for (int k = 0; k < mean.size(); ++k) {
            QVERIFY(lo[k].y() <= mean[k].y() + 1e-12);
            QVERIFY(mean[k].y() <= hi[k].y() + 1e-12);
        }
    }

    void layerChangeOnlyRedraws() {
        const CompareResultPtr before = m_view->result();
        m_window->document()->setCurrentLayer(0);
        QVERIFY(!m_view->job()->isRunning());
        QCOMPARE(m_view->result(), before);
        QVERIFY(m_view->plot("rollout")->title().contains(
            m_window->document()->conventions().layerLabel(0)));
    }

    void jsonHoldsTheCoreNumbers() {
        AnalysisDocument* doc = m_window->document();
        const int layer = 1;
        doc->setCurrentLayer(layer);
        const QString path = m_dir.filePath("compare.json");
        QVERIFY2(m_view->exportData(path), qPrintable(m_view->lastError()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(o["layer"].toInt(), layer);
        const QJsonObject maps = o["maps"].toObject();

        Model& model = *doc->model();
        const Encoding& enc = doc->encoding();
        const std::string target = std::to_string(doc->target());
        auto pred = model.predict(enc, true);
        QVERIFY(pred);
        auto rollout = attentionRollout(pred->attention);
        QVERIFY(rollout);
        QVERIFY(equalRows(maps["rollout"].toObject()["raw"].toArray(), *rollout, layer));
        auto flow = attentionFlow(pred->attention);
        QVERIFY(flow);
        QVERIFY(equalRows(maps["flow"].toObject()["raw"].toArray(), *flow, layer));
        GradientAttentionOptions go;
        go.target = target;
        auto grad = gradientWeightedAttention(model, enc, go);
        QVERIFY(grad);
        QVERIFY(
            equalRows(maps["grad-attention"].toObject()["raw"].toArray(), grad->perLayer, layer));
        QVERIFY(equalRows(maps["attattr"].toObject()["raw"].toArray(),
                          m_view->result()->attributionSum, layer));
        TokenIgOptions io;
        io.target = target;
        auto ig = tokenIntegratedGradients(model, enc, io);
        QVERIFY(ig);
        QVERIFY(equalList(o["token_ig"].toObject()["raw"].toArray(), ig->tokenAttr));
        DeletionOptions d;
        d.target = target;
        d.attributionScores = m_view->result()->attributionSum;
        auto del = deletionCurves(model, enc, d);
        QVERIFY(del);
        const QJsonArray curves = o["deletion"].toObject()["curves"].toArray();
        QCOMPARE(curves.size(), qsizetype(del->curves.size()));
        for (size_t m = 0; m < del->curves.size(); ++m) {
            const QJsonObject c = curves[int(m)].toObject();
            QCOMPARE(c["method"].toString(), QString::fromStdString(del->curves[m].method));
            QVERIFY(equalList(c["probs"].toArray(), del->curves[m].probs));
            QVERIFY(equalList(c["low"].toArray(), del->curves[m].low));
            QVERIFY(equalList(c["high"].toArray(), del->curves[m].high));
            QCOMPARE(c["auc"].toDouble(), del->curves[m].auc);
        }
        // Raw attention as the deletion test ranks it: the head mean.
        const auto att = maps["attention"].toObject()["raw"].toArray();
        const int64_t H = pred->attention.dim(1);
        double mean = 0;
        for (int64_t h = 0; h < H; ++h)
            mean += pred->attention.at({layer, h, 2, 3}) / float(H);
        QCOMPARE(float(att[2].toArray()[3].toDouble()), float(mean));

        const QString csv = m_dir.filePath("compare.csv");
        QVERIFY2(m_view->exportData(csv), qPrintable(m_view->lastError()));
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        QVERIFY(c.readAll().contains("section,name,row,column,label,value,low,high"));
    }

    // At 1400×900 (issue 16) the maps keep their bars beside them with a usable size, every
    // colour-bar label is drawn inside its plot, and no deletion-legend entry is cut short.
    void layoutAt1400x900() {
        m_window->resize(1400, 900);
        QTRY_COMPARE(m_window->size(), QSize(1400, 900));
        QTest::qWait(300);  // queued layouts and replots
        const int n = m_window->document()->displayAxis().size();
        for (HeatmapPlot* p : m_view->plots()) {
            const QString name = p->objectName();
            QVERIFY2(!p->colourBarBelow(), qPrintable(name));
            const double map = p->cellPixels() * n;
            QVERIFY2(map >= 150, qPrintable(QStringLiteral("%1: map %2 px").arg(name).arg(map)));
            // Inside the plot and not scrolled out of the tab.
            const QRect label = p->colourBarLabelRect();
            const QRect visible = p->plotWidget()->visibleRegion().boundingRect();
            QVERIFY2(!label.isEmpty() && visible.contains(label),
                     qPrintable(QStringLiteral("%1: colour-bar label %2,%3 %4x%5 in %6x%7")
                                    .arg(name)
                                    .arg(label.x())
                                    .arg(label.y())
                                    .arg(label.width())
                                    .arg(label.height())
                                    .arg(visible.width())
                                    .arg(visible.height())));
        }
        auto* plot = qobject_cast<QCustomPlot*>(m_view->deletionPlot()->plotWidget());
        QVERIFY(plot);
        QCOMPARE(plot->visibleRegion().boundingRect(), plot->rect());  // nothing scrolled away
        plot->replot();
        QCPLegend* legend = plot->legend;
        int items = 0;
        for (int i = 0; i < legend->itemCount(); ++i) {  // cells of the wrapped grid
            QCPLayoutElement* item = legend->item(i);
            if (!item)
                continue;
            ++items;
            const QRect r = item->outerRect();
            const int needed = item->minimumOuterSizeHint().width();
            QVERIFY2(r.width() >= needed && plot->rect().contains(r),
                     qPrintable(QStringLiteral("legend item %1: %2 px of %3 at x %4 in %5 px")
                                    .arg(i)
                                    .arg(r.width())
                                    .arg(needed)
                                    .arg(r.x())
                                    .arg(plot->width())));
        }
        QCOMPARE(items, 5);
        if (qEnvironmentVariableIsSet("ATTRSCOPE_COMPARE_SHOT"))
            m_window->grab().save(qEnvironmentVariable("ATTRSCOPE_COMPARE_SHOT"));
        m_window->resize(1500, 950);
    }

    void svgHasOneRectPerCellAndTokenText() {
        const QString path = m_dir.filePath("compare.svg");
        QVERIFY2(m_view->exportFigure(path), qPrintable(m_view->lastError()));
        const test::SvgStats svg = test::readSvg(path);
        QVERIFY(!svg.error);
        QCOMPARE(svg.images, 0);
        const CompareData d = m_view->data();
        const int m = d.axis.size();
        QCOMPARE(svg.rects, compareFigureRects(d, m_window->document()->conventions(), {}));
        // Five m×m maps and the 1×m IG strip, a rectangle each, plus backgrounds and colour bars.
        QVERIFY(svg.rects >= 5 * m * m + m);
        for (const QString& token : d.axis.labels)
            QVERIFY2(svg.texts.contains(token), qPrintable(token));
        for (const char* name : {"Attention rollout", "Attention flow", "AttAttr"})
            QVERIFY2(!svg.texts.filter(QLatin1String(name)).isEmpty(), name);
        for (const char* suffix : {"pdf", "png"}) {
            const QString file = m_dir.filePath(QStringLiteral("compare.") + suffix);
            QVERIFY2(m_view->exportFigure(file), qPrintable(m_view->lastError()));
            QVERIFY(QFileInfo(file).size() > 1000);
        }
    }
};

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
