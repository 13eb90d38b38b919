#include "views/teaching/teaching_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "document/analysis_document.h"
#include "plot/curve_plot.h"
#include "plot/palette.h"
#include "plot/plot_theme.h"
#include "plot/qcustomplot_wrapper.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/teaching/teaching_presets.h"

namespace attrscope::ui {

namespace {
constexpr int kDensePoints = 51;  // α = 0, 0.02, …, 1

QVector<double> toQ(const std::vector<double>& v) {
    return QVector<double>(v.begin(), v.end());
}
}  // namespace

TeachingView::TeachingView(AnalysisDocument* document, QWidget* parent)
    : QWidget(parent), m_doc(document), m_job(new PathProbeJob(this)) {
    m_presets = new QComboBox(this);
    m_presetButton = new QPushButton(tr("Run preset"), this);
    rebuildPresets();
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_explanation->setText(
        tr("Attribution integrates the gradient along the straight path from no attention "
           "(\u03b1 = 0) to the real attention (\u03b1 = 1). Move the slider to scale the "
           "attention; pick a preset for a guided example."));

    m_layerBox = new QComboBox(this);
    m_headBox = new QComboBox(this);
    m_info = new QLabel(this);
    m_info->setWordWrap(true);
    m_info->setMinimumWidth(1);  // wrapped text must not widen the window

    m_curve = makeAlphaPlot(this, tr("\u03b1 (layer attention scaled by \u03b1)"),
                            tr("F(\u03b1\u00b7A)"));
    m_curve->addGraph();
    m_curve->graph(0)->setPen(QPen(QColor(40, 90, 170), 2));
    m_curve->graph(0)->setName(tr("F(\u03b1\u00b7A): target probability"));
    m_curve->addGraph();
    m_curve->graph(1)->setLineStyle(QCPGraph::lsNone);
    m_curve->graph(1)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                                       QPen(QColor(200, 60, 40), 1.5),
                                                       QBrush(QColor(240, 150, 120)), 7));
    m_curve->graph(1)->setName(tr("integration points"));
    m_cursor = new QCPItemStraightLine(m_curve);
    m_cursor->setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));

    m_running = makeAlphaPlot(this, tr("\u03b1"), tr("probability change"));
    m_running->addGraph();
    m_running->graph(0)->setPen(QPen(QColor(40, 90, 170), 2));
    m_running->graph(0)->setName(tr("F(\u03b1) \u2212 F(0)"));
    m_running->addGraph();
    m_running->graph(1)->setPen(QPen(QColor(200, 60, 40), 1.5));
    m_running->graph(1)->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(200, 60, 40), 5));
    m_running->graph(1)->setName(tr("running \u03a3 attribution (first k points)"));
    m_runningNote = new QLabel(this);
    m_runningNote->setWordWrap(true);
    m_runningNote->setMinimumWidth(1);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, kDensePoints - 1);
    m_slider->setValue(kDensePoints - 1);
    m_slider->setPageStep(5);
    m_alphaLabel = new QLabel(this);
    m_alphaLabel->setMinimumWidth(70);
    m_heatmap = new HeatmapPlot(HeatmapPlot::Scale::Sequential, this);
    m_heatmap->setScaleLabel(tr("\u03b1 \u00b7 attention"));
    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels({tr("class"), tr("p at \u03b1"), QString()});
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    // No header, and just the rows' height (fitTable()): the map above needs the room.
    m_table->horizontalHeader()->setVisible(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->setToolTip(tr("Each class's probability at the slider's \u03b1 (target in bold)"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Layout: presets on top, then the selectors with the α slider, the two path plots on the
    // left and the α-scaled map with the class probabilities on the right.
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(new QLabel(tr("Preset:"), this));
    presetRow->addWidget(m_presets);
    presetRow->addWidget(m_presetButton);
    presetRow->addStretch(1);
    auto* selectRow = new QHBoxLayout;
    selectRow->addWidget(new QLabel(tr("Layer"), this));
    selectRow->addWidget(m_layerBox);
    selectRow->addWidget(new QLabel(tr("Head"), this));
    selectRow->addWidget(m_headBox);
    // The slider drives the curves' cursor and the map: it sits above both, which leaves the
    // map's pane its whole height (presentation mode at 1024×768).
    selectRow->addSpacing(12);
    selectRow->addWidget(m_alphaLabel);
    m_slider->setMinimumWidth(80);
    selectRow->addWidget(m_slider, 1);
    m_export = new QToolButton(this);
    m_export->setText(tr("Export"));
    m_export->setToolTip(tr("The path plots as SVG/PDF/PNG, or their numbers as CSV/JSON"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Figure (SVG, PDF, PNG)\u2026"), this, [this] { exportDialog(true); });
    exportMenu->addAction(tr("Data (CSV, JSON)\u2026"), this, [this] { exportDialog(false); });
    m_export->setMenu(exportMenu);
    selectRow->addWidget(m_export);
    for (QCustomPlot* plot : {m_curve, m_running}) {
        plot->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(plot, &QWidget::customContextMenuRequested, this, [this, plot](const QPoint& pos) {
            QMenu menu(plot);
            menu.addAction(tr("Export path as SVG/PDF/PNG\u2026"), this,
                           [this] { exportDialog(true); });
            menu.addAction(tr("Export path numbers as CSV/JSON\u2026"), this,
                           [this] { exportDialog(false); });
            menu.exec(plot->mapToGlobal(pos));
        });
    }
    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_curve);
    auto* runningBox = new QWidget(this);
    auto* runningLayout = new QVBoxLayout(runningBox);
    runningLayout->setContentsMargins(0, 0, 0, 0);
    runningLayout->addWidget(m_running, 1);
    runningLayout->addWidget(m_runningNote);
    left->addWidget(runningBox);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    // Every token keeps its label: a map that needs more room than the pane scrolls.
    m_mapScroll = new QScrollArea(this);
    m_mapScroll->setWidget(m_heatmap);
    m_mapScroll->setWidgetResizable(true);
    m_mapScroll->setFrameShape(QFrame::NoFrame);
    rightLayout->addWidget(m_mapScroll, 1);
    m_mapScroll->installEventFilter(this);  // its height sets the split (fitSplit())
    rightLayout->addWidget(m_table);
    auto* split = new QSplitter(Qt::Horizontal, this);
    m_split = split;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({560, 500});
    // fitSplit() shares the width until the user drags the handle.
    connect(split, &QSplitter::splitterMoved, this, [this] { m_userSplit = true; });
    auto* layout = new QVBoxLayout(this);
    // The two texts get whole rows: squeezed beside the controls they wrap into tall columns
    // that take the plots' height on a narrow (presentation) window.
    layout->addLayout(presetRow);
    layout->addWidget(m_explanation);
    layout->addLayout(selectRow);
    layout->addWidget(m_info);
    layout->addWidget(split, 1);

    connect(m_presets, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_presetButton->setEnabled(i > 0);
        if (i > 0 && i <= m_presetList.size())
            m_explanation->setText(m_presetList[i - 1].explanation);
    });
    connect(m_presetButton, &QPushButton::clicked, this,
            [this] { runPreset(m_presets->currentIndex() - 1); });
    connect(m_layerBox, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { m_doc->setCurrentLayer(i); });
    connect(m_headBox, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { m_doc->setCurrentHead(i - 1); });  // item 0 is Σ heads
    connect(m_slider, &QSlider::valueChanged, this, &TeachingView::drawScrub);
    connect(m_job, &PathProbeJob::finished, this, &TeachingView::onProbe);
    connect(m_job, &PathProbeJob::failed, this, [this](const QString& message) {
        m_inflightKey.clear();
        showMessage(tr("Could not evaluate the path: %1").arg(message));
    });
    connect(m_doc, &AnalysisDocument::modelChanged, this, [this] {
        rebuildPresets();
        rebuildSelectors();
        scheduleProbe();
    });
    connect(m_doc, &AnalysisDocument::analysisReset, this, [this] {
        rebuildSelectors();
        scheduleProbe();
    });
    connect(m_doc, &AnalysisDocument::resultChanged, this, &TeachingView::onResult);
    connect(m_doc, &AnalysisDocument::layerAdded, this, [this](int layer) {
        if (layer == m_doc->currentLayer())
            drawCurves();  // the result's own step probabilities replace the probe's
    });
    connect(m_doc, &AnalysisDocument::runningChanged, this, &TeachingView::scheduleProbe);
    connect(m_doc, &AnalysisDocument::selectionChanged, this, &TeachingView::onSelection);
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, &TeachingView::applyConventions);
    applyConventions();
    showMessage(tr("Run an attribution to see the path of the selected layer."));
}

void TeachingView::setRunOptionsProvider(std::function<attrscope::AttributionOptions()> provider) {
    m_options = std::move(provider);
}

QString TeachingView::message() const {
    return m_info->text();
}

void TeachingView::showMessage(const QString& text) {
    m_info->setText(text);
}

void TeachingView::applyConventions() {
    const bool dark = m_doc->conventions().theme == Theme::Dark;
    applyPlotTheme(m_curve, dark);
    applyPlotTheme(m_running, dark);
    m_heatmap->setDarkTheme(dark);
    rebuildSelectors();
    drawCurves();
    drawScrub();
}

void TeachingView::rebuildSelectors() {
    const QSignalBlocker b1(m_layerBox), b2(m_headBox);
    const ViewConventions& c = m_doc->conventions();
    m_layerBox->clear();
    m_headBox->clear();
    for (int l = 0; l < m_doc->numLayers(); ++l)
        m_layerBox->addItem(c.layerLabel(l));
    m_headBox->addItem(c.headLabel(-1));
    for (int h = 0; h < m_doc->numHeads(); ++h)
        m_headBox->addItem(c.headLabel(h));
    m_layerBox->setCurrentIndex(m_doc->currentLayer());
    m_headBox->setCurrentIndex(m_doc->currentHead() + 1);
}

void TeachingView::onSelection(int layer, int head) {
    {
        const QSignalBlocker b1(m_layerBox), b2(m_headBox);
        m_layerBox->setCurrentIndex(layer);
        m_headBox->setCurrentIndex(head + 1);
    }
    if (layer != m_shownLayer)
        scheduleProbe();
    drawScrub();
}

void TeachingView::onResult() {
    scheduleProbe();
    if (m_presetPending >= 0 && m_doc->result())
        finishPreset();
}

void TeachingView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    QTimer::singleShot(0, this, &TeachingView::fitSplit);  // once the layouts have the size
}

