#include "mainwindow/completeness_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "document/model_holder.h"
#include "mainwindow/appearance.h"

namespace attrscope::ui {

CompletenessPanel::CompletenessPanel(QWidget* parent) : QWidget(parent) {
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_table = new QTableWidget(0, 4, this);
    m_table->setHorizontalHeaderLabels(
        {tr("\u03a3 attribution"), tr("F(A) \u2212 F(0)"), tr("error"), tr("relative")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 4);
    layout->addWidget(m_caption);
    layout->addWidget(m_table, 1);
    reset(0, QString());
}

void CompletenessPanel::reset(int numLayers, const QString& targetLabel) {
    m_caption->setText(
        tr("<b>Completeness</b> per layer: \u03a3 attribution should equal F(A) \u2212 F(0), "
           "F = p(%1). A large error means too few steps.")
            .arg(targetLabel.isEmpty() ? tr("target") : targetLabel.toHtmlEscaped()));
    m_table->setRowCount(numLayers);
    for (int l = 0; l < numLayers; ++l)
        for (int c = 0; c < 4; ++c)
            m_table->setItem(l, c, new QTableWidgetItem(tr("\u2013")));
    labelRows();
}

void CompletenessPanel::setConventions(const ViewConventions& conventions) {
    m_conv = conventions;
    labelRows();
}

void CompletenessPanel::labelRows() {
    QStringList rows;
    for (int l = 0; l < m_table->rowCount(); ++l)
        rows << m_conv.layerLabel(l);
    m_table->setVerticalHeaderLabels(rows);
}

void CompletenessPanel::setLayer(int layer, const attrscope::LayerCompleteness& c) {
    if (layer < 0 || layer >= m_table->rowCount())
        return;
    const double relative = std::abs(c.error()) / std::max(std::abs(c.delta()), 1e-12);
    const QString values[4] = {
        QString::number(c.sumAttr, 'g', 4), QString::number(c.delta(), 'g', 4),
        QString::number(c.error(), 'g', 3), QStringLiteral("%1%").arg(relative * 100.0, 0, 'f', 1)};
    const bool warn = relative > kWarnRelative && std::abs(c.error()) > 1e-4;
    for (int col = 0; col < 4; ++col) {
        auto* item = new QTableWidgetItem(values[col]);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (warn && col >= 2) {
            // Both colours set: the theme's text colour on a light warning cell is unreadable
            // in the dark theme.
            item->setBackground(warningCellBackground());
            item->setForeground(warningCellText());
            item->setToolTip(tr("More than %1% off: raise the steps or use gauss-legendre")
                                 .arg(kWarnRelative * 100));
        }
        m_table->setItem(layer, col, item);
    }
}

void CompletenessPanel::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this,
            [this, models] { reset(models->numLayers(), QString()); });
}

}  // namespace attrscope::ui
