// Presentation mode and the window at projector sizes: the window shrinks below 1000 px, every
// heatmap token label is drawn at 1024×768 and 1280×720 with the prediction visible, the
// conventions panel does not widen the window, the dark palettes keep text readable and
// disabled controls distinct, and presets/examples follow the model's task.

#include <QDockWidget>
#include <QFontMetrics>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QtTest>

#include "document/analysis_document.h"
#include "document/model_task.h"
#include "engine/attribution_job.h"
#include "mainwindow/appearance.h"
#include "mainwindow/completeness_panel.h"
#include "mainwindow/conventions_panel.h"
#include "mainwindow/examples.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "mainwindow/prediction_panel.h"
#include "mainwindow/run_panel.h"
#include "ui_test_util.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/teaching/teaching_presets.h"
#include "views/teaching/teaching_view.h"
#include "views/tree/tree_graphics_view.h"
#include "views/tree/tree_view.h"

using namespace attrscope::ui;

namespace {
// 14 word pieces with [CLS] and the two [SEP]s (the teaching-view case).
const char* kTextA = "the man is playing guitar";
const char* kTextB = "the man is not playing guitar";
constexpr int kTokens = 14;

QStringList qLabels(const std::shared_ptr<attrscope::Model>& m) {
    QStringList out;
    for (const auto& l : m->config().id2label)
        out << QString::fromStdString(l);
    return out;
}

// Every token has its label, and neighbouring labels do not overlap (a cell is at least
// about one line of the label font high).
void checkLabels(const HeatmapPlot* plot, const char* what) {
    // The plot is filled by a queued update: on a loaded machine it can take longer than the
    // callers' short waits.
    QTRY_COMPARE(plot->columnLabels().size(), kTokens);
    QTRY_COMPARE(plot->rowLabels().size(), kTokens);
    auto line = [plot] {
        QFont f(plot->font().family());
        f.setPointSizeF(plot->labelPointSize());
        return double(QFontMetrics(f).height());
    };
    // A pane that was just resized (the teaching tab shares its width once laid out) lays the
    // plot out again on a queued replot.
    QTRY_VERIFY(plot->cellPixels() >= 0.9 * line());
    QVERIFY2(plot->cellPixels() >= 0.9 * line(),
             qPrintable(QStringLiteral("%1: cell %2 px, label line %3 px")
                            .arg(what)
                            .arg(plot->cellPixels())
                            .arg(line())));
}

// The plot's title text and colour bar lie inside `tab` and are not scrolled out of sight.
void checkInside(const HeatmapPlot* plot, QWidget* tab, const char* what) {
    QWidget* area = plot->plotWidget();
    const QRect visible = area->visibleRegion().boundingRect();
    const std::pair<const char*, QRect> parts[] = {{"title", plot->titleRect()},
                                                   {"colour bar", plot->colourBarRect()}};
    for (const auto& [part, rect] : parts) {
        QVERIFY2(!rect.isEmpty(), qPrintable(QStringLiteral("%1: no %2").arg(what, part)));
        const QRect inTab(area->mapTo(tab, rect.topLeft()), rect.size());
        QVERIFY2(tab->rect().contains(inTab) && visible.contains(rect),
                 qPrintable(QStringLiteral("%1: %2 at %3,%4 %5x%6 outside the visible %7x%8")
                                .arg(what, part)
                                .arg(inTab.x())
                                .arg(inTab.y())
                                .arg(inTab.width())
                                .arg(inTab.height())
                                .arg(tab->width())
                                .arg(tab->height())));
    }
}

// The tree's node labels: their font's pixel size (scene units), the tallest drawn on screen,
// and whether every label lies inside its node's box.
struct TreeLabels {
    int nodes = 0, pixelSize = 0;
    double screenHeight = 0;
    bool inside = true;
};
TreeLabels treeLabels(TreeView* tree) {
    TreeLabels out;
    for (QGraphicsItem* item : tree->scene()->items()) {
        if (item->data(TreeGraphicsView::kRoleKey).toInt() != TreeGraphicsView::NodeRole)
            continue;
        for (QGraphicsItem* child : item->childItems()) {
            auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(child);
            if (!text)
                continue;
            ++out.nodes;
            out.pixelSize = std::max(out.pixelSize, text->font().pixelSize());
            const QRectF r = text->sceneBoundingRect();
            out.inside = out.inside && item->sceneBoundingRect().contains(r);
            out.screenHeight = std::max(
                out.screenHeight, double(tree->view()->mapFromScene(r).boundingRect().height()));
        }
    }
    return out;
}

// No scroll area inside `tab` scrolls sideways.
bool scrollsSideways(QWidget* tab) {
    for (const QScrollArea* area : tab->findChildren<QScrollArea*>())
        if (area->horizontalScrollBar()->isVisible())
            return true;
    return false;
}

// The scroll area holding `widget` shows a scroll bar.
bool scrolls(QWidget* widget) {
    for (QWidget* w = widget; w; w = w->parentWidget())
        if (auto* area = qobject_cast<QScrollArea*>(w))
            return area->horizontalScrollBar()->isVisible() ||
                   area->verticalScrollBar()->isVisible();
    return false;
}

// The widget lies inside the window and is not scrolled out of sight.
bool fullyVisible(QWidget* widget, QWidget* window) {
    const QRect inWindow(widget->mapTo(window, QPoint(0, 0)), widget->size());
    return window->rect().contains(inWindow) &&
           widget->visibleRegion().boundingRect() == widget->rect();
}
}  // namespace

