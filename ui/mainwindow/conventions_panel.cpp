#include "mainwindow/conventions_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>

#include "document/analysis_document.h"
#include "plot/palette.h"

namespace attrscope::ui {

ConventionsPanel::ConventionsPanel(AnalysisDocument* document, QWidget* parent)
    : QGroupBox(tr("Conventions"), parent), m_doc(document) {
    m_hide = new QCheckBox(tr("Hide [CLS] / [SEP]"), this);
    m_hide->setToolTip(tr("Drops their rows and columns; the other values are not renormalised"));
    m_merge = new QComboBox(this);
    m_merge->addItems({tr("keep word pieces"), tr("merge into words (sum)"),
                       tr("merge into words (max |value|)")});
    m_oneBased = new QCheckBox(tr("Number layers/heads from 1"), this);
    m_sequential = new QComboBox(this);
    m_sequential->addItems(Palette::sequentialNames());
    m_diverging = new QComboBox(this);
    m_diverging->addItems(Palette::divergingNames());
    m_scale = new QComboBox(this);
    m_scale->addItems({tr("per head"), tr("per layer"), tr("global")});
    m_scale->setToolTip(
        tr("Which maps share the colour limits: this map, its layer's heads, or "
           "every layer"));
    m_theme = new QComboBox(this);
    m_theme->addItems({tr("light"), tr("dark")});
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #9a5b00;"));

    auto* form = new QFormLayout(this);
    form->addRow(m_hide);
    form->addRow(tr("Word pieces"), m_merge);
    form->addRow(m_oneBased);
    form->addRow(tr("Attention palette"), m_sequential);
    form->addRow(tr("Attribution palette"), m_diverging);
    form->addRow(tr("Colour scale"), m_scale);
    form->addRow(tr("Theme"), m_theme);
    form->addRow(m_note);

    connect(m_hide, &QCheckBox::toggled, this, &ConventionsPanel::commit);
    connect(m_oneBased, &QCheckBox::toggled, this, &ConventionsPanel::commit);
    for (QComboBox* box : {m_merge, m_sequential, m_diverging, m_scale, m_theme})
        connect(box, qOverload<int>(&QComboBox::activated), this, &ConventionsPanel::commit);
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, &ConventionsPanel::sync);
    sync();
}

void ConventionsPanel::sync() {
    const ViewConventions& c = m_doc->conventions();
    QSignalBlocker b1(m_hide), b2(m_oneBased);
    m_hide->setChecked(c.hideSpecials);
    m_oneBased->setChecked(c.oneBased);
    m_merge->setCurrentIndex(int(c.merge));
    m_sequential->setCurrentText(c.sequentialPalette);
    m_diverging->setCurrentText(c.divergingPalette);
    m_scale->setCurrentIndex(int(c.scale));
    m_theme->setCurrentIndex(c.theme == Theme::Dark ? 1 : 0);
    // The amber note keeps a 4.5:1 contrast on either theme's window colour.
    m_note->setStyleSheet(c.theme == Theme::Dark ? QStringLiteral("color: #f0b060;")
                                                 : QStringLiteral("color: #8a5000;"));
    m_note->setText(c.note());
    m_note->setVisible(!c.note().isEmpty());
}

void ConventionsPanel::commit() {
    ViewConventions c;
    c.hideSpecials = m_hide->isChecked();
    c.merge = MergeMode(m_merge->currentIndex());
    c.oneBased = m_oneBased->isChecked();
    c.sequentialPalette = m_sequential->currentText();
    c.divergingPalette = m_diverging->currentText();
    c.scale = ScaleMode(m_scale->currentIndex());
    c.theme = m_theme->currentIndex() == 1 ? Theme::Dark : Theme::Light;
    m_doc->setConventions(c);
}

}  // namespace attrscope::ui
