// MainWindow's figure/data exports, sessions, official JSONL files, convention actions and
// context menus (issue 6). The dialogs live here; the work is done by FigureExporter,
// SessionController and the core, which the tests call directly.

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>

#include "attrscope/json/result_json.h"
#include "document/analysis_document.h"
#include "export/saliency_export.h"
#include "figure/figure_options_dialog.h"
#include "mainwindow/completeness_panel.h"
#include "mainwindow/conventions_panel.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "mainwindow/prediction_panel.h"
#include "mainwindow/run_panel.h"
#include "session/session_controller.h"
#include "views/bars/head_bars.h"
#include "views/compare/compare_view.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/overview/overview_canvas.h"
#include "views/overview/overview_grid.h"
#include "views/teaching/teaching_view.h"
#include "views/tree/tree_graphics_view.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

namespace {
const QList<QPair<FigureKind, const char*>>& figureMenuItems() {
    static const QList<QPair<FigureKind, const char*>> items = {
        {FigureKind::HeatmapPair, QT_TRANSLATE_NOOP("MainWindow", "Heatmap pair")},
        {FigureKind::Attention, QT_TRANSLATE_NOOP("MainWindow", "Attention map")},
        {FigureKind::Attribution, QT_TRANSLATE_NOOP("MainWindow", "Attribution map")},
        {FigureKind::HeadBars, QT_TRANSLATE_NOOP("MainWindow", "Head bars")},
        {FigureKind::OverviewAttention, QT_TRANSLATE_NOOP("MainWindow", "Overview (attention)")},
        {FigureKind::OverviewAttribution,
         QT_TRANSLATE_NOOP("MainWindow", "Overview (attribution)")},
        {FigureKind::Tree, QT_TRANSLATE_NOOP("MainWindow", "Attribution tree")},
        {FigureKind::Saliency, QT_TRANSLATE_NOOP("MainWindow", "Token saliency (text)")},
    };
    return items;
}
}  // namespace

void MainWindow::buildFileActions(QMenu* file) {
    file->addAction(tr("Open &session\u2026"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(),
                                                          tr("AttrScope session (*.attrscope)"));
        if (!path.isEmpty())
            openSession(path);
    });
    file->addAction(tr("&Save session\u2026"), QKeySequence::Save, this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save session"),
                                                    QStringLiteral("analysis.attrscope"),
                                                    tr("AttrScope session (*.attrscope)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".attrscope");
        saveSession(path);
    });
    file->addSeparator();
    QMenu* figures = file->addMenu(tr("Export &figure"));
    QMenu* data = file->addMenu(tr("Export &data (CSV/JSON)"));
    for (const auto& item : figureMenuItems()) {
        const FigureKind kind = item.first;
        figures->addAction(tr(item.second) + QStringLiteral("\u2026"), this,
                           [this, kind] { exportFigureDialog(kind); });
        data->addAction(tr(item.second) + QStringLiteral("\u2026"), this,
                        [this, kind] { exportDataDialog(kind); });
    }
    // The teaching view draws from its own path probe, not the document: it exports itself
    // through the same figure writer (as the dataset tab does).
    figures->addAction(tr("Path (teaching)\u2026"), this,
                       [this] { m_teaching->exportDialog(true); });
    data->addAction(tr("Path (teaching)\u2026"), this, [this] { m_teaching->exportDialog(false); });
    figures->addAction(tr("Compare methods\u2026"), this,
                       [this] { m_compare->exportDialog(true); });
    data->addAction(tr("Compare methods\u2026"), this, [this] { m_compare->exportDialog(false); });
    file->addSeparator();
    file->addAction(tr("Export official &JSONL files\u2026"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the files"));
        if (!dir.isEmpty())
            writeOfficialFiles(dir);
    });
    file->addAction(tr("&Import official JSONL files\u2026"), this, [this] {
        const QString attr =
            QFileDialog::getOpenFileName(this, tr("Attribution file (attr_zero_base_exp*.json)"),
                                         QString(), tr("JSON lines (*.json *.jsonl)"));
        if (attr.isEmpty())
            return;
        QString attn = attr;
        attn.replace(QStringLiteral("attr_zero_base_exp"),
                     QStringLiteral("att_score_zero_base_exp"));
        if (attn == attr || !QFileInfo::exists(attn))
            attn = QFileDialog::getOpenFileName(this, tr("Attention file"), QFileInfo(attr).path(),
                                                tr("JSON lines (*.json *.jsonl)"));
        if (attn.isEmpty())
            return;
        bool ok = false;
        const QString tokens = QInputDialog::getText(
            this, tr("Word pieces"),
            tr("The input's word pieces, separated by spaces (e.g. [CLS] a man ##s [SEP]):"),
            QLineEdit::Normal, m_doc->tokens().join(QLatin1Char(' ')), &ok);
        if (ok)
            loadOfficialFiles(attr, attn, tokens.split(QLatin1Char(' '), Qt::SkipEmptyParts));
    });
}

