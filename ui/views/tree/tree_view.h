#pragma once
// The attribution tree tab: the core's tree (buildAttributionTree) laid out by Graphviz
// (layoutTree) and drawn in a zoomable, pannable scene. The τ slider rebuilds it live (in the
// background). Clicking a node highlights its token in the heatmaps; clicking an edge selects
// its layer (Σ heads, what the tree is built from) and outlines its cell; a double click opens
// the heatmaps.

#include <QVector>
#include <QWidget>
#include <memory>

#include "document/conventions.h"
#include "views/tree/tree_builder.h"

class QGraphicsItem;
class QGraphicsScene;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace attrscope::ui {

class AnalysisDocument;
class TreeGraphicsView;

class TreeView : public QWidget {
    Q_OBJECT
public:
    explicit TreeView(AnalysisDocument* document, QWidget* parent = nullptr);

    double threshold() const;
    void setThreshold(double tau);  // moves the slider; the tree follows
    QSlider* thresholdSlider() const { return m_slider; }
    // Presentation mode: node and edge labels ×scale (the tree is laid out again for them).
    void setFontScale(double scale);
    double fontScale() const { return m_fontScale; }

    // The tree on screen (null before the first build).
    TreeBuildPtr currentBuild() const { return m_build; }
    QGraphicsScene* scene() const { return m_scene; }
    TreeGraphicsView* view() const { return m_view; }
    int nodeItemCount() const { return m_nodeItems.size(); }
    int edgeItemCount() const { return m_edgeItems.size(); }
    QString message() const;

    // What a click on the index-th layout node / edge does.
    void clickNode(int index);
    void clickEdge(int index);

    // Adds the drawing of a layout to `scene` (the tab and figure exports share it); the node
    // and edge items are appended to the lists when given. Edge labels (layers) and node labels
    // (token positions) follow the conventions' one label base. Edge labels sit above every
    // edge on a halo of `background`, so no edge crosses them.
    static void drawLayout(QGraphicsScene* scene, const attrscope::TreeLayout& layout,
                           const ViewConventions& conventions,
                           QVector<QGraphicsItem*>* nodeItems = nullptr,
                           QVector<QGraphicsItem*>* edgeItems = nullptr,
                           const QColor& background = Qt::white);
    // "know(6)": a node's label with its position in the conventions' base.
    static QString nodeLabel(const std::vector<std::string>& tokens, int position,
                             const ViewConventions& conventions);

Q_SIGNALS:
    void treeUpdated();
    void showInHeatmaps();
    // Export… › Figure: the window draws it with the paper-figure options (File › Export figure).
    void figureExportRequested();

private:
    void onAttributionChanged();
    void requestBuild();
    void onBuilt(TreeBuildPtr build);
    void draw();
    void clearScene();
    void markSelected(QGraphicsItem* item);
    void exportTree();

    AnalysisDocument* m_doc;
    TreeBuilder* m_builder;
    TreeGraphicsView* m_view;
    QGraphicsScene* m_scene;
    QSlider* m_slider;
    QLabel* m_tauLabel;
    QLabel* m_message;
    QToolButton* m_fit;
    QToolButton* m_export;
    QTimer* m_debounce;
    std::shared_ptr<const std::vector<LayerPtr>> m_layers;  // every layer, once all arrived
    std::vector<std::string> m_tokens;
    TreeBuildPtr m_build;
    QVector<QGraphicsItem*> m_nodeItems;
    QVector<QGraphicsItem*> m_edgeItems;
    QGraphicsItem* m_selected = nullptr;
    bool m_oneBased = true;  // the label base the scene was drawn with
    double m_fontScale = 1.0;
};

}  // namespace attrscope::ui
