// The window's look: light/dark theme, presentation mode (larger fonts for a projector),
// high-contrast palette and heatmap zoom. The modes live in QSettings; the theme in the
// document's conventions (it also drives the plots).

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <cmath>

#include "document/analysis_document.h"
#include "mainwindow/appearance.h"
#include "mainwindow/main_window.h"
#include "mainwindow/prediction_panel.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/teaching/teaching_view.h"
#include "views/tree/tree_graphics_view.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

namespace {
const char* kPresentationKey = "view/presentation";
const char* kHighContrastKey = "view/highContrast";
const char* kZoomKey = "view/heatmapZoom";
}  // namespace

void MainWindow::buildPresentationActions(QMenu* view) {
    m_baseFont = QApplication::font();
    m_presentationAction = view->addAction(tr("Presentation mode"));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_presentationAction->setToolTip(tr("Larger fonts and token labels for a projector"));
    connect(m_presentationAction, &QAction::toggled, this,
            [this](bool on) { setPresentationMode(on); });
    m_highContrastAction = view->addAction(tr("High-contrast palette"));
    m_highContrastAction->setCheckable(true);
    connect(m_highContrastAction, &QAction::toggled, this,
            [this](bool on) { setHighContrast(on); });
    // On the tree tab the same keys zoom the tree; elsewhere the heatmaps.
    auto zoom = [this](double factor) {
        if (m_tabs->currentWidget() == m_tree) {
            if (factor == 0.0)
                m_tree->view()->fitAll();
            else
                m_tree->view()->zoomBy(factor);
            return;
        }
        setHeatmapZoom(factor == 0.0 ? 1.0 : m_zoom * factor);
    };
    view->addAction(tr("Zoom in"), QKeySequence(Qt::CTRL | Qt::Key_Equal), this,
                    [zoom] { zoom(kZoomStep); });
    // Ctrl++ is Ctrl+Shift+= on most keyboards; accept both.
    auto* plus = new QAction(this);
    plus->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Plus));
    connect(plus, &QAction::triggered, this, [zoom] { zoom(kZoomStep); });
    addAction(plus);
    view->addAction(tr("Zoom out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), this,
                    [zoom] { zoom(1.0 / kZoomStep); });
    view->addAction(tr("Reset zoom"), QKeySequence(Qt::CTRL | Qt::Key_0), this,
                    [zoom] { zoom(0.0); });

    const QSettings settings;
    setHighContrast(settings.value(kHighContrastKey, false).toBool(), false);
    setPresentationMode(settings.value(kPresentationKey, false).toBool(), false);
    const double savedZoom = settings.value(kZoomKey, 1.0).toDouble();
    if (savedZoom != 1.0)
        setHeatmapZoom(savedZoom);
}

void MainWindow::setPresentationMode(bool on, bool remember) {
    if (remember)
        QSettings().setValue(kPresentationKey, on);
    if (on == m_presentation)
        return;
    m_presentation = on;
    // Blocked: the action's handler would remember a mode that was only set (a screenshot's).
    if (m_presentationAction && m_presentationAction->isChecked() != on) {
        const QSignalBlocker block(m_presentationAction);
        m_presentationAction->setChecked(on);
    }
    applyFontScale();
    revealPrediction();
    if (on)
        statusBar()->showMessage(
            tr("Presentation mode: F5 leaves it; Ctrl+= / Ctrl+- zoom the "
               "heatmaps."));
}

void MainWindow::applyFontScale() {
    const double scale = m_presentation ? kPresentationFontScale : 1.0;
    QFont f = m_baseFont;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(m_baseFont.pointSizeF() * scale);
    else
        f.setPixelSize(int(m_baseFont.pixelSize() * scale));
    QApplication::setFont(f);
    // On a projector the maps need the height: the head bars and completeness fold away (the
    // splitter handle at the bottom brings them back) and return when the mode ends.
    // Only sizes the splitter has had on screen are kept (another tab may be showing): one
    // never laid out (presentation mode remembered, set in the constructor) has made-up sizes,
    // which gave the maps the smaller share when the mode ended (a screenshot turns it off);
    // the default proportions (buildHeatmapTab) stay then.
    if (m_presentation) {
        const QList<int> sizes = m_heatmapSplit->sizes();
        if (m_heatmapSplit->testAttribute(Qt::WA_Resized) && sizes.size() == 2 && sizes[0] > 0 &&
            sizes[1] > 0)
            m_heatmapSplitSizes = sizes;
        m_heatmapSplit->setSizes({1, 0});
    } else if (!m_heatmapSplitSizes.isEmpty()) {
        m_heatmapSplit->setSizes(m_heatmapSplitSizes);
    }
    for (HeatmapPlot* plot :
         {m_heatmaps->attentionPlot(), m_heatmaps->attributionPlot(), m_teaching->heatmap()})
        plot->setFontScale(scale);
    m_tree->setFontScale(scale);
}

void MainWindow::setHighContrast(bool on, bool remember) {
    if (remember)
        QSettings().setValue(kHighContrastKey, on);
    if (on == m_highContrast)
        return;
    m_highContrast = on;
    if (m_highContrastAction && m_highContrastAction->isChecked() != on) {
        const QSignalBlocker block(m_highContrastAction);
        m_highContrastAction->setChecked(on);
    }
    m_themeApplied = false;
    applyTheme();
}

void MainWindow::setHeatmapZoom(double zoom) {
    m_zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    QSettings().setValue(kZoomKey, m_zoom);  // remembered like the other view settings
    for (HeatmapPlot* plot :
         {m_heatmaps->attentionPlot(), m_heatmaps->attributionPlot(), m_teaching->heatmap()})
        plot->setZoom(m_zoom);
    statusBar()->showMessage(tr("Heatmap zoom %1%").arg(std::lround(m_zoom * 100)));
}

// On a short screen (1280×720, presentation fonts) the side panel scrolls so that the
// prediction stays in view; deferred until the layouts have taken the new size.
void MainWindow::revealPrediction() {
    QTimer::singleShot(0, this, [this] {
        if (m_doc->hasInput())
            m_sideScroll->ensureWidgetVisible(m_predictionPanel, 0, 4);
    });
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    revealPrediction();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // The side panel's content changed size (new fonts, a prediction, the token strip).
    if (event->type() == QEvent::Resize && watched == m_sideScroll->widget())
        revealPrediction();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::applyTheme() {
    const bool dark = m_doc->conventions().theme == Theme::Dark;
    if (m_themeApplied && property("darkTheme").toBool() == dark)
        return;
    m_themeApplied = true;
    setProperty("darkTheme", dark);
    QApplication::setPalette(applicationPalette(dark, m_highContrast));
}

}  // namespace attrscope::ui
