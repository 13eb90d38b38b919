#include "export/figure_exporter.h"

#include <QFileInfo>
#include <QFontMetrics>
#include <QGraphicsScene>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>
#include <cmath>
#include <functional>
#include <memory>

#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "engine/analysis_document.h"
#include "export/figure_support.h"
#include "plot/qcustomplot_wrapper.h"
#include "views/bars/head_bars.h"
#include "views/heatmap/heatmap_plot.h"
#include "views/heatmap/linked_heatmaps.h"
#include "views/overview/overview_canvas.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

namespace {
constexpr int kCaptionLineHeight = 15;
constexpr int kCaptionPad = 8;

// Everything a figure draws: a content callback in [0, width] × [0, contentHeight] and the
// caption below it.
struct Figure {
    QSize contentSize;
    std::function<void(QCPPainter*)> paintContent;
    QStringList caption;
    bool dark = false;
    QSize size() const {
        return QSize(contentSize.width(),
                     contentSize.height() + kCaptionPad * 2 + kCaptionLineHeight * caption.size());
    }
};

QFont captionFont() {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(8.0);
    return f;
}

// Greedy word wrap, so that a narrow figure (a small tree) still shows the whole caption.
QStringList wrapLines(const QStringList& lines, int width) {
    const QFontMetrics fm(captionFont());
    QStringList out;
    for (const QString& line : lines) {
        QString current;
        for (const QString& word : line.split(QLatin1Char(' '))) {
            const QString next = current.isEmpty() ? word : current + QLatin1Char(' ') + word;
            if (!current.isEmpty() && fm.horizontalAdvance(next) > width) {
                out << current;
                current = word;
            } else {
                current = next;
            }
        }
        out << current;
    }
    return out;
}

void paintFigure(QCPPainter* p, const Figure& f) {
    const QSize size = f.size();
    p->fillRect(QRect(QPoint(0, 0), size), f.dark ? QColor(37, 37, 40) : QColor(Qt::white));
    p->save();
    f.paintContent(p);
    p->restore();
    p->setFont(captionFont());
    p->setPen(f.dark ? QColor(200, 200, 200) : QColor(60, 60, 60));
    const QFontMetrics fm(captionFont());
    int y = f.contentSize.height() + kCaptionPad;
    for (const QString& line : f.caption) {
        const QRect r(kCaptionPad, y, size.width() - 2 * kCaptionPad, kCaptionLineHeight);
        p->drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
                    fm.elidedText(line, Qt::ElideRight, r.width()));
        y += kCaptionLineHeight;
    }
}

void beginVector(QCPPainter* p) {
    p->setMode(QCPPainter::pmVectorized);
    p->setMode(QCPPainter::pmNoCaching);
    p->setRenderHint(QPainter::Antialiasing);
    p->setRenderHint(QPainter::TextAntialiasing);
}

// Writes the figure through a QSaveFile; returns an error message, empty on success.
QString writeFigureFile(const Figure& fig, const QString& suffix, const QString& path, int baseDpi,
                        int dpi, const QString& title) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    const QSize size = fig.size();
    bool painted = false;
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator gen;
        gen.setOutputDevice(&file);
        gen.setSize(size);
        gen.setViewBox(QRect(QPoint(0, 0), size));
        gen.setResolution(baseDpi);  // fonts were measured at the screen's DPI
        gen.setTitle(title);
        gen.setDescription(fig.caption.join(QLatin1Char('\n')));
        QCPPainter p;
        if (p.begin(&gen)) {
            beginVector(&p);
            paintFigure(&p, fig);
            painted = p.end();
        }
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter writer(&file);
        writer.setResolution(baseDpi);
        writer.setCreator(QStringLiteral("AttrScope"));
        writer.setTitle(title);
        // One logical pixel = 1/baseDpi inch, as on screen; the page is exactly the figure.
        const QSizeF points(size.width() * 72.0 / baseDpi, size.height() * 72.0 / baseDpi);
        writer.setPageLayout(
            QPageLayout(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch),
                        QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Point));
        QCPPainter p;
        if (p.begin(&writer)) {
            beginVector(&p);
            p.setWindow(QRect(QPoint(0, 0), size));
            p.setViewport(QRect(QPoint(0, 0), size));
            paintFigure(&p, fig);
            painted = p.end();
        }
    } else {
        const double scale = double(dpi) / baseDpi;
        QImage image(int(std::lround(size.width() * scale)),
                     int(std::lround(size.height() * scale)), QImage::Format_ARGB32_Premultiplied);
        if (image.isNull()) {
            file.cancelWriting();
            return QStringLiteral("The image is too large (%1 dpi)").arg(dpi);
        }
        const int baseDpm = int(std::lround(baseDpi / 0.0254));
        image.setDotsPerMeterX(baseDpm);  // text sized as on screen, then scaled
        image.setDotsPerMeterY(baseDpm);
        image.fill(Qt::white);
        QCPPainter p;
        if (p.begin(&image)) {
            p.setRenderHint(QPainter::Antialiasing);
            p.setRenderHint(QPainter::TextAntialiasing);
            p.scale(scale, scale);
            paintFigure(&p, fig);
            painted = p.end();
        }
        const int dpm = int(std::lround(dpi / 0.0254));
        image.setDotsPerMeterX(dpm);
        image.setDotsPerMeterY(dpm);
        painted = painted && image.save(&file, "PNG");
    }
    if (!painted) {
        file.cancelWriting();
        return QStringLiteral("Could not draw %1").arg(path);
    }
    if (!file.commit())
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}
}  // namespace

