// Result objects: Prediction, Attribution, Tree. Arrays come back as fresh NumPy copies;
// to_json() writes exactly what attrscope-cli writes for the same computation.

#include <pybind11/stl.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "attrscope/json/result_json.h"
#include "attrscope/tree/tree_layout.h"
#include "py_common.h"
#include "py_types.h"

namespace attrscope::py {

namespace {

pyb::dict encodingDict(const Encoding& e) {
    pyb::dict d;
    d["tokens"] = e.tokens;
    d["input_ids"] = toNumpy(e.inputIds);
    d["segment_ids"] = toNumpy(e.segmentIds);
    d["is_pair"] = e.isPair;
    d["truncated"] = e.truncated;
    d["truncation_note"] = e.truncationNote;
    return d;
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The config fields resultToJson writes, recovered from a result file.
Expected<ModelConfig> configFromResultJson(const std::string& text, const std::string& src) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::error(src + ": invalid JSON");
    ModelConfig c;
    try {
        c.id2label = j.value("labels", std::vector<std::string>());
        if (j.contains("model_config")) {
            const auto& m = j["model_config"];
            c.numLayers = m.value("num_layers", c.numLayers);
            c.numHeads = m.value("num_heads", c.numHeads);
            c.hiddenSize = m.value("hidden_size", c.hiddenSize);
            c.vocabSize = m.value("vocab_size", c.vocabSize);
        }
    } catch (const std::exception& e) {
        return Status::error(src + ": not an AttrScope result file (" + e.what() + ")");
    }
    return c;
}

PyAttribution attributionFromJson(const std::string& text, const std::string& src) {
    PyAttribution a{unwrap(resultFromJson(text, src)), unwrap(configFromResultJson(text, src))};
    return a;
}

pyb::list completenessList(const AttributionResult& r) {
    pyb::list out;
    for (const auto& la : r.layers) {
        pyb::dict d;
        d["layer"] = la.layer;
        d["sum_attr"] = la.completeness.sumAttr;
        d["f_full"] = la.completeness.fFull;
        d["f_zero"] = la.completeness.fZero;
        d["delta"] = la.completeness.delta();
        d["error"] = la.completeness.error();
        out.append(d);
    }
    return out;
}

PyTree makeTree(const PyAttribution& a, double threshold) {
    return PyTree{unwrap(buildAttributionTree(a.result.attributionArray(), threshold)),
                  a.result.encoding.tokens, resultTitle(a.result)};
}

}  // namespace

void bindResults(pyb::module_& m) {
    pyb::class_<PyPrediction>(m, "Prediction",
                              "A clean forward pass: tokens, logits, probabilities and attention.")
        .def_property_readonly("tokens", [](const PyPrediction& p) { return p.encoding.tokens; })
        .def_property_readonly("encoding", [](const PyPrediction& p) { return encodingDict(p.encoding); },
                               "tokens, input_ids, segment_ids (int64 arrays), is_pair, truncated, "
                               "truncation_note")
        .def_property_readonly("logits", [](const PyPrediction& p) { return toNumpy(p.prediction.logits); },
                               "float32 [classes]")
        .def_property_readonly("probs", [](const PyPrediction& p) { return toNumpy(p.prediction.probs); },
                               "float32 [classes], softmax of the logits")
        .def_property_readonly("predicted", [](const PyPrediction& p) { return p.prediction.predicted; })
        .def_property_readonly("predicted_label",
                               [](const PyPrediction& p) { return p.prediction.predictedLabel; })
        .def_property_readonly("labels", [](const PyPrediction& p) { return p.config.id2label; })
        .def_property_readonly(
            "attention", [](const PyPrediction& p) { return toNumpy(p.prediction.attention); },
            "float32 [layers, heads, n, n] post-softmax (row = query); shape (0,) when predict() "
            "was called with attention=False")
        .def("to_json", [](const PyPrediction& p) {
                 return predictionToJson(p.encoding, p.prediction, p.config,
                                         !p.prediction.attention.empty());
             },
             "The JSON text attrscope-cli predict writes.")
        .def("__repr__", [](const PyPrediction& p) {
            return "<attrscope.Prediction " + p.prediction.predictedLabel + " over " +
                   std::to_string(p.encoding.size()) + " tokens>";
        });

    pyb::class_<PyAttribution>(m, "Attribution",
                               "Self-attention attribution of one input: Attr_h = A_h * integral of "
                               "dF(aA)/dA_h over a in [0, 1], per layer, all heads scaled together.")
        .def_static("from_json", [](const std::string& text) { return attributionFromJson(text, "<json>"); },
                    pyb::arg("text"), "Reads the JSON that to_json() or attrscope-cli attribute wrote.")
        .def_static("load", [](const std::string& path) {
                        AttributionResult r = unwrap(readResultFile(path));  // the CLI's messages
                        return PyAttribution{std::move(r), unwrap(configFromResultJson(readText(path), path))};
                    },
                    pyb::arg("path"), "Reads a result file written by save() or attrscope-cli attribute --out.")
        .def_property_readonly("tokens", [](const PyAttribution& a) { return a.result.encoding.tokens; })
        .def_property_readonly("encoding", [](const PyAttribution& a) { return encodingDict(a.result.encoding); })
        .def_property_readonly("labels", [](const PyAttribution& a) { return a.config.id2label; })
        .def_property_readonly("target", [](const PyAttribution& a) { return a.result.target; },
                               "class index whose probability F is attributed")
        .def_property_readonly("target_label", [](const PyAttribution& a) { return a.result.targetLabel; })
        .def_property_readonly("predicted", [](const PyAttribution& a) { return a.result.prediction.predicted; })
        .def_property_readonly("predicted_label",
                               [](const PyAttribution& a) { return a.result.prediction.predictedLabel; })
        .def_property_readonly("logits", [](const PyAttribution& a) { return toNumpy(a.result.prediction.logits); })
        .def_property_readonly("probs", [](const PyAttribution& a) { return toNumpy(a.result.prediction.probs); })
        .def_property_readonly("rule", [](const PyAttribution& a) { return ruleName(a.result.options.rule); })
        .def_property_readonly("steps", [](const PyAttribution& a) { return a.result.options.steps; })
        .def_property_readonly("device", [](const PyAttribution& a) { return a.result.device; })
        .def_property_readonly("model_path", [](const PyAttribution& a) { return a.result.modelPath; })
        .def_property_readonly("num_layers", [](const PyAttribution& a) { return a.result.numLayers; })
        .def_property_readonly("num_heads", [](const PyAttribution& a) { return a.result.numHeads; })
        .def_property_readonly("layers", [](const PyAttribution& a) {
                                   std::vector<int> l;
                                   for (const auto& la : a.result.layers) l.push_back(la.layer);
                                   return l;
                               },
                               "indices of the computed layers, ascending")
        .def_property_readonly("attention", [](const PyAttribution& a) { return toNumpy(a.result.prediction.attention); },
                               "float32 [layers, heads, n, n], the clean attention probabilities")
        .def_property_readonly("attribution", [](const PyAttribution& a) { return toNumpy(a.result.attributionArray()); },
                               "float32 [layers, heads, n, n], signed, in probability units; layers "
                               "not computed are zero")
        .def_property_readonly("completeness", [](const PyAttribution& a) { return completenessList(a.result); },
                               "per computed layer: sum_attr vs f_full - f_zero (dicts)")
        .def_property_readonly("step_probs", [](const PyAttribution& a) {
                                   const auto& ls = a.result.layers;
                                   const size_t k = ls.empty() ? 0 : ls.front().stepProbs.size();
                                   std::vector<double> v;
                                   for (const auto& la : ls) v.insert(v.end(), la.stepProbs.begin(), la.stepProbs.end());
                                   return toNumpy(v, {static_cast<pyb::ssize_t>(ls.size()),
                                                      static_cast<pyb::ssize_t>(k)});
                               },
                               "float64 [computed layers, steps]: F(alpha_k A) along the path")
        .def_property_readonly("alphas", [](const PyAttribution& a) {
                                   return toNumpy(a.result.layers.empty() ? std::vector<double>()
                                                                          : a.result.layers.front().alphas);
                               },
                               "float64 [steps]: the integration points")
        .def_property_readonly("seconds", [](const PyAttribution& a) { return a.result.timings.totalSeconds; })
        .def("to_json", [](const PyAttribution& a) { return resultToJson(a.result, a.config); },
             "The JSON text attrscope-cli attribute writes.")
        .def("save", [](const PyAttribution& a, const std::string& path) {
                 std::ofstream out(path, std::ios::binary);
                 if (!out) raise(Status::error(path + ": cannot write output file"));
                 out << resultToJson(a.result, a.config);
                 if (!out) raise(Status::error(path + ": write failed"));
             },
             pyb::arg("path"), "Writes to_json() to a file (what attrscope --render --result reads).")
        .def("save_jsonl", [](const PyAttribution& a, const std::string& dir, int index) {
                 check(writeOfficialJsonl(a.result, dir, index));
             },
             pyb::arg("dir"), pyb::arg("index") = 0,
             "Writes the official scripts' attr_zero_base_exp{index}.json and "
             "att_score_zero_base_exp{index}.json (one line per layer).")
        .def("tree", &makeTree, pyb::arg("threshold") = 0.4,
             "The attribution tree (Hao et al. section 4): edges whose normalised head-summed "
             "attribution passes the threshold share of the layer maximum.")
        .def("__repr__", [](const PyAttribution& a) {
            return "<attrscope.Attribution target " + a.result.targetLabel + ", " +
                   std::to_string(a.result.layers.size()) + "/" + std::to_string(a.result.numLayers) +
                   " layers, " + std::to_string(a.result.encoding.size()) + " tokens>";
        });

    pyb::class_<PyTree>(m, "Tree", "An attribution tree; edges point from the query (parent) to the key (child).")
        .def_property_readonly("root", [](const PyTree& t) { return t.tree.root; })
        .def_property_readonly("threshold", [](const PyTree& t) { return t.tree.threshold; })
        .def_property_readonly("tokens", [](const PyTree& t) { return t.tokens; })
        .def_property_readonly("edges", [](const PyTree& t) {
                                   std::vector<std::tuple<int, int, int>> e;
                                   for (const auto& x : t.tree.edges) e.emplace_back(x.parent, x.child, x.layer);
                                   return e;
                               },
                               "(parent, child, layer) triples, 0-based, in the official order")
        .def_property_readonly("edge_weights", [](const PyTree& t) {
                                   std::vector<float> w;
                                   for (const auto& x : t.tree.edges) w.push_back(x.weight);
                                   return toNumpy(w);
                               })
        .def_property_readonly("heights", [](const PyTree& t) { return t.tree.heights; })
        .def_property_readonly("node_state", [](const PyTree& t) { return t.tree.nodeState; })
        .def_property_readonly("nodes", [](const PyTree& t) { return t.tree.nodes(); })
        .def("empty", [](const PyTree& t) { return t.tree.empty(); })
        .def("to_json", [](const PyTree& t) { return treeToJson(t.tree, t.tokens, t.title); },
             "The JSON text attrscope-cli tree writes to stdout.")
        .def("to_dot", [](const PyTree& t, int layerBase) { return treeToDot(t.tree, t.tokens, t.title, layerBase); },
             pyb::arg("layer_base") = 1, "Graphviz DOT source of the drawing.")
        .def("save", [](const PyTree& t, const std::string& path, int layerBase) {
                 check(exportTree(t.tree, t.tokens, path, t.title, layerBase));
             },
             pyb::arg("path"), pyb::arg("layer_base") = 1,
             "Writes .dot/.gv, .svg, .pdf, .png or .json, chosen by the extension.")
        .def("__repr__", [](const PyTree& t) {
            return "<attrscope.Tree root " + std::to_string(t.tree.root) + ", " +
                   std::to_string(t.tree.edges.size()) + " edges>";
        });
}

}  // namespace attrscope::py
