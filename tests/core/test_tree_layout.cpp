// Graphviz layout and exports of the attribution tree: geometry sanity, every file format,
// awkward token text, atomic writes and error paths, and concurrent callers.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "golden.h"

using namespace attrscope;

namespace {

struct Case {
    AttributionTree tree;
    std::vector<std::string> tokens;
};

Case goldenCase(const std::string& id, double threshold = 0.4) {
    const nlohmann::json j = golden::load(id + ".json");
    auto tree = buildAttributionTree(golden::toArray(j["attribution"]["left"]), threshold);
    if (!tree)
        qFatal("buildAttributionTree failed: %s", tree.error().c_str());
    return {std::move(tree).value(), j["tokens"].get<std::vector<std::string>>()};
}

// The layout's label (0-based position), or the drawn one (positions counted from `base`, like
// the layers: 1 by default).
std::string label(const Case& c, int position, int base = 0) {
    return c.tokens[position] + "(" + std::to_string(position + base) + ")";
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// All character data of an SVG; empty and `ok` false when it is not well-formed XML.
QString svgText(const QByteArray& svg, bool& ok) {
    QXmlStreamReader xml(svg);
    QString text;
    bool sawSvg = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
            sawSvg = true;
        if (xml.isCharacters())
            text += xml.text().toString() + "\n";
    }
    ok = !xml.hasError() && sawSvg;
    return text;
}

bool inside(double v, double hi) {
    return std::isfinite(v) && v >= -0.5 && v <= hi + 0.5;
}

}  // namespace