void MainWindow::buildConventionActions(QMenu* view) {
    auto* dock = qobject_cast<QDockWidget*>(m_conventions->property("dock").value<QObject*>());
    if (dock) {
        QAction* panel = dock->toggleViewAction();
        panel->setText(tr("Conventions panel"));
        view->addAction(panel);
    }
    auto toggle = [this, view](const QString& text, auto getter, auto setter) {
        QAction* a = view->addAction(text);
        a->setCheckable(true);
        a->setChecked(getter(m_doc->conventions()));
        connect(a, &QAction::toggled, this, [this, setter](bool on) {
            ViewConventions c = m_doc->conventions();
            setter(c, on);
            m_doc->setConventions(c);
        });
        connect(m_doc, &AnalysisDocument::conventionsChanged, a,
                [this, a, getter] { a->setChecked(getter(m_doc->conventions())); });
    };
    toggle(
        tr("Hide [CLS]/[SEP] (not renormalised)"),
        [](const ViewConventions& c) { return c.hideSpecials; },
        [](ViewConventions& c, bool on) { c.hideSpecials = on; });
    toggle(
        tr("Merge word pieces (sum)"),
        [](const ViewConventions& c) { return c.merge != MergeMode::None; },
        [](ViewConventions& c, bool on) { c.merge = on ? MergeMode::Sum : MergeMode::None; });
    toggle(
        tr("Number layers/heads from 1"), [](const ViewConventions& c) { return c.oneBased; },
        [](ViewConventions& c, bool on) { c.oneBased = on; });
    toggle(
        tr("Dark theme"), [](const ViewConventions& c) { return c.theme == Theme::Dark; },
        [](ViewConventions& c, bool on) { c.theme = on ? Theme::Dark : Theme::Light; });
}

void MainWindow::installContextMenus() {
    auto attach = [this](QWidget* widget, QList<FigureKind> kinds) {
        widget->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(widget, &QWidget::customContextMenuRequested, this,
                [this, widget, kinds](const QPoint& pos) {
                    QMenu menu(widget);
                    for (FigureKind kind : kinds) {
                        QString name;
                        for (const auto& item : figureMenuItems())
                            if (item.first == kind)
                                name = tr(item.second);
                        menu.addAction(tr("Export %1 as SVG/PDF/PNG\u2026").arg(name), this,
                                       [this, kind] { exportFigureDialog(kind); });
                        menu.addAction(tr("Export %1 numbers as CSV/JSON\u2026").arg(name), this,
                                       [this, kind] { exportDataDialog(kind); });
                    }
                    menu.exec(widget->mapToGlobal(pos));
                });
    };
    attach(m_heatmaps->attentionPlot()->plotWidget(),
           {FigureKind::HeatmapPair, FigureKind::Attention});
    attach(m_heatmaps->attributionPlot()->plotWidget(),
           {FigureKind::HeatmapPair, FigureKind::Attribution});
    attach(m_headBars->plotWidget(), {FigureKind::HeadBars});
    attach(m_overview->canvas(), {FigureKind::OverviewAttention, FigureKind::OverviewAttribution});
    attach(m_tree->view(), {FigureKind::Tree});
    connect(m_tree, &TreeView::figureExportRequested, this,
            [this] { exportFigureDialog(FigureKind::Tree); });
}

