// Dataset studies from Python: read a labelled dataset, head importance (the paper's
// attribution importance with the attention-max baseline), and accuracy with heads masked.

#include <pybind11/stl.h>

#include "attrscope/analysis/head_importance.h"
#include "attrscope/analysis/pruning.h"
#include "attrscope/data/dataset.h"
#include "attrscope/json/analysis_json.h"
#include "attrscope/model/model.h"
#include "py_common.h"
#include "py_types.h"

namespace attrscope::py {

namespace {

LabelledInputs encodeFor(const Model& model, const PyDataset& d, int maxLength, int limit) {
    if (maxLength < 0) raise(Status::error("max_length must not be negative"));
    return unwrap(encodeDataset(model, d.data, maxLength, limit));
}

pyb::array_t<double> grid(const std::vector<double>& flat, int layers, int heads) {
    if (flat.empty()) return toNumpy(flat, {0});
    return toNumpy(flat, {layers, heads});
}

HeadMask maskFrom(const std::optional<pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>>& a,
                  const ModelConfig& c) {
    HeadMask mask = HeadMask::ones(c.numLayers, c.numHeads);
    if (!a) return mask;
    if (a->ndim() != 2 || a->shape(0) != c.numLayers || a->shape(1) != c.numHeads)
        raise(Status::error("head_mask must have shape (" + std::to_string(c.numLayers) + ", " +
                            std::to_string(c.numHeads) + ") for this model"));
    std::copy(a->data(), a->data() + mask.values.size(), mask.values.begin());
    return mask;
}

}  // namespace

void bindAnalysis(pyb::module_& m) {
    pyb::class_<PyDataset>(m, "Dataset", "A labelled text classification dataset (see load_dataset).")
        .def_property_readonly("path", [](const PyDataset& d) { return d.data.path; })
        .def_property_readonly("format", [](const PyDataset& d) { return d.data.format; })
        .def_property_readonly("split", [](const PyDataset& d) { return d.data.split; })
        .def_property_readonly("labels", [](const PyDataset& d) { return d.data.labelNames; },
                               "class names in the format's order")
        .def_property_readonly("is_pair", [](const PyDataset& d) { return d.data.isPair(); })
        .def("__len__", [](const PyDataset& d) { return d.data.examples.size(); })
        .def("__getitem__", [](const PyDataset& d, pyb::ssize_t i) {
            const auto n = static_cast<pyb::ssize_t>(d.data.examples.size());
            if (i < 0) i += n;
            if (i < 0 || i >= n) throw pyb::index_error("dataset index out of range");
            const Example& e = d.data.examples[static_cast<size_t>(i)];
            pyb::dict out;
            out["text_a"] = e.textA;
            out["text_b"] = e.textB ? pyb::cast(*e.textB) : pyb::none();
            out["label"] = e.label;
            out["id"] = e.id;
            out["row"] = e.row;
            return out;
        })
        .def("__repr__", [](const PyDataset& d) {
            return "<attrscope.Dataset " + d.data.path + " (" + d.data.format +
                   (d.data.split.empty() ? "" : ", " + d.data.split) + "): " +
                   std::to_string(d.data.examples.size()) + " examples>";
        });

    m.def("load_dataset",
          [](const std::string& path, const std::string& format, const std::string& split, int limit) {
              DatasetOptions o;
              o.format = format;
              o.split = split;
              o.limit = limit;
              return PyDataset{unwrap(loadDataset(path, o))};
          },
          pyb::arg("path"), pyb::arg("format"), pyb::arg("split") = "", pyb::arg("limit") = 0,
          "Reads sick, sst2, rte, mrpc, glue-pair or glue-single files (as attrscope-cli --format).");

    pyb::class_<PyHeadImportance>(m, "HeadImportance",
                                  "Per-head importance over a dataset; arrays are [layers, heads].")
        .def_property_readonly("attribution", [](const PyHeadImportance& h) {
                                   return grid(h.value.attributionSum, h.value.numLayers, h.value.numHeads);
                               },
                               "float64: sum over examples of the signed max of each head's attribution map")
        .def_property_readonly("attribution_mean", [](const PyHeadImportance& h) {
            return grid(h.value.attributionMean(), h.value.numLayers, h.value.numHeads);
        })
        .def_property_readonly("attention", [](const PyHeadImportance& h) {
                                   return grid(h.value.attentionSum, h.value.numLayers, h.value.numHeads);
                               },
                               "float64: sum over examples of each head's largest attention weight")
        .def_property_readonly("attention_mean", [](const PyHeadImportance& h) {
            return grid(h.value.attentionMean(), h.value.numLayers, h.value.numHeads);
        })
        .def_property_readonly("examples", [](const PyHeadImportance& h) { return h.value.examplesDone; })
        .def_property_readonly("complete", [](const PyHeadImportance& h) { return h.value.complete; })
        .def_property_readonly("seconds", [](const PyHeadImportance& h) { return h.value.seconds; })
        .def("to_json", [](const PyHeadImportance& h) {
                 HeadImportanceReport r;
                 r.source.model = h.modelPath;
                 r.source.device = h.device;
                 r.source.data = h.dataPath;
                 r.source.format = h.format;
                 r.source.split = h.split;
                 r.source.threads = threadCount();
                 r.attribution = h.value;
                 r.exampleIds = h.exampleIds;
                 r.exampleLabels = h.exampleLabels;
                 return headImportanceToJson(r);
             },
             "The JSON attrscope-cli heads --baselines attention writes (same keys).");
}

void addAnalysisMethods(pyb::class_<Model, std::shared_ptr<Model>>& cls) {
    cls.def("head_importance",
            [](Model& model, const PyDataset& d, int examples, int steps, const std::string& rule,
               bool attribution, int maxLength, pyb::object progress) {
                auto r = parseRule(rule);
                if (!r) raise(Status::error("unknown rule '" + rule + "' (left, right, midpoint, gauss-legendre)"));
                if (examples < 0) raise(Status::error("examples must not be negative"));
                const LabelledInputs inputs = encodeFor(model, d, maxLength, 0);
                HeadImportanceOptions o;
                o.examples = examples;
                o.steps = steps;
                o.rule = *r;
                o.attribution = attribution;
                o.keepPerExample = false;
                PythonProgress sink(std::move(progress));
                auto value = computeHeadImportance(model, inputs, o, nullptr, sink.job());
                sink.rethrowPending();
                return PyHeadImportance{unwrap(std::move(value)), model.directory(), model.device(), d.data.path,
                                        d.data.format, d.data.split, inputs.ids, inputs.labels};
            },
            pyb::arg("dataset"), pyb::kw_only(), pyb::arg("examples") = 200, pyb::arg("steps") = 20,
            pyb::arg("rule") = "left", pyb::arg("attribution") = true, pyb::arg("max_length") = 0,
            pyb::arg("progress") = pyb::none(),
            "Head importance over the first `examples` inputs (0 = all), attributing the gold "
            "label's probability (prune_head_with_attr.py: 200 examples, m = 20, left rule). "
            "progress: called with a dict (stage, done, total, fraction, elapsed_seconds, "
            "eta_seconds); Ctrl-C or an exception from it cancels and propagates.");
    cls.def("evaluate",
            [](const Model& model, const PyDataset& d,
               std::optional<pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>> headMask,
               int batchSize, int limit, int maxLength) {
                if (batchSize < 1) raise(Status::error("batch_size must be at least 1"));
                const LabelledInputs inputs = encodeFor(model, d, maxLength, limit);
                const HeadMask mask = maskFrom(headMask, model.config());
                EvalOptions o;
                o.batchSize = batchSize;
                const EvalResult e = unwrap(evaluateInputs(model, inputs, &mask, o));
                pyb::dict out;
                out["examples"] = e.examples;
                out["accuracy"] = e.accuracy;
                out["mean_loss"] = e.meanLoss;
                out["predictions"] = toNumpy(e.predictions);
                out["labels"] = toNumpy(inputs.labels);
                return out;
            },
            pyb::arg("dataset"), pyb::kw_only(), pyb::arg("head_mask") = pyb::none(),
            pyb::arg("batch_size") = 64, pyb::arg("limit") = 0, pyb::arg("max_length") = 0,
            "Accuracy on the dataset; head_mask [layers, heads] multiplies each head's attention "
            "probabilities (0 prunes the head), as in the paper's pruning experiments.");
}

}  // namespace attrscope::py
