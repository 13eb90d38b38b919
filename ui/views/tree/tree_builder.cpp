#include "views/tree/tree_builder.h"

#include <QMetaObject>
#include <algorithm>
#include <exception>

namespace attrscope::ui {

TreeBuilder::TreeBuilder(QObject* parent) : QObject(parent) {
    qRegisterMetaType<TreeBuildPtr>("attrscope::ui::TreeBuildPtr");
    m_pool.setMaxThreadCount(1);
}

TreeBuilder::~TreeBuilder() {
    ++m_requestId;
    m_pool.waitForDone();
}

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
                          std::vector<std::string> tokens, double threshold) {
    const quint64 id = ++m_requestId;
    m_busy = true;
    m_pool.start([this, id, layers, tokens, threshold] {
        // A slider drag queues many requests; skip those already superseded.
        if (id != m_requestId)
            return;
        if (m_cacheKey != layers) {
            m_cache = std::make_shared<const attrscope::FloatArray>(assemble(*layers));
            m_cacheKey = layers;
        }
        auto build = std::make_shared<TreeBuild>();
        build->threshold = threshold;
        try {
            auto tree = attrscope::buildAttributionTree(*m_cache, threshold);
            if (!tree) {
                build->error = QString::fromStdString(tree.error());
            } else {
                build->tree = std::move(tree).value();
                auto layout = attrscope::layoutTree(build->tree, tokens);
                if (layout)
                    build->layout = std::move(layout).value();
                else
                    build->error = QString::fromStdString(layout.error());
            }
        } catch (const std::exception& e) {
            build->error = QString::fromUtf8(e.what());
        }
        TreeBuildPtr done = build;
        QMetaObject::invokeMethod(
            this,
            [this, id, done] {
                if (id != m_requestId)
                    return;
                m_busy = false;
                Q_EMIT built(done);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace attrscope::ui
