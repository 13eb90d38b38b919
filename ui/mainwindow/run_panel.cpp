#include "mainwindow/run_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "document/model_holder.h"
#include "engine/attribution_job.h"
#include "mainwindow/appearance.h"

namespace attrscope::ui {

namespace {
QString formatSeconds(double s) {
    if (s < 0)
        return QObject::tr("estimating\u2026");
    if (s < 60)
        return QObject::tr("%1 s left").arg(int(std::ceil(s)));
    return QObject::tr("%1 min %2 s left").arg(int(s) / 60).arg(int(s) % 60);
}

// bf16 products are fast only on CPUs with AVX512-BF16 (through oneDNN) and on CUDA; elsewhere
// LibTorch emulates them (12.8x slower than fp32 on this project's AVX2 machine).
bool cpuHasBf16() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    return __builtin_cpu_supports("avx512bf16");
#else
    return false;
#endif
}
}  // namespace

RunPanel::RunPanel(QWidget* parent) : QGroupBox(tr("Attribution"), parent) {
    m_device = new QComboBox(this);
    m_steps = new QSpinBox(this);
    m_steps->setRange(1, 1000);
    m_rule = new QComboBox(this);
    for (auto rule : {attrscope::Rule::Adaptive, attrscope::Rule::Right, attrscope::Rule::Left,
                      attrscope::Rule::Midpoint, attrscope::Rule::GaussLegendre}) {
        m_rule->addItem(QString::fromStdString(attrscope::ruleName(rule)), int(rule));
    }
    m_rule->setItemData(0,
                        tr("Gauss\u2013Legendre, points doubled per layer until the "
                           "completeness error is within the tolerance"),
                        Qt::ToolTipRole);
    m_rule->setItemData(1, tr("\u03b1 = k/m (the paper's formula; the CLI's default)"),
                        Qt::ToolTipRole);
    m_rule->setItemData(2, tr("\u03b1 = (k\u22121)/m (the official code)"), Qt::ToolTipRole);
    m_rule->setItemData(4, tr("most accurate per step"), Qt::ToolTipRole);
    m_tolerance = new QDoubleSpinBox(this);
    m_tolerance->setRange(0.1, 20.0);
    m_tolerance->setDecimals(1);
    m_tolerance->setSingleStep(0.5);
    m_tolerance->setValue(1.0);
    m_tolerance->setSuffix(QStringLiteral(" %"));
    m_tolerance->setToolTip(
        tr("Stop refining a layer when |\u03a3 attribution \u2212 (F(A) "
           "\u2212 F(0))| is within this share of |F(A) \u2212 F(0)|"));
    m_cap = new QSpinBox(this);
    m_cap->setRange(2, 1024);
    m_cap->setValue(64);
    m_cap->setPrefix(QStringLiteral("\u2264 "));
    // Without arrow buttons, and allowed to shrink, the rows added for the adaptive rule and
    // precision do not widen the dock (projector sizes, test_presentation).
    m_tolerance->setButtonSymbols(QAbstractSpinBox::NoButtons);
    m_cap->setButtonSymbols(QAbstractSpinBox::NoButtons);
    m_tolerance->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.0 %")));
    m_cap->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("\u2264 00")));
    m_device->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_device->setMinimumContentsLength(4);
    m_cap->setToolTip(tr("Cap: most points per layer; a layer that needs more is flagged"));
    // Tolerance and cap share a row shown only for the adaptive rule, and precision sits beside
    // the device, so the panel stays narrow enough for projector sizes (test_presentation).
    m_adaptiveRow = new QWidget(this);
    auto* adaptiveLayout = new QHBoxLayout(m_adaptiveRow);
    adaptiveLayout->setContentsMargins(0, 0, 0, 0);
    adaptiveLayout->addWidget(m_tolerance, 1);
    adaptiveLayout->addWidget(m_cap, 1);
    m_bf16 = new QCheckBox(tr("bf16"), this);
    m_bf16->setToolTip(
        cpuHasBf16()
            ? tr("Faster: the path's matrix products in bfloat16; softmax, LayerNorm and the "
                 "integral stay float32 (errors are listed in docs/benchmarks.md)")
            : tr("This CPU has no AVX512-BF16, so bf16 runs slower than float32 here; it is "
                 "fast on CUDA and on CPUs with AVX512-BF16"));
    m_target = new QComboBox(this);
    m_layers = new QComboBox(this);
    m_layers->addItems({tr("All layers (shown layer first)"), tr("Shown layer only")});

    m_run = new QPushButton(tr("Run attribution"), this);
    m_run->setDefault(true);
    m_run->setToolTip(tr("Clean forward at once, then attribution layer by layer (Enter)"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QString());
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    // A wrapped label asks for more width the longer its text; messages must not widen the
    // dock (presentation mode at 1024 px, test_presentation).
    m_status->setMinimumWidth(1);

    m_form = new QFormLayout;
    auto* form = m_form;
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("Precision"), m_bf16);
    form->addRow(tr("Rule"), m_rule);
    form->addRow(tr("Steps"), m_steps);
    form->addRow(tr("Tolerance"), m_adaptiveRow);
    form->addRow(tr("Target class"), m_target);
    form->addRow(tr("Layers"), m_layers);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run, 1);
    buttons->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    connect(m_rule, &QComboBox::currentIndexChanged, this, &RunPanel::onRuleChanged);
    connect(m_steps, &QSpinBox::valueChanged, this, [this](int v) {
        (options().rule == attrscope::Rule::Adaptive ? m_adaptiveStart : m_fixedSteps) = v;
    });
    onRuleChanged();
    connect(m_run, &QPushButton::clicked, this, &RunPanel::runRequested);
    connect(m_cancel, &QPushButton::clicked, this, &RunPanel::cancelRequested);
    setLabels({});
    setModelAvailable(false);
}

