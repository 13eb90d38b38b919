// The attribution-tree tab shows exactly the core's tree and layout, rebuilds when τ moves, says
// so when the tree is empty, and links clicks back to the heatmaps. The label base (0- or
// 1-based) reaches the tree, the completeness table, the run panel and the status bar.

#include <QApplication>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QWheelEvent>
#include <QtTest>
#include <set>

#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "document/analysis_document.h"
#include "document/conventions.h"
#include "engine/attribution_job.h"
#include "mainwindow/completeness_panel.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_panel.h"
#include "ui_test_util.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/tree/tree_graphics_view.h"
#include "views/tree/tree_view.h"

using namespace attrscope::ui;

class TestTreeView : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    ResultPtr m_result;

    // Waits until the tree on screen was built with threshold tau.
    bool waitForTree(double tau) {
        TreeView* tree = m_window->treeView();
        QSignalSpy updated(tree, &TreeView::treeUpdated);
        for (int k = 0; k < 100; ++k) {
            auto b = tree->currentBuild();
            if (b && std::abs(b->threshold - tau) < 1e-9)
                return true;
            updated.wait(200);
        }
        return false;
    }

    void checkMatchesCore(double tau) {
        TreeView* tree = m_window->treeView();
        auto expected = attrscope::buildAttributionTree(m_result->attributionArray(), tau);
        QVERIFY(expected.ok());
        auto build = tree->currentBuild();
        QVERIFY(build);
        QVERIFY(build->error.isEmpty());
        QCOMPARE(build->tree.root, expected->root);
        QCOMPARE(build->tree.edges.size(), expected->edges.size());
        for (size_t k = 0; k < expected->edges.size(); ++k) {
            QCOMPARE(build->tree.edges[k].parent, expected->edges[k].parent);
            QCOMPARE(build->tree.edges[k].child, expected->edges[k].child);
            QCOMPARE(build->tree.edges[k].layer, expected->edges[k].layer);
            QCOMPARE(build->tree.edges[k].weight, expected->edges[k].weight);
        }
        auto layout = attrscope::layoutTree(*expected, m_result->encoding.tokens);
        QVERIFY(layout.ok());
        // The scene holds one item per node and per edge of the core's layout.
        if (expected->empty()) {
            QCOMPARE(tree->nodeItemCount(), 0);
            QCOMPARE(tree->edgeItemCount(), 0);
        } else {
            QCOMPARE(tree->nodeItemCount(), int(layout->nodes.size()));
            QCOMPARE(tree->edgeItemCount(), int(layout->edges.size()));
        }
        std::set<int> tokens;
        for (const auto& node : build->layout.nodes)
            tokens.insert(node.token);
        if (!expected->empty()) {
            for (int position : expected->nodes())
                QVERIFY(tokens.count(position));
        }
        // Node labels are token(position), the position numbered like the layers (from 1 by
        // default), and are drawn.
        QStringList texts;
        for (QGraphicsItem* item : tree->scene()->items()) {
            if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item))
                texts << text->text();
        }
        for (const auto& node : layout->nodes) {
            const QString label =
                node.token < 0
                    ? QString::fromStdString(node.label)
                    : QStringLiteral("%1(%2)")
                          .arg(QString::fromStdString(node.label).section(QLatin1Char('('), 0, -2))
                          .arg(node.token + 1);
            QVERIFY2(texts.contains(label), qPrintable(label));
        }
        for (const auto& edge : layout->edges)
            QVERIFY(texts.contains(QString("L%1").arg(edge.layer + 1)));
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->setModel(test::tinyModel(4), "tiny-random");
        m_window->runPanel()->setSteps(4);
        m_window->showView(MainWindow::View::Tree);
        QVERIFY(!m_window->treeView()->message().isEmpty());  // "run attribution" hint
        m_window->setInput("the man is playing guitar", "the man is not playing guitar");
        QSignalSpy finished(m_window->job(), &AttributionJob::finished);
        m_window->runAttribution();
        QVERIFY(finished.wait(60000));
        m_result = finished.at(0).at(0).value<ResultPtr>();
    }

    void treeMatchesTheCoreAtSeveralThresholds() {
        TreeView* tree = m_window->treeView();
        QVERIFY(waitForTree(0.4));
        checkMatchesCore(0.4);
        for (double tau : {0.1, 0.25, 0.6}) {
            tree->setThreshold(tau);
            QVERIFY(waitForTree(tau));
            checkMatchesCore(tau);
        }
    }

    // Moving τ across no interaction's value keeps the tree: the message says so.
    void sameTreeSaysSo() {
        TreeView* tree = m_window->treeView();
        bool seen = false;
        tree->setThreshold(0.3);
        QVERIFY(waitForTree(0.3));
        for (int step = 31; step <= 60 && !seen; ++step) {
            auto before = tree->currentBuild();
            tree->setThreshold(step / 100.0);
            QVERIFY(waitForTree(step / 100.0));
            auto after = tree->currentBuild();
            const bool same = before->tree.root == after->tree.root &&
                              before->tree.edges.size() == after->tree.edges.size() &&
                              !after->tree.empty();
            if (same) {
                QVERIFY2(tree->message().contains(QStringLiteral("Same tree as at")),
                         qPrintable(tree->message()));
                seen = true;
            }
        }
        QVERIFY(seen);
    }

    // A tree built while its view was never shown is fitted when it is shown, not a speck.
    void fitsWhenFirstShown() {
        AnalysisDocument doc;
        doc.showResult(m_result, {}, QStringLiteral("the man is playing guitar"),
                       QStringLiteral("the man is not playing guitar"));
        TreeView view(&doc);
        view.setThreshold(0.2);
        QSignalSpy updated(&view, &TreeView::treeUpdated);
        for (int k = 0; k < 50 && !(view.currentBuild() && view.nodeItemCount() > 0); ++k)
            updated.wait(200);
        QVERIFY(view.nodeItemCount() > 0);
        QVERIFY(view.view()->fitsAutomatically());
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QApplication::processEvents();
        // Fitted: the tree fills the viewport in one direction (or is capped at 1.6× zoom).
        const QRectF items =
            view.view()->mapFromScene(view.scene()->itemsBoundingRect()).boundingRect();
        const QSize port = view.view()->viewport()->size();
        QVERIFY2(view.view()->zoom() > 1.59 || items.width() > 0.6 * port.width() ||
                     items.height() > 0.6 * port.height(),
                 qPrintable(QStringLiteral("zoom %1, tree %2×%3 in %4×%5")
                                .arg(view.view()->zoom())
                                .arg(items.width())
                                .arg(items.height())
                                .arg(port.width())
                                .arg(port.height())));
        // The user's zoom is kept from then on.
        QWheelEvent wheel(QPointF(50, 50), view.view()->viewport()->mapToGlobal(QPointF(50, 50)),
                          QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                          false);
        QApplication::sendEvent(view.view()->viewport(), &wheel);
        QVERIFY(!view.view()->fitsAutomatically());
    }

    void sliderRebuildsLive() {
        TreeView* tree = m_window->treeView();
        QSignalSpy updated(tree, &TreeView::treeUpdated);
        tree->thresholdSlider()->setValue(20);
        QVERIFY(waitForTree(0.2));
        checkMatchesCore(0.2);
        QVERIFY(updated.count() >= 1);
    }

    void emptyTreeSuggestsALowerThreshold() {
        TreeView* tree = m_window->treeView();
        // An input and threshold for which the core's tree has no edge (the root's row in layer
        // L-2 is weak); random weights, so a few inputs are tried.
        const QStringList inputs = {"the man is playing guitar", "the dog is running in the park",
                                    "the cat is not good", "the woman and the man",
                                    "bad dog . good cat ."};
        double emptyTau = -1;
        ResultPtr result;
        for (const QString& text : inputs) {
            m_window->setInput(text, QString());
            QSignalSpy finished(m_window->job(), &AttributionJob::finished);
            m_window->runAttribution();
            QVERIFY(finished.wait(60000));
            result = finished.at(0).at(0).value<ResultPtr>();
            for (int percent = 99; percent >= 20 && emptyTau < 0; --percent) {
                auto t =
                    attrscope::buildAttributionTree(result->attributionArray(), percent / 100.0);
                if (t && t->empty())
                    emptyTau = percent / 100.0;
            }
            if (emptyTau > 0)
                break;
        }
        if (emptyTau < 0)
            QSKIP("no empty tree for these inputs");
        m_result = result;
        tree->setThreshold(emptyTau);
        QVERIFY(waitForTree(emptyTau));
        QVERIFY(tree->currentBuild()->tree.empty());
        QCOMPARE(tree->edgeItemCount(), 0);
        QVERIFY(tree->message().contains("Lower the threshold"));
        checkMatchesCore(emptyTau);
    }

    void clicksHighlightTheHeatmaps() {
        TreeView* tree = m_window->treeView();
        // The lowest threshold that still gives edges.
        tree->setThreshold(0.05);
        QVERIFY(waitForTree(0.05));
        auto build = tree->currentBuild();
        if (build->tree.empty())
            QSKIP("no edges even at 0.05");
        AnalysisDocument* doc = m_window->document();
        const auto& edge = build->layout.edges.front();

        // A real click on the edge's label selects its layer (Σ heads) and outlines its cell.
        QGraphicsItem* edgeItem = nullptr;
        for (QGraphicsItem* item : tree->scene()->items())
            if (item->data(TreeGraphicsView::kRoleKey).toInt() == TreeGraphicsView::EdgeRole &&
                item->data(TreeGraphicsView::kIndexKey).toInt() == 0)
                edgeItem = item;
        QVERIFY(edgeItem);
        const QPointF labelPos(edge.labelX, edge.labelY);
        const QPoint viewPos = tree->view()->mapFromScene(labelPos);
        QTest::mouseClick(tree->view()->viewport(), Qt::LeftButton, Qt::NoModifier, viewPos);
        QCOMPARE(doc->currentLayer(), edge.layer);
        QCOMPARE(doc->currentHead(), AnalysisDocument::kSumOfHeads);
        QCOMPARE(doc->highlight().cells.size(), 1);
        QCOMPARE(doc->highlight().cells[0], QPoint(edge.child, edge.parent));
        QCOMPARE(m_window->heatmaps()->attributionPlot()->highlightedCellCount(), 1);

        // A node click highlights its token.
        const auto& node = build->layout.nodes.front();
        tree->clickNode(0);
        QCOMPARE(doc->highlight().tokens, QVector<int>{node.token});
        QCOMPARE(m_window->heatmaps()->attributionPlot()->highlightedCellCount(), 0);

        // Double click opens the heatmaps.
        QSignalSpy show(tree, &TreeView::showInHeatmaps);
        const QPoint nodePos = tree->view()->mapFromScene(QPointF(node.x, node.y));
        QTest::mouseDClick(tree->view()->viewport(), Qt::LeftButton, Qt::NoModifier, nodePos);
        QCOMPARE(show.count(), 1);
    }

    void zeroBasedLabelsEverywhere() {
        TreeView* tree = m_window->treeView();
        tree->setThreshold(0.05);
        QVERIFY(waitForTree(0.05));
        auto build = tree->currentBuild();
        if (build->tree.empty())
            QSKIP("no edges even at 0.05");
        AnalysisDocument* doc = m_window->document();
        QTableWidget* completeness = m_window->completenessPanel()->table();
        QCOMPARE(completeness->rowCount(), 4);
        QCOMPARE(completeness->verticalHeaderItem(0)->text(), QStringLiteral("L1"));
        const ViewConventions before = doc->conventions();
        ViewConventions c = before;
        c.oneBased = false;
        doc->setConventions(c);

        QCOMPARE(completeness->verticalHeaderItem(0)->text(), QStringLiteral("L0"));
        QCOMPARE(completeness->verticalHeaderItem(3)->text(), QStringLiteral("L3"));
        // The tree is redrawn: edge labels and tooltips name the 0-based layer (4 layers: no L4).
        QStringList texts, tips;
        std::set<int> edges;  // an edge and its label's halo share the edge's index
        for (QGraphicsItem* item : tree->scene()->items()) {
            if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item))
                texts << text->text();
            if (item->data(TreeGraphicsView::kRoleKey).toInt() == TreeGraphicsView::EdgeRole) {
                tips << item->toolTip();
                edges.insert(item->data(TreeGraphicsView::kIndexKey).toInt());
            }
        }
        QVERIFY(!texts.contains(QStringLiteral("L4")));
        QCOMPARE(int(edges.size()), int(build->layout.edges.size()));
        for (const auto& edge : build->layout.edges) {
            QVERIFY(texts.contains(QStringLiteral("L%1").arg(edge.layer)));
            QVERIFY(tips.filter(QStringLiteral("L%1:").arg(edge.layer)).size() >= 1);
        }
        QVERIFY(tree->message().contains(QStringLiteral("L0 is the first")));
        // The status message of an opened head, and the run panel's progress text.
        m_window->openHead(2, 1);
        QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("L2 H1")),
                 qPrintable(m_window->statusBar()->currentMessage()));
        m_window->showView(MainWindow::View::Tree);
        attrscope::JobProgress p;
        p.layer = 0;
        p.stageCount = 4;
        p.total = 4;
        m_window->runPanel()->setProgress(p);
        QVERIFY2(m_window->runPanel()->progressText().startsWith(QStringLiteral("L0 ")),
                 qPrintable(m_window->runPanel()->progressText()));

        doc->setConventions(before);
        QCOMPARE(completeness->verticalHeaderItem(0)->text(), QStringLiteral("L1"));
        m_window->openHead(2, 1);
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("L3 H2")));
        m_window->showView(MainWindow::View::Tree);
        texts.clear();
        for (QGraphicsItem* item : tree->scene()->items())
            if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item))
                texts << text->text();
        for (const auto& edge : build->layout.edges)
            QVERIFY(texts.contains(QStringLiteral("L%1").arg(edge.layer + 1)));
    }

    void wheelZooms() {
        TreeGraphicsView* view = m_window->treeView()->view();
        const double before = view->zoom();
        view->zoomBy(1.5);
        QVERIFY(std::abs(view->zoom() - before * 1.5) < 1e-9);
        view->fitAll();
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestTreeView)
#include "test_tree_view.moc"