// The square map is about as wide as its pane is high, plus the row labels and the colour bar
// beside it: the map's pane gets that, the curves the rest, but no less than they need (their
// legends stack when narrow). On a narrow window (presentation fonts at 1024×768) the map then
// fits without scrolling; on a wide one the curves take what the map cannot use.
void TeachingView::fitSplit() {
    if (m_userSplit)
        return;
    const int total = m_split->width() - m_split->handleWidth();
    if (total <= 0 || m_mapScroll->height() <= 0)
        return;
    constexpr int kCurvesMin = 200;
    const int map = m_mapScroll->height() + int(std::lround(70 * m_heatmap->fontScale()));
    const int left = std::min(std::max(kCurvesMin, total - map), total - kCurvesMin);
    if (left > 0 && m_split->sizes().value(0) != left)
        m_split->setSizes({left, total - left});
}

bool TeachingView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_mapScroll && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, &TeachingView::fitSplit);
    return QWidget::eventFilter(watched, event);
}

void TeachingView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    QTimer::singleShot(0, this, &TeachingView::fitSplit);
    if (m_pending || !isUpToDate())
        scheduleProbe();
}

PathProbeRequest TeachingView::currentRequest(bool* ok, QString* why) const {
    PathProbeRequest r;
    *ok = false;
    if (!m_doc->model()) {
        *why = m_doc->hasInput()
                   ? tr("The path needs the model: open it to evaluate F(\u03b1\u00b7A).")
                   : tr("Open a model and run an attribution to see the path.");
        return r;
    }
    if (!m_doc->hasInput() || m_doc->target() < 0) {
        *why = tr("Run an attribution to see the path of the selected layer.");
        return r;
    }
    r.model = m_doc->model();
    r.encoding = m_doc->encoding();
    r.layer = m_doc->currentLayer();
    r.target = m_doc->target();
    // The finished result's rule and steps, else what the next run would use.
    attrscope::AttributionOptions o;
    if (ResultPtr res = m_doc->result())
        o = res->options;
    else if (m_options)
        o = m_options();
    r.rule = o.rule;
    r.steps = std::max(1, o.steps);
    // The adaptive rule is Gauss-Legendre at the points the layer ended with: show those (the
    // run's own markers); before a run, its first try.
    if (o.rule == attrscope::Rule::Adaptive) {
        r.rule = attrscope::Rule::GaussLegendre;
        if (ResultPtr res = m_doc->result())
            if (const auto* la = res->layer(r.layer); la && la->steps > 0)
                r.steps = la->steps;
    }
    r.densePoints = kDensePoints;
    *ok = true;
    return r;
}