class TestTreeLayout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void layoutGolden_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<double>("threshold");
        for (const std::string& id : golden::inputIds()) {
            QTest::newRow((id + " tau 0.4").c_str()) << QString::fromStdString(id) << 0.4;
            QTest::newRow((id + " tau 0.15").c_str()) << QString::fromStdString(id) << 0.15;
        }
    }

    void layoutGolden() {
        QFETCH(QString, id);
        QFETCH(double, threshold);
        const Case c = goldenCase(id.toStdString(), threshold);
        auto layout = layoutTree(c.tree, c.tokens);
        QVERIFY2(layout.ok(), layout.error().c_str());
        QVERIFY(layout->width > 0 && layout->height > 0);

        if (c.tree.empty()) {
            QCOMPARE(layout->nodes.size(), size_t(1));
            QCOMPARE(layout->nodes[0].token, -1);
            QVERIFY(layout->edges.empty());
            return;
        }
        const std::vector<int> treeNodes = c.tree.nodes();
        QCOMPARE(layout->nodes.size(), treeNodes.size());
        for (size_t k = 0; k < treeNodes.size(); ++k) {
            const TreeLayout::Node& n = layout->nodes[k];  // sorted by token position
            QCOMPARE(n.token, treeNodes[k]);
            QCOMPARE(n.label, label(c, n.token));
            QCOMPARE(n.isRoot, n.token == c.tree.root);
            QVERIFY(n.width > 0 && n.height > 0);
            QVERIFY(inside(n.x - n.width / 2, layout->width));
            QVERIFY(inside(n.x + n.width / 2, layout->width));
            QVERIFY(inside(n.y - n.height / 2, layout->height));
            QVERIFY(inside(n.y + n.height / 2, layout->height));
        }
        auto nodeOf = [&](int token) -> const TreeLayout::Node& {
            for (const auto& n : layout->nodes)
                if (n.token == token)
                    return n;
            qFatal("no layout node for token %d", token);
        };

        QCOMPARE(layout->edges.size(), c.tree.edges.size());
        for (size_t k = 0; k < c.tree.edges.size(); ++k) {
            const TreeEdge& e = c.tree.edges[k];
            const TreeLayout::Edge& le = layout->edges[k];
            QCOMPARE(le.parent, e.parent);
            QCOMPARE(le.child, e.child);
            QCOMPARE(le.layer, e.layer);
            QCOMPARE(le.weight, e.weight);
            QCOMPARE(le.label, "L" + std::to_string(e.layer + 1));
            QVERIFY(le.points.size() >= 2);
            for (const auto& [x, y] : le.points) {
                QVERIFY(inside(x, layout->width));
                QVERIFY(inside(y, layout->height));
            }
            QVERIFY(inside(le.labelX, layout->width) && inside(le.labelY, layout->height));
            // y grows down and the tree hangs from the root: a parent sits above its child,
            // and the spline runs from the parent's side to the child's side.
            const auto& parent = nodeOf(e.parent);
            const auto& child = nodeOf(e.child);
            QVERIFY(parent.y < child.y);
            QVERIFY(le.points.front().second < le.points.back().second);
            QVERIFY(le.hasArrowTip);
            // The arrow ends on the child's (rounded) border.
            QVERIFY(std::fabs(le.arrowTip.first - child.x) <= child.width / 2 + 1.0);
            QVERIFY(std::fabs(le.arrowTip.second - child.y) <= child.height / 2 + 1.0);
            QVERIFY(le.arrowTip.second < child.y);
        }
    }

    void dotText() {
        const Case c = goldenCase("A04");
        const std::string dot = treeToDot(c.tree, c.tokens, "A04 \"quoted\" title");
        QVERIFY(dot.find("digraph") != std::string::npos);
        QVERIFY(dot.find("DejaVu Sans") != std::string::npos);
        for (int position : c.tree.nodes())
            QVERIFY(dot.find("\"" + label(c, position, 1) + "\"") != std::string::npos);
        for (const TreeEdge& e : c.tree.edges) {
            const std::string arrow =
                "t" + std::to_string(e.parent) + " -> t" + std::to_string(e.child);
            QVERIFY(dot.find(arrow) != std::string::npos);
            QVERIFY(dot.find("label=\"L" + std::to_string(e.layer + 1) + "\"") !=
                    std::string::npos);
        }
        // 0-based layer labels (the app's convention switch) shift every edge label by one.
        const std::string zero = treeToDot(c.tree, c.tokens, "", 0);
        for (int position : c.tree.nodes())  // positions too: one base for the drawing
            QVERIFY(zero.find("\"" + label(c, position) + "\"") != std::string::npos);
        for (const TreeEdge& e : c.tree.edges)
            QVERIFY(zero.find("label=\"L" + std::to_string(e.layer) + "\"") != std::string::npos);
        int top = 0;
        for (const TreeEdge& e : c.tree.edges)
            top = std::max(top, e.layer);
        QVERIFY(zero.find("label=\"L" + std::to_string(top + 1) + "\"") == std::string::npos);
        const Case empty = goldenCase("A11");
        QVERIFY(treeToDot(empty.tree, empty.tokens).find("empty tree: lower the threshold") !=
                std::string::npos);
    }

    void exportsAllFormats_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("A04") << "A04";
        QTest::newRow("A07") << "A07";
        QTest::newRow("A11 empty") << "A11";
    }

    void exportsAllFormats() {
        QFETCH(QString, id);
        const Case c = goldenCase(id.toStdString());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto path = [&](const char* ext) { return dir.filePath(id + ext); };
        for (const char* ext : {".svg", ".pdf", ".png", ".dot", ".json", ".PNG"}) {
            const Status st =
                exportTree(c.tree, c.tokens, path(ext).toStdString(), "golden " + id.toStdString());
            QVERIFY2(st.ok(), st.message().c_str());
        }

        bool ok = false;
        const QString text = svgText(readAll(path(".svg")), ok);
        QVERIFY2(ok, "the SVG is not well-formed XML");
        if (c.tree.empty()) {
            QVERIFY(text.contains("empty tree: lower the threshold"));
        } else {
            for (int position : c.tree.nodes())
                QVERIFY2(text.contains(QString::fromStdString(label(c, position, 1))),
                         label(c, position, 1).c_str());
            QVERIFY(text.contains("L" + QString::number(c.tree.edges[0].layer + 1)));
        }
        QVERIFY(text.contains("golden " + id));

        QVERIFY(readAll(path(".pdf")).startsWith("%PDF"));
        for (const char* ext : {".png", ".PNG"}) {
            const QByteArray png = readAll(path(ext));
            QVERIFY(png.size() > 1000);
            QVERIFY(png.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        }
        QVERIFY(readAll(path(".dot")).contains("digraph"));

        std::ifstream in(path(".json").toStdString());
        const nlohmann::json j = nlohmann::json::parse(in);
        const nlohmann::json expected = golden::load("tree_" + id.toStdString() + ".json");
        QCOMPARE(j["root"], expected["root"]);
        QCOMPARE(j["edges"], expected["edges"]);
        QCOMPARE(j["node_state"], expected["node_state"]);
        QCOMPARE(j["tokens"], expected["tokens"]);
        QCOMPARE(j["nodes"].get<std::vector<int>>(), c.tree.nodes());
        QCOMPARE(j["heights"].get<std::vector<double>>(), c.tree.heights);

        // Only the six exports: no temporary files left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 6);
    }

    // Quotes, backslashes, markup and non-ASCII must survive DOT and SVG unchanged.
    void awkwardTokens() {
        Case c = goldenCase("A04");
        const std::vector<std::string> odd = {"\"q\"", "back\\slash", "a&b", "<tag>",
                                              "café",  "\\N",         "x\ny"};
        const std::vector<int> nodes = c.tree.nodes();
        for (size_t k = 0; k < nodes.size(); ++k)
            c.tokens[nodes[k]] = odd[k % odd.size()];

        QTemporaryDir dir;
        const QString svgPath = dir.filePath("odd.svg");
        const Status st = exportTree(c.tree, c.tokens, svgPath.toStdString(), "<b>&</b>");
        QVERIFY2(st.ok(), st.message().c_str());
        bool ok = false;
        const QString text = svgText(readAll(svgPath), ok);
        QVERIFY(ok);
        for (int position : nodes) {
            std::string expected = label(c, position, 1);
            if (expected.find('\n') != std::string::npos)
                expected[expected.find('\n')] = ' ';
            QVERIFY2(text.contains(QString::fromStdString(expected)), expected.c_str());
        }
        QVERIFY(text.contains("<b>&</b>"));

        auto layout = layoutTree(c.tree, c.tokens);
        QVERIFY2(layout.ok(), layout.error().c_str());
        QCOMPARE(layout->nodes.size(), nodes.size());
    }

    void overwritesAtomically() {
        const Case c = goldenCase("A04");
        QTemporaryDir dir;
        const QString file = dir.filePath("tree.svg");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old contents");
        }
        QVERIFY(exportTree(c.tree, c.tokens, file.toStdString()).ok());
        QVERIFY(readAll(file).contains("<svg"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void errorsLeaveNoFile() {
        const Case c = goldenCase("A04");
        QTemporaryDir dir;
        const std::string missing = dir.filePath("no/such/folder/tree.png").toStdString();
        Status st = exportTree(c.tree, c.tokens, missing);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find(missing) != std::string::npos, st.message().c_str());
        QVERIFY(!QFile::exists(QString::fromStdString(missing)));

        // A folder nobody may write to. Root ignores permission bits, so then use /proc.
        const QString locked = dir.filePath("locked");
        QVERIFY(QDir().mkdir(locked));
        QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        const bool privileged = QFile(locked + "/probe").open(QIODevice::WriteOnly);
        QFile::remove(locked + "/probe");
        const QString folder = privileged ? QStringLiteral("/proc") : locked;
        if (QDir(folder).exists()) {
            for (const char* ext : {".png", ".svg", ".dot", ".json"}) {
                const std::string target = (folder + "/attrscope-tree" + ext).toStdString();
                st = exportTree(c.tree, c.tokens, target);
                QVERIFY2(!st.ok(), target.c_str());
                QVERIFY(st.message().find(target) != std::string::npos);
                QVERIFY(!QFile::exists(QString::fromStdString(target)));
            }
            QCOMPARE(
                QDir(folder).entryList({"*attrscope-tree*"}, QDir::Files | QDir::Hidden).size(), 0);
        }
        QFile::setPermissions(
            locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

        st = exportTree(c.tree, c.tokens, dir.filePath("tree.bmp").toStdString());
        QVERIFY(!st.ok());
        QVERIFY(st.message().find("tree.bmp") != std::string::npos);
        QVERIFY(!QFile::exists(dir.filePath("tree.bmp")));

        std::vector<std::string> shortTokens(c.tokens.begin(), c.tokens.end() - 1);
        QVERIFY(!exportTree(c.tree, shortTokens, dir.filePath("t.svg").toStdString()).ok());
        QVERIFY(!layoutTree(c.tree, shortTokens).ok());
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    // Graphviz is not thread-safe; the core serialises it, so parallel callers just work.
    void concurrentCallers() {
        const Case c = goldenCase("A07", 0.15);
        QTemporaryDir dir;
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int k = 0; k < 5; ++k) {
                    if (!layoutTree(c.tree, c.tokens).ok())
                        ++failures;
                    const QString path = dir.filePath(QString("t%1_%2.svg").arg(t).arg(k));
                    if (!exportTree(c.tree, c.tokens, path.toStdString()).ok())
                        ++failures;
                }
            });
        }
        for (auto& th : threads)
            th.join();
        QCOMPARE(failures.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTreeLayout)
#include "test_tree_layout.moc"
