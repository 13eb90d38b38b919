#pragma once
// Drawing an AttributionTree with Graphviz `dot`: a layout in plain structs for the UI, the DOT
// text, and file exports. No Graphviz types leak out of this header.
//
// Drawing conventions: node label `token(position)` (e.g. `know(6)` for position index 5, drawn
// from 1 like the layers; the layout's labels keep the 0-based index); the root is highlighted;
// an edge points from the query (parent) to the key (child), is labelled with its layer shown
// 1-based (`L3` is layer index 2) and its pen width grows with its weight. layerBase 0 numbers
// layers and positions from 0 instead. An empty tree draws
// as one note node, "empty tree: lower the threshold".

#include <string>
#include <utility>
#include <vector>

#include "attrscope/status.h"
#include "attrscope/tree/attribution_tree.h"

namespace attrscope {

// Coordinates are in points (1/72 inch) with the origin at the top-left corner of the drawing
// and y growing DOWN, so a QGraphicsScene can use them as they are. The drawing spans
// [0, width] x [0, height].
struct TreeLayout {
    struct Node {
        int token = -1;                // token position; -1 for the "empty tree" note
        std::string label;             // e.g. "know(5)"
        double x = 0, y = 0;           // centre
        double width = 0, height = 0;  // full size of the node's box
        bool isRoot = false;
    };
    struct Edge {
        int parent = -1, child = -1;  // token positions (query -> key)
        int layer = -1;               // 0-based, as in TreeEdge (drawn as "L<layer+1>")
        float weight = 0.0f;
        // Graphviz's spline as a piecewise cubic Bezier, 1 + 3k points (k >= 1), from the
        // parent's border to the arrowhead: moveTo(points[0]), then cubicTo(points[i],
        // points[i + 1], points[i + 2]) for i = 1, 4, 7, ...
        std::vector<std::pair<double, double>> points;
        // The arrowhead runs from points.back() to arrowTip (the child's border) when hasArrowTip.
        bool hasArrowTip = false;
        std::pair<double, double> arrowTip{0.0, 0.0};
        std::string label;              // "L3"
        double labelX = 0, labelY = 0;  // centre of the label
    };
    double width = 0, height = 0;
    // The labels' size: node 13 pt and edge 11 pt × fontScale (presentation mode enlarges it).
    double fontScale = 1.0;
    std::vector<Node> nodes;
    std::vector<Edge> edges;  // same order as AttributionTree::edges
};

// Lays the tree out with `dot` (the same drawing as the exports, without the title/legend
// caption, so the box is tight around the tree). `tokens` must have one entry per position.
// fontScale multiplies the label fonts (boxes grow with them; the gaps between them do not).
Expected<TreeLayout> layoutTree(const AttributionTree& tree, const std::vector<std::string>& tokens,
                                double fontScale = 1.0);

// The DOT source of the drawing (what the exports render). Needs no Graphviz at run time.
// layerBase: edge labels read L1 … and node positions count from 1 (1, the paper's numbering),
// or L0 … and positions from 0 (0); the caption says which.
std::string treeToDot(const AttributionTree& tree, const std::vector<std::string>& tokens,
                      const std::string& title = "", int layerBase = 1);

// Writes the tree to `path`; the format comes from the extension (case-insensitive):
// .dot or .gv (DOT source), .svg, .pdf, .png (rendered with Graphviz/cairo), .json (the golden
// tree_AXX.json keys: root, edges [query, key, layer], heights, node_state, plus nodes, tokens,
// weights, tau, num_layers, diagnostics.root_scores). The file is written to a temporary file
// in the same folder and renamed into place, so a failed export leaves no partial file.
// layerBase as in treeToDot (drawings only; the JSON keeps 0-based layer indices as the golden).
// The tree as JSON: the golden tree_AXX.json keys (root, edges [query, key, layer], heights,
// node_state) plus tokens, weights, nodes, tau, num_layers and the title (when given). The one
// serialiser: `attrscope-cli tree` on stdout and every .json export use it.
std::string treeToJson(const AttributionTree& tree, const std::vector<std::string>& tokens,
                       const std::string& title = "");

Status exportTree(const AttributionTree& tree, const std::vector<std::string>& tokens,
                  const std::string& path, const std::string& title = "", int layerBase = 1);

}  // namespace attrscope