QString TeachingView::keyOf(const PathProbeRequest& r) {
    QString key =
        QStringLiteral("%1|%2|%3|%4|").arg(r.layer).arg(r.target).arg(int(r.rule)).arg(r.steps);
    for (size_t i = 0; i < r.encoding.inputIds.size(); ++i)
        key += QStringLiteral("%1:%2,").arg(r.encoding.inputIds[i]).arg(r.encoding.segmentIds[i]);
    return key;
}

bool TeachingView::isUpToDate() const {
    bool ok = false;
    QString why;
    const PathProbeRequest r = currentRequest(&ok, &why);
    return ok && m_probe && keyOf(m_probe->request) == keyOf(r);
}

void TeachingView::scheduleProbe() {
    m_pending = true;
    QTimer::singleShot(0, this, &TeachingView::startProbe);  // coalesces bursts of signals
}

void TeachingView::startProbe() {
    if (!m_pending)
        return;
    bool ok = false;
    QString why;
    const PathProbeRequest r = currentRequest(&ok, &why);
    if (!ok) {
        m_pending = false;
        m_job->cancel();
        m_inflightKey.clear();
        m_probe.reset();
        drawCurves();
        drawScrub();
        showMessage(why);
        return;
    }
    if (!isVisible())
        return;  // stays pending until shown
    if (m_doc->isRunning()) {
        // The attribution needs the cores (and the model's device) more; wait for it.
        showMessage(tr("Waiting for the attribution run to finish\u2026"));
        return;
    }
    m_pending = false;
    const QString key = keyOf(r);
    if ((m_probe && keyOf(m_probe->request) == key) || key == m_inflightKey)
        return;
    m_inflightKey = key;
    showMessage(tr("Evaluating F(\u03b1\u00b7A) of %1 at %2 + %3 points\u2026")
                    .arg(m_doc->conventions().layerLabel(r.layer))
                    .arg(r.densePoints)
                    .arg(r.steps));
    m_job->start(r);
}

