#include "figure/figure_options_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace attrscope::ui {

FigureOptionsDialog::FigureOptionsDialog(const FigureOptions& options, bool png, QWidget* parent)
    : QDialog(parent), m_initial(options) {
    setWindowTitle(tr("Figure options"));
    m_width = new QLineEdit(options.widthPt > 0 ? formatLength(options.widthPt) : QString(), this);
    m_width->setPlaceholderText(tr("8.5cm (one column; 17cm for a pair)"));
    m_width->setToolTip(tr("The PDF page width: cm, mm, pt or in. The height follows."));
    m_font = new QDoubleSpinBox(this);
    m_font->setRange(4, 48);
    m_font->setSingleStep(0.5);
    m_font->setSuffix(tr(" pt"));
    m_font->setValue(options.fontPt);
    m_caption = new QCheckBox(tr("Caption under the figure (model, input, layer, rule)"), this);
    m_caption->setChecked(options.caption);
    m_theme = new QComboBox(this);
    m_theme->addItem(tr("Light"));
    m_theme->addItem(tr("Dark"));
    m_theme->setCurrentIndex(options.dark ? 1 : 0);
    m_scale = new QComboBox(this);
    m_scale->addItem(tr("Linear"), int(ScaleKind::Linear));
    m_scale->addItem(tr("Gamma (lifts small values)"), int(ScaleKind::Gamma));
    m_scale->addItem(tr("Symmetric log"), int(ScaleKind::SymLog));
    m_scale->addItem(tr("Clip at a percentile"), int(ScaleKind::Percentile));
    m_scale->setCurrentIndex(m_scale->findData(int(options.scale.kind)));
    m_scaleParameter = new QDoubleSpinBox(this);
    m_scaleParameter->setDecimals(3);
    m_dpi = new QSpinBox(this);
    m_dpi->setRange(50, 2400);
    m_dpi->setSingleStep(50);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setValue(options.dpi);
    m_dpi->setEnabled(png);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));

    auto* form = new QFormLayout;
    form->addRow(tr("Width:"), m_width);
    form->addRow(tr("Font size:"), m_font);
    form->addRow(QString(), m_caption);
    form->addRow(tr("Theme:"), m_theme);
    form->addRow(tr("Colour scale:"), m_scale);
    form->addRow(tr("Scale parameter:"), m_scaleParameter);
    form->addRow(tr("PNG resolution:"), m_dpi);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // The parameter means γ, the linear width or the percentile, by scale.
    auto syncParameter = [this] {
        const auto kind = ScaleKind(m_scale->currentData().toInt());
        const ScaleSpec& s = m_initial.scale;
        m_scaleParameter->setEnabled(kind != ScaleKind::Linear);
        if (kind == ScaleKind::Gamma) {
            m_scaleParameter->setRange(0.05, 10);
            m_scaleParameter->setSingleStep(0.1);
            m_scaleParameter->setPrefix(QStringLiteral("\u03b3 = "));
            m_scaleParameter->setSuffix(QString());
            m_scaleParameter->setValue(s.gamma);
        } else if (kind == ScaleKind::SymLog) {
            m_scaleParameter->setRange(0.001, 0.5);
            m_scaleParameter->setSingleStep(0.005);
            m_scaleParameter->setPrefix(tr("linear within "));
            m_scaleParameter->setSuffix(tr(" \u00d7 limit"));
            m_scaleParameter->setValue(s.linearWidth);
        } else {
            m_scaleParameter->setRange(50, 100);
            m_scaleParameter->setSingleStep(0.5);
            m_scaleParameter->setPrefix(QString());
            m_scaleParameter->setSuffix(tr("th percentile"));
            m_scaleParameter->setValue(s.percentile);
        }
    };
    connect(m_scale, qOverload<int>(&QComboBox::currentIndexChanged), this, syncParameter);
    syncParameter();
    connect(m_width, &QLineEdit::textChanged, this, &FigureOptionsDialog::validate);
    validate();
}

void FigureOptionsDialog::validate() {
    const QString text = m_width->text().trimmed();
    const auto w = parseLength(text);
    const bool ok = text.isEmpty() || (w && *w >= 72.0);
    m_error->setText(ok ? QString() : tr("Width: a length of at least 1 in, e.g. 8.5cm or 240pt"));
    if (auto* box = findChild<QDialogButtonBox*>())
        box->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

FigureOptions FigureOptionsDialog::options() const {
    FigureOptions o = m_initial;
    const auto w = parseLength(m_width->text());
    o.widthPt = w ? *w : 0.0;
    o.fontPt = m_font->value();
    o.caption = m_caption->isChecked();
    o.dark = m_theme->currentIndex() == 1;
    o.scale.kind = ScaleKind(m_scale->currentData().toInt());
    if (o.scale.kind == ScaleKind::Gamma)
        o.scale.gamma = m_scaleParameter->value();
    else if (o.scale.kind == ScaleKind::SymLog)
        o.scale.linearWidth = m_scaleParameter->value();
    else if (o.scale.kind == ScaleKind::Percentile)
        o.scale.percentile = m_scaleParameter->value();
    o.dpi = m_dpi->value();
    return o;
}

}  // namespace attrscope::ui
