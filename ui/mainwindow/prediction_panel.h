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

class PredictionPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit PredictionPanel(QWidget* parent = nullptr);

    void setLabels(const QStringList& labels);
    void setPrediction(const attrscope::Prediction& prediction, int target);
    void clear();
    QString predictedText() const;
    double shownProbability(int label) const;

private:
    QLabel* m_headline;
    QGridLayout* m_grid;
    QVector<QLabel*> m_names;
    QVector<QProgressBar*> m_bars;
    QStringList m_labels;
};

}  // namespace attrscope::ui
