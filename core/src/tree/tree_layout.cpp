#include "attrscope/tree/tree_layout.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "graphviz_context.h"
#include "io/file_util.h"

namespace attrscope {

namespace {

namespace fs = std::filesystem;

const char* const kFont = "DejaVu Sans";
const char* const kEmptyNote = "empty tree: lower the threshold";

// Locale-independent number text: DOT must never see "2,5" under a comma locale.
std::string num(double v, int decimals = 2) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    std::string s(buf, res.ptr);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
    }
    return s;
}

// Text inside a DOT "quoted string" used as a plain label: `\` and `"` are escaped, `&` becomes
// an entity (Graphviz decodes entities in plain labels), control characters become spaces.
std::string dotQuote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '&') {
            out += "&amp;";
        } else if (u < 0x20 || u == 0x7f) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string htmlEscape(const std::string& text) {
    std::string out;
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else if (u < 0x20 || u == 0x7f)
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string tokenAt(const std::vector<std::string>& tokens, int position) {
    if (position >= 0 && static_cast<size_t>(position) < tokens.size())
        return tokens[position];
    return "?";
}

// base: the position as drawn, numbered from 0 (the layout's) or from 1 like the layers.
std::string nodeLabel(const std::vector<std::string>& tokens, int position, int base = 0) {
    return tokenAt(tokens, position) + "(" + std::to_string(position + base) + ")";
}

// layerBase: 1 for L1 … L_L (the paper's numbering), 0 for L0 … (code indices).
std::string layerLabel(int layer, int layerBase = 1) {
    return "L" + std::to_string(layer + layerBase);
}

// One colour per layer (cycled), dark enough for white backgrounds and distinct in print.
const char* layerColour(int layer) {
    static const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                          "#e6550d", "#17becf", "#8c564b", "#e377c2",
                                          "#636363", "#9c9ede", "#393b79", "#637939"};
    const int count = static_cast<int>(sizeof palette / sizeof palette[0]);
    return palette[((layer % count) + count) % count];
}

// Pen width grows with the normalised attribution (weights above the threshold lie in (tau, 1]).
double penWidth(float weight) {
    const double w = std::clamp(static_cast<double>(weight), 0.0, 1.0);
    return 0.8 + 3.2 * w;
}

bool inRange(const AttributionTree& tree, int position) {
    return position >= 0 && position < tree.numTokens;
}

// Is the tree's own data consistent enough to draw?
Status checkInputs(const AttributionTree& tree, const std::vector<std::string>& tokens) {
    if (tree.numTokens < 0 || tree.heights.size() != static_cast<size_t>(tree.numTokens) ||
        tree.nodeState.size() != static_cast<size_t>(tree.numTokens))
        return Status::error("tree drawing: the tree's data is inconsistent (token count)");
    if (tokens.size() != static_cast<size_t>(tree.numTokens))
        return Status::error("tree drawing: the tree has " + std::to_string(tree.numTokens) +
                             " positions but " + std::to_string(tokens.size()) +
                             " tokens were given");
    if (!tree.empty() && !inRange(tree, tree.root))
        return Status::error("tree drawing: the tree's root is out of range");
    for (const TreeEdge& e : tree.edges) {
        if (!inRange(tree, e.parent) || !inRange(tree, e.child))
            return Status::error("tree drawing: the tree has an edge outside its token range");
    }
    return Status::success();
}

std::string caption(const AttributionTree& tree, const std::vector<std::string>& tokens,
                    const std::string& title, int base) {
    std::string text;
    if (!title.empty())
        text += "<b>" + htmlEscape(title) + "</b><br/>";
    text += "<font point-size=\"10\">";
    if (!tree.empty())
        text += "root " + htmlEscape(nodeLabel(tokens, tree.root, base)) + " &#183; ";
    text += "&#964; = " + num(tree.threshold, 3) +
            " &#183; arrows: query &#8594; key &#183; Lk = layer k, token(position), numbered "
            "from " +
            std::to_string(base) +
            "</font>"
            "<br/><font point-size=\"6\"> </font>";  // breathing room above the root
    return "<" + text + ">";
}

