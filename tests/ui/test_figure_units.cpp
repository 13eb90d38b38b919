// Issue 16: the pure parts of the paper figures, without a model: colour-scale positions against
// hand-computed values, lengths and option parsing, LaTeX/HTML escaping and the saliency text
// in HTML and LaTeX.

#include <QRegularExpression>
#include <QtTest>
#include <cmath>

#include "document/conventions.h"
#include "figure/color_scale.h"
#include "figure/figure_options.h"
#include "figure/saliency_text.h"
#include "plot/palette.h"

using namespace attrscope::ui;

class TestFigureUnits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Hand-computed positions on each scale.
    void colourScales() {
        const auto lin = ScaleSpec{};
        ColorScale s = ColorScale::fit(lin, false, {0.0f, 0.5f, 2.0f});
        QCOMPARE(s.limit(), 2.0);
        QCOMPARE(s.position(0.5), 0.25);
        QCOMPARE(s.position(2.0), 1.0);
        QCOMPARE(s.position(-1.0), 0.0);
        QCOMPARE(s.position(5.0), 1.0);
        s = ColorScale::fit(lin, true, {-1.0f, 0.5f, 2.0f});
        QCOMPARE(s.position(-1.0), 0.25);
        QCOMPARE(s.position(0.0), 0.5);
        QCOMPARE(s.position(2.0), 1.0);
        QCOMPARE(QString::fromStdString(s.describe()), QStringLiteral("linear"));

        ScaleSpec gamma;
        gamma.kind = ScaleKind::Gamma;
        gamma.gamma = 0.5;
        s = ColorScale::withLimit(gamma, false, 4.0);
        QCOMPARE(s.position(1.0), 0.5);  // sqrt(1/4)
        QVERIFY(std::abs(s.valueAt(0.5) - 1.0) < 1e-12);
        s = ColorScale::withLimit(gamma, true, 4.0);
        QCOMPARE(s.position(-1.0), 0.25);
        QCOMPARE(QString::fromStdString(s.describe()), QStringLiteral("gamma 0.5"));

        ScaleSpec symlog;
        symlog.kind = ScaleKind::SymLog;
        symlog.linearWidth = 0.01;
        s = ColorScale::withLimit(symlog, false, 1.0);
        QVERIFY(std::abs(s.position(0.01) - std::log(2.0) / std::log(101.0)) < 1e-12);
        QVERIFY(std::abs(s.position(0.01) - 0.150190) < 1e-6);
        QCOMPARE(s.position(1.0), 1.0);
        QVERIFY(std::abs(s.valueAt(s.position(0.3)) - 0.3) < 1e-12);
        s = ColorScale::withLimit(symlog, true, 1.0);
        QVERIFY(std::abs(s.position(0.01) - 0.575095) < 1e-6);
        QVERIFY(std::abs(s.position(-0.01) - 0.424905) < 1e-6);
        QVERIFY(QString::fromStdString(s.describe()).startsWith(QStringLiteral("symmetric log")));

        ScaleSpec clip;
        clip.kind = ScaleKind::Percentile;
        clip.percentile = 50;
        s = ColorScale::fit(clip, false, {1, 2, 3, 4, 5});
        QCOMPARE(s.limit(), 3.0);
        QCOMPARE(s.position(1.5), 0.5);
        QCOMPARE(s.position(5.0), 1.0);
        QVERIFY(s.clipsTop());
        QCOMPARE(QString::fromStdString(s.describe()), QStringLiteral("clipped at 50th pct"));
        clip.percentile = 99;
        std::vector<float> hundred;
        for (int k = 0; k <= 100; ++k)
            hundred.push_back(float(k));
        s = ColorScale::fit(clip, false, hundred);
        QCOMPARE(s.limit(), 99.0);
        QCOMPARE(QString::fromStdString(s.describe()), QStringLiteral("clipped at 99th pct"));
        QCOMPARE(percentileOf({1, 2, 3, 4}, 50), 2.5);
        // One dominating cell: linear leaves the rest near 0, the 99th-pct clip does not.
        std::vector<float> skewed(1000, 0.01f);
        skewed[0] = 10.0f;
        QVERIFY(ColorScale::fit(ScaleSpec{}, false, skewed).position(0.01) < 0.002);
        QCOMPARE(ColorScale::fit(clip, false, skewed).position(0.01), 1.0);

        // Ticks: 1-2-5 steps inside the limit, mirrored for diverging scales.
        s = ColorScale::withLimit(lin, false, 0.37);
        const std::vector<double> t = s.ticks();
        QCOMPARE(int(t.size()), 4);
        QCOMPARE(t[0], 0.0);
        QVERIFY(std::abs(t[3] - 0.3) < 1e-12);
        s = ColorScale::withLimit(lin, true, 0.37);
        QCOMPARE(s.ticks().front(), -s.ticks().back());
        QCOMPARE(QString::fromStdString(formatTick(0.25)), QStringLiteral("0.25"));
        QCOMPARE(QString::fromStdString(formatTick(3.7)), QStringLiteral("3.7"));

        QVERIFY(parseScaleSpec("gamma:0.3") && parseScaleSpec("gamma:0.3")->gamma == 0.3);
        QVERIFY(parseScaleSpec("p95") && parseScaleSpec("p95")->percentile == 95.0);
        QVERIFY(parseScaleSpec("clip99") &&
                parseScaleSpec("clip99")->kind == ScaleKind::Percentile);
        QVERIFY(parseScaleSpec("symlog")->kind == ScaleKind::SymLog);
        QVERIFY(!parseScaleSpec("gamma:0"));
        QVERIFY(!parseScaleSpec("bogus"));
        QVERIFY(!parseScaleSpec("percentile:101"));
    }

    // A percentile-clip scale shared per layer or globally: the limit is the percentile of all
    // the shared maps' values pooled, so every map clips at the same value, and a map whose own
    // values stay under it does not say "clipped".
    void sharedPercentileLimit() {
        const std::vector<std::vector<float>> maps = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}};
        QCOMPARE(Conventions::limitOf(maps, false), 10.0);
        QCOMPARE(Conventions::limitOf(maps, false, 50.0), 5.5);  // median of 1..10
        // Diverging: magnitudes; non-finite values ignored.
        QCOMPARE(Conventions::limitOf({{-4, 2, NAN}, {1, -3, INFINITY}}, true, 50.0), 2.5);
        // All zero but one: the percentile is 0, so the limit stays the largest value.
        QCOMPARE(Conventions::limitOf({{0, 0, 0, 0, 7}}, false, 50.0), 7.0);

        ScaleSpec clip;
        clip.kind = ScaleKind::Percentile;
        clip.percentile = 50;
        const ColorScale low = ColorScale::withLimit(clip, false, 5.5, &maps[0]);
        const ColorScale high = ColorScale::withLimit(clip, false, 5.5, &maps[1]);
        QCOMPARE(low.limit(), 5.5);
        QCOMPARE(high.limit(), 5.5);
        QVERIFY(!low.clipsTop());  // 1..5 stay under the shared limit
        QVERIFY(high.clipsTop());
        QCOMPARE(high.position(5.5), 1.0);
        QCOMPARE(low.position(2.75), 0.5);
    }

    void lengthsAndOptions() {
        QVERIFY(std::abs(*parseLength(QStringLiteral("8.5cm")) - 240.945) < 0.01);
        QVERIFY(std::abs(*parseLength(QStringLiteral("85mm")) - 240.945) < 0.01);
        QCOMPARE(*parseLength(QStringLiteral("240pt")), 240.0);
        QCOMPARE(*parseLength(QStringLiteral("240")), 240.0);
        QCOMPARE(*parseLength(QStringLiteral("3in")), 216.0);
        QVERIFY(!parseLength(QStringLiteral("-1cm")));
        QVERIFY(!parseLength(QStringLiteral("wide")));
        QVERIFY(!parseLength(QStringLiteral("0pt")));
        QCOMPARE(*parseOnOff(QStringLiteral("off")), false);
        QCOMPARE(*parseOnOff(QStringLiteral("on")), true);
        QVERIFY(!parseOnOff(QStringLiteral("maybe")));
    }

    void latexAndHtmlEscaping() {
        QCOMPARE(escapeLatex(QStringLiteral("50% of $x_1$ & #2 {a} ~b^c \\d <e>")),
                 QStringLiteral("50\\% of \\$x\\_1\\$ \\& \\#2 \\{a\\} \\textasciitilde{}b"
                                "\\textasciicircum{}c \\textbackslash{}d \\textless{}e"
                                "\\textgreater{}"));
        QCOMPARE(escapeHtml(QStringLiteral("<b>\"a\" & 'b'</b>")),
                 QStringLiteral("&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"));
        bool glued = false;
        QCOMPARE(displayToken(QStringLiteral("##ing"), &glued), QStringLiteral("ing"));
        QVERIFY(glued);
        QCOMPARE(displayToken(QStringLiteral("##"), &glued), QStringLiteral("##"));
        QVERIFY(!glued);

        SaliencyText t;
        t.tokens = {"50%", "play", "##ing", "$x$", "nobody"};
        t.scores = {0.5, -1.0, 0.0, 1.0, NAN};
        t.breakBefore = {false, false, false, false, true};
        t.title = QStringLiteral("T");
        t.quantity = QStringLiteral("q");
        t.palette = &Palette::diverging();
        const QString tex = saliencyLatex(t, FigureOptions());
        QVERIFY2(tex.contains(QStringLiteral("{\\strut 50\\%}")), qPrintable(tex));
        QVERIFY(tex.contains(QStringLiteral("\\textcolor{white}{\\$x\\$}")));
        // -1 is the low end of the diverging palette (dark blue, white text); 0 is white.
        QVERIFY(
            tex.contains(QStringLiteral("\\colorbox[rgb]{0.020,0.188,0.380}{\\strut "
                                        "\\textcolor{white}{play}}%\n")));
        QVERIFY(tex.contains(QRegularExpression(
            QStringLiteral("\\\\colorbox\\[rgb\\]\\{(0\\.99\\d|1\\.000),(0\\.99\\d|1\\.000),"
                           "(0\\.99\\d|1\\.000)\\}\\{\\\\strut ing\\}"))));  // ~white
        QVERIFY(tex.contains(QStringLiteral("\\\\\n\\strut nobody")));       // new line, no box
        QCOMPARE(tex.count(QStringLiteral("\\colorbox")), 4);
        const QString html = saliencyHtml(t, FigureOptions());
        QVERIFY(html.contains(QStringLiteral(">play</span><span")));  // pieces glued
        QVERIFY(html.contains(QStringLiteral("background:#053061;color:#fff")));
        QCOMPARE(html.count(QStringLiteral("<span style=")), 4);
    }
};

QTEST_MAIN(TestFigureUnits)
#include "test_figure_units.moc"
