#include "views/overview/overview_grid.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "document/analysis_document.h"
#include "document/conventions.h"
#include "views/overview/overview_canvas.h"

namespace attrscope::ui {

OverviewGrid::OverviewGrid(AnalysisDocument* document, QWidget* parent)
    : QWidget(parent), m_doc(document) {
    m_canvas = new OverviewCanvas(document, this);
    m_quantity = new QComboBox(this);
    m_quantity->addItems({tr("Attention"), tr("Attribution")});
    m_scaling = new QComboBox(this);
    m_scaling->addItems({tr("Colour scale per map"), tr("Colour scale per layer"),
                         tr("Colour scale shared by the grid")});
    m_note = new QLabel(this);
    m_note->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show"), this));
    bar->addWidget(m_quantity);
    bar->addSpacing(12);
    bar->addWidget(m_scaling);
    bar->addSpacing(12);
    bar->addWidget(m_note, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);

    connect(m_quantity, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_canvas->setQuantity(i == 0 ? OverviewCanvas::Quantity::Attention
                                     : OverviewCanvas::Quantity::Attribution);
        // Attribution differences between heads are the point, so compare them on one scale.
        m_scaling->setCurrentIndex(i == 0 ? 0 : 2);
        updateNote();
    });
    connect(m_scaling, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_canvas->setScaleMode(i == 0   ? ScaleMode::PerHead
                               : i == 1 ? ScaleMode::PerLayer
                                        : ScaleMode::Global);
    });
    connect(m_canvas, &OverviewCanvas::activated, this, &OverviewGrid::activated);

    auto rebuild = [this] {
        m_canvas->rebuild();
        updateNote();
    };
    connect(m_doc, &AnalysisDocument::modelChanged, this, rebuild);
    connect(m_doc, &AnalysisDocument::analysisReset, this, rebuild);
    connect(m_doc, &AnalysisDocument::resultChanged, this, rebuild);
    connect(m_doc, &AnalysisDocument::runningChanged, this, rebuild);
    connect(m_doc, &AnalysisDocument::layerAdded, this, [this] {
        if (m_canvas->quantity() == OverviewCanvas::Quantity::Attribution)
            m_canvas->rebuild();
        updateNote();
    });
    connect(m_doc, &AnalysisDocument::selectionChanged, m_canvas, qOverload<>(&QWidget::update));
    updateNote();
}

void OverviewGrid::updateNote() {
    QString note = tr("Rows: layers, columns: \u03a3 heads and each head. Click a map to open it.");
    if (m_canvas->quantity() == OverviewCanvas::Quantity::Attribution && m_doc->hasInput())
        note +=
            tr("  %1 of %2 layers computed.").arg(m_doc->layersReceived()).arg(m_doc->numLayers());
    m_note->setText(note);
}

}  // namespace attrscope::ui
