// attrscope: the desktop app. Parses the command line, sets the engine's thread count once,
// and hands the options to the main window (ui/mainwindow/startup_driver.h does the rest).

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonObject>
#include <QSettings>
#include <QTimer>
#include <cstdio>
#include <string>
#include <vector>

#include "attrscope/model/model.h"
#include "attrscope/model/model_paths.h"
#include "export/headless_render.h"
#include "mainwindow/main_window.h"
#include "mainwindow/startup_driver.h"

#ifndef ATTRSCOPE_VERSION
#define ATTRSCOPE_VERSION "0.0.0"
#endif

namespace {

// Parses "1" (1-based, as on screen) into a 0-based index; "sum"/"0" for heads means Σ heads.
bool parseIndex(const QString& text, bool allowSum, int* out) {
    if (allowSum && (text == QLatin1String("sum") || text == QLatin1String("0"))) {
        *out = -1;
        return true;
    }
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < 1)
        return false;
    *out = v - 1;
    return true;
}

// Qt's QGuiApplication takes "-session NAME" (also spelled "--session NAME") for X11 session
// management and removes both words before QCommandLineParser sees them. Joining them into
// "--session=NAME" first keeps the documented spelling working.
std::vector<std::string> joinSessionOption(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    std::vector<std::string> out;
    for (size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--session" || args[i] == "-session") && i + 1 < args.size()) {
            out.push_back("--session=" + args[i + 1]);
            ++i;
        } else {
            out.push_back(args[i]);
            if (args[i] == "--") {  // the rest are positional arguments
                out.insert(out.end(), args.begin() + long(i) + 1, args.end());
                break;
            }
        }
    }
    return out;
}

