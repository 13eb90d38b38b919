#include "attrscope/attribution/attention_flow.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <set>
#include <string>

namespace attrscope {

namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, double,
                    boost::property<boost::edge_residual_capacity_t, double,
                                    boost::property<boost::edge_reverse_t,
                                                    Traits::edge_descriptor>>>>;

// The graph of layers 0..top: node (b, i) is token i at layer boundary b (0 = the input,
// b = l + 1 the output of layer l); edges go down from (l + 1, i) to (l, j) with capacity Â_l[i][j].
Graph layeredGraph(const FloatArray& mixed, int64_t top) {
    const int64_t n = mixed.dim(1);
    Graph g(static_cast<size_t>((top + 2) * n));
    auto capacity = boost::get(boost::edge_capacity, g);
    auto reverse = boost::get(boost::edge_reverse, g);
    for (int64_t l = 0; l <= top; ++l)
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j) {
                const double c = mixed.at({l, i, j});
                if (c <= 0.0) continue;
                const auto u = static_cast<size_t>((l + 1) * n + i);
                const auto v = static_cast<size_t>(l * n + j);
                auto e = boost::add_edge(u, v, g).first;
                auto r = boost::add_edge(v, u, g).first;
                capacity[e] = c;
                capacity[r] = 0.0;
                reverse[e] = r;
                reverse[r] = e;
            }
    return g;
}

}  // namespace

Expected<FloatArray> attentionFlow(const FloatArray& attention, const FlowOptions& options,
                                   const JobContext& job) {
    auto mixed = mixedAttention(attention, options.mixing);
    if (!mixed) return mixed.status();
    const int64_t L = mixed->dim(0), n = mixed->dim(1);
    std::set<int64_t> layers;
    for (int l : options.layers) {
        if (l < 0 || l >= L)
            return Status::error("layer " + std::to_string(l) + " is out of range (0.." +
                                 std::to_string(L - 1) + ")");
        layers.insert(l);
    }
    if (options.layers.empty())
        for (int64_t l = 0; l < L; ++l) layers.insert(l);
    FloatArray out({L, n, n});
    try {
        for (int64_t l : layers) {
            Graph g = layeredGraph(*mixed, l);
            const int64_t rows = options.clsOnly ? 1 : n;
            for (int64_t i = 0; i < rows; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    if (job.cancelled()) return Status::cancelled();
                    const auto s = static_cast<size_t>((l + 1) * n + i);
                    const auto t = static_cast<size_t>(j);
                    // push_relabel resets the residual capacities from the capacities each call.
                    out.at({l, i, j}) = static_cast<float>(boost::push_relabel_max_flow(g, s, t));
                }
        }
    } catch (const std::exception& e) {
        return Status::error(std::string("attention flow failed: ") + e.what());
    }
    return out;
}

}  // namespace attrscope
