// Issue 6: figure and data exports, sessions, official JSONL files and the display conventions.
// Exports are checked as files: SVG parses and keeps tokens as text, PDF page size, PNG pixels
// for the DPI, CSV/JSON numbers equal the engine's, failures leave no file.

#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include "attrscope/json/result_json.h"
#include "attrscope/json/session.h"
#include "document/analysis_document.h"
#include "document/conventions.h"
#include "export/figure_exporter.h"
#include "mainwindow/main_window.h"
#include "plot/palette.h"
#include "session/session_controller.h"
#include "ui_test_util.h"
#include "views/bars/head_bars.h"
#include "views/overview/overview_canvas.h"
#include "views/tree/tree_view.h"

using namespace attrscope::ui;

class TestExport : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    ResultPtr m_result;
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    static QByteArray readAll(const QString& p) {
        QFile f(p);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Every <text> element's whole content.
    static QStringList svgTexts(const QString& p) {
        QXmlStreamReader xml(readAll(p));
        QStringList texts;
        QString current;
        int depth = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
                ++depth;
                current.clear();
            } else if (xml.isEndElement() && xml.name() == QLatin1String("text")) {
                --depth;
                texts << current.trimmed();
            } else if (depth > 0 && xml.isCharacters()) {
                current += xml.text().toString();
            }
        }
        return texts;
    }
    static bool close(const QColor& a, const QColor& b, int tolerance) {
        return std::abs(a.red() - b.red()) <= tolerance &&
               std::abs(a.green() - b.green()) <= tolerance &&
               std::abs(a.blue() - b.blue()) <= tolerance;
    }
    void checkSameResult(const attrscope::AttributionResult& a,
                         const attrscope::AttributionResult& b) {
        QCOMPARE(a.encoding.tokens, b.encoding.tokens);
        QCOMPARE(a.prediction.attention.shape, b.prediction.attention.shape);
        QVERIFY(a.prediction.attention.data == b.prediction.attention.data);
        QVERIFY(a.attributionArray().data == b.attributionArray().data);
        QCOMPARE(a.target, b.target);
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
        m_result = finished.at(0).at(0).value<ResultPtr>();
        QVERIFY(m_result && m_result->isComplete());
        m_window->document()->setSelection(1, 0);
    }

    void svgParsesAndKeepsTokensAsText() {
        const QString p = path(QStringLiteral("pair.svg"));
        QVERIFY2(m_window->exportFigure(FigureKind::HeatmapPair, p),
                 qPrintable(m_window->lastError()));
        QXmlStreamReader xml(readAll(p));
        QStringList texts;
        bool inText = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("text"))
                inText = true;
            else if (xml.isEndElement() && xml.name() == QLatin1String("text"))
                inText = false;
            else if (inText && xml.isCharacters())
                texts << xml.text().toString().trimmed();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        for (const auto& token : m_result->encoding.tokens)
            QVERIFY2(texts.contains(QString::fromStdString(token)), token.c_str());
        const QString all = texts.join(QLatin1Char(' '));
        QVERIFY(all.contains(QStringLiteral("tiny-test")));  // the caption
        QVERIFY(all.contains(QStringLiteral("L2")));         // layer index 1 shown 1-based
    }

    void pdfHasFigurePageSize() {
        const QString p = path(QStringLiteral("pair.pdf"));
        FigureExporter exporter(m_window->document());
        QVERIFY(exporter.exportFigure(FigureKind::HeatmapPair, p));
        const QByteArray bytes = readAll(p);
        QVERIFY(bytes.startsWith("%PDF"));
        const auto m = QRegularExpression(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"))
                           .match(QString::fromLatin1(bytes));
        QVERIFY(m.hasMatch());
        const QSize size = exporter.lastFigureSize();
        QVERIFY(std::abs(m.captured(1).toDouble() - size.width() * 72.0 / exporter.baseDpi()) <
                1.0);
        QVERIFY(std::abs(m.captured(2).toDouble() - size.height() * 72.0 / exporter.baseDpi()) <
                1.0);
    }

    void pngHasPixelsForDpi() {
        for (int dpi : {96, 150, 300}) {
            const QString p = path(QStringLiteral("bars_%1.png").arg(dpi));
            FigureExporter exporter(m_window->document());
            exporter.setPngDpi(dpi);
            QVERIFY(exporter.exportFigure(FigureKind::HeadBars, p));
            QImage image(p);
            QVERIFY(!image.isNull());
            // The figure's size in points at the DPI.
            const QSizeF points = exporter.lastFigurePoints();
            QCOMPARE(image.width(), int(std::lround(points.width() * dpi / 72.0)));
            QCOMPARE(image.height(), int(std::lround(points.height() * dpi / 72.0)));
            QCOMPARE(image.dotsPerMeterX(), int(std::lround(dpi / 0.0254)));
        }
    }

    void everyViewExportsInEveryFormat() {
        for (FigureKind kind :
             {FigureKind::HeatmapPair, FigureKind::Attention, FigureKind::Attribution,
              FigureKind::HeadBars, FigureKind::OverviewAttention, FigureKind::OverviewAttribution,
              FigureKind::Tree}) {
            for (const char* ext : {"svg", "pdf", "png", "csv", "json"}) {
                const QString p = path(figureKindName(kind) + QLatin1Char('.') + ext);
                const bool data = QByteArray(ext) == "csv" || QByteArray(ext) == "json";
                const bool ok =
                    data ? m_window->exportData(kind, p) : m_window->exportFigure(kind, p, 100);
                QVERIFY2(ok, qPrintable(p + QStringLiteral(": ") + m_window->lastError()));
                QVERIFY2(QFileInfo(p).size() > 100, qPrintable(p));
            }
        }
    }

    void csvAndJsonHoldTheEngineNumbers() {
        AnalysisDocument* doc = m_window->document();
        const int layer = doc->currentLayer(), head = doc->currentHead();
        const int n = m_result->encoding.size(), H = m_result->numHeads;
        const auto& att = m_result->prediction.attention;
        const auto& attr = m_result->layer(layer)->attribution;
        QVERIFY(head >= 0);
        const QString csv = path(QStringLiteral("values.csv"));
        QVERIFY(m_window->exportData(FigureKind::HeatmapPair, csv));
        int rows = 0;
        for (const QByteArray& line : readAll(csv).split('\n')) {
            if (line.isEmpty() || line.startsWith('#') || line.startsWith("query_index"))
                continue;
            const QList<QByteArray> f = line.split(',');
            QCOMPARE(f.size(), 8);
            const int i = f[0].toInt(), j = f[1].toInt();
            QCOMPARE(f[6].toFloat(), att.at({layer, head, i, j}));
            QCOMPARE(f[7].toFloat(), attr.at({head, i, j}));
            ++rows;
        }
        QCOMPARE(rows, n * n);
        Q_UNUSED(H);
        const QString json = path(QStringLiteral("values.json"));
        QVERIFY(m_window->exportData(FigureKind::HeatmapPair, json));
        const QJsonObject o = QJsonDocument::fromJson(readAll(json)).object();
        QCOMPARE(o.value(QStringLiteral("layer")).toInt(), layer);
        QCOMPARE(o.value(QStringLiteral("head")).toInt(), head);
        const QJsonArray a = o.value(QStringLiteral("attribution")).toArray();
        QCOMPARE(a.size(), n);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                QCOMPARE(float(a[i].toArray()[j].toDouble()), attr.at({head, i, j}));
        QVERIFY(o.value(QStringLiteral("caption")).toString().contains(QStringLiteral("steps")));
    }

    void failedExportLeavesNoFileAndSaysSo() {
        for (const QString& p :
             {QStringLiteral("/nonexistent-folder-attrscope/fig.svg"),
              QStringLiteral("/proc/attrscope-fig.pdf"), QStringLiteral("/proc/attrscope-fig.png"),
              QStringLiteral("/proc/attrscope-data.csv")}) {
            const bool data = p.endsWith(QLatin1String(".csv"));
            const bool ok = data ? m_window->exportData(FigureKind::HeatmapPair, p)
                                 : m_window->exportFigure(FigureKind::HeatmapPair, p);
            QVERIFY(!ok);
            QVERIFY(!QFileInfo::exists(p));
            QVERIFY(!m_window->lastError().isEmpty());
            QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("failed")));
            QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("exportError")));
        }
        // A good file stays as it was when a later export to it fails (unknown format).
        const QString good = path(QStringLiteral("keep.svg"));
        QVERIFY(m_window->exportFigure(FigureKind::Attention, good));
        const QByteArray before = readAll(good);
        QVERIFY(!m_window->exportData(FigureKind::Attention, good));
        QCOMPARE(readAll(good), before);
    }

    void sessionRoundTrips() {
        AnalysisDocument* doc = m_window->document();
        ViewConventions c;
        c.hideSpecials = true;
        c.sequentialPalette = QStringLiteral("cividis");
        c.scale = ScaleMode::PerLayer;
        doc->setConventions(c);
        doc->setSelection(2, 1);
        m_window->treeView()->setThreshold(0.3);
        m_window->setCurrentTab(2);
        const QString p = path(QStringLiteral("s.attrscope"));
        QVERIFY(m_window->saveSession(p));

        MainWindow other;
        QVERIFY(other.openSession(p));
        AnalysisDocument* d2 = other.document();
        QVERIFY(d2->result());
        checkSameResult(*d2->result(), *m_result);
        QCOMPARE(d2->currentLayer(), 2);
        QCOMPARE(d2->currentHead(), 1);
        QVERIFY(d2->conventions() == c);
        QCOMPARE(other.treeView()->threshold(), 0.3);
        QCOMPARE(other.currentTab(), 2);
        QCOMPARE(other.modelName(), QStringLiteral("tiny-test"));
        QVERIFY(d2->displayedAttribution(2, 1) == doc->displayedAttribution(2, 1));
        QCOMPARE(d2->targetLabel(), doc->targetLabel());
        // A random model has no file: the window says the results are stored ones.
        QCOMPARE(other.sessions()->modelState(), attrscope::SessionModelState::NoModel);
        QVERIFY(!other.sessionBanner()->isHidden());
        // And exports from the reopened session work without a model.
        QVERIFY(other.exportFigure(FigureKind::HeatmapPair, path(QStringLiteral("re.svg"))));
        doc->setConventions(ViewConventions());
        doc->setSelection(1, 0);
    }

    void sessionWithChangedOrMissingModelSaysSo() {
        const QString weights = path(QStringLiteral("model.safetensors"));
        {
            QFile f(weights);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("weights v1");
        }
        attrscope::Session s;
        s.modelPath = m_dir.path().toStdString();
        s.weightsFile = weights.toStdString();
        s.weightsHash = attrscope::hashFileFnv1a(s.weightsFile).value();
        s.labels = {"a", "b", "c"};
        s.result = *m_result;
        QCOMPARE(attrscope::checkSessionModel(s), attrscope::SessionModelState::Same);
        {
            QFile f(weights);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("weights v2");
        }
        const QString p = path(QStringLiteral("changed.attrscope"));
        QVERIFY(attrscope::writeSession(s, p.toStdString()).ok());
        MainWindow w;
        QVERIFY(w.openSession(p));
        QCOMPARE(w.sessions()->modelState(), attrscope::SessionModelState::Changed);
        QVERIFY(w.sessionBanner()->text().contains(QStringLiteral("changed")));
        QVERIFY(w.document()->result());
        checkSameResult(*w.document()->result(), *m_result);
        QFile::remove(weights);
        QVERIFY(w.openSession(p));
        QCOMPARE(w.sessions()->modelState(), attrscope::SessionModelState::Missing);
        QVERIFY(w.sessionBanner()->text().contains(QStringLiteral("missing")));
    }

    void officialJsonlRoundTrips() {
        QTemporaryDir dir;
        QVERIFY(m_window->writeOfficialFiles(dir.path()));
        const QString attrPath = dir.filePath(QStringLiteral("attr_zero_base_exp0.json"));
        const QString attnPath = dir.filePath(QStringLiteral("att_score_zero_base_exp0.json"));
        auto attr = attrscope::readOfficialJsonl(attrPath.toStdString());
        auto attn = attrscope::readOfficialJsonl(attnPath.toStdString());
        QVERIFY(attr.ok() && attn.ok());
        QVERIFY(attr->shape == m_result->attributionArray().shape);
        QVERIFY(attr->data == m_result->attributionArray().data);
        QVERIFY(attn->data == m_result->prediction.attention.data);

        MainWindow w;
        QStringList tokens;
        for (const auto& t : m_result->encoding.tokens)
            tokens << QString::fromStdString(t);
        QVERIFY(w.loadOfficialFiles(attrPath, attnPath, tokens));
        AnalysisDocument* d = w.document();
        QCOMPARE(d->numLayers(), m_result->numLayers);
        QCOMPARE(d->tokens(), tokens);
        QVERIFY(d->attributionMap(1, 0) == m_window->document()->attributionMap(1, 0));
        QVERIFY(d->attentionMap(2, -1) == m_window->document()->attentionMap(2, -1));
        QCOMPARE(d->sepBoundary(), m_window->document()->sepBoundary());
    }

    void conventionsTransformations() {
        const QStringList tokens = {"[CLS]", "the",    "play", "##ing",
                                    "[SEP]", "guitar", "##s",  "[SEP]"};
        const int n = tokens.size();
        std::vector<float> m(size_t(n * n));
        for (int k = 0; k < n * n; ++k)
            m[size_t(k)] = float(k % 7) - 3.0f;  // signed values
        ViewConventions c;
        TokenAxis id = Conventions::makeAxis(tokens, 4, c);
        QVERIFY(id.isIdentity(n));
        QCOMPARE(id.sepBoundary, 4);
        QVERIFY(Conventions::applyToMatrix(m, n, id, c.merge) == m);

        c.hideSpecials = true;
        TokenAxis hidden = Conventions::makeAxis(tokens, 4, c);
        QCOMPARE(hidden.labels, QStringList({"the", "play", "##ing", "guitar", "##s"}));
        QCOMPARE(hidden.sepBoundary, 2);  // after "##ing"
        auto h = Conventions::applyToMatrix(m, n, hidden, MergeMode::None);
        QCOMPARE(h.size(), size_t(25));
        QCOMPARE(h[0 * 5 + 3], m[1 * n + 5]);  // the → guitar, not renormalised
        QVERIFY(c.note().contains(QStringLiteral("not renormalised")));

        c.merge = MergeMode::Sum;
        TokenAxis words = Conventions::makeAxis(tokens, 4, c);
        QCOMPARE(words.labels, QStringList({"the", "playing", "guitars"}));
        QCOMPARE(words.groups[1], std::vector<int>({2, 3}));
        QCOMPARE(words.sepBoundary, 1);
        auto s = Conventions::applyToMatrix(m, n, words, MergeMode::Sum);
        QCOMPARE(s[1 * 3 + 2], m[2 * n + 5] + m[2 * n + 6] + m[3 * n + 5] + m[3 * n + 6]);
        auto x = Conventions::applyToMatrix(m, n, words, MergeMode::Max);
        float best = 0;
        for (float v : {m[2 * n + 5], m[2 * n + 6], m[3 * n + 5], m[3 * n + 6]})
            if (std::abs(v) > std::abs(best))
                best = v;
        QCOMPARE(x[1 * 3 + 2], best);
        QVERIFY(c.note().contains(QStringLiteral("sum")));

        // Specials shown: pieces merge but never into [CLS]/[SEP].
        c.hideSpecials = false;
        TokenAxis kept = Conventions::makeAxis(tokens, 4, c);
        QCOMPARE(kept.labels,
                 QStringList({"[CLS]", "the", "playing", "[SEP]", "guitars", "[SEP]"}));
        QCOMPARE(kept.sepBoundary, 3);

        QCOMPARE(c.layerLabel(0), QStringLiteral("L1"));
        c.oneBased = false;
        QCOMPARE(c.layerLabel(0), QStringLiteral("L0"));
        QCOMPARE(c.headLabel(2), QStringLiteral("H2"));
        c.theme = Theme::Dark;
        c.scale = ScaleMode::Global;
        c.divergingPalette = QStringLiteral("PuOr");
        QVERIFY(ViewConventions::fromJson(c.toJson()) == c);
        QCOMPARE(Conventions::limitOf({{-3.f, 1.f}, {2.f}}, true), 3.0);
        QCOMPARE(Conventions::limitOf({{-3.f, 1.f}, {2.f}}, false), 2.0);
    }

    // The overview figure carries a colour bar whose label and limits follow the grid's scale
    // mode (the canvas's limits), drawn as the palette's steps (low to high, left to right).
    void overviewExportHasColourBar() {
        AnalysisDocument* doc = m_window->document();
        const ViewConventions before = doc->conventions();
        for (ScaleMode mode : {ScaleMode::PerHead, ScaleMode::PerLayer, ScaleMode::Global}) {
            for (FigureKind kind :
                 {FigureKind::OverviewAttention, FigureKind::OverviewAttribution}) {
                const bool attr = kind == FigureKind::OverviewAttribution;
                const QString tag = figureKindName(kind) + QLatin1Char('-') + scaleModeName(mode);
                // The grid on screen, whose limits the figure states.
                OverviewCanvas canvas(doc);
                canvas.setQuantity(attr ? OverviewCanvas::Quantity::Attribution
                                        : OverviewCanvas::Quantity::Attention);
                canvas.setScaleMode(mode);
                // Its limits are the document's colour limits under the same scale convention.
                ViewConventions c = before;
                c.scale = mode;
                doc->setConventions(c);
                for (int l = 0; l < doc->numLayers(); ++l)
                    for (int h = -1; h < doc->numHeads(); ++h)
                        QVERIFY2(std::abs(canvas.limit(l, h) - doc->colorLimit(attr, l, h)) < 1e-12,
                                 qPrintable(tag));
                doc->setConventions(before);

                FigureExporter exporter(doc);
                exporter.setModelName(QStringLiteral("tiny-test"));
                exporter.setOverviewScale(mode);
                const QString svg = path(tag + QStringLiteral(".svg"));
                QVERIFY2(exporter.exportFigure(kind, svg), qPrintable(exporter.errorString()));
                const test::SvgStats stats = test::readSvg(svg);
                const QString all = stats.texts.join(' ');
                QVERIFY2(all.contains(attr ? QStringLiteral("attribution as a fraction")
                                           : QStringLiteral("attention as a fraction")),
                         qPrintable(tag + QStringLiteral(": ") + all));
                if (mode == ScaleMode::PerHead)
                    QVERIFY(all.contains(QStringLiteral("each map's max")));
                if (mode == ScaleMode::PerLayer)  // each row's limit at its end
                    QVERIFY(all.contains(QString::number(canvas.limit(1, 0), 'g', 3)));
                if (mode == ScaleMode::Global)  // the shared limit, named in the label
                    QVERIFY2(all.contains(QString::number(canvas.limit(0, 0), 'g', 3)),
                             qPrintable(tag));
                // The last rectangles are the colour bar: the palette from low to high.
                const Palette& palette = attr ? Palette::named(before.divergingPalette, true)
                                              : Palette::named(before.sequentialPalette, false);
                QVERIFY(stats.fills.size() > 48);
                QSet<QString> colours;
                for (int k = 0; k < 48; ++k) {
                    const QColor got(stats.fills[stats.fills.size() - 48 + k]);
                    const QColor want = palette.colorAt((k + 0.5) / 48);
                    QVERIFY2(close(got, want, 8),
                             qPrintable(tag + QStringLiteral(" step %1: %2 vs %3")
                                                  .arg(k)
                                                  .arg(got.name(), want.name())));
                    colours.insert(got.name());
                }
                QVERIFY(colours.size() > 20);  // a gradient, not a flat box
                const QString pdf = path(tag + QStringLiteral(".pdf"));
                QVERIFY(exporter.exportFigure(kind, pdf));
                QVERIFY(readAll(pdf).startsWith("%PDF-"));
            }
        }
    }

    // With [CLS]/[SEP] hidden, a head's bar is its max over the remaining entries; with merged
    // word pieces, over the merged map the heatmap shows.
    void headBarsFollowHideSpecials() {
        AnalysisDocument* doc = m_window->document();
        HeadBars* bars = m_window->headBars();
        const ViewConventions before = doc->conventions();
        const int layer = doc->currentLayer();
        const auto a = m_result->attributionArray();
        const auto& att = m_result->prediction.attention;
        const auto& tokens = m_result->encoding.tokens;
        const int n = int(tokens.size());
        auto special = [&](int i) {
            return tokens[size_t(i)] == "[CLS]" || tokens[size_t(i)] == "[SEP]";
        };
        ViewConventions c = before;
        c.hideSpecials = true;
        doc->setConventions(c);
        QVERIFY(bars->plotWidget()->toolTip().contains(QStringLiteral("[CLS]/[SEP] hidden")));
        bool differs = false;
        for (int h = 0; h < doc->numHeads(); ++h) {
            double attrMax = -INFINITY, attnMax = -INFINITY, allMax = -INFINITY;
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    const double v = a.at({layer, h, i, j});
                    allMax = std::max(allMax, v);
                    if (special(i) || special(j))
                        continue;
                    attrMax = std::max(attrMax, v);
                    attnMax = std::max(attnMax, double(att.at({layer, h, i, j})));
                }
            QCOMPARE(bars->attributionBar(h), attrMax);
            QCOMPARE(bars->attentionBar(h), attnMax);
            differs = differs || attrMax != allMax;
        }
        Q_UNUSED(differs);  // depends on the random model; the equality above is the check
        // The exported numbers are the bars.
        FigureExporter exporter(doc);
        const QString json = path(QStringLiteral("bars-hidden.json"));
        QVERIFY(exporter.exportData(FigureKind::HeadBars, json));
        const QJsonArray heads =
            QJsonDocument::fromJson(readAll(json)).object().value("heads").toArray();
        QCOMPARE(heads.size(), doc->numHeads());
        for (int h = 0; h < heads.size(); ++h)
            QCOMPARE(heads[h].toObject().value("max_attribution").toDouble(),
                     bars->attributionBar(h));
        // Merged pieces: the max of the displayed (merged) map.
        c.merge = MergeMode::Sum;
        doc->setConventions(c);
        for (int h = 0; h < doc->numHeads(); ++h) {
            const auto shown = doc->displayedAttribution(layer, h);
            QCOMPARE(bars->attributionBar(h),
                     double(*std::max_element(shown.begin(), shown.end())));
        }
        doc->setConventions(before);
        for (int h = 0; h < doc->numHeads(); ++h)
            QCOMPARE(bars->attributionBar(h), doc->headMaxAttribution(layer, h));
    }

    void conventionsDriveViewsAndScale() {
        AnalysisDocument* doc = m_window->document();
        ViewConventions c;
        c.hideSpecials = true;
        doc->setConventions(c);
        const int n = m_result->encoding.size();
        QCOMPARE(doc->displayAxis().size(), n - 3);  // [CLS] and two [SEP]
        QCOMPARE(doc->displayedAttribution(1, 0).size(), size_t((n - 3) * (n - 3)));
        c.hideSpecials = false;
        c.scale = ScaleMode::Global;
        doc->setConventions(c);
        double global = 0;
        const auto a = m_result->attributionArray();
        for (int l = 0; l < a.dim(0); ++l)
            for (int h = 0; h < a.dim(1); ++h)
                for (int i = 0; i < n; ++i)
                    for (int j = 0; j < n; ++j)
                        global = std::max(global, std::abs(double(a.at({l, h, i, j}))));
        QCOMPARE(doc->colorLimit(true, 1, 0), global);
        doc->setConventions(ViewConventions());
    }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