int usageError(const QString& message) {
    std::fprintf(stderr, "attrscope: %s\n", qPrintable(message));
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args = joinSessionOption(argc, argv);
    std::vector<char*> argPointers;
    for (auto& a : args)
        argPointers.push_back(a.data());
    argPointers.push_back(nullptr);
    int appArgc = static_cast<int>(args.size());  // QApplication keeps a reference to it
    QApplication app(appArgc, argPointers.data());
    QApplication::setOrganizationName(QStringLiteral("AttrScope"));
    QApplication::setApplicationName(QStringLiteral("attrscope"));
    QApplication::setApplicationVersion(QStringLiteral(ATTRSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Self-Attention Attribution for BERT classifiers. Layers and heads are "
                       "numbered from 1, as on screen."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption model({"m", "model"}, "BERT checkpoint folder.", "DIR");
    const QCommandLineOption textA("text-a", "First sentence (premise).", "T");
    const QCommandLineOption textB("text-b", "Second sentence (hypothesis), optional.", "T");
    const QCommandLineOption layer("layer", "Layer to show first, 1-based.", "N");
    const QCommandLineOption head("head", "Head to show, 1-based; 'sum' for all heads.", "N");
    const QCommandLineOption device("device", "cpu or cuda.", "DEV");
    const QCommandLineOption threads("threads", "Engine threads (0 = OMP_NUM_THREADS if set, else one per core).", "N", "0");
    const QCommandLineOption steps(
        "steps", "Integration steps (default 20); the adaptive rule's first m (default 4).", "M");
    const QCommandLineOption rule(
        "rule",
        "adaptive (the default: tolerance 1 %, cap 64), right, left, midpoint or gauss-legendre.",
        "RULE");
    const QCommandLineOption view(
        "view", "heatmaps, overview, overview-attribution, tree, teaching, dataset or compare.",
        "VIEW");
    const QCommandLineOption dataset("dataset",
                                     "Dataset file to analyse at start-up (Dataset tab).", "FILE");
    const QCommandLineOption datasetFormat(
        "dataset-format", "sick, sst2, rte, mrpc, glue-pair or glue-single (default sick).", "F",
        "sick");
    const QCommandLineOption datasetSplit("dataset-split", "Split, e.g. test (SICK).", "S");
    const QCommandLineOption datasetExamples(
        "dataset-examples", "Examples for the dataset analysis (default 200).", "N");
    const QCommandLineOption datasetAnalysis("dataset-analysis",
                                             "importance (default), pruning or triggers.", "A");
    const QCommandLineOption tau("tau", "Attribution-tree threshold (default 0.4).", "T");
    const QCommandLineOption hover("hover", "Hover a heatmap cell ROW,COL (0-based positions).",
                                   "I,J");
    const QCommandLineOption size("size", "Window size, e.g. 1600x1000.", "WxH");
    const QCommandLineOption presentation(
        "presentation", "Presentation mode (large fonts for a projector; F5 in the window).");
    const QCommandLineOption highContrast("high-contrast", "High-contrast window palette.");
    const QCommandLineOption screenshot(
        "screenshot", "Run the attribution, save the window as a PNG and exit.", "FILE.png");
    const QCommandLineOption render(
        "render",
        "Draw one figure (--view: heatmaps, attention, attribution, bars, overview, "
        "overview-attribution, tree, saliency, teaching or compare (these two need the model: "
        "--model or the result's)) from --result or --session and exit; "
        ".svg/.pdf/.png (saliency also .html/.tex), or .csv/.json for its numbers.",
        "OUT");
    const QCommandLineOption result("result", "Result JSON from 'attrscope-cli attribute --out'.",
                                    "FILE");
    const QCommandLineOption session("session", "Open (or, with --render, draw from) a session.",
                                     "FILE.attrscope");
    const QCommandLineOption dpi("dpi", "PNG resolution for --render (default 200).", "N", "200");
    const QCommandLineOption hideSpecials("hide-specials", "Hide [CLS]/[SEP] (not renormalised).");
    const QCommandLineOption merge("merge", "Merge word pieces into words: sum or max.", "HOW");
    const QCommandLineOption zeroBased("zero-based", "Number layers/heads from 0 in figures.");
    const QCommandLineOption palette("palette", "Attention palette: viridis, cividis, greys.",
                                     "NAME");
    const QCommandLineOption diverging("diverging-palette",
                                       "Attribution palette: RdBu, PuOr, BlueOrange.", "NAME");
    const QCommandLineOption scale("scale", "Colour scale: per-head, per-layer or global.", "S");
    const QCommandLineOption theme(
        "theme", "light or dark (window; for --render the figure, light by default).", "T");
    const QCommandLineOption width(
        "width",
        "--render: figure width, e.g. 8.5cm, 85mm, 240pt, 3.3in (the PDF page width; default "
        "one column, 8.5 cm, or 17 cm for the pair; the tree: its own width within those).",
        "LEN");
    const QCommandLineOption fontSize("font-size", "--render: font size in points (default 8).",
                                      "PT");
    const QCommandLineOption caption("caption", "--render: caption on or off (default on).",
                                     "on|off");
    const QCommandLineOption colourScale(
        "color-scale",
        "--render heatmaps and overview: linear (default), gamma[:G] (0.5), symlog[:C] (linear "
        "within "
        "C x limit, 0.01) or percentile[:P] (clip at the P-th percentile, 99).",
        "S");
    const QCommandLineOption saliencySource(
        "saliency-source",
        "--render --view saliency: received (attribution a token receives, default), given, "
        "all-layers (received, summed over layers) or attention (attention received).",
        "S");
    parser.addOptions({model,
                       textA,
                       textB,
                       layer,
                       head,
                       device,
                       threads,
                       steps,
                       rule,
                       view,
                       tau,
                       hover,
                       size,
                       screenshot,
                       render,
                       result,
                       session,
                       dpi,
                       hideSpecials,
                       merge,
                       zeroBased,
                       palette,
                       diverging,
                       scale,
                       theme,
                       dataset,
                       datasetFormat,
                       datasetSplit,
                       datasetExamples,
                       datasetAnalysis,
                       width,
                       fontSize,
                       caption,
                       colourScale,
                       saliencySource});
    parser.addOptions({presentation, highContrast});
    // The desktop entry's `attrscope %f`: double-clicking a .attrscope file opens that session.
    parser.addPositionalArgument("file", "A .attrscope session to open (as --session).",
                                 "[FILE.attrscope]");
    parser.process(app);
    if (parser.positionalArguments().size() > 1)
        return usageError("expects at most one session file");
    const QString sessionPath = parser.isSet(session) || parser.positionalArguments().isEmpty()
                                    ? parser.value(session)
                                    : parser.positionalArguments().first();

    // Display conventions, for --render figures and the window (screenshots) alike.
    attrscope::ui::ViewConventions conventions;
    bool conventionsSet = false;
    {
        QJsonObject c = conventions.toJson();
        auto set = [&](const char* key, const QJsonValue& v) {
            c[QLatin1String(key)] = v;
            conventionsSet = true;
        };
        if (parser.isSet(hideSpecials))
            set("hide_specials", true);
        if (parser.isSet(merge))
            set("merge_pieces", parser.value(merge));
        if (parser.isSet(zeroBased))
            set("one_based_labels", false);
        if (parser.isSet(palette))
            set("sequential_palette", parser.value(palette));
        if (parser.isSet(diverging))
            set("diverging_palette", parser.value(diverging));
        if (parser.isSet(scale))
            set("colour_scale", parser.value(scale));
        if (parser.isSet(theme))
            set("theme", parser.value(theme));
        conventions = attrscope::ui::ViewConventions::fromJson(c);
    }

    if (parser.isSet(render)) {
        attrscope::ui::RenderOptions r;
        r.out = parser.value(render);
        r.resultPath = parser.value(result);
        r.sessionPath = sessionPath;
        if (r.resultPath.isEmpty() == r.sessionPath.isEmpty())
            return usageError("--render needs exactly one of --result or --session");
        if (parser.isSet(view) && parser.value(view) == QLatin1String("teaching")) {
            r.teaching = true;  // the path figure: needs the model (--model or the result's)
            r.modelPath = parser.value(model);
        } else if (parser.isSet(view) && parser.value(view) == QLatin1String("compare")) {
            r.compare = true;  // every method: needs the model too
            r.modelPath = parser.value(model);
        } else if (parser.isSet(view)) {
            auto kind = attrscope::ui::parseFigureKind(parser.value(view));
            if (!kind)
                return usageError(
                    "--view expects heatmaps, attention, attribution, bars, "
                    "overview, overview-attribution, tree, saliency, teaching or compare");
            r.kind = *kind;
        }
        if (parser.isSet(layer) && !parseIndex(parser.value(layer), false, &r.layer))
            return usageError("--layer expects a number from 1");
        if (parser.isSet(head) && !parseIndex(parser.value(head), true, &r.head))
            return usageError("--head expects a number from 1 or 'sum'");
        bool ok = false;
        r.dpi = parser.value(dpi).toInt(&ok);
        if (!ok || r.dpi < 10 || r.dpi > 2400)
            return usageError("--dpi expects a number from 10 to 2400");
        if (parser.isSet(tau))
            r.tau = parser.value(tau).toDouble();
        if (parser.isSet(width)) {
            auto w = attrscope::ui::parseLength(parser.value(width));
            if (!w || *w < 72.0)
                return usageError(
                    "--width expects a length of at least 1 in, e.g. 8.5cm or "
                    "240pt");
            r.figure.widthPt = *w;
        }
        if (parser.isSet(fontSize)) {
            r.figure.fontPt = parser.value(fontSize).toDouble(&ok);
            if (!ok || r.figure.fontPt < 4 || r.figure.fontPt > 48)
                return usageError("--font-size expects points from 4 to 48");
        }
        if (parser.isSet(caption)) {
            auto on = attrscope::ui::parseOnOff(parser.value(caption));
            if (!on)
                return usageError("--caption expects on or off");
            r.figure.caption = *on;
        }
        if (parser.isSet(colourScale)) {
            auto spec = attrscope::ui::parseScaleSpec(parser.value(colourScale).toStdString());
            if (!spec)
                return usageError(
                    "--color-scale expects linear, gamma[:G], symlog[:C] or "
                    "percentile[:P]");
            r.figure.scale = *spec;
        }
        if (parser.isSet(theme)) {
            const QString t = parser.value(theme);
            if (t != QLatin1String("light") && t != QLatin1String("dark"))
                return usageError("--theme expects light or dark");
            r.figure.dark = t == QLatin1String("dark");
        }
        if (parser.isSet(saliencySource)) {
            auto s = attrscope::ui::parseSaliencySource(parser.value(saliencySource));
            if (!s)
                return usageError(
                    "--saliency-source expects received, given, all-layers or "
                    "attention");
            r.saliencySource = *s;
        }
        r.figure.dpi = r.dpi;
        r.conventions = conventions;
        r.conventionsSet = conventionsSet;
        QString message;
        const int code = attrscope::ui::renderFigure(r, &message);
        std::fprintf(code == 0 ? stdout : stderr, "attrscope: %s\n", qPrintable(message));
        return code;
    }

    attrscope::ui::StartupOptions options;
    options.modelDir = parser.value(model);
    options.textA = parser.value(textA);
    options.textB = parser.value(textB);
    options.device = parser.value(device);
    options.rule = parser.value(rule);
    options.screenshot = parser.value(screenshot);
    // A text that tokenizes to nothing would leave a batch mode waiting for a result forever.
    if (parser.isSet(textA) && options.textA.trimmed().isEmpty())
        return usageError("--text-a is empty or only whitespace");
    if (parser.isSet(textB) && options.textB.trimmed().isEmpty())
        return usageError("--text-b is empty or only whitespace (leave it out for one sentence)");
    if (conventionsSet)
        options.conventions = conventions;
    if (parser.isSet(layer) && !parseIndex(parser.value(layer), false, &options.layer))
        return usageError("--layer expects a number from 1");
    if (parser.isSet(head) && !parseIndex(parser.value(head), true, &options.head))
        return usageError("--head expects a number from 1 or 'sum'");
    if (parser.isSet(steps)) {
        bool ok = false;
        options.steps = parser.value(steps).toInt(&ok);
        if (!ok || options.steps < 1)
            return usageError("--steps expects a positive number");
    }
    if (parser.isSet(tau)) {
        bool ok = false;
        options.tau = parser.value(tau).toDouble(&ok);
        if (!ok || options.tau <= 0 || options.tau >= 1)
            return usageError("--tau expects a number between 0 and 1");
    }
    if (parser.isSet(view)) {
        const QString v = parser.value(view);
        if (v == QLatin1String("overview-attribution")) {
            options.view = QStringLiteral("overview");
            options.overviewQuantity = QStringLiteral("attribution");
        } else if (v == QLatin1String("heatmaps") || v == QLatin1String("overview") ||
                   v == QLatin1String("tree") || v == QLatin1String("teaching") ||
                   v == QLatin1String("dataset") || v == QLatin1String("compare")) {
            options.view = v;
        } else {
            return usageError(
                "--view expects heatmaps, overview, overview-attribution, tree, "
                "teaching, dataset or compare");
        }
    }
    options.datasetPath = parser.value(dataset);
    options.datasetFormat = parser.value(datasetFormat);
    options.datasetSplit = parser.value(datasetSplit);
    options.datasetAnalysis = parser.value(datasetAnalysis);
    if (!options.datasetAnalysis.isEmpty() &&
        options.datasetAnalysis != QLatin1String("importance") &&
        options.datasetAnalysis != QLatin1String("pruning") &&
        options.datasetAnalysis != QLatin1String("triggers"))
        return usageError("--dataset-analysis expects importance, pruning or triggers");
    if (parser.isSet(datasetExamples)) {
        bool ok = false;
        options.datasetExamples = parser.value(datasetExamples).toInt(&ok);
        if (!ok || options.datasetExamples < 1)
            return usageError("--dataset-examples expects a positive number");
    }
    if (parser.isSet(hover)) {
        const QStringList parts = parser.value(hover).split(',');
        bool ok1 = false, ok2 = false;
        if (parts.size() == 2)
            options.hover = QPoint(parts[1].toInt(&ok2), parts[0].toInt(&ok1));
        if (!ok1 || !ok2)
            return usageError("--hover expects ROW,COL");
    }
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).toLower().split('x');
        if (parts.size() == 2)
            options.windowSize = QSize(parts[0].toInt(), parts[1].toInt());
        if (!options.windowSize.isValid() || options.windowSize.isEmpty())
            return usageError("--size expects WIDTHxHEIGHT");
    }
    bool threadsOk = false;
    const int threadCount = parser.value(threads).toInt(&threadsOk);
    if (!threadsOk || threadCount < 0)
        return usageError("--threads expects a number >= 0");
    attrscope::setThreadCount(threadCount);

    // No --model: the shipped demo model, else (interactively) the most recent one; never fail
    // without one. Screenshots never depend on the user's recent-model history.
    if (options.modelDir.isEmpty()) {
        const std::string demo = attrscope::findDemoModel("sick-nli");
        if (!demo.empty()) {
            options.modelDir = QString::fromStdString(demo);
        } else if (options.screenshot.isEmpty()) {
            const QStringList recent = QSettings().value("models/recent").toStringList();
            if (!recent.isEmpty() && QDir(recent.first()).exists())
                options.modelDir = recent.first();
        }
    }

    attrscope::ui::MainWindow window;
    // Set on the command line, or forced off for a screenshot, without touching the remembered
    // choice.
    if (parser.isSet(presentation) || !options.screenshot.isEmpty())
        window.setPresentationMode(parser.isSet(presentation), false);
    if (parser.isSet(highContrast) || !options.screenshot.isEmpty())
        window.setHighContrast(parser.isSet(highContrast), false);
    attrscope::ui::StartupDriver driver(&window, options);
    QObject::connect(
        &driver, &attrscope::ui::StartupDriver::done, &app, [](int code, const QString& message) {
            std::fprintf(code == 0 ? stdout : stderr, "attrscope: %s\n", qPrintable(message));
            QCoreApplication::exit(code);
        });
    window.show();
    if (!sessionPath.isEmpty()) {
        const QString path = sessionPath;
        QTimer::singleShot(0, &window, [&window, path] { window.openSession(path); });
    } else {
        QTimer::singleShot(0, &driver, &attrscope::ui::StartupDriver::start);
    }
    return app.exec();
}