// The DOT text; `withCaption` adds the title/legend graph label (exports only: the UI's layout
// has no use for it, and leaving it out keeps the bounding box tight around the tree).
std::string dotSource(const AttributionTree& tree, const std::vector<std::string>& tokens,
                      const std::string& title, bool withCaption, int layerBase = 1,
                      double fontScale = 1.0) {
    auto size = [&](double points) { return num(points * fontScale, 3); };
    std::string dot = "digraph attribution_tree {\n";
    dot += "  graph [fontname=\"" + std::string(kFont) + "\", fontsize=" + size(14) +
           ", rankdir=TB, ordering=out, nodesep=0.3, ranksep=0.5, pad=0.3, "
           "bgcolor=white";
    if (withCaption)
        dot += ", labelloc=t, labeljust=c, label=" + caption(tree, tokens, title, layerBase);
    dot += "];\n";
    dot += "  node [fontname=\"" + std::string(kFont) + "\", fontsize=" + size(13) +
           ", shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", "
           "color=\"#4a6fa5\", penwidth=1.2, margin=\"0.14,0.06\"];\n";
    dot += "  edge [fontname=\"" + std::string(kFont) + "\", fontsize=" + size(11) +
           ", arrowsize=0.8];\n";

    if (tree.empty()) {
        dot +=
            "  note [id=\"note\", shape=note, style=filled, fillcolor=\"#fff8dc\", "
            "color=\"#8a7a3d\", label=" +
            dotQuote(kEmptyNote) + "];\n";
        return dot + "}\n";
    }
    // The root and every edge end (the same as tree.nodes() for a tree built here).
    std::vector<int> nodes{tree.root};
    for (const TreeEdge& e : tree.edges) {
        nodes.push_back(e.parent);
        nodes.push_back(e.child);
    }
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    for (int position : nodes) {
        if (!inRange(tree, position))
            continue;
        const std::string id = "t" + std::to_string(position);
        dot += "  " + id + " [id=\"" + id +
               "\", label=" + dotQuote(nodeLabel(tokens, position, layerBase));
        if (position == tree.root) {
            dot += ", fillcolor=\"#ffe0b2\", color=\"#c05600\", penwidth=2.4, tooltip=" +
                   dotQuote("root: " + tokenAt(tokens, position) + " (position " +
                            std::to_string(position + layerBase) + ")");
        }
        dot += "];\n";
    }
    // With ordering=out, children appear left to right in the order their edges are written:
    // sentence order reads best. The id keeps the official edge index.
    std::vector<size_t> order(tree.edges.size());
    for (size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return tree.edges[a].child < tree.edges[b].child; });
    for (size_t k : order) {
        const TreeEdge& e = tree.edges[k];
        if (!inRange(tree, e.parent) || !inRange(tree, e.child))
            continue;
        const std::string colour = layerColour(e.layer);
        dot += "  t" + std::to_string(e.parent) + " -> t" + std::to_string(e.child) + " [id=\"e" +
               std::to_string(k) + "\", label=\"" + layerLabel(e.layer, layerBase) +
               "\", layer_index=" + std::to_string(e.layer) + ", color=\"" + colour +
               "\", fontcolor=\"" + colour + "\", penwidth=" + num(penWidth(e.weight)) +
               ", tooltip=" +
               dotQuote("layer " + std::to_string(e.layer + layerBase) + ": " +
                        nodeLabel(tokens, e.parent, layerBase) + " reads " +
                        nodeLabel(tokens, e.child, layerBase) + ", P = " + num(e.weight, 3)) +
               "];\n";
    }
    return dot + "}\n";
}

}  // namespace

std::string treeToDot(const AttributionTree& tree, const std::vector<std::string>& tokens,
                      const std::string& title, int layerBase) {
    return dotSource(tree, tokens, title, true, layerBase);
}

