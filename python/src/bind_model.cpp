// attrscope.Model: load a checkpoint folder, encode, predict, attribute. Inputs are validated
// by the engine; its one-line messages come back as attrscope.Error.

#include <pybind11/stl.h>

#include "attrscope/attribution/attribution.h"
#include "attrscope/model/model.h"
#include "attrscope/model/model_paths.h"
#include "py_common.h"
#include "py_types.h"

namespace attrscope::py {

namespace {

using ModelPtr = std::shared_ptr<Model>;

std::shared_ptr<Model> loadModel(const std::string& dir) {
    auto model = unwrap(Model::load(dir));
    if (!model->warnings().empty()) {
        auto warn = pyb::module_::import("warnings").attr("warn");
        for (const auto& w : model->warnings()) warn(w);
    }
    return model;
}

Encoding encode(const Model& model, const std::string& a, const std::optional<std::string>& b,
                int maxLength) {
    if (maxLength < 0) raise(Status::error("max_length must not be negative"));
    return unwrap(model.encode(a, b, maxLength));
}

pyb::dict configDict(const ModelConfig& c) {
    pyb::dict d;
    d["num_layers"] = c.numLayers;
    d["num_heads"] = c.numHeads;
    d["hidden_size"] = c.hiddenSize;
    d["intermediate_size"] = c.intermediateSize;
    d["vocab_size"] = c.vocabSize;
    d["max_position_embeddings"] = c.maxPositionEmbeddings;
    d["hidden_act"] = c.hiddenAct;
    d["labels"] = c.id2label;
    return d;
}

PyAttribution attributeText(Model& model, const std::string& a, const std::optional<std::string>& b,
                            int steps, const std::string& rule, const pyb::object& target,
                            const std::optional<std::vector<int>>& layers, int maxLength,
                            double memoryMB, int chunk, pyb::object progress) {
    AttributionOptions o;
    if (steps < 1) raise(Status::error("steps must be at least 1"));
    o.steps = steps;
    auto r = parseRule(rule);
    if (!r) raise(Status::error("unknown rule '" + rule + "' (right, left, midpoint, gauss-legendre)"));
    o.rule = *r;
    // target: "predicted", a label name, or a class index given as int or string.
    o.target = pyb::isinstance<pyb::int_>(target) ? std::to_string(target.cast<int>())
                                                  : target.cast<std::string>();
    if (layers) o.layers = *layers;
    o.memoryBudgetMB = memoryMB;
    o.chunkSize = chunk;
    const Encoding enc = encode(model, a, b, maxLength);
    PythonProgress sink(std::move(progress));
    auto result = attribute(model, enc, o, sink.job());
    sink.rethrowPending();
    return PyAttribution{unwrap(std::move(result)), model.config()};
}

}  // namespace

void addAnalysisMethods(pyb::class_<Model, std::shared_ptr<Model>>& cls);

void bindModel(pyb::module_& m) {
    pyb::class_<Model, ModelPtr> cls(m, "Model",
                                 "A BERT classifier loaded from a Hugging Face checkpoint folder "
                                 "(config.json, vocab.txt, model.safetensors or pytorch_model.bin).");
    cls.def(pyb::init(&loadModel), pyb::arg("path"),
             "Loads and validates the checkpoint folder at path. Raises attrscope.Error with a "
             "one-line message when it cannot.")
        .def_property_readonly("path", &Model::directory)
        .def_property_readonly("weights_file", &Model::weightsFile)
        .def_property_readonly("config", [](const Model& mo) { return configDict(mo.config()); })
        .def_property_readonly("labels", [](const Model& mo) { return mo.config().id2label; })
        .def_property_readonly("num_layers", [](const Model& mo) { return mo.config().numLayers; })
        .def_property_readonly("num_heads", [](const Model& mo) { return mo.config().numHeads; })
        .def_property_readonly("max_length", &Model::defaultMaxLength,
                               "default maximum input length in tokens, specials included")
        .def_property_readonly("warnings", &Model::warnings)
        .def_property("device", &Model::device,
                      [](Model& mo, const std::string& d) { check(mo.setDevice(d)); },
                      "'cpu', 'cuda' or 'cuda:N'; assigning moves the weights")
        .def("encode",
             [](const Model& mo, const std::string& a, const std::optional<std::string>& b, int maxLength) {
                 const Encoding e = encode(mo, a, b, maxLength);
                 pyb::dict d;
                 d["tokens"] = e.tokens;
                 d["input_ids"] = toNumpy(e.inputIds);
                 d["segment_ids"] = toNumpy(e.segmentIds);
                 d["is_pair"] = e.isPair;
                 d["truncated"] = e.truncated;
                 d["truncation_note"] = e.truncationNote;
                 return d;
             },
             pyb::arg("text_a"), pyb::arg("text_b") = pyb::none(), pyb::arg("max_length") = 0,
             "Tokenises [CLS] A [SEP] (B [SEP]) as the model's tokenizer does.")
        .def("predict",
             [](const Model& mo, const std::string& a, const std::optional<std::string>& b,
                int maxLength, bool attention) {
                 const Encoding e = encode(mo, a, b, maxLength);
                 return PyPrediction{e, unwrap(mo.predict(e, attention)), mo.config()};
             },
             pyb::arg("text_a"), pyb::arg("text_b") = pyb::none(), pyb::kw_only(),
             pyb::arg("max_length") = 0, pyb::arg("attention") = true,
             "Clean forward pass of one input (a sentence or a pair).")
        .def("attribute", &attributeText, pyb::arg("text_a"), pyb::arg("text_b") = pyb::none(),
             pyb::kw_only(), pyb::arg("steps") = 20, pyb::arg("rule") = "right",
             pyb::arg("target") = "predicted", pyb::arg("layers") = pyb::none(),
             pyb::arg("max_length") = 0, pyb::arg("memory_mb") = 1024.0, pyb::arg("chunk") = 0,
             pyb::arg("progress") = pyb::none(),
             "Self-attention attribution of every layer (or of `layers`).\n\n"
             "rule: 'right' (alpha = k/m, the paper), 'left' (the official code), 'midpoint' or "
             "'gauss-legendre'. target: 'predicted', a class index or a label name. progress: "
             "called with a dict (layer, layers_done, layers_total, steps_done, steps_total, "
             "fraction, elapsed_seconds, eta_seconds) at least once per batched pass; an "
             "exception it raises, or Ctrl-C (KeyboardInterrupt), cancels the job and propagates.")
        .def("__repr__", [](const Model& mo) {
            const auto& c = mo.config();
            return "<attrscope.Model " + mo.directory() + ": " + std::to_string(c.numLayers) +
                   " layers x " + std::to_string(c.numHeads) + " heads, " +
                   std::to_string(c.numLabels()) + " classes>";
        });
    addAnalysisMethods(cls);

    m.def("find_demo_model", &findDemoModel, pyb::arg("name") = "sick-nli",
          "Folder of a shipped demo model ($ATTRSCOPE_MODELS, the install prefix, the source "
          "tree), or '' when none is found.");
    m.def("available_devices", &Model::availableDevices);
    m.def("set_threads", &setThreadCount, pyb::arg("threads"),
          "Engine threads for all models (0 = one per core). Call before the first computation.");
    m.def("thread_count", &threadCount);
}

}  // namespace attrscope::py