void TeachingView::onProbe(PathProbePtr probe) {
    m_inflightKey.clear();
    m_probe = std::move(probe);
    m_shownLayer = m_probe->request.layer;
    drawCurves();
    drawScrub();
    Q_EMIT probeReady();
}

std::vector<double> TeachingView::curveAlphas() const {
    return m_probe ? m_probe->denseAlphas : std::vector<double>{};
}

std::vector<double> TeachingView::curveValues() const {
    std::vector<double> out;
    if (m_probe)
        for (const auto& p : m_probe->denseProbs)
            out.push_back(p[size_t(m_probe->request.target)]);
    return out;
}

void TeachingView::drawCurves() {
    m_markedAlphas.clear();
    m_markedValues.clear();
    m_runningEnds.clear();
    m_runningSums.clear();
    for (QCustomPlot* plot : {m_curve, m_running})
        for (int g = 0; g < plot->graphCount(); ++g)
            plot->graph(g)->data()->clear();
    m_runningNote->setText(QString());
    if (!m_probe) {
        m_curve->replot(QCustomPlot::rpQueuedReplot);
        m_running->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const PathProbe& p = *m_probe;
    const auto& req = p.request;
    const size_t target = size_t(req.target);
    const std::vector<double> f = curveValues();
    m_curve->graph(0)->setData(toQ(p.denseAlphas), toQ(f));

    // Marks: the result's own F(α_k) when this layer was computed with these points.
    m_markedAlphas = p.quadrature.alphas;
    LayerPtr la = m_doc->layer(req.layer);
    const bool fromResult = la && la->alphas.size() == m_markedAlphas.size() &&
                            la->stepProbs.size() == m_markedAlphas.size() &&
                            std::equal(la->alphas.begin(), la->alphas.end(), m_markedAlphas.begin(),
                                       [](double a, double b) { return std::abs(a - b) < 1e-12; });
    for (size_t k = 0; k < m_markedAlphas.size(); ++k)
        m_markedValues.push_back(fromResult ? la->stepProbs[k] : p.quadProbs[k][target]);
    m_curve->graph(1)->setData(toQ(m_markedAlphas), toQ(m_markedValues));
    // The rule is named in the message line; the legend stays short, since it sets the plot's
    // minimum width (presentation mode at 1024 px).
    m_curve->graph(1)->setName(tr("integration points (m = %1)").arg(req.steps));
    double lo = *std::min_element(f.begin(), f.end()), hi = *std::max_element(f.begin(), f.end());
    for (double v : m_markedValues) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    m_curve->yAxis->setRange(paddedRange(lo, hi));
    const ViewConventions& c = m_doc->conventions();
    m_curve->yAxis->setLabel(tr("p(%1) with %2 attention \u00d7 \u03b1")
                                 .arg(m_doc->targetLabel(), c.layerLabel(req.layer)));

    // Running integral: S_k = Σ_{i≤k} w_i dF/dα(α_i) approximates F(b_k) − F(0), b_k = Σ_{i≤k} w_i.
    std::vector<double> delta;
    for (double v : f)
        delta.push_back(v - f.front());
    m_running->graph(0)->setData(toQ(p.denseAlphas), toQ(delta));
    double end = 0.0, sum = 0.0;
    QVector<double> xs{0.0}, ys{0.0};
    for (size_t k = 0; k < p.slopes.size() && k < p.quadrature.weights.size(); ++k) {
        end += p.quadrature.weights[k];
        sum += p.quadrature.weights[k] * p.slopes[k];
        m_runningEnds.push_back(end);
        m_runningSums.push_back(sum);
        xs << end;
        ys << sum;
    }
    m_running->graph(1)->setData(xs, ys);
    lo = std::min(0.0, *std::min_element(delta.begin(), delta.end()));
    hi = std::max(0.0, *std::max_element(delta.begin(), delta.end()));
    for (double v : ys) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    m_running->yAxis->setRange(paddedRange(lo, hi));

    const double total = la ? la->completeness.sumAttr : sum;
    const double change = f.back() - f.front();
    const double gap = total - change;
    m_sumAttr = total;
    m_change = change;
    QString note = tr("\u03a3 Attr = %1   F(1) \u2212 F(0) = %2   gap = %3")
                       .arg(total, 0, 'g', 4)
                       .arg(change, 0, 'g', 4)
                       .arg(gap, 0, 'g', 3);
    if (std::abs(gap) > 0.05 * std::abs(change) + 1e-4)
        note += tr(" \u2014 <b>m = %1 is too small for this layer: raise the steps.</b>")
                    .arg(req.steps);
    else
        note += tr(" \u2014 completeness holds: the sum reaches F(1) \u2212 F(0).");
    m_runningNote->setText(note);
    showMessage(tr("%1 \u00b7 target p(%2) \u00b7 %3 rule, m = %4 \u00b7 markers: %5")
                    .arg(c.layerLabel(req.layer))
                    .arg(m_doc->targetLabel())
                    .arg(QString::fromStdString(attrscope::ruleName(req.rule)))
                    .arg(req.steps)
                    .arg(fromResult ? tr("the run's step probabilities")
                                    : tr("computed for the current settings")));
    m_curve->replot(QCustomPlot::rpQueuedReplot);
    m_running->replot(QCustomPlot::rpQueuedReplot);
}

double TeachingView::alpha() const {
    return double(m_slider->value()) / (kDensePoints - 1);
}

void TeachingView::setAlphaIndex(int index) {
    m_slider->setValue(index);
}

void TeachingView::drawScrub() {
    const double a = alpha();
    m_alphaLabel->setText(QStringLiteral("\u03b1 = %1").arg(a, 0, 'f', 2));
    m_cursor->point1->setCoords(a, 0.0);
    m_cursor->point2->setCoords(a, 1.0);
    m_curve->replot(QCustomPlot::rpQueuedReplot);

    const int layer = m_doc->currentLayer(), head = m_doc->currentHead();
    const TokenAxis axis = m_doc->displayAxis();
    std::vector<float> values =
        m_doc->hasInput() ? m_doc->displayedAttention(layer, head) : std::vector<float>{};
    m_heatmap->setTokens(axis.labels, axis.sepBoundary);
    const ViewConventions& c = m_doc->conventions();
    // Short (the colour bar names α · attention), so that it keeps to one line on a projector.
    m_heatmap->setTitle(tr("%1 %2 \u00b7 \u03b1 = %3")
                            .arg(c.layerLabel(layer), c.headLabel(head))
                            .arg(a, 0, 'f', 2));
    float full = 0.0f;
    for (float& v : values) {
        full = std::max(full, v);
        v = float(a * v);
    }
    // The α = 1 scale: the map fades as α shrinks instead of rescaling itself.
    m_heatmap->setFixedLimit(full);
    m_heatmap->setMatrix(values, tr("No attention for this input yet."));

    m_classProbs.clear();
    const QStringList labels = m_doc->labels();
    if (m_probe && m_probe->request.layer == layer) {
        const size_t i = size_t(m_slider->value());
        if (i < m_probe->denseProbs.size())
            m_classProbs = m_probe->denseProbs[i];
    }
    m_table->setRowCount(int(m_classProbs.size()));
    for (int c = 0; c < int(m_classProbs.size()); ++c) {
        const double pc = m_classProbs[size_t(c)];
        auto* name = new QTableWidgetItem(c < labels.size() ? labels[c] : QString::number(c));
        if (c == m_probe->request.target) {
            QFont f = name->font();
            f.setBold(true);
            name->setFont(f);
            name->setToolTip(tr("the attributed (target) class"));
        }
        m_table->setItem(c, 0, name);
        m_table->setItem(c, 1, new QTableWidgetItem(QString::number(pc, 'f', 4)));
        auto* bar = qobject_cast<QProgressBar*>(m_table->cellWidget(c, 2));
        if (!bar) {
            bar = new QProgressBar(m_table);
            bar->setRange(0, 1000);
            bar->setTextVisible(false);
            m_table->setCellWidget(c, 2, bar);
        }
        bar->setValue(int(std::lround(pc * 1000)));
    }
    fitTable();
}

void TeachingView::fitTable() {
    m_table->resizeRowsToContents();
    int height = 2 * m_table->frameWidth();
    for (int r = 0; r < m_table->rowCount(); ++r)
        height += m_table->rowHeight(r);
    m_table->setFixedHeight(std::max(height, m_table->fontMetrics().height() + 8));
}

void TeachingView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)  // presentation mode: taller rows
        QTimer::singleShot(0, this, &TeachingView::fitTable);
}

}  // namespace attrscope::ui
