#pragma once
// Text A and the optional text B, with an example picker and a preview of the pieces the
// model's tokenizer makes of them (the token strip). Ctrl+Enter asks for a run.

#include <QGroupBox>
#include <QStringList>
#include <QVector>
#include <memory>

#include "mainwindow/examples.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTimer;

namespace attrscope {
class Model;
}

namespace attrscope::ui {

class ModelHolder;

class TokenStrip;

class InputPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit InputPanel(QWidget* parent = nullptr);
    // Follows the window's model (labels, availability) on every ModelHolder::modelChanged.
    void observe(const ModelHolder* models);

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
    // The model whose tokenizer previews the typed text (the token strip); null: none.
    void setModel(std::shared_ptr<const attrscope::Model> model);
    TokenStrip* tokenStrip() const { return m_strip; }
    // True while text B is filled in for a single-sentence model (the warning is shown).
    bool showsPairWarning() const;
    QLabel* pairWarning() const { return m_pairWarning; }

Q_SIGNALS:
    void edited();
    void runRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    // Three lines per editor in whatever font is current (presentation mode).
    void changeEvent(QEvent* event) override;

private:
    QPlainTextEdit* makeEditor(const QString& placeholder);
    void fitEditors();
    void updatePreview();

    QComboBox* m_examples;
    QPlainTextEdit* m_a;
    QPlainTextEdit* m_b;
    QLabel* m_note;
    TokenStrip* m_strip;
    QTimer* m_previewTimer;
    std::shared_ptr<const attrscope::Model> m_model;
    QVector<Example> m_exampleList;
    QLabel* m_pairWarning;
    bool m_singleSentence = false;
    void updatePairWarning();
};

}  // namespace attrscope::ui
