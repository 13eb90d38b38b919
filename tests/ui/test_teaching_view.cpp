// The "Path (teaching)" tab after a real run on a tiny random model: the F(α·A) curve meets the
// engine's completeness numbers at its ends, the marks are the rule's points, the running
// integral ends at Σ Attr, the scrubbed map is α·A, and the presets drive the input and tabs.

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "document/analysis_document.h"
#include "engine/attribution_job.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_panel.h"
#include "ui_test_util.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/teaching/path_probe_job.h"
#include "views/teaching/teaching_presets.h"
#include "views/teaching/teaching_view.h"
#include "views/tree/tree_view.h"

using namespace attrscope::ui;

namespace {
bool near(double a, double b, double tol) {
    return std::abs(a - b) <= tol * (1.0 + std::abs(b));
}
}  // namespace

class TestTeachingView : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    ResultPtr m_result;

    TeachingView* view() const { return m_window->teachingView(); }

    ResultPtr runAndWait() {
        QSignalSpy finished(m_window->job(), &AttributionJob::finished);
        m_window->runAttribution();
        if (!finished.wait(60000))
            return nullptr;
        return finished.at(0).at(0).value<ResultPtr>();
    }

    bool waitForProbe() {
        return QTest::qWaitFor([this] { return view()->isUpToDate(); }, 30000);
    }

    // Curve, marks and running integral of the selected layer against the engine.
    void checkLayer(int layer) {
        QVERIFY(waitForProbe());
        const auto* la = m_result->layer(layer);
        QVERIFY(la);
        const auto alphas = view()->curveAlphas();
        const auto f = view()->curveValues();
        QVERIFY(alphas.size() >= 50);
        QCOMPARE(alphas.front(), 0.0);
        QCOMPARE(alphas.back(), 1.0);
        QVERIFY2(std::abs(f.back() - la->completeness.fFull) < 1e-5,
                 qPrintable(QString("F(1) %1 vs %2").arg(f.back()).arg(la->completeness.fFull)));
        QVERIFY2(std::abs(f.front() - la->completeness.fZero) < 1e-5,
                 qPrintable(QString("F(0) %1 vs %2").arg(f.front()).arg(la->completeness.fZero)));

        const auto q = attrscope::Quadrature::make(m_result->options.rule, m_result->options.steps);
        QCOMPARE(view()->markedAlphas(), q.alphas);
        const auto marked = view()->markedValues();
        QCOMPARE(marked.size(), la->stepProbs.size());
        for (size_t k = 0; k < marked.size(); ++k)
            QVERIFY(std::abs(marked[k] - la->stepProbs[k]) < 1e-6);
        // The probe's own F at the points agrees with the engine's step probabilities.
        for (size_t k = 0; k < q.alphas.size(); ++k)
            QVERIFY(std::abs(view()->probe()->quadProbs[k][size_t(m_result->target)] -
                             la->stepProbs[k]) < 1e-5);
        // Σ_k w_k dF/dα(α_k) is the layer's total attribution.
        const auto sums = view()->runningSums();
        QCOMPARE(sums.size(), q.alphas.size());
        QVERIFY2(
            std::abs(sums.back() - la->completeness.sumAttr) <=
                1e-4 * std::abs(la->completeness.sumAttr) + 1e-6,
            qPrintable(
                QString("running %1 vs Σ Attr %2").arg(sums.back()).arg(la->completeness.sumAttr)));
        QVERIFY(std::abs(view()->runningEnds().back() - 1.0) < 1e-9);
    }

    void checkScrub(int layer, int head, int index) {
        view()->setAlphaIndex(index);
        const double a = view()->alpha();
        QVERIFY(std::abs(a - index / 50.0) < 1e-12);
        HeatmapPlot* map = view()->heatmap();
        const int n = m_result->encoding.size();
        QCOMPARE(map->size(), n);
        QVERIFY(map->hasMatrix());
        const auto& A = m_result->prediction.attention;
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j) {
                double want = 0.0;
                for (int h = 0; h < m_result->numHeads; ++h)
                    if (head < 0 || h == head)
                        want += A.at({layer, h, i, j});
                want *= a;
                QVERIFY2(std::abs(map->value(i, j) - want) <= 1e-5 * (1 + std::abs(want)),
                         qPrintable(QString("cell (%1,%2)").arg(i).arg(j)));
            }
        }
        const auto p = view()->classProbabilities();
        QCOMPARE(int(p.size()), 3);
        double sum = 0.0;
        for (double v : p)
            sum += v;
        QVERIFY(std::abs(sum - 1.0) < 1e-6);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->setModel(test::tinyModel(3), "tiny-random");
        m_window->runPanel()->setSteps(5);
        m_window->runPanel()->setRule(attrscope::Rule::Midpoint);
        m_window->showView(MainWindow::View::Teaching);
        QCOMPARE(m_window->currentTab(), 3);
    }

    void curveMeetsCompleteness() {
        m_window->document()->setSelection(1, 0);
        m_window->setInput("the man is playing guitar", "the man is not playing guitar");
        m_result = runAndWait();
        QVERIFY(m_result);
        QVERIFY(m_result->isComplete());
        checkLayer(1);
        m_window->document()->setSelection(2, 1);  // the last layer: only [CLS] reaches F
        checkLayer(2);
        m_window->document()->setSelection(0, 0);
        checkLayer(0);
    }

    void scrubShowsScaledAttention() {
        QVERIFY(waitForProbe());
        m_window->document()->setSelection(0, 1);
        checkScrub(0, 1, 20);
        m_window->document()->setSelection(0, AnalysisDocument::kSumOfHeads);
        checkScrub(0, -1, 7);
        checkScrub(0, -1, 0);
        // At α = 1 the probabilities are the clean prediction.
        checkScrub(0, -1, 50);
        const auto p = view()->classProbabilities();
        for (size_t c = 0; c < p.size(); ++c)
            QVERIFY(std::abs(p[c] - m_result->prediction.probs[c]) < 1e-5);
        // Every dense α sums to 1.
        for (const auto& row : view()->probe()->denseProbs) {
            double s = 0;
            for (double v : row)
                s += v;
            QVERIFY(std::abs(s - 1.0) < 1e-6);
        }
    }

    void gaussLegendreMarks() {
        m_window->runPanel()->setRule(attrscope::Rule::GaussLegendre);
        m_window->runPanel()->setSteps(3);
        m_result = runAndWait();
        QVERIFY(m_result);
        QCOMPARE(m_result->options.rule, attrscope::Rule::GaussLegendre);
        checkLayer(0);
    }

    // The path exports: SVG (text as <text>), PDF and PNG of both plots with a caption; CSV and
    // JSON with exactly the numbers the view draws.
    void exportsPathFigureAndNumbers() {
        QVERIFY(waitForProbe());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (qEnvironmentVariableIsSet("ATTRSCOPE_KEEP_EXPORTS")) {
            dir.setAutoRemove(false);
            qInfo("exports in %s", qPrintable(dir.path()));
        }
        auto read = [](const QString& p) {
            QFile f(p);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QString svg = dir.filePath(QStringLiteral("path.svg"));
        QVERIFY2(view()->exportFigure(svg), qPrintable(view()->lastError()));
        const QByteArray svgText = read(svg);
        QVERIFY(svgText.contains("<text"));
        QVERIFY(svgText.contains("probability change"));  // an axis label, as text
        QVERIFY(svgText.contains(view()->caption().first().left(20).toHtmlEscaped().toUtf8()));
        const QString pdf = dir.filePath(QStringLiteral("path.pdf"));
        QVERIFY(view()->exportFigure(pdf));
        QVERIFY(read(pdf).startsWith("%PDF-"));
        const QString png = dir.filePath(QStringLiteral("path.png"));
        QVERIFY(view()->exportFigure(png, 96));
        const QImage image(png);
        QVERIFY(!image.isNull());
        // Both plots stacked, the caption below: one column wide (241 pt) at 96 dpi.
        QCOMPARE(image.width(), int(std::lround(kSingleColumnPt / 72.0 * 96)));
        QVERIFY(image.height() > image.width());
        int blue = 0;  // the F(α·A) curve's pen
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                blue += c.blue() > 140 && c.red() < 90 ? 1 : 0;
            }
        QVERIFY2(blue > 200, qPrintable(QString::number(blue)));

        const QString json = dir.filePath(QStringLiteral("path.json"));
        QVERIFY2(view()->exportData(json), qPrintable(view()->lastError()));
        const QJsonObject o = QJsonDocument::fromJson(read(json)).object();
        auto vec = [](const QJsonValue& v) {
            std::vector<double> out;
            for (const QJsonValue& x : v.toArray())
                out.push_back(x.toDouble());
            return out;
        };
        const QJsonObject dense = o.value("dense").toObject();
        const QJsonObject points = o.value("points").toObject();
        const QJsonObject running = o.value("running_integral").toObject();
        QCOMPARE(vec(dense.value("alpha")), view()->curveAlphas());
        QCOMPARE(vec(dense.value("F")), view()->curveValues());
        QCOMPARE(vec(points.value("alpha")), view()->markedAlphas());
        QCOMPARE(vec(points.value("F")), view()->markedValues());
        QCOMPARE(vec(points.value("slope")), view()->probe()->slopes);
        QCOMPARE(vec(running.value("alpha_end")), view()->runningEnds());
        QCOMPARE(vec(running.value("sum")), view()->runningSums());
        const auto f = view()->curveValues();
        QCOMPARE(o.value("F1_minus_F0").toDouble(), f.back() - f.front());
        const int layer = m_window->document()->currentLayer();
        QCOMPARE(o.value("layer").toInt(), layer);
        QCOMPARE(o.value("sum_attr").toDouble(),
                 double(m_result->layer(layer)->completeness.sumAttr));

        const QString csv = dir.filePath(QStringLiteral("path.csv"));
        QVERIFY(view()->exportData(csv));
        std::vector<double> alphas, values, ends, sums;
        double change = NAN;
        for (const QString& line : QString::fromUtf8(read(csv)).split('\n')) {
            const QStringList f = line.split(',');
            if (line.startsWith('#') || f.size() < 4)
                continue;
            if (f[0] == QLatin1String("F")) {
                alphas.push_back(f[2].toDouble());
                values.push_back(f[3].toDouble());
            } else if (f[0] == QLatin1String("running_integral")) {
                ends.push_back(f[2].toDouble());
                sums.push_back(f[3].toDouble());
            } else if (f[0] == QLatin1String("F1_minus_F0")) {
                change = f[3].toDouble();
            }
        }
        QCOMPARE(alphas, view()->curveAlphas());
        QCOMPARE(values, view()->curveValues());
        QCOMPARE(ends, view()->runningEnds());
        QCOMPARE(sums, view()->runningSums());
        QCOMPARE(change, f.back() - f.front());
        // Unknown suffixes are errors, not files.
        QVERIFY(!view()->exportData(dir.filePath(QStringLiteral("x.txt"))));
        QVERIFY(!view()->exportFigure(dir.filePath(QStringLiteral("x.bmp"))));
    }

    void presetsSetInputsAndViews() {
        const auto presets = teachingPresets(m_window->document()->labels());
        QCOMPARE(presets.size(), 3);
        QCOMPARE(view()->presets().size(), 3);
        QCOMPARE(view()->presets()[1].textB, presets[1].textB);
        QVERIFY(!presets[1].textB.isEmpty());  // the tiny model is NLI: pairs
        QCOMPARE(view()->presetBox()->count(), 4);
        view()->presetBox()->setCurrentIndex(2);
        QCOMPARE(view()->explanationLabel()->text(), presets[1].explanation);

        // Negation: the inputs are set, and the Heatmaps tab opens at the "not" head.
        QSignalSpy finished(m_window->job(), &AttributionJob::finished);
        QTest::mouseClick(view()->presetButton(), Qt::LeftButton);
        QCOMPARE(m_window->inputPanel()->textA(), presets[1].textA);
        QCOMPARE(m_window->inputPanel()->textB(), presets[1].textB);
        QVERIFY(finished.wait(60000));
        auto r = finished.at(0).at(0).value<ResultPtr>();
        QTRY_COMPARE(m_window->currentTab(), 0);
        const HeadPick neg =
            findTokenInteractionHead(*r, findToken(r->encoding, QStringLiteral("not")));
        if (neg.layer >= 0) {
            QCOMPARE(m_window->document()->currentLayer(), neg.layer);
            QCOMPARE(m_window->document()->currentHead(), neg.head);
        }

        // [SEP]: the head with much attention and little attribution to [SEP].
        finished.clear();
        m_window->showView(MainWindow::View::Teaching);
        view()->runPreset(0);
        QCOMPARE(m_window->inputPanel()->textA(), presets[0].textA);
        QCOMPARE(m_window->inputPanel()->textB(), presets[0].textB);
        QVERIFY(finished.wait(60000));
        r = finished.at(0).at(0).value<ResultPtr>();
        QTRY_COMPARE(m_window->currentTab(), 0);
        const HeadPick sep = findSepAttentionHead(*r);
        QVERIFY(sep.layer >= 0);
        QCOMPARE(m_window->document()->currentLayer(), sep.layer);
        QCOMPARE(m_window->document()->currentHead(), sep.head);
        // No other head scores higher.
        QVERIFY(!m_window->document()->highlight().tokens.isEmpty());

        // Tree: the tree tab at τ = 0.4.
        finished.clear();
        m_window->treeView()->setThreshold(0.7);
        view()->runPreset(2);
        QCOMPARE(m_window->inputPanel()->textA(), presets[2].textA);
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE(m_window->currentTab(), 2);
        QVERIFY(std::abs(m_window->treeView()->threshold() - 0.4) < 1e-6);
    }

    void probeIsIndependentOfTheView() {
        // The worker's blocking computation, without a window.
        auto model = test::tinyModel(2);
        auto enc = model->encode("the man is playing guitar", std::nullopt);
        QVERIFY(enc);
        PathProbeRequest req;
        req.model = model;
        req.encoding = *enc;
        req.layer = 1;
        req.target = 2;
        req.steps = 70;  // more than one chunk
        auto probe = PathProbeJob::compute(req);
        QVERIFY(probe);
        QCOMPARE(probe->quadProbs.size(), size_t(70));
        QCOMPARE(probe->slopes.size(), size_t(70));
        auto path = attrscope::evaluatePath(*model, *enc, 1, probe->denseAlphas, 2);
        QVERIFY(path);
        for (size_t i = 0; i < path->size(); ++i)
            QVERIFY(near(probe->denseProbs[i][2], (*path)[i], 1e-5));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestTeachingView)
#include "test_teaching_view.moc"
