#pragma once
// The clean forward's answer: predicted label and one probability bar per class, shown as soon
// as the prediction arrives (before any attribution).

#include <QGroupBox>
#include <QVector>

#include "attrscope/model/model.h"

class QLabel;
class QProgressBar;
class QGridLayout;

namespace attrscope::ui {

class AnalysisDocument;
class ModelHolder;

class PredictionPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit PredictionPanel(QWidget* parent = nullptr);
    // Follows the window's model (labels, availability) on every ModelHolder::modelChanged.
    void observe(const ModelHolder* models);
    // Shows the prediction of the document's input (a run's clean pass or a stored result).
    void follow(const AnalysisDocument* doc);

    void setLabels(const QStringList& labels);
    void setPrediction(const attrscope::Prediction& prediction, int target);
    void clear();
    QString predictedText() const;
    double shownProbability(int label) const;

protected:
    // The headline and the class names follow the application font (presentation mode).
    void changeEvent(QEvent* event) override;

private:
    void applyFonts();

    QLabel* m_headline;
    QGridLayout* m_grid;
    QVector<QLabel*> m_names;
    QVector<QProgressBar*> m_bars;
    QStringList m_labels;
    int m_predicted = -1;
    int m_target = -1;
};

}  // namespace attrscope::ui