std::unique_ptr<QWidget> makeFigureHost(const QSize& size) {
    auto host = std::make_unique<QWidget>();
    host->setAttribute(Qt::WA_DontShowOnScreen);
    host->resize(size);
    return host;
}

void showFigureHost(QWidget* host, QWidget* child) {
    child->setGeometry(QRect(QPoint(0, 0), host->size()));
    host->show();  // activates layouts and delivers resize events synchronously
}

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
    }
    return QString();
}

std::optional<FigureKind> parseFigureKind(const QString& name) {
    for (FigureKind k : {FigureKind::HeatmapPair, FigureKind::Attention, FigureKind::Attribution,
                         FigureKind::HeadBars, FigureKind::OverviewAttention,
                         FigureKind::OverviewAttribution, FigureKind::Tree}) {
        if (figureKindName(k) == name)
            return k;
    }
    return std::nullopt;
}

QString writePaintedFigure(const QSize& contentSize, const std::function<void(QCPPainter*)>& paint,
                           const QStringList& caption, const QString& path, int dpi,
                           const QString& title, bool dark) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
        suffix != QLatin1String("png"))
        return QStringLiteral("%1: unknown figure format (use .svg, .pdf or .png)").arg(path);
    QWidget probe;  // text is measured at the screen's logical DPI, as in FigureExporter
    const int baseDpi = probe.logicalDpiX() > 0 ? probe.logicalDpiX() : 96;
    Figure fig;
    fig.contentSize = contentSize;
    fig.paintContent = paint;
    fig.dark = dark;
    fig.caption = wrapLines(caption, contentSize.width() - 2 * kCaptionPad);
    return writeFigureFile(fig, suffix, path, baseDpi, dpi, title);
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
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
        suffix != QLatin1String("png"))
        return fail(QStringLiteral("%1: unknown figure format (use .svg, .pdf or .png)").arg(path));
    if (!m_doc->hasInput())
        return fail(QStringLiteral("Nothing to export: run an attribution or open a session"));

    Figure fig;
    fig.dark = m_doc->conventions().theme == Theme::Dark;
    fig.caption = figureCaption(*m_doc, kind, m_modelName, m_tau, m_overviewScale);
    std::unique_ptr<QWidget> host;
    std::unique_ptr<QGraphicsScene> scene;

    if (kind == FigureKind::HeatmapPair || kind == FigureKind::Attention ||
        kind == FigureKind::Attribution) {
        const bool pair = kind == FigureKind::HeatmapPair;
        const int n = m_doc->displayAxis().size();
        const int side = std::clamp(380 + 14 * n, 520, 900);  // room for every token label
        host = makeFigureHost(QSize(pair ? 2 * side + 20 : side + 10, side + 40));
        auto* maps = new LinkedHeatmaps(m_doc, host.get());
        showFigureHost(host.get(), maps);
        QVector<HeatmapPlot*> plots;
        if (kind != FigureKind::Attribution)
            plots << maps->attentionPlot();
        if (kind != FigureKind::Attention)
            plots << maps->attributionPlot();
        if (kind == FigureKind::Attribution)
            maps->attentionPlot()->hide();
        QRect box;
        for (HeatmapPlot* plot : plots)
            box |= QRect(plot->plotWidget()->mapTo(maps, QPoint(0, 0)), plot->plotWidget()->size());
        fig.contentSize = box.size();
        fig.paintContent = [plots, maps, box](QCPPainter* p) {
            for (HeatmapPlot* plot : plots) {
                const QPoint at = plot->plotWidget()->mapTo(maps, QPoint(0, 0)) - box.topLeft();
                p->save();
                p->translate(at);
                plot->paintTo(p);
                p->restore();
            }
        };
    } else if (kind == FigureKind::HeadBars) {
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
    fig.caption = wrapLines(fig.caption, fig.contentSize.width() - 2 * kCaptionPad);
    m_lastSize = fig.size();
    const QString error = writeFigureFile(fig, suffix, path, m_baseDpi, m_dpi,
                                          QStringLiteral("AttrScope %1").arg(figureKindName(kind)));
    return error.isEmpty() ? true : fail(error);
}

}  // namespace attrscope::ui
