#include "mainwindow/completeness_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "document/analysis_document.h"
#include "mainwindow/appearance.h"

namespace attrscope::ui {

CompletenessPanel::CompletenessPanel(QWidget* parent) : QWidget(parent) {
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    // A wrapped label asks for a width that grows with its text; the caption must never widen
    // the window (presentation mode at 1024 px, test_presentation).
    m_caption->setMinimumWidth(1);
    m_table = new QTableWidget(0, kColumns, this);
    // Short headers: five columns share a narrow pane; the tooltips spell them out.
    m_table->setHorizontalHeaderLabels(
        {tr("\u03a3 attr"), tr("F(A)\u2212F(0)"), tr("error"), tr("rel."), tr("rule \u00b7 m")});
    const QString tips[kColumns] = {
        tr("\u03a3 attribution over heads, rows and columns"),
        tr("F(A) \u2212 F(0): the target probability with the layer's attention minus with it "
           "scaled to 0"),
        tr("\u03a3 attribution \u2212 (F(A) \u2212 F(0))"), tr("|error| / |F(A) \u2212 F(0)|"),
        tr("integration rule and the points m this layer used")};
    for (int c = 0; c < kColumns; ++c)
        m_table->horizontalHeaderItem(c)->setToolTip(tips[c]);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 4);
    layout->addWidget(m_caption);
    layout->addWidget(m_table, 1);
    reset(0, QString(), {});
}

void CompletenessPanel::reset(int numLayers, const QString& targetLabel,
                              const attrscope::AttributionOptions& options) {
    m_options = options;
    const QString rule =
        options.rule == attrscope::Rule::Adaptive
            ? tr("Adaptive rule: Gauss\u2013Legendre points doubled per layer until within "
                 "%1 % (cap %2)")
                  .arg(options.tolerance * 100.0)
                  .arg(options.maxSteps)
            : tr("Rule %1, m = %2")
                  .arg(QString::fromStdString(attrscope::ruleName(options.rule)))
                  .arg(options.steps);
    m_caption->setText(
        tr("<b>Completeness</b> per layer: \u03a3 attribution should equal F(A) \u2212 F(0), "
           "F = p(%1). A large error means too few steps. %2.")
            .arg(targetLabel.isEmpty() ? tr("target") : targetLabel.toHtmlEscaped(), rule));
    m_table->setRowCount(numLayers);
    for (int l = 0; l < numLayers; ++l)
        for (int c = 0; c < kColumns; ++c)
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

void CompletenessPanel::setLayer(const attrscope::LayerAttribution& layer) {
    const int row = layer.layer;
    if (row < 0 || row >= m_table->rowCount())
        return;
    const attrscope::LayerCompleteness& c = layer.completeness;
    const double relative = std::abs(c.error()) / std::max(std::abs(c.delta()), 1e-12);
    const bool adaptive = m_options.rule == attrscope::Rule::Adaptive;
    // The adaptive rule's own test (relative to max(|Δ|, 1e-3)); the others use the fixed 5 %.
    const bool adaptiveMissed =
        adaptive && std::abs(c.error()) > m_options.tolerance * std::max(std::abs(c.delta()), 1e-3);
    const bool warn =
        adaptive ? adaptiveMissed : relative > kWarnRelative && std::abs(c.error()) > 1e-4;
    const QString ruleText =
        adaptive ? tr("GL %1%2").arg(layer.steps).arg(adaptiveMissed ? tr(" (cap)") : QString())
                 : tr("%1 %2")
                       .arg(QString::fromStdString(attrscope::ruleName(m_options.rule)))
                       .arg(layer.steps);
    const QString values[kColumns] = {
        QString::number(c.sumAttr, 'g', 4), QString::number(c.delta(), 'g', 4),
        QString::number(c.error(), 'g', 3), QStringLiteral("%1%").arg(relative * 100.0, 0, 'f', 1),
        ruleText};
    for (int col = 0; col < kColumns; ++col) {
        auto* item = new QTableWidgetItem(values[col]);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (warn && col >= 2) {
            // Both colours set: the theme's text colour on a light warning cell is unreadable
            // in the dark theme.
            item->setBackground(warningCellBackground());
            item->setForeground(warningCellText());
            item->setToolTip(
                adaptive ? tr("Still off after %1 points (the cap): raise the cap").arg(layer.steps)
                         : tr("More than %1% off: raise the steps or use the adaptive rule")
                               .arg(kWarnRelative * 100));
        }
        m_table->setItem(row, col, item);
    }
}

void CompletenessPanel::follow(const AnalysisDocument* doc) {
    auto fill = [this, doc] {
        for (int l = 0; l < doc->numLayers(); ++l)
            if (LayerPtr layer = doc->layer(l))
                setLayer(*layer);
    };
    // Every new model or input resets the analysis (with no layers yet); a stored result's layers
    // come with resultChanged.
    connect(doc, &AnalysisDocument::analysisReset, this, [this, doc] {
        reset(doc->numLayers(), doc->hasInput() ? doc->targetLabel() : QString(),
              doc->hasInput() ? doc->runOptions() : m_options);
    });
    connect(doc, &AnalysisDocument::layerAdded, this, [this, doc](int l) {
        if (LayerPtr layer = doc->layer(l))
            setLayer(*layer);
    });
    connect(doc, &AnalysisDocument::resultChanged, this, fill);
    connect(doc, &AnalysisDocument::conventionsChanged, this,
            [this, doc] { setConventions(doc->conventions()); });
    setConventions(doc->conventions());
}

}  // namespace attrscope::ui
