#include "export/figure_exporter.h"

#include <QFileInfo>
#include <QGraphicsScene>
#include <QWidget>
#include <cmath>
#include <functional>
#include <memory>

#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "document/analysis_document.h"
#include "export/figure_support.h"
#include "export/heatmap_panels.h"
#include "export/saliency_export.h"
#include "figure/heatmap_figure.h"
#include "plot/figure_writer.h"
#include "plot/qcustomplot_wrapper.h"
#include "views/bars/head_bars.h"
#include "views/overview/overview_canvas.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

QString figureKindName(FigureKind kind) {
    switch (kind) {
        case FigureKind::HeatmapPair:
            return QStringLiteral("heatmaps");
        case FigureKind::Attention:
            return QStringLiteral("attention");
        case FigureKind::Attribution:
            return QStringLiteral("attribution");
        case FigureKind::HeadBars:
            return QStringLiteral("bars");
        case FigureKind::OverviewAttention:
            return QStringLiteral("overview");
        case FigureKind::OverviewAttribution:
            return QStringLiteral("overview-attribution");
        case FigureKind::Tree:
            return QStringLiteral("tree");
        case FigureKind::Saliency:
            return QStringLiteral("saliency");
    }
    return QString();
}

std::optional<FigureKind> parseFigureKind(const QString& name) {
    for (FigureKind k : {FigureKind::HeatmapPair, FigureKind::Attention, FigureKind::Attribution,
                         FigureKind::HeadBars, FigureKind::OverviewAttention,
                         FigureKind::OverviewAttribution, FigureKind::Tree, FigureKind::Saliency}) {
        if (figureKindName(k) == name)
            return k;
    }
    return std::nullopt;
}

FigureExporter::FigureExporter(AnalysisDocument* document) : m_doc(document) {
    // Widgets measure text at the screen's logical DPI; exports keep that scale.
    QWidget probe;
    m_baseDpi = probe.logicalDpiX() > 0 ? probe.logicalDpiX() : 96;
}

bool FigureExporter::fail(const QString& message) {
    m_error = message;
    return false;
}

QString FigureExporter::caption(FigureKind kind) const {
    return figureCaption(*m_doc, kind, m_modelName, m_tau, m_overviewScale).join(QLatin1Char('\n'));
}

