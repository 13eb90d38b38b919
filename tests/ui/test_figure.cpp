// Issue 16: paper figures of the heatmap views and the saliency text, from a tiny model's
// result. The exported SVG is parsed (one <rect> per cell, every token a <text>, no <image>),
// the PDF is checked with poppler's pdfinfo / pdffonts / pdftotext (page width = the requested
// width, fonts embedded, tokens extractable), the last layer is a 1×n [CLS] strip, and the
// command line's options are tried. test_figure_units.cpp has the parts without a model.

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <cmath>

#include "document/analysis_document.h"
#include "export/figure_exporter.h"
#include "export/headless_render.h"
#include "export/heatmap_panels.h"
#include "export/saliency_export.h"
#include "figure/color_scale.h"
#include "figure/figure_options.h"
#include "figure/figure_options_dialog.h"
#include "figure/heatmap_figure.h"
#include "figure/saliency_text.h"
#include "mainwindow/main_window.h"
#include "plot/palette.h"
#include "ui_test_util.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"

using namespace attrscope::ui;

using test::readSvg;
using test::run;
using test::SvgStats;

class TestFigure : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }
    AnalysisDocument* doc() const { return m_window->document(); }
    bool havePoppler() const { return test::havePoppler(); }
    QString exportWith(FigureKind kind, const FigureOptions& o, const QString& name) {
        FigureExporter exporter(doc());
        exporter.setModelName(QStringLiteral("tiny-test"));
        exporter.setFigureOptions(o);
        const QString p = path(name);
        return exporter.exportFigure(kind, p) ? p : QString();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_window = std::make_unique<MainWindow>();
        m_window->setModel(test::tinyModel(), QStringLiteral("tiny-test"));
        m_window->setInput(QStringLiteral("the man is playing guitar"),
                           QStringLiteral("nobody plays"));
        QSignalSpy finished(m_window->job(), &AttributionJob::finished);
        m_window->runAttribution();
        QVERIFY(finished.wait(60000));
        doc()->setSelection(1, -1);
    }

    // One <rect> per cell, tokens as <text>, no <image>, for each heatmap view.
    void svgCellsAreRectangles() {
        const TokenAxis axis = doc()->displayAxis();
        const int n = axis.size();
        for (FigureKind kind :
             {FigureKind::Attention, FigureKind::Attribution, FigureKind::HeatmapPair}) {
            const int panels = kind == FigureKind::HeatmapPair ? 2 : 1;
            const QString p = exportWith(kind, FigureOptions(), figureKindName(kind) + ".svg");
            QVERIFY(!p.isEmpty());
            const SvgStats s = readSvg(p);
            QVERIFY(!s.error);
            QCOMPARE(s.images, 0);
            QCOMPARE(s.rects, 1 + panels * (n * n + HeatmapFigure::kColourBarSteps));
            // Cells are the rectangles of one size: n×n of them per panel.
            int cells = 0;
            for (int count : s.rectSizes)
                cells = std::max(cells, count);
            QCOMPARE(cells, panels * n * n);
            // Row and column labels; the pair's right map shares the left map's row labels.
            for (const QString& token : axis.labels)
                QVERIFY2(s.texts.count(token) >= 2 * panels - (panels - 1), qPrintable(token));
            QVERIFY(s.texts.join(' ').contains(QStringLiteral("tiny-test")));  // caption
            QVERIFY(s.texts.join(' ').contains(QStringLiteral("attribution to p(")) ||
                    kind == FigureKind::Attention);
        }
    }

    // The last layer's attribution is a 1×n [CLS] strip that says why, also with specials
    // hidden (which would otherwise leave nothing).
    void lastLayerIsAClsStrip() {
        const int last = doc()->numLayers() - 1;
        doc()->setSelection(last, -1);
        QVERIFY(Conventions::isClsRowOnly(doc()->attributionMap(last, -1), doc()->tokenCount()));
        QVERIFY(!Conventions::isClsRowOnly(doc()->attributionMap(0, -1), doc()->tokenCount()));
        for (bool hide : {false, true}) {
            ViewConventions c;
            c.hideSpecials = hide;
            doc()->setConventions(c);
            const int n = doc()->displayAxis().size();
            const QString p = exportWith(FigureKind::Attribution, FigureOptions(),
                                         QStringLiteral("last%1.svg").arg(hide));
            QVERIFY(!p.isEmpty());
            const SvgStats s = readSvg(p);
            QCOMPARE(s.images, 0);
            QCOMPARE(s.rects, 1 + n + HeatmapFigure::kColourBarSteps);
            const QString all = s.texts.join(' ');
            QVERIFY2(all.contains(QStringLiteral("only the [CLS] row reaches the output")),
                     qPrintable(all));
            QVERIFY(s.texts.contains(QStringLiteral("[CLS]")));
            for (const QString& token : doc()->displayAxis().labels)
                QVERIFY2(s.texts.contains(token), qPrintable(token));
        }
        // On screen: the title says so, and with [CLS] hidden the map says why it is empty.
        HeatmapPlot* plot = m_window->heatmaps()->attributionPlot();
        QVERIFY(plot->title().contains(QStringLiteral("[CLS] row only")));
        QVERIFY(!plot->hasMatrix());
        QVERIFY(plot->message().contains(QStringLiteral("only the [CLS] row")));
        QVERIFY(plot->message().contains(QStringLiteral("[CLS] is hidden")));
        doc()->setConventions(ViewConventions());
        QVERIFY(plot->hasMatrix());
        QVERIFY(plot->title().contains(QStringLiteral("[CLS] row only")));
        doc()->setSelection(1, -1);
        QVERIFY(!plot->title().contains(QStringLiteral("[CLS] row only")));
        QVERIFY(plot->scaleLabel().contains(QStringLiteral("\u03a3 2 heads")));
        QVERIFY(m_window->heatmaps()->attentionPlot()->scaleLabel().startsWith(
            QStringLiteral("attention (\u03a3 2 heads")));
    }

    // Light by default whatever the GUI theme; dark when asked; no caption when off.
    void themeAndCaption() {
        ViewConventions c;
        c.theme = Theme::Dark;
        doc()->setConventions(c);
        QString p = exportWith(FigureKind::Attention, FigureOptions(), QStringLiteral("l.svg"));
        QCOMPARE(readSvg(p).fills.value(0), QStringLiteral("#ffffff"));
        FigureOptions o;
        o.dark = true;
        o.caption = false;
        p = exportWith(FigureKind::Attention, o, QStringLiteral("d.svg"));
        const SvgStats s = readSvg(p);
        QCOMPARE(s.fills.value(0), QStringLiteral("#252528"));
        QVERIFY(!s.texts.join(' ').contains(QStringLiteral("tiny-test")));
        doc()->setConventions(ViewConventions());
    }

    // The colour bar names the quantity and the scale.
    void colourBarLabels() {
        FigureOptions o;
        o.scale = *parseScaleSpec("gamma:0.5");
        const QString p = exportWith(FigureKind::HeatmapPair, o, QStringLiteral("g.svg"));
        const QString all = readSvg(p).texts.join(QString()).remove(QRegularExpression("\\s"));
        QVERIFY2(all.contains(QStringLiteral("attention(\u03a32heads)\u00b7gamma0.5")),
                 qPrintable(all));
        QVERIFY(all.contains(QStringLiteral("(\u03a32heads)\u00b7gamma0.5")));
        o.scale = *parseScaleSpec("percentile:99");
        const QString q = exportWith(FigureKind::Attribution, o, QStringLiteral("p.svg"));
        QVERIFY(readSvg(q).texts.join(' ').contains(QStringLiteral("clipped at 99th pct")));
        doc()->setSelection(1, 0);
        const QString h = exportWith(FigureKind::Attention, FigureOptions(), "h.svg");
        QVERIFY(readSvg(h).texts.join(' ').contains(QStringLiteral("attention probability")));
        doc()->setSelection(1, -1);
    }

    // PNG: the requested width at the requested DPI.
    void pngHasTheWidthAtTheDpi() {
        FigureExporter exporter(doc());
        FigureOptions o;
        o.widthPt = *parseLength(QStringLiteral("8.5cm"));
        exporter.setFigureOptions(o);
        exporter.setPngDpi(300);
        const QString p = path(QStringLiteral("col.png"));
        QVERIFY(exporter.exportFigure(FigureKind::Attribution, p));
        const QImage image(p);
        QCOMPARE(image.width(), int(std::lround(o.widthPt / 72.0 * 300)));  // 1004 px
        QCOMPARE(image.height(), int(std::lround(exporter.lastFigurePoints().height() / 72 * 300)));
        QCOMPARE(image.dotsPerMeterX(), int(std::lround(300 / 0.0254)));
        QCOMPARE(image.pixelColor(1, 1), QColor(Qt::white));
    }

    // PDF: page width = the requested width (±1 pt), fonts embedded, tokens extractable.
    void pdfForPapers() {
        if (!havePoppler())
            QSKIP("poppler-utils (pdfinfo, pdffonts, pdftotext) not installed");
        const QStringList tokens = doc()->displayAxis().labels;
        struct Case {
            FigureKind kind;
            QString width;
        };
        for (const Case& c : {Case{FigureKind::Attention, QStringLiteral("8.5cm")},
                              Case{FigureKind::Attribution, QStringLiteral("240pt")},
                              Case{FigureKind::HeatmapPair, QStringLiteral("17cm")}}) {
            FigureOptions o;
            o.widthPt = *parseLength(c.width);
            const QString p = exportWith(c.kind, o, figureKindName(c.kind) + ".pdf");
            QVERIFY(!p.isEmpty());
            const QString info = run(QStringLiteral("pdfinfo"), {p});
            const auto m = QRegularExpression(QStringLiteral("Page size:\\s+([0-9.]+) x ([0-9.]+)"))
                               .match(info);
            QVERIFY2(m.hasMatch(), qPrintable(info));
            QVERIFY2(std::abs(m.captured(1).toDouble() - o.widthPt) <= 1.0,
                     qPrintable(c.width + QStringLiteral(": ") + m.captured(0)));
            const QStringList fonts =
                run(QStringLiteral("pdffonts"), {p}).split('\n', Qt::SkipEmptyParts).mid(2);
            QVERIFY(!fonts.isEmpty());
            for (const QString& line : fonts) {
                const QStringList f = line.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
                // name type… encoding emb sub uni object ID: emb is the 5th field from the end
                QVERIFY2(f.size() >= 6 && f[f.size() - 5] == QLatin1String("yes"),
                         qPrintable(line));
            }
            const QString text = run(QStringLiteral("pdftotext"), {p, QStringLiteral("-")});
            for (const QString& token : tokens)
                QVERIFY2(text.contains(token), qPrintable(token + QStringLiteral(" in ") + text));
        }
    }

    // The GUI's options: the dialog gives back what it was given, QSettings remembers them,
    // and File > Export figure draws with them.
    void guiOptionsAreRemembered() {
        FigureOptions o;
        o.widthPt = 300;
        o.fontPt = 9.5;
        o.caption = false;
        o.dark = true;
        o.scale = *parseScaleSpec("symlog:0.02");
        o.dpi = 450;
        FigureOptionsDialog dialog(o, true);
        const FigureOptions back = dialog.options();
        QCOMPARE(back.widthPt, 300.0);
        QCOMPARE(back.fontPt, 9.5);
        QCOMPARE(back.caption, false);
        QCOMPARE(back.dark, true);
        QVERIFY(back.scale.kind == ScaleKind::SymLog);
        QCOMPARE(back.scale.linearWidth, 0.02);
        QCOMPARE(back.dpi, 450);
        {
            QSettings settings(path(QStringLiteral("options.ini")), QSettings::IniFormat);
            saveFigureOptions(settings, o);
        }
        QSettings settings(path(QStringLiteral("options.ini")), QSettings::IniFormat);
        const FigureOptions loaded = loadFigureOptions(settings);
        QCOMPARE(loaded.widthPt, 300.0);
        QCOMPARE(loaded.fontPt, 9.5);
        QCOMPARE(loaded.caption, false);
        QCOMPARE(loaded.dark, true);
        QVERIFY(loaded.scale.kind == ScaleKind::SymLog);
        QCOMPARE(loaded.scale.linearWidth, 0.02);
        QCOMPARE(loaded.dpi, 450);

        o.dark = false;
        m_window->setFigureOptions(o);
        const QString p = path(QStringLiteral("window.svg"));
        QVERIFY(m_window->exportFigure(FigureKind::Attention, p));
        QFile f(p);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("viewBox=\"0 0 300 "));
        m_window->setFigureOptions(FigureOptions());
    }

    // The saliency text view: SVG boxes are rects under text runs, PDF text extractable.
    void saliencyExports() {
        doc()->setSelection(doc()->numLayers() - 1, -1);
        const SvgStats s = readSvg(exportWith(FigureKind::Saliency, FigureOptions(), "sal.svg"));
        QCOMPARE(s.images, 0);
        QStringList words;
        for (const QString& label : doc()->displayAxis().labels)
            if (!Conventions::isSpecial(label))
                words << displayToken(label);
        QCOMPARE(s.rects, 1 + int(words.size()) + kColourBarRects);
        for (const QString& w : words)
            QVERIFY2(s.texts.contains(w), qPrintable(w));
        QVERIFY(s.texts.join(' ').contains(QStringLiteral("received")));
        for (const char* ext : {"html", "tex", "csv", "json"}) {
            const QString p = path(QStringLiteral("sal.") + ext);
            const bool data = QByteArray(ext) == "csv" || QByteArray(ext) == "json";
            QVERIFY(data ? m_window->exportData(FigureKind::Saliency, p)
                         : m_window->exportFigure(FigureKind::Saliency, p));
            QVERIFY(QFileInfo(p).size() > 100);
        }
        if (havePoppler()) {
            FigureOptions o;
            o.widthPt = *parseLength(QStringLiteral("12cm"));
            const QString p = exportWith(FigureKind::Saliency, o, "sal.pdf");
            const QString info = run(QStringLiteral("pdfinfo"), {p});
            const auto m =
                QRegularExpression(QStringLiteral("Page size:\\s+([0-9.]+) x")).match(info);
            QVERIFY(m.hasMatch());
            QVERIFY(std::abs(m.captured(1).toDouble() - o.widthPt) <= 1.0);
            const QString text = run(QStringLiteral("pdftotext"), {p, QStringLiteral("-")});
            for (const QString& w : words)
                QVERIFY2(text.contains(w), qPrintable(w));
        }
        // Other sources: numbers in the CSV are the column (row) sums of the displayed maps.
        const TokenAxis axis = doc()->displayAxis();
        const int m = axis.size(), layer = doc()->currentLayer();
        for (SaliencySource source : {SaliencySource::Received, SaliencySource::Given,
                                      SaliencySource::AllLayers, SaliencySource::Attention}) {
            FigureExporter exporter(doc());
            exporter.setSaliencySource(source);
            const QString csv = path(QStringLiteral("src.csv"));
            QVERIFY(exporter.exportData(FigureKind::Saliency, csv));
            QFile f(csv);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QList<double> got;
            for (const QByteArray& line : f.readAll().split('\n'))
                if (!line.isEmpty() && !line.startsWith('#') && !line.startsWith("index,"))
                    got << line.split(',').last().toDouble();
            QList<double> want;
            for (int j = 0; j < m; ++j) {
                if (Conventions::isSpecial(axis.labels[j]))
                    continue;
                double sum = 0;
                for (int l = 0; l < doc()->numLayers(); ++l) {
                    if (source != SaliencySource::AllLayers && l != layer)
                        continue;
                    const auto map = source == SaliencySource::Attention
                                         ? doc()->displayedAttention(l, -1)
                                         : doc()->displayedAttribution(l, -1);
                    for (int k = 0; k < m; ++k)
                        sum += source == SaliencySource::Given ? map[size_t(j * m + k)]
                                                               : map[size_t(k * m + j)];
                }
                want << sum;
            }
            QVERIFY2(got.size() == want.size(),
                     qPrintable(QString::number(want.size()) + QStringLiteral(" ") +
                                doc()->displayAxis().labels.join(QLatin1Char(' '))));
            for (int k = 0; k < got.size(); ++k)
                QVERIFY2(std::abs(got[k] - want[k]) < 1e-6 * (1 + std::abs(want[k])),
                         qPrintable(saliencySourceName(source)));
            const QString html = path(QStringLiteral("src.html"));
            QVERIFY(exporter.exportFigure(FigureKind::Saliency, html));
            QFile h(html);
            QVERIFY(h.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(h.readAll());
            QVERIFY(text.contains(source == SaliencySource::Attention ? "attention received"
                                  : source == SaliencySource::Given   ? "given, \u03a3 over key"
                                                                      : "received, \u03a3 over"));
        }
        QVERIFY(parseSaliencySource(QStringLiteral("all-layers")) == SaliencySource::AllLayers);
        QVERIFY(!parseSaliencySource(QStringLiteral("sideways")));
        // No figure format for the others.
        FigureExporter exporter(doc());
        QVERIFY(!exporter.exportFigure(FigureKind::Attention, path(QStringLiteral("a.tex"))));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("a.tex"))));
        doc()->setSelection(1, -1);
    }

    // `attrscope --render` from a session with the paper options.
    void headlessRenderHonoursOptions() {
        const QString session = path(QStringLiteral("s.attrscope"));
        QVERIFY(m_window->saveSession(session));
        RenderOptions r;
        r.sessionPath = session;
        r.out = path(QStringLiteral("render.svg"));
        r.kind = FigureKind::Attention;
        r.layer = 0;
        r.head = -1;
        r.figure.widthPt = 300;
        r.figure.fontPt = 10;
        QString message;
        QCOMPARE(renderFigure(r, &message), 0);
        QVERIFY2(message.contains(QStringLiteral("300.0 \u00d7")), qPrintable(message));
        QFile f(r.out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray svg = f.readAll();
        QVERIFY(svg.contains("viewBox=\"0 0 300 "));
        QVERIFY(svg.contains("font-size=\"10\""));
        QVERIFY(!svg.contains("<image"));
    }

    // The command line: lengths with units, font size, caption, theme, colour scale; a bad
    // value is a usage error (exit 2) and writes nothing.
    void commandLineOptions() {
        const QString session = path(QStringLiteral("cli.attrscope"));
        QVERIFY(m_window->saveSession(session));
        const QString out = path(QStringLiteral("cli.svg"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ATTRSCOPE_APP_PATH),
                {QStringLiteral("--render"), out, QStringLiteral("--session"), session,
                 QStringLiteral("--view"), QStringLiteral("attribution"), QStringLiteral("--layer"),
                 QStringLiteral("2"), QStringLiteral("--width"), QStringLiteral("8.5cm"),
                 QStringLiteral("--font-size"), QStringLiteral("9"), QStringLiteral("--caption"),
                 QStringLiteral("off"), QStringLiteral("--theme"), QStringLiteral("dark"),
                 QStringLiteral("--color-scale"), QStringLiteral("p99")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const SvgStats s = readSvg(out);
        QCOMPARE(s.fills.value(0), QStringLiteral("#252528"));
        QVERIFY(s.texts.join(' ').contains(QStringLiteral("clipped at 99th pct")));
        QVERIFY(!s.texts.join(' ').contains(QStringLiteral("tiny-test")));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray svg = f.readAll();
        QVERIFY(svg.contains("viewBox=\"0 0 240.945 "));
        QVERIFY(svg.contains("font-size=\"9\""));
        for (const QStringList& bad :
             {QStringList{QStringLiteral("--width"), QStringLiteral("wide")},
              QStringList{QStringLiteral("--caption"), QStringLiteral("maybe")},
              QStringList{QStringLiteral("--color-scale"), QStringLiteral("gamma:0")},
              QStringList{QStringLiteral("--font-size"), QStringLiteral("1")}}) {
            const QString none = path(QStringLiteral("bad.svg"));
            p.start(QStringLiteral(ATTRSCOPE_APP_PATH),
                    QStringList{QStringLiteral("--render"), none, QStringLiteral("--session"),
                                session} +
                        bad);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 2);
            QVERIFY(!QFileInfo::exists(none));
        }
    }
};

QTEST_MAIN(TestFigure)
#include "test_figure.moc"