void MainWindow::reportError(const QString& message) {
    m_lastError = message;
    statusBar()->showMessage(tr("Export failed: %1").arg(message));
    // Non-modal: the event loop (and a running job) keep going.
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("AttrScope"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("exportError"));
    box->open();
}

bool MainWindow::exportFigure(FigureKind kind, const QString& path, int dpi) {
    FigureExporter exporter(m_doc);
    exporter.setModelName(m_modelName);
    exporter.setTreeThreshold(m_tree->threshold());
    exporter.setOverviewScale(m_overview->canvas()->scaleMode());
    exporter.setPngDpi(dpi);
    exporter.setFigureOptions(m_figureOptions);
    exporter.setSaliencySource(m_saliencySource);
    if (!exporter.exportFigure(kind, path)) {
        reportError(exporter.errorString());
        return false;
    }
    m_lastError.clear();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::exportData(FigureKind kind, const QString& path) {
    FigureExporter exporter(m_doc);
    exporter.setModelName(m_modelName);
    exporter.setTreeThreshold(m_tree->threshold());
    exporter.setOverviewScale(m_overview->canvas()->scaleMode());
    if (!exporter.exportData(kind, path)) {
        reportError(exporter.errorString());
        return false;
    }
    m_lastError.clear();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::exportFigureDialog(FigureKind kind) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export figure"), figureKindName(kind) + QStringLiteral(".svg"),
        kind == FigureKind::Saliency
            ? tr("SVG (*.svg);;PDF (*.pdf);;PNG image (*.png);;HTML (*.html);;LaTeX (*.tex)")
            : tr("SVG (*.svg);;PDF (*.pdf);;PNG image (*.png)"));
    if (path.isEmpty())
        return;
    const bool png = QFileInfo(path).suffix().toLower() == QLatin1String("png");
    {
        // Paper figures: width, font, caption, theme, colour scale (and DPI), remembered.
        QSettings settings;
        if (kind == FigureKind::Saliency) {
            const QStringList names = {QStringLiteral("received"), QStringLiteral("given"),
                                       QStringLiteral("all-layers"), QStringLiteral("attention")};
            const QStringList items = {
                tr("Attribution each token receives (\u03a3 over query rows)"),
                tr("Attribution each token gives (\u03a3 over key columns)"),
                tr("Attribution received, summed over all layers"),
                tr("Attention each token receives")};
            const int current = std::max<int>(
                0, int(names.indexOf(
                       settings.value(QStringLiteral("figure/saliency_source")).toString())));
            bool ok = false;
            const QString item =
                QInputDialog::getItem(this, tr("Token saliency"), tr("Colour each token by:"),
                                      items, current, false, &ok);
            if (!ok)
                return;
            const QString name = names.value(int(items.indexOf(item)), names.first());
            settings.setValue(QStringLiteral("figure/saliency_source"), name);
            m_saliencySource = parseSaliencySource(name).value_or(SaliencySource::Received);
        }
        FigureOptionsDialog dialog(loadFigureOptions(settings), png, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        m_figureOptions = dialog.options();
        saveFigureOptions(settings, m_figureOptions);
        exportFigure(kind, path, png ? m_figureOptions.dpi : m_lastDpi);
    }
}

void MainWindow::exportDataDialog(FigureKind kind) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export data"),
                                                      figureKindName(kind) + QStringLiteral(".csv"),
                                                      tr("CSV (*.csv);;JSON (*.json)"));
    if (!path.isEmpty())
        exportData(kind, path);
}

