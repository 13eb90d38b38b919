#pragma once
// Attribution settings (device, rule and steps, adaptive tolerance, precision, target class,
// which layers) with Run / Cancel and a progress bar that says which layer and step is being
// computed and how long is left. The GUI default is the adaptive rule (tolerance 1 %, cap 64):
// every layer within tolerance, usually faster than right m = 20 (docs/benchmarks.md).

#include <QGroupBox>
#include <QStringList>

#include "attrscope/attribution/attribution.h"
#include "document/conventions.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace attrscope::ui {

class AttributionJob;
class ModelHolder;

class RunPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RunPanel(QWidget* parent = nullptr);
    // Follows the window's model (labels, availability) on every ModelHolder::modelChanged.
    void observe(const ModelHolder* models);
    // Shows the job's runs: Run/Restart and Cancel, the progress bar, an error when one fails.
    void follow(const AttributionJob* job);

    // rule, steps, tolerance, cap, precision and target (layers are decided by the window from
    // onlyCurrentLayer()).
    attrscope::AttributionOptions options() const;
    QString device() const;
    bool onlyCurrentLayer() const;

    void setDevices(const QStringList& devices, const QString& current);
    bool selectDevice(const QString& device);  // false when it is not in the list
    void setLabels(const QStringList& labels);
    // Steps m of the fixed rules, or the first m of the adaptive rule (each keeps its own).
    void setSteps(int steps);
    void setRule(attrscope::Rule rule);
    void setTolerance(double relative);  // adaptive: 0.01 = 1 %
    void setMaxSteps(int cap);
    void setPrecision(attrscope::Precision precision);
    void setOnlyCurrentLayer(bool only);
    void setModelAvailable(bool available);

    void setRunning(bool running);
    void setProgress(const attrscope::JobProgress& progress);
    // The layer in the progress text follows the label base.
    void setConventions(const ViewConventions& conventions);
    void setMessage(const QString& message);  // shown under the bar (done, cancelled)
    // An error in the palette's warning colour (it follows a theme change).
    void setError(const QString& message);
    QString message() const;
    // After a run: a full bar for a complete result, or where it stopped.
    void setFinished(bool complete);
    QString progressText() const;
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }

Q_SIGNALS:
    void runRequested();
    void cancelRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void showError();
    void onRuleChanged();

    QFormLayout* m_form;
    QComboBox* m_device;
    QSpinBox* m_steps;
    QComboBox* m_rule;
    QDoubleSpinBox* m_tolerance;
    QSpinBox* m_cap;
    QWidget* m_adaptiveRow;
    QCheckBox* m_bf16;
    int m_fixedSteps = 20;    // the steps spin's value under the fixed rules
    int m_adaptiveStart = 4;  // and under the adaptive rule
    QComboBox* m_target;
    QComboBox* m_layers;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QString m_error;  // the error shown, as plain text; empty for other messages
    ViewConventions m_conv;
    attrscope::JobProgress m_lastProgress;  // redrawn when the label base changes
    bool m_modelAvailable = false;
    bool m_running = false;
};

}  // namespace attrscope::ui
