#include "views/dataset/dataset_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "attrscope/data/dataset.h"

namespace attrscope::ui {

namespace {
QSpinBox* spin(QWidget* parent, int lo, int hi, int value, const QString& special = QString()) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    if (!special.isEmpty())
        s->setSpecialValueText(special);
    return s;
}

QWidget* page(QWidget* parent, QFormLayout** form) {
    auto* w = new QWidget(parent);
    *form = new QFormLayout(w);
    (*form)->setContentsMargins(0, 0, 0, 0);
    return w;
}
}  // namespace

DatasetForm::DatasetForm(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* data = new QGroupBox(tr("Dataset"), this);
    auto* dataForm = new QFormLayout(data);
    m_path = new QLineEdit(data);
    m_path->setPlaceholderText(tr("SICK.txt, dev.tsv, \u2026"));
    auto* browse = new QPushButton(tr("Browse\u2026"), data);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    dataForm->addRow(tr("File"), pathRow);
    m_format = new QComboBox(data);
    for (const auto& f : attrscope::datasetFormats())
        m_format->addItem(QString::fromStdString(f));
    dataForm->addRow(tr("Format"), m_format);
    m_split = new QComboBox(data);
    dataForm->addRow(tr("Split"), m_split);

    m_columns = new QGroupBox(tr("Columns (glue-pair / glue-single)"), data);
    auto* colForm = new QFormLayout(m_columns);
    m_textA = spin(m_columns, -1, 99, -1, tr("by header"));
    m_textB = spin(m_columns, -1, 99, -1, tr("by header"));
    m_label = spin(m_columns, -1, 99, -1, tr("by header"));
    colForm->addRow(tr("Text A column (0-based)"), m_textA);
    colForm->addRow(tr("Text B column"), m_textB);
    colForm->addRow(tr("Label column"), m_label);
    m_header = new QCheckBox(tr("First line is a header"), m_columns);
    m_header->setChecked(true);
    colForm->addRow(m_header);
    dataForm->addRow(m_columns);
    m_quoting = new QCheckBox(tr("CSV double-quote quoting"), data);
    m_quoting->setToolTip(tr("Off for plain GLUE files, where '\"' is literal text"));
    dataForm->addRow(m_quoting);
    layout->addWidget(data);

    auto* settings = new QGroupBox(tr("Analysis"), this);
    auto* form = new QFormLayout(settings);
    m_analysis = new QComboBox(settings);
    m_analysis->addItem(tr("Head importance"), int(DatasetAnalysis::Importance));
    m_analysis->addItem(tr("Head pruning"), int(DatasetAnalysis::Pruning));
    m_analysis->addItem(tr("Adversarial triggers"), int(DatasetAnalysis::Triggers));
    form->addRow(tr("Run"), m_analysis);
    m_examples = spin(settings, 0, 1000000, 200, tr("all"));
    m_examples->setToolTip(
        tr("Importance (and pruning rankings): the first N examples, like the official "
           "script's 200. Triggers: the first N examples mined."));
    form->addRow(tr("Examples"), m_examples);
    m_steps = spin(settings, 1, 1000, 20);
    m_steps->setToolTip(tr("Integration steps m (official: 20 for importance, 64 for triggers)"));
    form->addRow(tr("Steps m"), m_steps);
    m_rule = new QComboBox(settings);
    for (auto rule : {attrscope::Rule::Left, attrscope::Rule::Right, attrscope::Rule::Midpoint,
                      attrscope::Rule::GaussLegendre})
        m_rule->addItem(QString::fromStdString(attrscope::ruleName(rule)), int(rule));
    m_rule->setToolTip(tr("left = the official scripts' Riemann sum (k = 0..m\u22121)"));
    form->addRow(tr("Rule"), m_rule);

    m_pages = new QStackedWidget(settings);
    QFormLayout* f = nullptr;
    // Importance.
    QWidget* imp = page(m_pages, &f);
    auto* note = new QLabel(tr("Attribution (signed max against the gold label) and the "
                               "attention-max baseline are always computed."),
                            imp);
    note->setWordWrap(true);
    f->addRow(note);
    m_taylor = new QCheckBox(tr("Taylor, sum of logits (official script)"), imp);
    m_taylorLoss = new QCheckBox(tr("Taylor, loss (Michel et al.)"), imp);
    m_accuracy = new QCheckBox(tr("Accuracy difference (L\u00b7H evaluations)"), imp);
    f->addRow(m_taylor);
    f->addRow(m_taylorLoss);
    f->addRow(m_accuracy);
    m_pages->addWidget(imp);
    // Pruning.
    QWidget* prune = page(m_pages, &f);
    m_rankAttribution = new QCheckBox(tr("attribution"), prune);
    m_rankAttention = new QCheckBox(tr("attention max"), prune);
    m_rankTaylor = new QCheckBox(tr("Taylor (logit sum)"), prune);
    m_rankRandom = new QCheckBox(tr("random"), prune);
    for (auto* c : {m_rankAttribution, m_rankAttention, m_rankTaylor, m_rankRandom}) {
        c->setChecked(true);
        f->addRow(c);
    }
    m_seeds = spin(prune, 1, 100, 5);
    m_firstSeed = spin(prune, 0, 1000000, 1);
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seeds);
    seedRow->addWidget(new QLabel(tr("from seed"), prune));
    seedRow->addWidget(m_firstSeed);
    f->addRow(tr("Random seeds"), seedRow);
    m_perLayer = new QCheckBox(tr("Per layer: keep / prune top-k"), prune);
    m_perLayer->setChecked(true);
    f->addRow(m_perLayer);
    // Each curve point is one evaluation pass, so a whole large split makes a run take minutes;
    // 1000 keeps it interactive ("all" = the official scripts' setting, as the CLI's default).
    m_pruneEval = spin(prune, 0, 1000000, 1000, tr("all"));
    m_pruneEval->setToolTip(
        tr("Accuracy is measured on the first N examples of the split "
           "(0 = all, as the official scripts)"));
    f->addRow(tr("Evaluate on"), m_pruneEval);
    m_pages->addWidget(prune);
    // Triggers.
    QWidget* trig = page(m_pages, &f);
    m_evalSplit = new QComboBox(trig);
    f->addRow(tr("Evaluate on split"), m_evalSplit);
    m_evalPath = new QLineEdit(trig);
    m_evalPath->setPlaceholderText(tr("same file"));
    f->addRow(tr("Evaluation file"), m_evalPath);
    m_triggerEval = spin(trig, 0, 1000000, 0, tr("all"));
    f->addRow(tr("Evaluation examples"), m_triggerEval);
    m_minTokens = spin(trig, 0, 512, 0, tr("none"));
    m_minTokens->setToolTip(tr("Skip mined examples shorter than this (official SST-2: 15)"));
    f->addRow(tr("Min. tokens"), m_minTokens);
    m_threshold = new QDoubleSpinBox(trig);
    m_threshold->setDecimals(4);
    m_threshold->setRange(0.0, 100.0);
    m_threshold->setSingleStep(0.01);
    m_threshold->setValue(0.02);
    f->addRow(tr("Threshold a1 + a2 \u2265"), m_threshold);
    m_maxPatterns = spin(trig, 0, 100000, 20, tr("all"));
    f->addRow(tr("Strongest patterns"), m_maxPatterns);
    m_insertAll = new QCheckBox(tr("Always insert both top pairs"), trig);
    f->addRow(m_insertAll);
    m_pages->addWidget(trig);
    form->addRow(m_pages);
    layout->addWidget(settings);
    layout->addStretch(1);

    connect(browse, &QPushButton::clicked, this, &DatasetForm::chooseFile);
    connect(m_format, &QComboBox::currentIndexChanged, this, &DatasetForm::updateForFormat);
    connect(m_analysis, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_pages->setCurrentIndex(index);
        Q_EMIT analysisChanged(DatasetAnalysis(m_analysis->itemData(index).toInt()));
    });
    // One signal for every field, so DatasetTab can tell when the request changed (Continue).
    for (auto* w : findChildren<QLineEdit*>())
        connect(w, &QLineEdit::textChanged, this, &DatasetForm::changed);
    for (auto* w : findChildren<QComboBox*>())
        connect(w, &QComboBox::currentIndexChanged, this, &DatasetForm::changed);
    for (auto* w : findChildren<QSpinBox*>())
        connect(w, &QSpinBox::valueChanged, this, &DatasetForm::changed);
    for (auto* w : findChildren<QDoubleSpinBox*>())
        connect(w, &QDoubleSpinBox::valueChanged, this, &DatasetForm::changed);
    for (auto* w : findChildren<QCheckBox*>())
        connect(w, &QCheckBox::toggled, this, &DatasetForm::changed);
    updateForFormat();
}