attrscope::AttributionOptions RunPanel::options() const {
    attrscope::AttributionOptions o;
    o.steps = m_steps->value();
    o.rule = attrscope::Rule(m_rule->currentData().toInt());
    o.tolerance = m_tolerance->value() / 100.0;
    o.maxSteps = m_cap->value();
    o.precision = m_bf16->isChecked() ? attrscope::Precision::Bf16 : attrscope::Precision::Fp32;
    o.target = m_target->currentIndex() <= 0 ? std::string("predicted")
                                             : std::to_string(m_target->currentIndex() - 1);
    return o;
}

QString RunPanel::device() const {
    return m_device->currentText();
}
bool RunPanel::onlyCurrentLayer() const {
    return m_layers->currentIndex() == 1;
}

void RunPanel::setDevices(const QStringList& devices, const QString& current) {
    m_device->clear();
    m_device->addItems(devices.isEmpty() ? QStringList{QStringLiteral("cpu")} : devices);
    const int i = m_device->findText(current);
    if (i >= 0)
        m_device->setCurrentIndex(i);
    m_device->setEnabled(m_device->count() > 1 && !m_running);
}

bool RunPanel::selectDevice(const QString& device) {
    const int i = m_device->findText(device);
    if (i >= 0)
        m_device->setCurrentIndex(i);
    return i >= 0;
}

void RunPanel::setLabels(const QStringList& labels) {
    m_target->clear();
    m_target->addItem(tr("predicted class"));
    for (int i = 0; i < labels.size(); ++i)
        m_target->addItem(QStringLiteral("%1 (%2)").arg(labels[i]).arg(i));
}

void RunPanel::setSteps(int steps) {
    m_steps->setValue(steps);
}

void RunPanel::setRule(attrscope::Rule rule) {
    const int i = m_rule->findData(int(rule));
    if (i >= 0)
        m_rule->setCurrentIndex(i);
}

void RunPanel::setTolerance(double relative) {
    m_tolerance->setValue(relative * 100.0);
}

void RunPanel::setMaxSteps(int cap) {
    m_cap->setValue(cap);
}