namespace {

using Point = std::pair<double, double>;

// Graphviz's y-up points → our y-down points with the origin at the drawing's top-left.
struct Flip {
    boxf bb;
    Point operator()(pointf p) const { return {p.x - bb.LL.x, bb.UR.y - p.y}; }
};

int idNumber(void* object, const char* prefix) {
    const char* id = agget(object, const_cast<char*>("id"));
    const size_t len = std::strlen(prefix);
    if (id == nullptr || std::strncmp(id, prefix, len) != 0)
        return -1;
    int value = -1;
    const char* end = id + std::strlen(id);
    auto res = std::from_chars(id + len, end, value);
    return (res.ec == std::errc() && res.ptr == end) ? value : -1;
}

TreeLayout extractLayout(Agraph_t* g, const AttributionTree& tree,
                         const std::vector<std::string>& tokens) {
    TreeLayout layout;
    const Flip flip{GD_bb(g)};
    layout.width = GD_bb(g).UR.x - GD_bb(g).LL.x;
    layout.height = GD_bb(g).UR.y - GD_bb(g).LL.y;
    for (Agnode_t* n = agfstnode(g); n != nullptr; n = agnxtnode(g, n)) {
        TreeLayout::Node node;
        node.token = idNumber(n, "t");
        node.label = node.token >= 0 ? nodeLabel(tokens, node.token) : std::string(kEmptyNote);
        const Point c = flip(ND_coord(n));
        node.x = c.first;
        node.y = c.second;
        node.width = ND_width(n) * 72.0;  // inches → points
        node.height = ND_height(n) * 72.0;
        node.isRoot = !tree.empty() && node.token == tree.root;
        layout.nodes.push_back(node);
    }
    std::sort(
        layout.nodes.begin(), layout.nodes.end(),
        [](const TreeLayout::Node& a, const TreeLayout::Node& b) { return a.token < b.token; });

    std::vector<TreeLayout::Edge> edges(tree.edges.size());
    for (size_t k = 0; k < tree.edges.size(); ++k) {
        const TreeEdge& e = tree.edges[k];
        edges[k].parent = e.parent;
        edges[k].child = e.child;
        edges[k].layer = e.layer;
        edges[k].weight = e.weight;
        edges[k].label = layerLabel(e.layer);
    }
    for (Agnode_t* n = agfstnode(g); n != nullptr; n = agnxtnode(g, n)) {
        for (Agedge_t* e = agfstout(g, n); e != nullptr; e = agnxtout(g, e)) {
            const int k = idNumber(e, "e");
            if (k < 0 || static_cast<size_t>(k) >= edges.size())
                continue;
            TreeLayout::Edge& out = edges[k];
            // dot routes each edge as a single Bezier (several only with `concentrate`).
            if (const splines* spl = ED_spl(e); spl != nullptr && spl->size > 0) {
                const bezier& bz = spl->list[0];
                for (int p = 0; p < bz.size; ++p)
                    out.points.push_back(flip(bz.list[p]));
                if (bz.eflag) {
                    out.hasArrowTip = true;
                    out.arrowTip = flip(bz.ep);
                }
            }
            if (out.points.size() < 4) {  // no spline routed: a straight cubic between centres
                const Point a = flip(ND_coord(agtail(e))), b = flip(ND_coord(aghead(e)));
                auto lerp = [&](double t) {
                    return Point{a.first + t * (b.first - a.first),
                                 a.second + t * (b.second - a.second)};
                };
                out.points = {a, lerp(1.0 / 3.0), lerp(2.0 / 3.0), b};
                out.hasArrowTip = false;
            }
            if (const textlabel_t* label = ED_label(e)) {
                const Point p = flip(label->pos);
                out.labelX = p.first;
                out.labelY = p.second;
            }
        }
    }
    layout.edges = std::move(edges);
    return layout;
}

// Lays out `dot` and hands the laid-out graph to `use`, all under the Graphviz lock.
Status withLayout(const std::string& dot, const char* dpi,
                  const std::function<Status(GraphvizContext::Session&, Agraph_t*)>& use) {
    return GraphvizContext::run([&](GraphvizContext::Session& session) -> Status {
        Agraph_t* g = session.parse(dot);
        if (g == nullptr)
            return Status::error("Graphviz could not read the tree drawing: " + session.messages());
        if (dpi != nullptr)
            agattr(g, AGRAPH, const_cast<char*>("dpi"), const_cast<char*>(dpi));
        if (gvLayout(session.gvc(), g, "dot") != 0) {
            const std::string why = session.messages();
            agclose(g);
            return Status::error(
                "Graphviz could not lay out the tree (is the 'dot' layout plugin "
                "installed, package libgvc6?): " +
                why);
        }
        Status status = use(session, g);
        gvFreeLayout(session.gvc(), g);
        agclose(g);
        return status;
    });
}

Expected<std::string> render(const std::string& dot, const char* format) {
    std::string bytes;
    const bool bitmap = std::strcmp(format, "png") == 0;
    Status status = withLayout(
        dot, bitmap ? "144" : nullptr, [&](GraphvizContext::Session& session, Agraph_t* g) {
            char* data = nullptr;
            unsigned int length = 0;
            if (gvRenderData(session.gvc(), g, format, &data, &length) != 0 || data == nullptr ||
                length == 0) {
                if (data != nullptr)
                    gvFreeRenderData(data);
                return Status::error(std::string("Graphviz could not render ") + format +
                                     " (are its cairo/pango plugins installed, package "
                                     "libgvc6?): " +
                                     session.messages());
            }
            bytes.assign(data, length);
            gvFreeRenderData(data);
            return Status::success();
        });
    if (!status.ok())
        return status;
    return bytes;
}

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

}  // namespace

