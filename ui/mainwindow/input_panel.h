#pragma once
// Text A and the optional text B, with an example picker. Ctrl+Enter asks for a run.

#include <QGroupBox>
#include <QStringList>
#include <QVector>

#include "mainwindow/examples.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace attrscope::ui {

class InputPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit InputPanel(QWidget* parent = nullptr);

    QString textA() const;
    QString textB() const;
    void setTexts(const QString& a, const QString& b);
    // Refills the example picker for a model with these labels.
    void setLabels(const QStringList& labels);
    QPlainTextEdit* editA() const { return m_a; }
    QPlainTextEdit* editB() const { return m_b; }
    QComboBox* exampleBox() const { return m_examples; }
    // Word pieces and truncation of the analysed input.
    void setEncodingNote(const QString& note);

Q_SIGNALS:
    void edited();
    void runRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QPlainTextEdit* makeEditor(const QString& placeholder);

    QComboBox* m_examples;
    QPlainTextEdit* m_a;
    QPlainTextEdit* m_b;
    QLabel* m_note;
    QVector<Example> m_exampleList;
};

}  // namespace attrscope::ui
