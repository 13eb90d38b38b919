#include "export/figure_exporter.h"

#include <QFileInfo>
#include <QGraphicsScene>
#include <QPainter>
#include <QWidget>
#include <algorithm>
#include <cmath>

#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "document/analysis_document.h"
#include "export/figure_support.h"
#include "export/heatmap_panels.h"
#include "export/saliency_export.h"
#include "export/view_panels.h"
#include "figure/bar_figure.h"
#include "figure/grid_figure.h"
#include "figure/heatmap_figure.h"
#include "figure/vector_page.h"
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

    FigureOptions options = m_options;
    options.dpi = m_dpi;
    QStringList caption = figureCaption(*m_doc, kind, m_modelName, m_tau, m_overviewScale);
    const QString title = QStringLiteral("AttrScope %1").arg(figureKindName(kind));
    QString error;
    if (kind == FigureKind::HeatmapPair || kind == FigureKind::Attention ||
        kind == FigureKind::Attribution) {
        caption << QStringLiteral("rows: query i (attending), columns: key j (attended to)");
        const HeatmapFigure figure(heatmapPanels(*m_doc, kind, options.scale), caption, options);
        m_lastPoints = figure.size();
        error = figure.write(path, title);
    } else if (kind == FigureKind::HeadBars) {
        const BarFigure figure(headBarChart(*m_doc), caption, options);
        m_lastPoints = figure.size();
        error = figure.write(path, title);
    } else if (kind == FigureKind::OverviewAttention || kind == FigureKind::OverviewAttribution) {
        const GridFigure figure(
            overviewChart(*m_doc, kind == FigureKind::OverviewAttribution, m_overviewScale),
            caption, options);
        m_lastPoints = figure.size();
        error = figure.write(path, title);
    } else {
        auto tree = attrscope::buildAttributionTree(assembleAttribution(*m_doc), m_tau);
        if (!tree)
            return fail(QString::fromStdString(tree.error()));
        auto layout = attrscope::layoutTree(tree.value(), m_doc->encoding().tokens);
        if (!layout)
            return fail(QString::fromStdString(layout.error()));
        caption.insert(1, QStringLiteral("arrows point from query to key, labelled with their "
                                         "layer; nodes: token(position)"));
        error = writeTreeFigure(path, layout.value(), caption, options, &m_lastPoints);
    }
    m_lastSize = QSize(int(std::lround(m_lastPoints.width() * m_baseDpi / 72.0)),
                       int(std::lround(m_lastPoints.height() * m_baseDpi / 72.0)));
    return error.isEmpty() ? true : fail(error);
}

QString FigureExporter::writeTreeFigure(const QString& path, const attrscope::TreeLayout& layout,
                                        const QStringList& caption, const FigureOptions& options,
                                        QSizeF* size) const {
    // Graphviz's layout drawn as vector paths and text (the tab's drawing, no title: the
    // caption says what it is), scaled so that node labels are at most the font size.
    const FigureTheme theme = FigureTheme::of(options.dark);
    QGraphicsScene scene;
    TreeView::drawLayout(&scene, layout, m_doc->conventions(), nullptr, nullptr, theme.background);
    const QRectF source = QRectF(0, 0, layout.width, layout.height).adjusted(-4, -4, 4, 4);
    const double margin = 0.5 * options.fontPt, small = std::max(3.0, 0.85 * options.fontPt);
    const double width = options.widthPt > 0
                             ? options.widthPt
                             : std::clamp(source.width() * options.fontPt / 13.0 + 2 * margin,
                                          kSingleColumnPt, kDoubleColumnPt);
    const double scale =
        std::min(options.fontPt / 13.0, (width - 2 * margin) / std::max(1.0, source.width()));
    const QFont captionFont = figureFont(small);
    QStringList lines;
    if (options.caption)
        for (const QString& line : caption)
            lines << wrapText(line, captionFont, width - 2 * margin);
    const double treeHeight = source.height() * scale;
    double height = margin + treeHeight + margin;
    if (!lines.isEmpty())
        height += 0.4 * options.fontPt + lines.size() * lineHeight(captionFont);
    *size = QSizeF(width, std::ceil(height));
    return writeVectorPage(
        path, *size, options.dpi, QStringLiteral("AttrScope tree"), caption.join('\n'),
        [&](QPainter* p) {
            p->fillRect(QRectF(QPointF(0, 0), *size), theme.background);
            const double w = source.width() * scale;
            scene.render(p, QRectF((width - w) / 2, margin, w, treeHeight), source);
            p->setFont(captionFont);
            p->setPen(theme.muted);
            double y = margin + treeHeight + 0.4 * options.fontPt;
            for (const QString& line : lines) {
                drawFigureText(p, QPointF(margin, y + fontAscent(captionFont)), line);
                y += lineHeight(captionFont);
            }
        });
}

}  // namespace attrscope::ui
