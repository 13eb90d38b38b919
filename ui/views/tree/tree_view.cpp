#include "views/tree/tree_view.h"

#include <QFileDialog>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainterPathStroker>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "document/analysis_document.h"
#include "views/labels.h"  // tokenWithPosition
#include "views/tree/tree_graphics_view.h"

namespace attrscope::ui {

namespace {
constexpr int kPenKey = 2;  // item->data(kPenKey): the pen to restore after selection

// The same per-layer colours and widths as the core's DOT export, so exports match the screen.
QColor layerColour(int layer) {
    static const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                          "#e6550d", "#17becf", "#8c564b", "#e377c2",
                                          "#636363", "#9c9ede", "#393b79", "#637939"};
    return QColor(palette[((layer % 12) + 12) % 12]);
}
double penWidth(float weight) {
    return 0.8 + 3.2 * std::clamp(double(weight), 0.0, 1.0);
}

// An edge is clickable along a band around its curve, not over the area its chord encloses.
class EdgeItem : public QGraphicsPathItem {
public:
    using QGraphicsPathItem::QGraphicsPathItem;
    QPainterPath shape() const override {
        QPainterPathStroker stroker;
        stroker.setWidth(std::max(8.0, pen().widthF() + 6.0));
        return stroker.createStroke(path());
    }
};

QGraphicsSimpleTextItem* centredText(const QString& text, double pixelSize, const QPointF& centre,
                                     QGraphicsItem* parent) {
    auto* item = new QGraphicsSimpleTextItem(text, parent);
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(int(std::lround(pixelSize)));  // scene units are Graphviz points
    item->setFont(f);
    const QRectF r = item->boundingRect();
    item->setPos(centre - QPointF(r.width() / 2, r.height() / 2));
    return item;
}
}  // namespace

