#include "views/tree/tree_builder.h"

#include <algorithm>
#include <exception>

namespace attrscope::ui {

TreeBuilder::TreeBuilder(QObject* parent)
    : QObject(parent),
      m_worker(this,
               [this](const Request& request, Worker::Run& run) -> attrscope::Expected<TreeBuild> {
                   // A slider drag queues many requests; those superseded are cancelled.
                   if (run.cancelled())
                       return attrscope::Status::cancelled();
                   return build(request, run.job());
               },
               {nullptr, [this](TreeBuildPtr done) { Q_EMIT built(done); }, nullptr, nullptr}) {
    qRegisterMetaType<TreeBuildPtr>("attrscope::ui::TreeBuildPtr");
}

TreeBuilder::~TreeBuilder() = default;

namespace {
// [L][H][n][n] from per-layer [H][n][n] blocks; an empty array when a layer is missing.
attrscope::FloatArray assemble(const std::vector<LayerPtr>& layers) {
    if (layers.empty() || !layers.front())
        return {};
    const auto& first = layers.front()->attribution;
    if (first.rank() != 3)
        return {};
    attrscope::FloatArray out({int64_t(layers.size()), first.dim(0), first.dim(1), first.dim(2)});
    for (size_t l = 0; l < layers.size(); ++l) {
        if (!layers[l] || layers[l]->attribution.data.size() != first.data.size())
            return {};
        std::copy(layers[l]->attribution.data.begin(), layers[l]->attribution.data.end(),
                  out.data.begin() + std::ptrdiff_t(l * first.data.size()));
    }
    return out;
}
}  // namespace

void TreeBuilder::request(std::shared_ptr<const std::vector<LayerPtr>> layers,
                          std::vector<std::string> tokens, double threshold, double fontScale) {
    m_worker.start(Request{std::move(layers), std::move(tokens), threshold, fontScale});
}

// Errors are part of the value: the view shows them in place of the tree.
TreeBuild TreeBuilder::build(const Request& request, const attrscope::JobContext&) {
    if (m_cacheKey != request.layers) {
        m_cache = std::make_shared<const attrscope::FloatArray>(assemble(*request.layers));
        m_cacheKey = request.layers;
    }
    TreeBuild build;
    build.threshold = request.threshold;
    try {
        auto tree = attrscope::buildAttributionTree(*m_cache, request.threshold);
        if (!tree) {
            build.error = QString::fromStdString(tree.error());
        } else {
            build.tree = std::move(tree).value();
            auto layout = attrscope::layoutTree(build.tree, request.tokens, request.fontScale);
            if (layout)
                build.layout = std::move(layout).value();
            else
                build.error = QString::fromStdString(layout.error());
        }
    } catch (const std::exception& e) {
        build.error = QString::fromUtf8(e.what());
    }
    return build;
}

}  // namespace attrscope::ui
