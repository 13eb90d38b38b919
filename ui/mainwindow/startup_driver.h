#pragma once
// Applies the command-line options to a MainWindow: opens the model, fills in the input, picks
// layer/head/view, runs when text was given, and in --screenshot mode saves the rendered window
// once the attribution (and the tree, for the tree view) is finished, then reports an exit code.

#include <QObject>
#include <QPoint>
#include <QSize>
#include <QString>
#include <optional>

#include "document/conventions.h"

class QTimer;

namespace attrscope::ui {

class MainWindow;

struct StartupOptions {
    QString modelDir;  // empty: no model (the caller picks a default)
    QString textA;
    QString textB;
    int layer = -1;            // 0-based; -1 keeps the default
    int head = -2;             // 0-based; -1 = Σ heads; -2 keeps the default
    QString device;            // empty keeps cpu
    int steps = 0;             // 0 keeps the default (20)
    QString rule;              // empty keeps the default
    QString view;              // heatmaps | overview | tree | bars (bars = heatmaps tab)
    QString overviewQuantity;  // attention | attribution
    double tau = -1.0;         // tree threshold; < 0 keeps 0.4
    QPoint hover{-1, -1};      // (column j, row i) to hover in the heatmaps before the screenshot
    QString screenshot;        // PNG path; empty: interactive
    // Dataset tab (--view dataset): a dataset analysis run at start-up when datasetPath is set.
    QString datasetPath;
    QString datasetFormat = QStringLiteral("sick");
    QString datasetSplit;
    int datasetExamples = 0;  // 0 keeps the default (200)
    QString datasetAnalysis;  // importance | pruning | triggers (default importance)
    QSize windowSize;         // empty keeps the default
    // Display conventions (--zero-based, --theme, palettes, ...), applied when set.
    std::optional<ViewConventions> conventions;
    int timeoutSeconds = 900;
};

class StartupDriver : public QObject {
    Q_OBJECT
public:
    StartupDriver(MainWindow* window, StartupOptions options, QObject* parent = nullptr);

    // Starts loading; in screenshot mode `done` follows.
    void start();

Q_SIGNALS:
    void done(int exitCode, const QString& message);

private:
    void onModelReady();
    void onFinished();
    void startDataset();
    void capture();
    void fail(const QString& message);

    MainWindow* m_window;
    StartupOptions m_options;
    QTimer* m_timeout;
    bool m_finished = false;
    bool m_waitingForRun = false;
};

}  // namespace attrscope::ui