void RunPanel::setPrecision(attrscope::Precision precision) {
    m_bf16->setChecked(precision == attrscope::Precision::Bf16);
}

void RunPanel::onRuleChanged() {
    const bool adaptive = options().rule == attrscope::Rule::Adaptive;
    {
        const QSignalBlocker block(m_steps);  // the value belongs to the new rule
        m_steps->setValue(adaptive ? m_adaptiveStart : m_fixedSteps);
    }
    if (auto* label = qobject_cast<QLabel*>(m_form->labelForField(m_steps)))
        label->setText(adaptive ? tr("First m") : tr("Steps"));
    m_steps->setToolTip(adaptive ? tr("Points of the first try per layer (then doubled)")
                                 : tr("Integration steps m: more steps, smaller completeness "
                                      "error"));
    m_form->setRowVisible(m_adaptiveRow, adaptive);
}

void RunPanel::setOnlyCurrentLayer(bool only) {
    m_layers->setCurrentIndex(only ? 1 : 0);
}

void RunPanel::setModelAvailable(bool available) {
    m_modelAvailable = available;
    m_run->setEnabled(available);
}

void RunPanel::setRunning(bool running) {
    m_running = running;
    m_cancel->setEnabled(running);
    // Run stays enabled: a new run cancels the old one.
    m_run->setText(running ? tr("Restart") : tr("Run attribution"));
    m_run->setEnabled(m_modelAvailable);
    m_device->setEnabled(!running && m_device->count() > 1);
    if (running) {
        m_lastProgress = {};
        m_progress->setValue(0);
        m_progress->setFormat(tr("clean forward\u2026"));
        m_status->clear();
    }
}

void RunPanel::setConventions(const ViewConventions& conventions) {
    m_conv = conventions;
    if (m_running && m_lastProgress.layer >= 0)
        setProgress(m_lastProgress);
}

void RunPanel::setProgress(const attrscope::JobProgress& p) {
    m_lastProgress = p;
    m_progress->setValue(int(std::lround(std::clamp(p.fraction, 0.0, 1.0) * 1000)));
    m_progress->setFormat(tr("%1 (%2 of %3) \u00b7 step %4/%5 \u00b7 %6")
                              .arg(m_conv.layerLabel(p.layer))
                              .arg(p.stageIndex + 1)
                              .arg(p.stageCount)
                              .arg(p.done)
                              .arg(p.total)
                              .arg(formatSeconds(p.etaSeconds)));
}

void RunPanel::setMessage(const QString& message) {
    m_error.clear();
    m_status->setText(message);
}

void RunPanel::setError(const QString& message) {
    m_error = message;
    showError();
}

void RunPanel::showError() {
    m_status->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                          .arg(warningText(palette()).name(), m_error.toHtmlEscaped()));
}

void RunPanel::changeEvent(QEvent* event) {
    QGroupBox::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_error.isEmpty())
        showError();
}

QString RunPanel::message() const {
    return m_status->text();
}

void RunPanel::setFinished(bool complete) {
    if (complete)
        m_progress->setValue(1000);
    m_progress->setFormat(complete ? tr("done") : tr("stopped at %p%"));
}

QString RunPanel::progressText() const {
    return m_progress->format();
}

void RunPanel::follow(const AttributionJob* job) {
    connect(job, &AttributionJob::started, this, [this] { setRunning(true); });
    connect(job, &AttributionJob::progress, this,
            [this, job] { setProgress(job->lastProgress()); });
    connect(job, &AttributionJob::finished, this, [this] {
        setRunning(false);
        setFinished(true);
    });
    connect(job, &AttributionJob::failed, this, [this](const QString& message) {
        setRunning(false);
        setFinished(false);
        setError(message);
    });
    connect(job, &AttributionJob::cancelled, this, [this] {
        setRunning(false);
        setFinished(false);
    });
}

void RunPanel::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this, [this, models] {
        setLabels(models->labels());
        setModelAvailable(models->model() != nullptr);
    });
}

}  // namespace attrscope::ui