bool MainWindow::saveSession(const QString& path) {
    if (!m_sessions->save(path)) {
        reportError(m_sessions->errorString());
        return false;
    }
    statusBar()->showMessage(tr("Session saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::openSession(const QString& path) {
    if (!m_sessions->open(path)) {
        reportError(m_sessions->errorString());
        return false;
    }
    statusBar()->showMessage(tr("Session %1 opened").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::showStoredResult(ResultPtr result, const QStringList& labels, const QString& textA,
                                  const QString& textB, const QString& note, bool keepModel) {
    m_job->cancel();
    if (!keepModel && m_doc->model())
        setModel(nullptr, QString());
    const QStringList shownLabels = m_doc->model() ? m_doc->labels() : labels;
    m_inputPanel->setLabels(shownLabels);
    m_runPanel->setLabels(shownLabels);
    m_doc->showResult(result, shownLabels, textA, textB);  // the panels follow the document
    m_inputPanel->setTexts(textA, textB);
    m_doc->setRunning(false);
    m_runPanel->setRunning(false);
    updateStale();
    m_sessionBanner->setText(note);
    m_sessionBanner->setVisible(!note.isEmpty());
}

bool MainWindow::writeOfficialFiles(const QString& directory, int index) {
    ResultPtr r = m_doc->currentResult();
    if (!r) {
        reportError(tr("Nothing to write: run an attribution or open a session"));
        return false;
    }
    auto status = attrscope::writeOfficialJsonl(*r, directory.toStdString(), index);
    if (!status.ok()) {
        reportError(QString::fromStdString(status.message()));
        return false;
    }
    statusBar()->showMessage(
        tr("Wrote attr_zero_base_exp%1.json and att_score_zero_base_exp%1.json "
           "(0-based layers, one JSON line per layer) to %2")
            .arg(index)
            .arg(QDir::toNativeSeparators(directory)));
    return true;
}

bool MainWindow::loadOfficialFiles(const QString& attributionPath, const QString& attentionPath,
                                   const QStringList& tokens) {
    auto attr = attrscope::readOfficialJsonl(attributionPath.toStdString());
    if (!attr) {
        reportError(QString::fromStdString(attr.error()));
        return false;
    }
    auto attn = attrscope::readOfficialJsonl(attentionPath.toStdString());
    if (!attn) {
        reportError(QString::fromStdString(attn.error()));
        return false;
    }
    const int64_t n = tokens.size();
    if (attr->rank() != 4 || attr->shape != attn->shape || attr->dim(2) != n || attr->dim(3) != n) {
        reportError(tr("The files hold %1×%1 maps but %2 word pieces were given")
                        .arg(attr->rank() == 4 ? attr->dim(2) : 0)
                        .arg(n));
        return false;
    }
    auto r = std::make_shared<attrscope::AttributionResult>();
    int seps = 0;
    for (const QString& t : tokens) {
        r->encoding.tokens.push_back(t.toStdString());
        seps += t == QLatin1String("[SEP]");
    }
    r->encoding.isPair = seps >= 2;
    for (int i = 1; i < int(n) && tokens[i] != QLatin1String("[SEP]"); ++i)
        ++r->encoding.lengthA;
    r->encoding.inputIds.assign(size_t(n), 0);
    r->encoding.segmentIds.assign(size_t(n), 0);
    r->prediction.attention = attn.value();
    r->numLayers = int(attr->dim(0));
    r->numHeads = int(attr->dim(1));
    const size_t block = size_t(r->numHeads) * size_t(n) * size_t(n);
    for (int l = 0; l < r->numLayers; ++l) {
        attrscope::LayerAttribution layer;
        layer.layer = l;
        layer.attribution = attrscope::FloatArray({r->numHeads, n, n});
        std::copy(attr->data.begin() + std::ptrdiff_t(size_t(l) * block),
                  attr->data.begin() + std::ptrdiff_t(size_t(l + 1) * block),
                  layer.attribution.data.begin());
        r->layers.push_back(std::move(layer));
    }
    showStoredResult(r, QStringList(), QString(), QString(),
                     tr("Official JSONL files %1: no prediction or settings are stored in them.")
                         .arg(QFileInfo(attributionPath).fileName()),
                     false);
    return true;
}

int MainWindow::currentTab() const {
    return m_tabs->currentIndex();
}

void MainWindow::setCurrentTab(int index) {
    if (index >= 0 && index < m_tabs->count())
        m_tabs->setCurrentIndex(index);
}

}  // namespace attrscope::ui