void DatasetForm::chooseFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Dataset file"), QFileInfo(m_path->text()).path(),
                                     tr("Datasets (*.tsv *.txt *.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    m_path->setText(path);
    const QString guess = guessFormat(path);
    if (!guess.isEmpty())
        m_format->setCurrentText(guess);
}

QString DatasetForm::guessFormat(const QString& path) {
    // From the header line (the known formats' own), then from well-known file names; the user
    // can still change it.
    QFile file(path);
    QString header;
    if (file.open(QIODevice::ReadOnly))
        header = QString::fromUtf8(file.readLine(4096)).trimmed();
    if (header.startsWith(QChar(0xFEFF)))
        header.remove(0, 1);
    const QStringList columns = header.toLower().split(QLatin1Char('\t'));
    if (columns.contains(QLatin1String("pair_id")) && columns.contains(QLatin1String("sentence_a")))
        return QStringLiteral("sick");
    if (columns.value(0) == QLatin1String("quality") && columns.contains(QLatin1String("#1 string")))
        return QStringLiteral("mrpc");
    if (columns == QStringList{QStringLiteral("sentence"), QStringLiteral("label")})
        return QStringLiteral("sst2");
    if (columns.contains(QLatin1String("sentence1")) && columns.contains(QLatin1String("sentence2")) &&
        columns.contains(QLatin1String("label")))
        return QStringLiteral("rte");
    const QString name = QFileInfo(path).fileName().toLower();
    if (name.startsWith(QLatin1String("sick")))
        return QStringLiteral("sick");
    if (name.startsWith(QLatin1String("msr_paraphrase")))
        return QStringLiteral("mrpc");
    return {};
}