class TestPresentation : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>();
        m_window->setPresentationMode(false, false);
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->setModel(test::tinyModel(3), "tiny-random");
        m_window->runPanel()->setSteps(3);
    }

    void windowShrinksBelow1000() {
        QVERIFY2(m_window->minimumSizeHint().width() <= 1000,
                 qPrintable(QString::number(m_window->minimumSizeHint().width())));
        m_window->resize(1000, 700);
        QTRY_COMPARE(m_window->width(), 1000);
    }

    void presentationAtProjectorSizes_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x768") << QSize(1024, 768);
        QTest::newRow("1280x720") << QSize(1280, 720);
    }

    void presentationAtProjectorSizes() {
        QFETCH(QSize, size);
        m_window->setPresentationMode(true, false);
        QVERIFY(m_window->isPresentationMode());
        const QSize min = m_window->minimumSizeHint();
        QVERIFY2(min.width() <= size.width() && min.height() <= size.height(),
                 qPrintable(QStringLiteral("minimum %1x%2").arg(min.width()).arg(min.height())));
        m_window->resize(size);
        QTRY_COMPARE(m_window->size(), size);
        if (!m_window->document()->hasInput()) {
            QSignalSpy finished(m_window->job(), &AttributionJob::finished);
            m_window->setInput(kTextA, kTextB);
            m_window->runAttribution();
            QVERIFY(finished.wait(60000));
        }
        QCOMPARE(m_window->document()->tokens().size(), kTokens);
        m_window->showView(MainWindow::View::Heatmaps);
        QTest::qWait(100);  // queued replots and layouts
        checkLabels(m_window->heatmaps()->attentionPlot(), "attention");
        checkLabels(m_window->heatmaps()->attributionPlot(), "attribution");
        // The pair fits side by side: titles and colour bars inside, no sideways scrolling.
        checkInside(m_window->heatmaps()->attentionPlot(), m_window->heatmaps(), "attention");
        checkInside(m_window->heatmaps()->attributionPlot(), m_window->heatmaps(), "attribution");
        QVERIFY2(!scrollsSideways(m_window->heatmaps()), "the heatmap pair scrolls sideways");
        // The token strip appears after a pause in typing; the panel scrolls once it settles.
        QTRY_VERIFY2(fullyVisible(m_window->predictionPanel(), m_window.get()),
                     "the prediction panel is cut off or scrolled away");
        m_window->showView(MainWindow::View::Teaching);
        QTest::qWait(100);
        checkLabels(m_window->teachingView()->heatmap(), "teaching");
        // The map fits its pane at both sizes (at 1024×768 the curves' legends used to keep
        // the left column ~380 px wide, and the map scrolled).
        QTRY_VERIFY2(!scrolls(m_window->teachingView()->heatmap()), "the teaching map scrolls");
        checkInside(m_window->teachingView()->heatmap(), m_window->teachingView(), "teaching");
        QCOMPARE(m_window->size(), size);

        // Zoom grows the cells (the maps scroll); the window keeps its size.
        m_window->showView(MainWindow::View::Heatmaps);
        const double before = m_window->heatmaps()->attentionPlot()->cellPixels();
        m_window->setHeatmapZoom(2.0);
        QTest::qWait(100);
        QVERIFY(m_window->heatmaps()->attentionPlot()->cellPixels() > before);
        checkLabels(m_window->heatmaps()->attentionPlot(), "zoomed");
        QCOMPARE(m_window->size(), size);
        m_window->setHeatmapZoom(1.0);
    }

    // Normal fonts on a large screen: the teaching map still fits without scrolling.
    void teachingMapFitsAt1600x1000() {
        m_window->setPresentationMode(false, false);
        m_window->resize(1600, 1000);
        QTRY_COMPARE(m_window->size(), QSize(1600, 1000));
        QVERIFY(m_window->document()->hasInput());
        m_window->showView(MainWindow::View::Teaching);
        QTest::qWait(100);
        checkLabels(m_window->teachingView()->heatmap(), "teaching 1600");
        QTRY_VERIFY2(!scrolls(m_window->teachingView()->heatmap()), "the teaching map scrolls");
        checkInside(m_window->teachingView()->heatmap(), m_window->teachingView(), "teaching 1600");
        m_window->showView(MainWindow::View::Heatmaps);
    }

    void conventionsPanelDoesNotWidenTheWindow() {
        m_window->setPresentationMode(true, false);
        m_window->resize(1024, 768);
        QTRY_COMPARE(m_window->width(), 1024);
        auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("conventionsDock"));
        QVERIFY(dock);
        dock->show();
        QTest::qWait(50);
        QVERIFY2(m_window->width() <= 1024, qPrintable(QString::number(m_window->width())));
        QVERIFY(m_window->minimumSizeHint().width() <= 1024);
        dock->hide();
        m_window->setPresentationMode(false, false);
    }

    void zoomKeysZoomTheTreeOnItsTab() {
        m_window->showView(MainWindow::View::Tree);
        const double before = m_window->treeView()->view()->zoom();
        QTest::keyClick(m_window.get(), Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(m_window->treeView()->view()->zoom() > before);
        QCOMPARE(m_window->heatmapZoom(), 1.0);
        m_window->showView(MainWindow::View::Heatmaps);
        QTest::keyClick(m_window.get(), Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(m_window->heatmapZoom() > 1.0);
        QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(m_window->heatmapZoom(), 1.0);
    }

    void fontsScaleInPresentationMode() {
        m_window->setPresentationMode(false, false);
        const double normal = QApplication::font().pointSizeF();
        const double label = m_window->heatmaps()->attentionPlot()->fontScale();
        m_window->setPresentationMode(true, false);
        QVERIFY(QApplication::font().pointSizeF() >= normal * 1.4);
        QVERIFY(m_window->heatmaps()->attentionPlot()->fontScale() >= label * 1.4);
        m_window->setPresentationMode(false, false);
        QCOMPARE(QApplication::font().pointSizeF(), normal);
    }

    // Tree labels follow the font scale: larger in the scene, inside their (larger) boxes, and
    // larger on screen in the same window.
    void treeLabelsGrowInPresentationMode() {
        m_window->setPresentationMode(false, false);
        m_window->resize(1280, 800);
        QTRY_COMPARE(m_window->size(), QSize(1280, 800));
        if (!m_window->document()->hasInput()) {
            QSignalSpy finished(m_window->job(), &AttributionJob::finished);
            m_window->setInput(kTextA, kTextB);
            m_window->runAttribution();
            QVERIFY(finished.wait(60000));
        }
        m_window->showView(MainWindow::View::Tree);
        TreeView* tree = m_window->treeView();
        tree->setThreshold(0.1);  // a tree with edges on the random model
        auto built = [tree](double scale) {
            const auto b = tree->currentBuild();
            return b && std::abs(b->threshold - 0.1) < 1e-9 && b->layout.fontScale == scale &&
                   tree->nodeItemCount() > 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(built(1.0), 20000);
        tree->view()->fitAll();
        const TreeLabels normal = treeLabels(tree);
        QCOMPARE(normal.nodes, tree->nodeItemCount());
        QCOMPARE(normal.pixelSize, 13);
        QVERIFY(normal.inside);
        m_window->setPresentationMode(true, false);
        QCOMPARE(tree->fontScale(), m_window->heatmaps()->attentionPlot()->fontScale());
        QTRY_VERIFY_WITH_TIMEOUT(built(tree->fontScale()), 20000);
        QTest::qWait(50);
        tree->view()->fitAll();
        const TreeLabels large = treeLabels(tree);
        QCOMPARE(large.nodes, normal.nodes);
        QCOMPARE(large.pixelSize, int(std::lround(13 * tree->fontScale())));
        QVERIFY(large.inside);
        QVERIFY2(large.screenHeight > normal.screenHeight,
                 qPrintable(QStringLiteral("on screen %1 px, before %2 px")
                                .arg(large.screenHeight)
                                .arg(normal.screenHeight)));
        m_window->setPresentationMode(false, false);
        QTRY_VERIFY_WITH_TIMEOUT(built(1.0), 20000);
        m_window->showView(MainWindow::View::Heatmaps);
    }

    void darkPalettesKeepTextReadable() {
        for (bool highContrast : {false, true}) {
            const QPalette p = applicationPalette(true, highContrast);
            const QColor base = p.color(QPalette::Active, QPalette::Base);
            const QColor window = p.color(QPalette::Active, QPalette::Window);
            const double text = contrastRatio(p.color(QPalette::Active, QPalette::Text), base);
            QVERIFY(text >= 7.0);
            // Disabled text is visibly dimmer than enabled text but still legible.
            const double disabled = contrastRatio(p.color(QPalette::Disabled, QPalette::Text),
                                                  p.color(QPalette::Disabled, QPalette::Base));
            QVERIFY2(disabled < text / 2 && disabled >= 2.0, qPrintable(QString::number(disabled)));
            QVERIFY(contrastRatio(p.color(QPalette::Disabled, QPalette::ButtonText),
                                  p.color(QPalette::Disabled, QPalette::Button)) <
                    contrastRatio(p.color(QPalette::Active, QPalette::ButtonText),
                                  p.color(QPalette::Active, QPalette::Button)) /
                        2);
            // Placeholders and palette(mid) hints are visible on their backgrounds.
            QVERIFY(contrastRatio(p.color(QPalette::Active, QPalette::PlaceholderText), base) >=
                    4.5);
            QVERIFY(contrastRatio(p.color(QPalette::Active, QPalette::Mid), window) >= 4.5);
        }
        const QPalette hc = applicationPalette(false, true);
        QVERIFY(contrastRatio(hc.color(QPalette::Text), hc.color(QPalette::Base)) >= 15.0);
        QVERIFY(contrastRatio(warningCellText(), warningCellBackground()) >= 7.0);
    }

    void runPanelErrorsAreReadable() {
        for (bool dark : {false, true})
            for (bool highContrast : {false, true}) {
                const QPalette p = applicationPalette(dark, highContrast);
                QVERIFY(contrastRatio(warningText(p), p.color(QPalette::Window)) >= 4.5);
            }
        RunPanel panel;
        panel.setPalette(applicationPalette(true, false));
        panel.setError(QStringLiteral("out of memory <1 GB>"));
        QVERIFY(panel.message().contains(warningText(applicationPalette(true, false)).name()));
        QVERIFY(panel.message().contains(QStringLiteral("&lt;1 GB&gt;")));
        panel.setPalette(applicationPalette(false, false));  // follows the theme
        QVERIFY(panel.message().contains(warningText(applicationPalette(false, false)).name()));
        panel.setMessage(QStringLiteral("done"));
        QCOMPARE(panel.message(), QStringLiteral("done"));
    }

    void heatmapZoomIsRemembered() {
        m_window->setHeatmapZoom(2.0);
        {
            MainWindow other;
            QCOMPARE(other.heatmapZoom(), 2.0);
            QCOMPARE(other.heatmaps()->attentionPlot()->zoom(), 2.0);
        }
        m_window->setHeatmapZoom(1.0);
        MainWindow reset;
        QCOMPARE(reset.heatmapZoom(), 1.0);
    }

    void completenessWarningCellsAreReadable() {
        CompletenessPanel panel;
        panel.reset(1, QStringLiteral("entailment"), attrscope::AttributionOptions{});
        attrscope::LayerAttribution layer;
        attrscope::LayerCompleteness& c = layer.completeness;
        c.sumAttr = 0.1;
        c.fFull = 0.9;
        c.fZero = 0.1;  // 87 % off: a warning
        layer.steps = 20;
        panel.setLayer(layer);
        QTableWidgetItem* item = panel.table()->item(0, 3);
        QVERIFY(item->background().style() != Qt::NoBrush);
        QVERIFY(contrastRatio(item->foreground().color(), item->background().color()) >= 4.5);
    }

    void presetsFollowTheTask() {
        const QStringList nli = {"contradiction", "entailment", "neutral"};
        const QStringList sentiment = {"negative", "positive"};
        const QStringList other = {"LABEL_0", "LABEL_1"};
        QCOMPARE(taskForLabels(nli), ModelTask::Nli);
        QCOMPARE(taskForLabels({"entailment", "not_entailment"}), ModelTask::Nli);
        QCOMPARE(taskForLabels(sentiment), ModelTask::Sentiment);
        QCOMPARE(taskForLabels({"negative", "neutral", "positive"}), ModelTask::Sentiment);
        QCOMPARE(taskForLabels(other), ModelTask::Other);
        QVERIFY(isSingleSentenceModel(sentiment));
        QVERIFY(!isSingleSentenceModel(nli));
        QVERIFY(!isSingleSentenceModel(other));

        for (const auto& p : teachingPresets(nli))
            QVERIFY(!p.textB.isEmpty());
        QVERIFY(teachingPresets(nli)[1].explanation.contains(QStringLiteral("entailment")));
        for (const QStringList& labels : {sentiment, other}) {
            const auto presets = teachingPresets(labels);
            QCOMPARE(presets.size(), 3);
            for (const auto& p : presets) {
                QVERIFY2(p.textB.isEmpty(), qPrintable(p.name));
                QVERIFY(!p.explanation.contains(QStringLiteral("entailment")));
                QVERIFY(!p.explanation.contains(QStringLiteral("contradiction")));
            }
            QCOMPARE(presets[1].kind, TeachingPreset::Kind::Negation);
            QVERIFY(presets[1].textA.split(' ').contains(QStringLiteral("not")));
        }
        for (const auto& e : examplesFor(sentiment))
            QVERIFY(e.textB.isEmpty());
        for (const auto& e : examplesFor(nli))
            QVERIFY(!e.textB.isEmpty());
    }

    void sentimentModelGetsSentencePresetsAndPairWarning() {
        MainWindow window;
        auto model = test::tinyModelWithLabels({"negative", "positive"});
        window.setModel(model, "tiny-sentiment");
        QCOMPARE(window.document()->labels(), qLabels(model));
        const auto& presets = window.teachingView()->presets();
        QCOMPARE(presets.size(), 3);
        QVERIFY(presets[1].textB.isEmpty());
        QVERIFY(presets[1].explanation.contains(QStringLiteral("positive")));

        window.setInput(QStringLiteral("the man is playing guitar"), QString());
        QVERIFY(!window.inputPanel()->showsPairWarning());
        window.setInput(QStringLiteral("the man is playing guitar"),
                        QStringLiteral("the man is not playing guitar"));
        QVERIFY(window.inputPanel()->showsPairWarning());
        QVERIFY(window.inputPanel()->pairWarning()->text().contains(QStringLiteral("single")));

        // The same pair on an NLI model: no warning.
        window.setModel(test::tinyModel(2), "tiny-nli");
        QVERIFY(!window.inputPanel()->showsPairWarning());
        QVERIFY(!window.teachingView()->presets()[1].textB.isEmpty());
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestPresentation)
#include "test_presentation.moc"
