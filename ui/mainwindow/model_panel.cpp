#include "mainwindow/model_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include "attrscope/model/model.h"
#include "attrscope/model/model_paths.h"
#include "document/model_holder.h"

namespace attrscope::ui {

namespace {
const char* kRecentKey = "models/recent";
constexpr int kMaxRecent = 8;
}  // namespace

ModelPanel::ModelPanel(QWidget* parent) : QGroupBox(tr("Model"), parent) {
    m_recent = new QComboBox(this);
    m_recent->setToolTip(tr("The built-in demo models and recently opened checkpoint folders"));
    m_recent->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_recent->setMinimumContentsLength(12);
    m_open = new QPushButton(tr("Open folder\u2026"), this);
    m_open->setToolTip(
        tr("A Hugging Face *ForSequenceClassification folder (BERT, RoBERTa, XLM-R, "
           "DistilBERT, ELECTRA, ALBERT, DeBERTa-v2/v3): config.json, its tokenizer files and "
           "model.safetensors or pytorch_model.bin"));
    m_info = new QLabel(tr("No model open."), this);
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* row = new QHBoxLayout;
    row->addWidget(m_recent, 1);
    row->addWidget(m_open);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_info);

    connect(m_open, &QPushButton::clicked, this, &ModelPanel::chooseFolder);
    connect(m_recent, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const QString dir = m_recent->itemData(index).toString();
        if (!dir.isEmpty())
            Q_EMIT openRequested(dir);
    });
    fillRecent();
}

QString ModelPanel::displayName(const QString& directory) {
    static const QStringList generic = {"model", "models", "checkpoint", "best", "final", "output"};
    const QDir dir(directory);
    const QString name = dir.dirName();
    if (!generic.contains(name.toLower()))
        return name;
    return QDir(QDir::cleanPath(dir.absolutePath() + "/..")).dirName() + "/" + name;
}

QStringList ModelPanel::recentModels() const {
    return QSettings().value(kRecentKey).toStringList();
}

void ModelPanel::fillRecent() {
    m_recent->clear();
    QStringList recent = recentModels();
    // The shipped demo models first, then the folders opened before.
    for (const char* demo : {"sick-nli", "sst2-sentiment"}) {
        const std::string found = attrscope::findDemoModel(demo);
        if (found.empty())
            continue;
        const QString dir = QDir(QString::fromStdString(found)).absolutePath();
        recent.removeAll(dir);
        m_recent->addItem(tr("%1 (built-in)").arg(QLatin1String(demo)), dir);
        m_recent->setItemData(m_recent->count() - 1, dir, Qt::ToolTipRole);
    }
    if (m_recent->count() > 0 && !recent.isEmpty())
        m_recent->insertSeparator(m_recent->count());
    if (m_recent->count() == 0 && recent.isEmpty())
        m_recent->addItem(tr("(no recent models)"));
    for (const QString& dir : recent) {
        m_recent->addItem(displayName(dir), dir);
        m_recent->setItemData(m_recent->count() - 1, dir, Qt::ToolTipRole);
    }
}

void ModelPanel::addRecent(const QString& directory) {
    const QString dir = QDir(directory).absolutePath();
    QStringList recent = recentModels();
    recent.removeAll(dir);
    recent.prepend(dir);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    fillRecent();
    m_recent->setCurrentIndex(qMax(0, m_recent->findData(dir)));
}

void ModelPanel::chooseFolder() {
    const QStringList recent = recentModels();
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a checkpoint folder"), recent.isEmpty() ? QDir::homePath() : recent[0]);
    if (!dir.isEmpty())
        Q_EMIT openRequested(dir);
}

void ModelPanel::setLoading(const QString& directory) {
    m_info->setText(tr("Loading %1\u2026").arg(QDir::toNativeSeparators(directory)));
    m_open->setEnabled(false);
}

void ModelPanel::setError(const QString& directory, const QString& message) {
    m_open->setEnabled(true);
    m_info->setText(
        tr("<b>Could not open %1</b><br>%2")
            .arg(QDir::toNativeSeparators(directory).toHtmlEscaped(), message.toHtmlEscaped()));
}

void ModelPanel::setModel(const std::shared_ptr<attrscope::Model>& model, const QString& name) {
    m_open->setEnabled(true);
    if (!model) {
        m_info->setText(tr("No model open."));
        return;
    }
    const auto& c = model->config();
    QStringList labels;
    for (const auto& l : c.id2label)
        labels << QString::fromStdString(l);
    QString text = tr("<b>%1</b><br>%8 \u00b7 %2 layers \u00b7 %3 heads \u00b7 hidden %4<br>"
                      "labels: %5 (%9)<br>tokenizer: %6 (%10 tokens) \u00b7 device: %7")
                       .arg(name.toHtmlEscaped())
                       .arg(c.numLayers)
                       .arg(c.numHeads)
                       .arg(c.hiddenSize)
                       .arg(labels.join(QStringLiteral(", ")).toHtmlEscaped())
                       .arg(QString::fromStdString(model->tokenizerDescription()).toHtmlEscaped())
                       .arg(QString::fromStdString(model->device()))
                       .arg(QString::fromStdString(c.modelType))
                       .arg(QString::fromStdString(c.problemTypeName()))
                       .arg(model->tokenizerVocabSize());
    if (!model->hasClassifier())
        text +=
            tr("<br><span style='color:#b00'>No classifier head: predictions are not "
               "meaningful.</span>");
    for (const auto& w : model->warnings())
        text += QStringLiteral("<br><span style='color:#a60'>\u26a0 %1</span>")
                    .arg(QString::fromStdString(w).toHtmlEscaped());
    m_info->setText(text);
    m_info->setToolTip(QString::fromStdString(model->directory()));
}

void ModelPanel::setHint(const QString& text) {
    m_info->setText(text);
}

QString ModelPanel::infoText() const {
    return m_info->text();
}

void ModelPanel::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this,
            [this, models] { setModel(models->model(), models->name()); });
}

}  // namespace attrscope::ui