std::string treeToJson(const AttributionTree& tree, const std::vector<std::string>& tokens,
                       const std::string& title) {
    nlohmann::json edges = nlohmann::json::array();
    nlohmann::json weights = nlohmann::json::array();
    for (const TreeEdge& e : tree.edges) {
        edges.push_back({e.parent, e.child, e.layer});
        weights.push_back(static_cast<double>(e.weight));
    }
    nlohmann::json j;
    if (!title.empty())
        j["title"] = title;
    j["tokens"] = tokens;
    j["root"] = tree.root;
    j["edges"] = edges;
    j["weights"] = weights;
    j["heights"] = tree.heights;
    j["node_state"] = tree.nodeState;
    j["nodes"] = tree.nodes();
    j["tau"] = tree.threshold;
    j["num_layers"] = tree.numLayers;
    j["diagnostics"] = {{"root_scores", tree.rootScores}};
    // Invalid UTF-8 in a token must not throw out of the core.
    return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Expected<TreeLayout> layoutTree(const AttributionTree& tree, const std::vector<std::string>& tokens,
                                double fontScale) {
    if (Status st = checkInputs(tree, tokens); !st.ok())
        return st;
    TreeLayout layout;
    Status status = withLayout(dotSource(tree, tokens, "", false, 1, fontScale), nullptr,
                               [&](GraphvizContext::Session&, Agraph_t* g) {
                                   layout = extractLayout(g, tree, tokens);
                                   return Status::success();
                               });
    layout.fontScale = fontScale;
    if (!status.ok())
        return status;
    return layout;
}

Status exportTree(const AttributionTree& tree, const std::vector<std::string>& tokens,
                  const std::string& path, const std::string& title, int layerBase) {
    const std::string ext = lowerExtension(path);
    const char* format = nullptr;
    if (ext == ".svg")
        format = "svg";
    else if (ext == ".pdf")
        format = "pdf";
    else if (ext == ".png")
        format = "png";
    else if (ext != ".dot" && ext != ".gv" && ext != ".json")
        return Status::error("cannot export the tree to '" + path + "': unknown file type '" + ext +
                             "' (use .svg, .png, .pdf, .dot or .json)");
    if (Status st = checkInputs(tree, tokens); !st.ok())
        return Status::error("cannot export the tree to '" + path + "': " + st.message());

    if (ext == ".json")
        return writeFileAtomically(path, treeToJson(tree, tokens, title));
    const std::string dot = treeToDot(tree, tokens, title, layerBase);
    if (format == nullptr)
        return writeFileAtomically(path, dot);
    Expected<std::string> bytes = render(dot, format);
    if (!bytes.ok())
        return Status::error("cannot export the tree to '" + path + "': " + bytes.error());
    return writeFileAtomically(path, *bytes);
}

}  // namespace attrscope