void DatasetForm::fillSplits(QComboBox* box, const QString& format) {
    const QString current = splitOf(box);
    box->clear();
    box->addItem(tr("(whole file)"), QString());
    QStringList splits;
    if (format == QLatin1String("sick"))
        splits = {QStringLiteral("train"), QStringLiteral("trial"), QStringLiteral("test"),
                  QStringLiteral("train+trial")};
    else if (format == QLatin1String("mrpc"))
        splits = {QStringLiteral("train"), QStringLiteral("dev"), QStringLiteral("test")};
    for (const QString& s : splits)
        box->addItem(s, s);
    selectSplit(box, current);
}

QString DatasetForm::splitOf(const QComboBox* box) {
    return box->currentData().toString();
}

void DatasetForm::selectSplit(QComboBox* box, const QString& split) {
    const int i = box->findData(split);
    box->setCurrentIndex(i >= 0 ? i : 0);
}

void DatasetForm::updateForFormat() {
    const QString format = m_format->currentText();
    fillSplits(m_split, format);
    fillSplits(m_evalSplit, format);
    m_columns->setVisible(format.startsWith(QLatin1String("glue")));
    m_textB->setEnabled(format != QLatin1String("glue-single"));
}

DatasetRequest DatasetForm::request() const {
    DatasetRequest r;
    r.analysis = DatasetAnalysis(m_analysis->currentData().toInt());
    r.path = m_path->text().trimmed();
    r.data.format = m_format->currentText().toStdString();
    r.data.split = splitOf(m_split).toStdString();
    r.data.textAColumn = m_textA->value();
    r.data.textBColumn = m_textB->value();
    r.data.labelColumn = m_label->value();
    r.data.header = m_header->isChecked();
    r.data.csvQuoting = m_quoting->isChecked();
    r.examples = m_examples->value();
    r.steps = m_steps->value();
    r.rule = attrscope::Rule(m_rule->currentData().toInt());
    r.taylorLogitSum = m_taylor->isChecked();
    r.taylorLoss = m_taylorLoss->isChecked();
    r.accuracyDifference = m_accuracy->isChecked();
    r.rankings.clear();
    if (m_rankAttribution->isChecked())
        r.rankings << QStringLiteral("attribution");
    if (m_rankAttention->isChecked())
        r.rankings << QStringLiteral("attention");
    if (m_rankTaylor->isChecked())
        r.rankings << QStringLiteral("taylor");
    if (m_rankRandom->isChecked())
        r.rankings << QStringLiteral("random");
    r.seeds = m_seeds->value();
    r.firstSeed = quint64(m_firstSeed->value());
    r.perLayer = m_perLayer->isChecked();
    r.evalExamples =
        r.analysis == DatasetAnalysis::Triggers ? m_triggerEval->value() : m_pruneEval->value();
    r.evalPath = m_evalPath->text().trimmed();
    r.evalSplit = splitOf(m_evalSplit);
    r.minTokens = m_minTokens->value();
    r.threshold = m_threshold->value();
    r.insertAll = m_insertAll->isChecked();
    r.maxPatterns = m_maxPatterns->value();
    return r;
}