bool FigureExporter::exportFigure(FigureKind kind, const QString& path) {
    m_error.clear();
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool text = suffix == QLatin1String("html") || suffix == QLatin1String("htm") ||
                      suffix == QLatin1String("tex");
    if (kind == FigureKind::Saliency && text) {
        // HTML and LaTeX: the saliency text only.
    } else if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
               suffix != QLatin1String("png")) {
        return fail(QStringLiteral("%1: unknown figure format (use .svg, .pdf or .png%2)")
                        .arg(path, kind == FigureKind::Saliency ? QStringLiteral(", .html, .tex")
                                                                : QString()));
    }
    if (!m_doc->hasInput())
        return fail(QStringLiteral("Nothing to export: run an attribution or open a session"));
    if (kind == FigureKind::Saliency) {
        FigureOptions options = m_options;
        options.dpi = m_dpi;
        const SaliencyText saliency = saliencyFromDocument(
            *m_doc, figureCaption(*m_doc, kind, m_modelName, m_tau, m_overviewScale),
            m_saliencySource);
        if (saliency.tokens.isEmpty())
            return fail(QStringLiteral("%1 has no attribution yet")
                            .arg(m_doc->conventions().layerLabel(m_doc->currentLayer())));
        QSizeF points;
        const QString error = writeSaliency(path, saliency, options, &points);
        m_lastPoints = points;
        m_lastSize = QSize(int(std::lround(points.width() * m_baseDpi / 72.0)),
                           int(std::lround(points.height() * m_baseDpi / 72.0)));
        return error.isEmpty() ? true : fail(error);
    }

    Figure fig;
    fig.dark = m_doc->conventions().theme == Theme::Dark;
    fig.caption = figureCaption(*m_doc, kind, m_modelName, m_tau, m_overviewScale);
    std::unique_ptr<QWidget> host;
    std::unique_ptr<QGraphicsScene> scene;

    if (kind == FigureKind::HeatmapPair || kind == FigureKind::Attention ||
        kind == FigureKind::Attribution) {
        FigureOptions options = m_options;
        options.dpi = m_dpi;
        QStringList caption = fig.caption;
        caption << QStringLiteral("rows: query i (attending), columns: key j (attended to)");
        const HeatmapFigure figure(heatmapPanels(*m_doc, kind), caption, options);
        m_lastPoints = figure.size();
        m_lastSize = QSize(int(std::lround(m_lastPoints.width() * m_baseDpi / 72.0)),
                           int(std::lround(m_lastPoints.height() * m_baseDpi / 72.0)));
        const QString error =
            figure.write(path, QStringLiteral("AttrScope %1").arg(figureKindName(kind)));
        return error.isEmpty() ? true : fail(error);
    }
    if (kind == FigureKind::HeadBars) {
        host = makeFigureHost(QSize(std::max(520, 90 + 60 * m_doc->numHeads()), 380));
        auto* bars = new HeadBars(m_doc, host.get());
        showFigureHost(host.get(), bars);
        auto* plot = qobject_cast<QCustomPlot*>(bars->plotWidget());
        if (!plot)
            return fail(QStringLiteral("internal error: head bars have no plot"));
        fig.contentSize = plot->size();
        fig.paintContent = [plot](QCPPainter* p) {
            plot->toPainter(p, plot->width(), plot->height());
        };
    } else if (kind == FigureKind::OverviewAttention || kind == FigureKind::OverviewAttribution) {
        const QSize size = OverviewCanvas::figureSize(m_doc->numLayers(), m_doc->numHeads());
        host = makeFigureHost(size);
        auto* canvas = new OverviewCanvas(m_doc, host.get());
        canvas->setQuantity(kind == FigureKind::OverviewAttention
                                ? OverviewCanvas::Quantity::Attention
                                : OverviewCanvas::Quantity::Attribution);
        canvas->setScaleMode(m_overviewScale);
        showFigureHost(host.get(), canvas);
        fig.contentSize = size;
        fig.paintContent = [canvas](QCPPainter* p) {
            canvas->render(p, QPoint(), QRegion(), QWidget::DrawChildren);
        };
    } else {
        const attrscope::FloatArray attribution = assembleAttribution(*m_doc);
        auto tree = attrscope::buildAttributionTree(attribution, m_tau);
        if (!tree)
            return fail(QString::fromStdString(tree.error()));
        std::vector<std::string> tokens = m_doc->encoding().tokens;
        auto layout = attrscope::layoutTree(tree.value(), tokens);
        if (!layout)
            return fail(QString::fromStdString(layout.error()));
        scene = std::make_unique<QGraphicsScene>();
        TreeView::drawLayout(scene.get(), layout.value(), m_doc->conventions());
        const QRectF source =
            QRectF(0, 0, layout->width, layout->height).adjusted(-16, -16, 16, 16);
        fig.contentSize =
            QSize(std::max(480, int(std::ceil(source.width()))), int(std::ceil(source.height())));
        QGraphicsScene* s = scene.get();
        fig.paintContent = [s, source, fig](QCPPainter* p) {
            const double x = (fig.contentSize.width() - source.width()) / 2;
            s->render(p, QRectF(QPointF(x, 0), source.size()), source);
        };
        fig.dark = false;  // the tree's node colours are designed for a light background
    }
    fig.caption = wrapCaption(fig.caption, fig.contentSize.width() - 2 * kCaptionPad);
    m_lastSize = fig.size();
    m_lastPoints = QSizeF(m_lastSize) * 72.0 / m_baseDpi;
    const QString error = writeFigureFile(fig, suffix, path, m_baseDpi, m_dpi,
                                          QStringLiteral("AttrScope %1").arg(figureKindName(kind)));
    return error.isEmpty() ? true : fail(error);
}

}  // namespace attrscope::ui
