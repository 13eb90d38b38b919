#pragma once
// Builds the attribution tree and its Graphviz layout off the GUI thread, so that dragging the
// τ slider never blocks the window. Only the newest request is delivered.

#include <QObject>
#include <QString>
#include <memory>
#include <string>
#include <vector>

#include "attrscope/float_array.h"
#include "attrscope/tree/attribution_tree.h"
#include "attrscope/tree/tree_layout.h"
#include "engine/attribution_job.h"
#include "engine/latest_job.h"

namespace attrscope::ui {

struct TreeBuild {
    double threshold = 0.4;
    attrscope::AttributionTree tree;
    attrscope::TreeLayout layout;
    QString error;  // non-empty when building or laying out failed
};
using TreeBuildPtr = std::shared_ptr<const TreeBuild>;

class TreeBuilder : public QObject {
    Q_OBJECT
public:
    explicit TreeBuilder(QObject* parent = nullptr);
    ~TreeBuilder() override;

    // `layers` holds every layer's [H][n][n] attribution; the [L][H][n][n] array the core wants
    // is assembled on the worker (once per set of layers: large inputs make it large).
    // fontScale: the labels' size (presentation mode), passed to layoutTree.
    void request(std::shared_ptr<const std::vector<LayerPtr>> layers,
                 std::vector<std::string> tokens, double threshold, double fontScale = 1.0);
    // Drops whatever is in flight (new input).
    void invalidate() { m_worker.discard(); }
    bool isBusy() const { return m_worker.isRunning(); }

Q_SIGNALS:
    void built(attrscope::ui::TreeBuildPtr build);

private:
    struct Request {
        std::shared_ptr<const std::vector<LayerPtr>> layers;
        std::vector<std::string> tokens;
        double threshold = 0.4;
        double fontScale = 1.0;
    };
    using Worker = LatestJob<Request, TreeBuild>;
    TreeBuild build(const Request& request, const attrscope::JobContext& job);

    // Worker-side cache of the assembled array (only the single pool thread touches these).
    std::shared_ptr<const std::vector<LayerPtr>> m_cacheKey;
    std::shared_ptr<const attrscope::FloatArray> m_cache;
    Worker m_worker;  // last: destroyed (cancelled and joined) first
};

}  // namespace attrscope::ui

Q_DECLARE_METATYPE(attrscope::ui::TreeBuildPtr)
