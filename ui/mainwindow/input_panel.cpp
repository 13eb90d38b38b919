#include "mainwindow/input_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QTimer>
#include <QVBoxLayout>

#include "attrscope/model/model.h"
#include "document/model_holder.h"
#include "mainwindow/appearance.h"
#include "mainwindow/token_strip.h"

namespace attrscope::ui {

InputPanel::InputPanel(QWidget* parent) : QGroupBox(tr("Input"), parent) {
    m_examples = new QComboBox(this);
    m_examples->setToolTip(tr("Instructive inputs for this kind of model"));
    m_a = makeEditor(tr("Text A (premise or sentence)"));
    m_b = makeEditor(tr("Text B (hypothesis), optional"));
    fitEditors();
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: palette(mid);"));
    // A pair typed into a single-sentence model (isSingleSentenceModel): shown, never blocking.
    m_pairWarning = new QLabel(this);
    m_pairWarning->setWordWrap(true);
    m_pairWarning->setStyleSheet(
        QStringLiteral("background: %1; color: %2; padding: 3px;")
            .arg(warningCellBackground().name(), warningCellText().name()));
    m_pairWarning->hide();
    connect(this, &InputPanel::edited, this, &InputPanel::updatePairWarning);
    m_strip = new TokenStrip(this);
    m_strip->hide();
    // Tokenising a sentence takes microseconds; the timer only waits for a pause in typing.
    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150);
    connect(m_previewTimer, &QTimer::timeout, this, &InputPanel::updatePreview);
    connect(this, &InputPanel::edited, m_previewTimer, qOverload<>(&QTimer::start));

    auto* form = new QFormLayout;
    form->addRow(tr("Example"), m_examples);
    form->addRow(tr("Text A"), m_a);
    form->addRow(tr("Text B"), m_b);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_pairWarning);
    layout->addWidget(m_strip);
    layout->addWidget(m_note);

    connect(m_examples, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const int k = index - 1;  // item 0 is the prompt
        if (k < 0 || k >= m_exampleList.size())
            return;
        setTexts(m_exampleList[k].textA, m_exampleList[k].textB);
        m_note->setText(m_exampleList[k].why);
    });
    setLabels({});
}

QPlainTextEdit* InputPanel::makeEditor(const QString& placeholder) {
    auto* edit = new QPlainTextEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    edit->installEventFilter(this);
    connect(edit, &QPlainTextEdit::textChanged, this, &InputPanel::edited);
    return edit;
}

QString InputPanel::textA() const {
    return m_a->toPlainText().trimmed();
}
QString InputPanel::textB() const {
    return m_b->toPlainText().trimmed();
}

void InputPanel::setTexts(const QString& a, const QString& b) {
    {
        QSignalBlocker blockA(m_a), blockB(m_b);
        m_a->setPlainText(a);
        m_b->setPlainText(b);
    }
    Q_EMIT edited();
}

void InputPanel::setLabels(const QStringList& labels) {
    m_singleSentence = isSingleSentenceModel(labels);
    m_b->setPlaceholderText(m_singleSentence
                                ? tr("Text B: leave empty (this model reads one sentence)")
                                : tr("Text B (hypothesis), optional"));
    updatePairWarning();
    m_exampleList = examplesFor(labels);
    m_examples->clear();
    m_examples->addItem(tr("Choose an example\u2026"));
    for (const Example& e : m_exampleList) {
        m_examples->addItem(e.name);
        m_examples->setItemData(m_examples->count() - 1,
                                e.textB.isEmpty() ? e.textA : e.textA + " / " + e.textB,
                                Qt::ToolTipRole);
    }
}

void InputPanel::updatePairWarning() {
    const bool warn = m_singleSentence && !textB().isEmpty();
    m_pairWarning->setText(warn ? tr("\u26a0 This model was trained on single sentences (its "
                                     "labels are sentiment labels): text B is read as a second "
                                     "segment it never saw. Clear text B for a meaningful "
                                     "result.")
                                : QString());
    m_pairWarning->setVisible(warn);
}

bool InputPanel::showsPairWarning() const {
    return !m_pairWarning->isHidden();
}

void InputPanel::setEncodingNote(const QString& note) {
    m_note->setText(note);
}

void InputPanel::setModel(std::shared_ptr<const attrscope::Model> model) {
    m_model = std::move(model);
    updatePreview();
}

void InputPanel::updatePreview() {
    m_previewTimer->stop();
    const QString a = textA(), b = textB();
    if (!m_model || a.isEmpty()) {
        m_strip->hide();
        return;
    }
    m_strip->show();
    if (!m_model->canEncodeText()) {
        m_strip->setMessage(tr("This model has no tokenizer AttrScope can read."));
        return;
    }
    std::optional<std::string> second;
    if (!b.isEmpty())
        second = b.toStdString();
    auto e = m_model->encode(a.toStdString(), second);
    if (!e)
        m_strip->setMessage(QString::fromStdString(e.error()));
    else
        m_strip->setEncoding(*e);
}

void InputPanel::fitEditors() {
    for (QPlainTextEdit* edit : {m_a, m_b})
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 12);
}

void InputPanel::changeEvent(QEvent* event) {
    QGroupBox::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitEditors();
}

bool InputPanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress && (watched == m_a || watched == m_b)) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ControlModifier)) {
            Q_EMIT runRequested();
            return true;
        }
        if (enter && !(key->modifiers() & Qt::ShiftModifier)) {
            // One sentence per box: Enter runs instead of starting a new line.
            Q_EMIT runRequested();
            return true;
        }
    }
    return QGroupBox::eventFilter(watched, event);
}

void InputPanel::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this, [this, models] {
        setLabels(models->labels());
        setModel(models->model());
    });
}

}  // namespace attrscope::ui
