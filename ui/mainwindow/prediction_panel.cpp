#include "mainwindow/prediction_panel.h"

#include <QEvent>
#include <QFontMetrics>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>
#include <cmath>

#include "document/analysis_document.h"
#include "document/model_holder.h"

namespace attrscope::ui {

PredictionPanel::PredictionPanel(QWidget* parent) : QGroupBox(tr("Prediction"), parent) {
    m_headline = new QLabel(this);
    m_headline->setWordWrap(true);
    m_grid = new QGridLayout;
    m_grid->setColumnStretch(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addLayout(m_grid);
    clear();
    applyFonts();
}

void PredictionPanel::changeEvent(QEvent* event) {
    QGroupBox::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyFonts();
}

// Fonts derived from the panel's own (inherited) font, so a new application font reaches them.
void PredictionPanel::applyFonts() {
    QFont headline = font();
    if (font().pointSizeF() > 0)
        headline.setPointSizeF(font().pointSizeF() * 1.25);
    headline.setBold(true);
    m_headline->setFont(headline);
    for (int i = 0; i < m_names.size(); ++i) {
        QFont f = font();
        f.setBold(i == m_predicted);
        f.setUnderline(i == m_target && m_target != m_predicted);
        m_names[i]->setFont(f);
        m_bars[i]->setMaximumHeight(QFontMetrics(f).height() + 6);
    }
}

void PredictionPanel::setLabels(const QStringList& labels) {
    m_labels = labels;
    for (auto* w : m_names)
        w->deleteLater();
    for (auto* w : m_bars)
        w->deleteLater();
    m_names.clear();
    m_bars.clear();
    m_predicted = m_target = -1;
    for (int i = 0; i < labels.size(); ++i) {
        auto* name = new QLabel(labels[i], this);
        auto* bar = new QProgressBar(this);
        bar->setRange(0, 1000);
        bar->setValue(0);
        bar->setFormat(QString());
        m_grid->addWidget(name, i, 0);
        m_grid->addWidget(bar, i, 1);
        m_names << name;
        m_bars << bar;
    }
    clear();
    applyFonts();
}

void PredictionPanel::clear() {
    m_headline->setText(tr("\u2013"));
    m_headline->setToolTip(tr("Run to see the model's prediction"));
    for (auto* bar : m_bars) {
        bar->setValue(0);
        bar->setFormat(QString());
    }
}

void PredictionPanel::setPrediction(const attrscope::Prediction& prediction, int target) {
    const int k = prediction.predicted;
    const double p = k >= 0 && k < int(prediction.probs.size()) ? prediction.probs[size_t(k)] : 0;
    QString text = QStringLiteral("%1  %2%")
                       .arg(QString::fromStdString(prediction.predictedLabel))
                       .arg(p * 100.0, 0, 'f', 1);
    m_headline->setText(text);
    m_predicted = k;
    m_target = target;
    for (int i = 0; i < m_bars.size() && i < int(prediction.probs.size()); ++i) {
        const double v = prediction.probs[size_t(i)];
        m_bars[i]->setValue(int(std::lround(v * 1000)));
        m_bars[i]->setFormat(QStringLiteral("%1%").arg(v * 100.0, 0, 'f', 1));
        m_names[i]->setToolTip(i == target ? tr("attribution target") : QString());
    }
    applyFonts();
}

QString PredictionPanel::predictedText() const {
    return m_headline->text();
}

double PredictionPanel::shownProbability(int label) const {
    if (label < 0 || label >= m_bars.size())
        return NAN;
    return m_bars[label]->value() / 1000.0;
}

void PredictionPanel::follow(const AnalysisDocument* doc) {
    connect(doc, &AnalysisDocument::analysisReset, this, [this, doc] {
        if (!doc->hasInput())
            return clear();
        // A stored result without a model names its own classes.
        if (doc->labels() != m_labels)
            setLabels(doc->labels());
        setPrediction(doc->prediction(), doc->target());
    });
}

void PredictionPanel::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this,
            [this, models] { setLabels(models->labels()); });
}

}  // namespace attrscope::ui