void DatasetForm::setRequest(const DatasetRequest& r) {
    m_path->setText(r.path);
    m_format->setCurrentText(QString::fromStdString(r.data.format));
    updateForFormat();
    selectSplit(m_split, QString::fromStdString(r.data.split));
    selectSplit(m_evalSplit, r.evalSplit);
    m_textA->setValue(r.data.textAColumn);
    m_textB->setValue(r.data.textBColumn);
    m_label->setValue(r.data.labelColumn);
    m_header->setChecked(r.data.header);
    m_quoting->setChecked(r.data.csvQuoting);
    m_examples->setValue(r.examples);
    m_steps->setValue(r.steps);
    m_rule->setCurrentIndex(m_rule->findData(int(r.rule)));
    m_taylor->setChecked(r.taylorLogitSum);
    m_taylorLoss->setChecked(r.taylorLoss);
    m_accuracy->setChecked(r.accuracyDifference);
    m_rankAttribution->setChecked(r.rankings.contains(QLatin1String("attribution")));
    m_rankAttention->setChecked(r.rankings.contains(QLatin1String("attention")));
    m_rankTaylor->setChecked(r.rankings.contains(QLatin1String("taylor")));
    m_rankRandom->setChecked(r.rankings.contains(QLatin1String("random")));
    m_seeds->setValue(r.seeds);
    m_firstSeed->setValue(int(r.firstSeed));
    m_perLayer->setChecked(r.perLayer);
    m_pruneEval->setValue(r.evalExamples);
    m_triggerEval->setValue(r.evalExamples);
    m_evalPath->setText(r.evalPath);
    m_minTokens->setValue(r.minTokens);
    m_threshold->setValue(r.threshold);
    m_insertAll->setChecked(r.insertAll);
    m_maxPatterns->setValue(r.maxPatterns);
    m_analysis->setCurrentIndex(m_analysis->findData(int(r.analysis)));
}

}  // namespace attrscope::ui