TreeView::TreeView(AnalysisDocument* document, QWidget* parent) : QWidget(parent), m_doc(document) {
    m_oneBased = m_doc->conventions().oneBased;
    m_builder = new TreeBuilder(this);
    m_scene = new QGraphicsScene(this);
    m_view = new TreeGraphicsView(this);
    m_view->setScene(m_scene);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(1, 99);
    m_slider->setValue(40);
    m_slider->setMaximumWidth(320);
    m_slider->setToolTip(
        tr("Threshold \u03c4 on the per-layer normalised attribution: an edge "
           "appears when its value reaches \u03c4 (the paper uses 0.4)"));
    m_tauLabel = new QLabel(this);
    m_tauLabel->setMinimumWidth(m_tauLabel->fontMetrics().horizontalAdvance("\u03c4 = 0.00  "));
    m_fit = new QToolButton(this);
    m_fit->setText(tr("Fit"));
    m_export = new QToolButton(this);
    m_export->setText(tr("Export\u2026"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Figure (SVG, PDF, PNG)\u2026"), this,
                          &TreeView::figureExportRequested);
    exportMenu->addAction(tr("Graphviz DOT or JSON\u2026"), this, &TreeView::exportTree);
    m_export->setMenu(exportMenu);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Threshold"), this));
    bar->addWidget(m_slider, 1);
    bar->addWidget(m_tauLabel);
    bar->addStretch(1);
    bar->addWidget(m_fit);
    bar->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(40);
    connect(m_debounce, &QTimer::timeout, this, &TreeView::requestBuild);
    connect(m_slider, &QSlider::valueChanged, this, [this] {
        m_tauLabel->setText(QStringLiteral("\u03c4 = %1").arg(threshold(), 0, 'f', 2));
        m_debounce->start();
    });
    connect(m_fit, &QToolButton::clicked, m_view, &TreeGraphicsView::fitAll);
    connect(m_builder, &TreeBuilder::built, this, &TreeView::onBuilt);
    connect(m_view, &TreeGraphicsView::nodeClicked, this, &TreeView::clickNode);
    connect(m_view, &TreeGraphicsView::edgeClicked, this, &TreeView::clickEdge);
    connect(m_view, &TreeGraphicsView::itemActivated, this, &TreeView::showInHeatmaps);
    connect(m_view, &TreeGraphicsView::backgroundClicked, this, [this] {
        markSelected(nullptr);
        m_doc->setHighlight({});
    });

    connect(m_doc, &AnalysisDocument::analysisReset, this, &TreeView::onAttributionChanged);
    connect(m_doc, &AnalysisDocument::modelChanged, this, &TreeView::onAttributionChanged);
    connect(m_doc, &AnalysisDocument::layerAdded, this, &TreeView::onAttributionChanged);
    connect(m_doc, &AnalysisDocument::resultChanged, this, &TreeView::onAttributionChanged);
    connect(m_doc, &AnalysisDocument::runningChanged, this, &TreeView::onAttributionChanged);
    // The label base lives in the edge labels, tooltips and the message: redraw what is built
    // (only then, so other convention changes keep the zoom).
    connect(m_doc, &AnalysisDocument::conventionsChanged, this, [this] {
        const bool oneBased = m_doc->conventions().oneBased;
        if (oneBased == m_oneBased)
            return;
        m_oneBased = oneBased;
        if (m_build)
            onBuilt(m_build);
    });
    m_tauLabel->setText(QStringLiteral("\u03c4 = %1").arg(threshold(), 0, 'f', 2));
    onAttributionChanged();
}

double TreeView::threshold() const {
    return m_slider->value() / 100.0;
}

void TreeView::setThreshold(double tau) {
    m_slider->setValue(int(std::lround(tau * 100.0)));
}

QString TreeView::message() const {
    return m_message->text();
}

// The tree needs every layer: it is built once the last one has arrived.
void TreeView::onAttributionChanged() {
    const int layers = m_doc->numLayers();
    const int received = m_doc->hasInput() ? m_doc->layersReceived() : 0;
    if (!m_doc->hasInput() || received < layers || layers < 2) {
        const bool hadTree = m_layers != nullptr;
        m_layers.reset();
        m_builder->invalidate();
        if (hadTree || m_build) {
            m_build.reset();
            clearScene();
        }
        if (!m_doc->hasInput())
            m_message->setText(tr("Run attribution on all layers to build the tree."));
        else if (layers < 2)
            m_message->setText(tr("The tree needs a model with at least two layers."));
        else
            m_message->setText(
                m_doc->isRunning()
                    ? tr("The tree needs every layer: %1 of %2 computed so far\u2026")
                          .arg(received)
                          .arg(layers)
                    : tr("The tree needs every layer: %1 of %2 computed. Run attribution with "
                         "\u201cAll layers\u201d.")
                          .arg(received)
                          .arg(layers));
        return;
    }
    if (m_layers)
        return;  // already built for this input
    m_layers = m_doc->layers();
    m_tokens = m_doc->encoding().tokens;
    requestBuild();
}

void TreeView::requestBuild() {
    if (!m_layers)
        return;
    m_message->setText(tr("Building the tree\u2026"));
    m_builder->request(m_layers, m_tokens, threshold(), m_fontScale);
}

void TreeView::setFontScale(double scale) {
    if (scale == m_fontScale)
        return;
    m_fontScale = scale;
    // Small trees are fitted at most at 1.6×; larger labels may be blown up as much more.
    m_view->setMaxFitZoom(1.6 * scale);
    requestBuild();
}

void TreeView::onBuilt(TreeBuildPtr build) {
    // Moving τ across no interaction's value gives the same tree: say so, or the slider
    // looks broken.
    const TreeBuildPtr previous = m_build;
    const bool unchanged =
        previous && previous != build && previous->error.isEmpty() && build->error.isEmpty() &&
        !build->tree.empty() && std::abs(previous->threshold - build->threshold) > 1e-9 &&
        previous->tree.root == build->tree.root &&
        previous->tree.edges.size() == build->tree.edges.size() &&
        std::equal(previous->tree.edges.begin(), previous->tree.edges.end(),
                   build->tree.edges.begin(), [](const auto& a, const auto& b) {
                       return a.parent == b.parent && a.child == b.child && a.layer == b.layer;
                   });
    m_build = build;
    draw();
    if (!build->error.isEmpty()) {
        m_message->setText(tr("Could not build the tree: %1").arg(build->error));
    } else if (build->tree.empty()) {
        m_message->setText(tr("<b>Empty tree:</b> no interaction reaches \u03c4 = %1. Lower the "
                              "threshold to see one.")
                               .arg(build->threshold, 0, 'f', 2));
    } else {
        const int root = build->tree.root;
        const ViewConventions& c = m_doc->conventions();
        const QString same =
            unchanged ? tr("<b>Same tree as at \u03c4 = %1:</b> no interaction lies between the "
                           "two thresholds. ")
                            .arg(previous->threshold, 0, 'f', 2)
                      : QString();
        m_message->setText(
            same +
            tr("Root %1 \u00b7 %2 edges \u00b7 \u03c4 = %3 \u00b7 arrows point from query to key, "
               "labelled with their layer (%4 is the first; positions from %5). Click a node or "
               "edge to mark it in the heatmaps (double-click opens them); wheel zooms, drag "
               "pans.")
                .arg(nodeLabel(m_tokens, root, c))
                .arg(build->tree.edges.size())
                .arg(build->threshold, 0, 'f', 2)
                .arg(c.layerLabel(0))
                .arg(c.oneBased ? 1 : 0));
    }
    Q_EMIT treeUpdated();
}

void TreeView::clearScene() {
    m_selected = nullptr;
    m_nodeItems.clear();
    m_edgeItems.clear();
    m_scene->clear();
}

void TreeView::draw() {
    clearScene();
    if (!m_build || !m_build->error.isEmpty())
        return;
    drawLayout(m_scene, m_build->layout, m_doc->conventions(), &m_nodeItems, &m_edgeItems);
    m_scene->setSceneRect(
        QRectF(0, 0, m_build->layout.width, m_build->layout.height).adjusted(-40, -40, 40, 40));
    m_view->fitAll();
}

QString TreeView::nodeLabel(const std::vector<std::string>& tokens, int position,
                            const ViewConventions& conventions) {
    const QString token = position >= 0 && position < int(tokens.size())
                              ? QString::fromStdString(tokens[size_t(position)])
                              : QString();
    return tokenWithPosition(token, position + (conventions.oneBased ? 1 : 0));
}

void TreeView::drawLayout(QGraphicsScene* scene, const attrscope::TreeLayout& layout,
                          const ViewConventions& conventions, QVector<QGraphicsItem*>* nodeItems,
                          QVector<QGraphicsItem*>* edgeItems, const QColor& background) {
    for (int k = 0; k < int(layout.edges.size()); ++k) {
        const auto& e = layout.edges[size_t(k)];
        if (e.points.size() < 2)
            continue;
        QPainterPath path(QPointF(e.points[0].first, e.points[0].second));
        size_t p = 1;
        for (; p + 2 < e.points.size(); p += 3) {
            path.cubicTo(QPointF(e.points[p].first, e.points[p].second),
                         QPointF(e.points[p + 1].first, e.points[p + 1].second),
                         QPointF(e.points[p + 2].first, e.points[p + 2].second));
        }
        for (; p < e.points.size(); ++p)
            path.lineTo(e.points[p].first, e.points[p].second);
        const QColor colour = layerColour(e.layer);
        QPen pen(colour, penWidth(e.weight), Qt::SolidLine, Qt::RoundCap);
        auto* item = new EdgeItem(path);
        item->setPen(pen);
        item->setData(TreeGraphicsView::kRoleKey, int(TreeGraphicsView::EdgeRole));
        item->setData(TreeGraphicsView::kIndexKey, k);
        item->setData(kPenKey, pen);
        const int base = conventions.oneBased ? 1 : 0;
        item->setToolTip(tr("%1: position %2 reads %3, normalised attribution %4")
                             .arg(conventions.layerLabel(e.layer))
                             .arg(e.parent + base)
                             .arg(e.child + base)
                             .arg(double(e.weight), 0, 'f', 3));
        if (e.hasArrowTip) {
            const QPointF base(e.points.back().first, e.points.back().second);
            const QPointF tip(e.arrowTip.first, e.arrowTip.second);
            const QPointF d = tip - base;
            const double len = std::hypot(d.x(), d.y());
            if (len > 0.1) {
                const QPointF n(-d.y() / len, d.x() / len);
                const double half = std::max(3.0, len * 0.4);
                auto* arrow = new QGraphicsPolygonItem(
                    QPolygonF({tip, base + n * half, base - n * half}), item);
                arrow->setPen(Qt::NoPen);
                arrow->setBrush(colour);
            }
        }
        scene->addItem(item);
        // The label above all edges (z 0.5; nodes are at 1) on a halo; clicking it is clicking
        // its edge.
        auto* label = centredText(conventions.layerLabel(e.layer), 11 * layout.fontScale,
                                  QPointF(e.labelX, e.labelY), nullptr);
        label->setBrush(colour);
        QPainterPath halo;
        halo.addRoundedRect(label->sceneBoundingRect().adjusted(-1.5, -0.5, 1.5, 0.5), 3, 3);
        auto* back = new QGraphicsPathItem(halo);
        back->setPen(Qt::NoPen);
        QColor fill = background;
        fill.setAlpha(225);
        back->setBrush(fill);
        back->setZValue(0.5);
        back->setData(TreeGraphicsView::kRoleKey, int(TreeGraphicsView::EdgeRole));
        back->setData(TreeGraphicsView::kIndexKey, k);
        back->setToolTip(item->toolTip());
        label->setPos(label->pos() - back->pos());
        label->setParentItem(back);
        scene->addItem(back);
        if (edgeItems)
            *edgeItems << item;
    }
    for (int k = 0; k < int(layout.nodes.size()); ++k) {
        const auto& node = layout.nodes[size_t(k)];
        const QRectF box(node.x - node.width / 2, node.y - node.height / 2, node.width,
                         node.height);
        QPainterPath shape;
        shape.addRoundedRect(box, 6, 6);
        auto* item = new QGraphicsPathItem(shape);
        const bool note = node.token < 0;
        QPen pen(note          ? QColor("#8a7a3d")
                 : node.isRoot ? QColor("#c05600")
                               : QColor("#4a6fa5"),
                 node.isRoot ? 2.4 : 1.2);
        item->setPen(pen);
        item->setBrush(note          ? QColor("#fff8dc")
                       : node.isRoot ? QColor("#ffe0b2")
                                     : QColor("#eef3fb"));
        item->setZValue(1);
        if (!note) {
            item->setData(TreeGraphicsView::kRoleKey, int(TreeGraphicsView::NodeRole));
            item->setData(TreeGraphicsView::kIndexKey, k);
            item->setData(kPenKey, pen);
            const int position = node.token + (conventions.oneBased ? 1 : 0);
            item->setToolTip(node.isRoot ? tr("root: the token that gathers the most attribution")
                                         : tr("token at position %1 (from %2)")
                                               .arg(position)
                                               .arg(conventions.oneBased ? 1 : 0));
        }
        const QString text =
            note ? QString::fromStdString(node.label)
                 : tokenWithPosition(
                       QString::fromStdString(node.label).section(QLatin1Char('('), 0, -2),
                       node.token + (conventions.oneBased ? 1 : 0));
        centredText(text, 13 * layout.fontScale, box.center(), item);
        scene->addItem(item);
        if (!note && nodeItems)
            *nodeItems << item;
    }
}

void TreeView::markSelected(QGraphicsItem* item) {
    auto restore = [](QGraphicsItem* it) {
        if (auto* shape = dynamic_cast<QAbstractGraphicsShapeItem*>(it))
            shape->setPen(it->data(kPenKey).value<QPen>());
    };
    if (m_selected)
        restore(m_selected);
    m_selected = item;
    if (auto* shape = dynamic_cast<QAbstractGraphicsShapeItem*>(item)) {
        QPen pen = shape->pen();
        pen.setColor(QColor(230, 0, 200));
        pen.setWidthF(pen.widthF() + 1.5);
        shape->setPen(pen);
    }
}

void TreeView::clickNode(int index) {
    if (!m_build || index < 0 || index >= int(m_build->layout.nodes.size()))
        return;
    const int token = m_build->layout.nodes[size_t(index)].token;
    for (QGraphicsItem* item : m_nodeItems)
        if (item->data(TreeGraphicsView::kIndexKey).toInt() == index)
            markSelected(item);
    AnalysisDocument::Highlight h;
    if (token >= 0)
        h.tokens = {token};
    m_doc->setHighlight(h);
}

void TreeView::clickEdge(int index) {
    if (!m_build || index < 0 || index >= int(m_build->layout.edges.size()))
        return;
    const auto& e = m_build->layout.edges[size_t(index)];
    for (QGraphicsItem* item : m_edgeItems)
        if (item->data(TreeGraphicsView::kIndexKey).toInt() == index)
            markSelected(item);
    // The tree sums the heads, so show the edge's layer with Σ heads and outline its cell.
    m_doc->setSelection(e.layer, AnalysisDocument::kSumOfHeads);
    AnalysisDocument::Highlight h;
    h.tokens = {e.parent, e.child};
    h.cells = {QPoint(e.child, e.parent)};
    h.layer = e.layer;
    m_doc->setHighlight(h);
}

void TreeView::exportTree() {
    if (!m_build || !m_build->error.isEmpty())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the attribution tree"),
                                                      QStringLiteral("attribution_tree.dot"),
                                                      tr("Graphviz DOT (*.dot);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    // No title burned in: figures go through figureExportRequested (caption option).
    const auto status = attrscope::exportTree(m_build->tree, m_tokens, path.toStdString(),
                                              std::string(), m_doc->conventions().oneBased ? 1 : 0);
    if (!status)
        m_message->setText(QString::fromStdString(status.message()));
}

}  // namespace attrscope::ui
