// Issue 16: paper figures of the other views (head bars, the overview grid, the tree) from a
// tiny model's result: the SVG has one <rect> per bar / map entry, every label as <text> and no
// <image>; the PDF is the requested width with embedded fonts and extractable text; exports are
// light whatever the GUI theme, carry no GUI hints, and number layers and positions with the
// one 0/1-based setting. Helpers: ui_test_util.h.

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "attrscope/model/model.h"
#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "document/analysis_document.h"
#include "engine/attribution_job.h"
#include "export/figure_exporter.h"
#include "export/figure_support.h"
#include "export/headless_render.h"
#include "export/view_panels.h"
#include "figure/colour_bar.h"
#include "figure/figure_options.h"
#include "mainwindow/main_window.h"
#include "plot/qcustomplot_wrapper.h"
#include "ui_test_util.h"
#include "views/bars/head_bars.h"
#include "views/teaching/teaching_export.h"
#include "views/tree/tree_view.h"

using namespace attrscope::ui;
using test::readPdf;
using test::readSvg;
using test::SvgStats;

class TestFigureViews : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }
    AnalysisDocument* doc() const { return m_window->document(); }
    QString exportWith(FigureKind kind, const FigureOptions& o, const QString& name,
                       double tau = 0.3) {
        FigureExporter exporter(doc());
        exporter.setModelName(QStringLiteral("tiny-test"));
        exporter.setFigureOptions(o);
        exporter.setTreeThreshold(tau);
        const QString p = path(name);
        return exporter.exportFigure(kind, p) ? p : QString();
    }
    // PDF: page width = the requested width (±1 pt), fonts embedded, every label extractable.
    void checkPdf(FigureKind kind, const QString& width, const QStringList& labels) {
        if (!test::havePoppler())
            return;
        FigureOptions o;
        o.widthPt = *parseLength(width);
        const QString p = exportWith(kind, o, figureKindName(kind) + QStringLiteral(".pdf"));
        QVERIFY(!p.isEmpty());
        const test::PdfStats s = readPdf(p);
        QVERIFY2(std::abs(s.page.width() - o.widthPt) <= 1.0,
                 qPrintable(QStringLiteral("%1: %2 pt").arg(width).arg(s.page.width())));
        QVERIFY2(s.fontsEmbedded, qPrintable(s.fontList));
        for (const QString& label : labels)
            QVERIFY2(s.text.contains(label), qPrintable(label + QStringLiteral(" in ") + s.text));
    }
    QStringList headLabels() const {
        QStringList out;
        for (int h = 0; h < doc()->numHeads(); ++h)
            out << doc()->conventions().headLabel(h);
        return out;
    }
    QStringList layerLabels() const {
        QStringList out;
        for (int l = 0; l < doc()->numLayers(); ++l)
            out << doc()->conventions().layerLabel(l);
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        if (qEnvironmentVariableIsSet("ATTRSCOPE_KEEP_EXPORTS")) {
            m_dir.setAutoRemove(false);
            qInfo("exports in %s", qPrintable(m_dir.path()));
        }
        m_window = std::make_unique<MainWindow>();
        m_window->setModel(test::tinyModel(), QStringLiteral("tiny-test"));
        m_window->setInput(QStringLiteral("the man is playing guitar"),
                           QStringLiteral("nobody plays"));
        QSignalSpy finished(m_window->job(), &AttributionJob::finished);
        m_window->runAttribution();
        QVERIFY(finished.wait(60000));
        doc()->setSelection(1, -1);
    }

    // One <rect> per bar (attribution and attention for every head) plus the background; head
    // labels and axis titles as text; no GUI hint; light although the window is dark.
    void barsAreRectangles() {
        ViewConventions dark;
        dark.theme = Theme::Dark;
        doc()->setConventions(dark);
        const int H = doc()->numHeads();
        const QString p = exportWith(FigureKind::HeadBars, FigureOptions(), "bars.svg");
        QVERIFY(!p.isEmpty());
        const SvgStats s = readSvg(p);
        QVERIFY(!s.error);
        QCOMPARE(s.images, 0);
        QCOMPARE(s.rects, 1 + 2 * H);
        QCOMPARE(s.fills.value(0), QStringLiteral("#ffffff"));
        for (const QString& h : headLabels())
            QVERIFY2(s.texts.contains(h), qPrintable(h));
        const QString all = s.texts.join(' ');
        QVERIFY(all.contains(QStringLiteral("max attribution")));
        QVERIFY(all.contains(QStringLiteral("max attention")));
        QVERIFY(all.contains(QStringLiteral("tiny-test")));  // caption
        QVERIFY(!all.contains(QStringLiteral("click")));
        doc()->setConventions(ViewConventions());
        checkPdf(FigureKind::HeadBars, QStringLiteral("8.5cm"), headLabels());
        // Caption off, dark when asked.
        FigureOptions o;
        o.caption = false;
        o.dark = true;
        const SvgStats d = readSvg(exportWith(FigureKind::HeadBars, o, "bars-dark.svg"));
        QCOMPARE(d.fills.value(0), QStringLiteral("#252528"));
        QVERIFY(!d.texts.join(' ').contains(QStringLiteral("tiny-test")));
    }

    // The last layer has only the [CLS] row of attribution: with [CLS]/[SEP] hidden the bars
    // are that row's max (not ~1e-7 leftovers) and the figure says why.
    void lastLayerBarsSayWhy() {
        const int last = doc()->numLayers() - 1;
        doc()->setSelection(last, -1);
        ViewConventions c;
        c.hideSpecials = true;
        doc()->setConventions(c);
        for (int h = 0; h < doc()->numHeads(); ++h) {
            const double v = HeadBars::shownMax(*doc(), true, last, h);
            QVERIFY2(std::abs(v) > 1e-5, qPrintable(QString::number(v)));
        }
        QVERIFY(HeadBars::lastLayerNote(*doc(), last).contains(QStringLiteral("[CLS] row")));
        QVERIFY(HeadBars::lastLayerNote(*doc(), 0).isEmpty());
        // On screen: the bars are the [CLS] row's max and the plot says so.
        HeadBars* bars = m_window->headBars();
        for (int h = 0; h < doc()->numHeads(); ++h)
            QCOMPARE(bars->attributionBar(h), HeadBars::shownMax(*doc(), true, last, h));
        auto* plot = qobject_cast<QCustomPlot*>(bars->plotWidget());
        QVERIFY(plot);
        QVERIFY2(plot->xAxis->label().contains(QStringLiteral("only the [CLS] row")),
                 qPrintable(plot->xAxis->label()));
        const SvgStats s = readSvg(exportWith(FigureKind::HeadBars, FigureOptions(), "last.svg"));
        QVERIFY2(s.texts.join(' ').contains(QStringLiteral("only the [CLS] row")),
                 qPrintable(s.texts.join(' ')));
        QCOMPARE(s.rects, 1 + 2 * doc()->numHeads());
        doc()->setConventions(ViewConventions());
        doc()->setSelection(1, -1);
    }

    // The overview: one <rect> per entry of every map (L × (Σ + H) maps of m × m), plus the
    // background and the colour bar; every layer and head label as text.
    void overviewCellsAreRectangles() {
        const int L = doc()->numLayers(), H = doc()->numHeads();
        for (bool hide : {false, true}) {
            ViewConventions c;
            c.hideSpecials = hide;
            c.theme = hide ? Theme::Dark : Theme::Light;  // the figure stays light
            doc()->setConventions(c);
            const int m = doc()->displayAxis().size();
            for (FigureKind kind :
                 {FigureKind::OverviewAttention, FigureKind::OverviewAttribution}) {
                const QString p = exportWith(kind, FigureOptions(), figureKindName(kind) + ".svg");
                QVERIFY(!p.isEmpty());
                const SvgStats s = readSvg(p);
                QCOMPARE(s.images, 0);
                QCOMPARE(s.rects, 1 + L * (H + 1) * m * m + kColourBarRects);
                QCOMPARE(s.fills.value(0), QStringLiteral("#ffffff"));
                for (const QString& label : layerLabels() + headLabels())
                    QVERIFY2(s.texts.contains(label), qPrintable(label));
                QVERIFY(s.texts.contains(QStringLiteral("\u03a3")));
            }
        }
        doc()->setConventions(ViewConventions());
        checkPdf(FigureKind::OverviewAttribution, QStringLiteral("12cm"),
                 layerLabels() + headLabels());
        // Long inputs are max-pooled (by |value|) and the figure says so.
        const int m = doc()->displayAxis().size();
        const GridChart pooled = overviewChart(*doc(), true, ScaleMode::PerHead, 4);
        const int pool = (m + 3) / 4;
        QCOMPARE(pooled.side, (m + pool - 1) / pool);
        QVERIFY(pooled.note.contains(QStringLiteral("max-pooled")));
        for (const auto& map : pooled.maps) {
            if (map.empty())
                continue;
            QCOMPARE(int(map.size()), pooled.side * pooled.side);
            float peak = 0;
            for (float v : map)
                peak = std::max(peak, std::abs(v));
            QVERIFY(peak <= 1.0f + 1e-6f);  // fractions of the map's limit
        }
    }

    // The tree: vector (no <image>), every node and edge label as text in the one numbering,
    // no burned-in title, caption on/off, PDF at the requested width.
    void treeExport() {
        const double tau = 0.3;
        auto tree = attrscope::buildAttributionTree(assembleAttribution(*doc()), tau);
        QVERIFY(tree.ok());
        QVERIFY(!tree->edges.empty());
        const auto& tokens = doc()->encoding().tokens;
        for (bool oneBased : {true, false}) {
            ViewConventions c;
            c.oneBased = oneBased;
            c.theme = oneBased ? Theme::Dark : Theme::Light;  // the figure stays light
            doc()->setConventions(c);
            const int base = oneBased ? 1 : 0;
            QStringList labels;
            for (int node : tree->nodes())
                labels << QStringLiteral("%1(%2)")
                              .arg(QString::fromStdString(tokens[size_t(node)]))
                              .arg(node + base);
            for (const auto& e : tree->edges)
                labels << c.layerLabel(e.layer);
            const QString p = exportWith(FigureKind::Tree, FigureOptions(), "tree.svg", tau);
            QVERIFY(!p.isEmpty());
            const SvgStats s = readSvg(p);
            QCOMPARE(s.images, 0);
            QCOMPARE(s.fills.value(0), QStringLiteral("#ffffff"));
            for (const QString& label : labels)
                QVERIFY2(s.texts.contains(label),
                         qPrintable(label + QStringLiteral(" in ") + s.texts.join('|')));
            const QString all = s.texts.join(' ');
            QVERIFY(all.contains(QStringLiteral("tiny-test")));
            QVERIFY(!all.contains(QStringLiteral("AttrScope attribution tree")));
            QVERIFY(all.contains(oneBased ? QStringLiteral("numbered from 1")
                                          : QStringLiteral("numbered from 0")));
        }
        doc()->setConventions(ViewConventions());
        FigureOptions o;
        o.caption = false;
        const SvgStats s = readSvg(exportWith(FigureKind::Tree, o, "tree-nocap.svg", tau));
        QVERIFY(!s.texts.join(' ').contains(QStringLiteral("tiny-test")));
        QStringList nodes;
        for (int node : tree->nodes())
            nodes << QStringLiteral("%1(%2)")
                         .arg(QString::fromStdString(tokens[size_t(node)]))
                         .arg(node + 1);
        checkPdf(FigureKind::Tree, QStringLiteral("17cm"), nodes);
    }

    // bars.csv: heads in the one numbering, and the header says which.
    void barsCsvNumbering() {
        for (bool oneBased : {true, false}) {
            ViewConventions c;
            c.oneBased = oneBased;
            doc()->setConventions(c);
            const QString p = path(QStringLiteral("bars.csv"));
            FigureExporter exporter(doc());
            QVERIFY(exporter.exportData(FigureKind::HeadBars, p));
            QFile f(p);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(f.readAll());
            const QString base = oneBased ? QStringLiteral("1-based") : QStringLiteral("0-based");
            QVERIFY2(text.contains(QStringLiteral("# %1 layers and heads").arg(base)),
                     qPrintable(text));
            QVERIFY(
                !text.contains(oneBased ? QStringLiteral("0-based") : QStringLiteral("1-based")));
            const QStringList rows =
                text.split('\n', Qt::SkipEmptyParts).filter(QRegularExpression("^[0-9]"));
            QCOMPARE(rows.size(), doc()->numHeads());
            QVERIFY(rows.first().startsWith(QString::number(oneBased ? 1 : 0) + QLatin1Char(',')));
            QVERIFY(exporter.exportData(FigureKind::HeadBars, path(QStringLiteral("bars.json"))));
            QFile j(path(QStringLiteral("bars.json")));
            QVERIFY(j.open(QIODevice::ReadOnly));
            QVERIFY(
                j.readAll().contains(QStringLiteral("\"numbering\": \"%1\"").arg(base).toUtf8()));
        }
        doc()->setConventions(ViewConventions());
    }

    // The teaching path figure from its numbers: lines and text as vectors, one circle per
    // marked point, the background the only <rect>; PDF at the requested width.
    void teachingFigureFromNumbers() {
        TeachingPathData d;
        d.caption = {QStringLiteral("Path of L2 \u00b7 tiny-test"), QStringLiteral("input: x")};
        d.layer = 1;
        d.targetLabel = QStringLiteral("entailment");
        d.rule = QStringLiteral("right");
        d.steps = 4;
        for (int k = 0; k <= 50; ++k) {
            d.denseAlphas.push_back(k / 50.0);
            d.denseF.push_back(0.3 + 0.4 * std::sin(k / 50.0));
        }
        double end = 0, sum = 0;
        for (int k = 1; k <= 4; ++k) {
            d.pointAlphas.push_back(k / 4.0);
            d.pointF.push_back(0.3 + 0.4 * std::sin(k / 4.0));
            d.weights.push_back(0.25);
            d.slopes.push_back(0.4 * std::cos(k / 4.0));
            end += 0.25;
            sum += 0.25 * d.slopes.back();
            d.runningEnds.push_back(end);
            d.runningSums.push_back(sum);
        }
        FigureOptions o;
        const LineFigure figure = teachingFigure(d, QStringLiteral("L2"), o);
        QCOMPARE(figure.markerCount(), 8);
        const QString svg = path(QStringLiteral("teaching.svg"));
        QCOMPARE(figure.write(svg, QStringLiteral("t")), QString());
        const SvgStats s = readSvg(svg);
        QCOMPARE(s.images, 0);
        QCOMPARE(s.rects, 1);
        // The legend's two marker samples and one circle per point.
        QCOMPARE(s.elements.value(QStringLiteral("ellipse")) +
                     s.elements.value(QStringLiteral("circle")),
                 8 + 2);
        const QString all = s.texts.join(' ');
        for (const char* text : {"probability change", "p(entailment)", "integration points",
                                 "running \u03a3 attribution", "tiny-test"})
            QVERIFY2(all.contains(QString::fromUtf8(text)), text);
        o.caption = false;
        const QString bare = path(QStringLiteral("teaching-bare.svg"));
        QCOMPARE(teachingFigure(d, QStringLiteral("L2"), o).write(bare, QStringLiteral("t")),
                 QString());
        QVERIFY(!readSvg(bare).texts.join(' ').contains(QStringLiteral("tiny-test")));
        if (test::havePoppler()) {
            o.widthPt = *parseLength(QStringLiteral("12cm"));
            const QString pdf = path(QStringLiteral("teaching.pdf"));
            QCOMPARE(teachingFigure(d, QStringLiteral("L2"), o).write(pdf, QStringLiteral("t")),
                     QString());
            const test::PdfStats p = readPdf(pdf);
            QVERIFY(std::abs(p.page.width() - o.widthPt) <= 1.0);
            QVERIFY2(p.fontsEmbedded, qPrintable(p.fontList));
            QVERIFY(p.text.contains(QStringLiteral("probability change")));
        }
    }

    // `attrscope --render --view teaching`: the path figure from a session and its model.
    void headlessTeaching() {
        const QString dir =
            QStringLiteral(ATTRSCOPE_TEST_DATA_DIR "/golden/tiny-uncased-3cls/model");
        auto model = attrscope::Model::load(dir.toStdString());
        QVERIFY2(model.ok(), model.ok() ? "" : model.error().c_str());
        MainWindow window;
        window.setModel(model.value(), QStringLiteral("golden"));
        window.setInput(QStringLiteral("the man is playing a guitar"),
                        QStringLiteral("a man plays"));
        QSignalSpy finished(window.job(), &AttributionJob::finished);
        window.runAttribution();
        QVERIFY(finished.wait(120000));
        const QString session = path(QStringLiteral("teaching.attrscope"));
        QVERIFY(window.saveSession(session));
        // The points layer 1 used (the GUI's adaptive rule picks them per layer).
        const int steps = window.document()->result()->layer(1)->steps;
        for (const char* ext : {"svg", "pdf", "csv"}) {
            RenderOptions r;
            r.sessionPath = session;
            r.teaching = true;
            r.modelPath = dir;
            r.layer = 1;
            r.head = -1;
            r.figure.widthPt = 300;
            r.out = path(QStringLiteral("teaching-render.") + ext);
            QString message;
            QCOMPARE(renderFigure(r, &message), 0);
            QVERIFY(QFileInfo(r.out).size() > 100);
            if (QByteArray(ext) == "svg") {
                QVERIFY2(message.contains(QStringLiteral("300.0 \u00d7")), qPrintable(message));
                const SvgStats s = readSvg(r.out);
                QCOMPARE(s.images, 0);
                QCOMPARE(s.rects, 1);
                // A circle per integration point and per running sum, and two legend samples.
                QCOMPARE(s.elements.value(QStringLiteral("ellipse")) +
                             s.elements.value(QStringLiteral("circle")),
                         2 * steps + 2);
                QVERIFY(s.texts.join(' ').contains(QStringLiteral("probability change")));
            } else if (QByteArray(ext) == "pdf" && test::havePoppler()) {
                const test::PdfStats p = readPdf(r.out);
                QVERIFY(std::abs(p.page.width() - 300) <= 1.0);
                QVERIFY2(p.fontsEmbedded, qPrintable(p.fontList));
                QVERIFY(p.text.contains(QStringLiteral("probability change")));
            }
        }
    }

    // `attrscope --render --view bars|overview|tree` with the paper options.
    void headlessViews() {
        const QString session = path(QStringLiteral("s.attrscope"));
        QVERIFY(m_window->saveSession(session));
        for (FigureKind kind : {FigureKind::HeadBars, FigureKind::OverviewAttention,
                                FigureKind::OverviewAttribution, FigureKind::Tree}) {
            RenderOptions r;
            r.sessionPath = session;
            r.out = path(figureKindName(kind) + QStringLiteral("-render.svg"));
            r.kind = kind;
            r.layer = 0;
            r.head = -1;
            r.tau = 0.3;
            r.figure.widthPt = 300;
            r.figure.fontPt = 9;
            QString message;
            QCOMPARE(renderFigure(r, &message), 0);
            QVERIFY2(message.contains(QStringLiteral("300.0 \u00d7")), qPrintable(message));
            QFile f(r.out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray svg = f.readAll();
            QVERIFY(svg.contains("viewBox=\"0 0 300 "));
            QVERIFY(!svg.contains("<image"));
        }
    }
};

QTEST_MAIN(TestFigureViews)
#include "test_figure_views.moc"
