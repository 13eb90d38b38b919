#include "finite_check.h"

#include <c10/util/Exception.h>

#include <cmath>

namespace attrscope {

namespace {

bool allFinite(const at::Tensor& t) { return at::isfinite(t).all().item<bool>(); }

// Where the first non-finite value appears: "the embeddings", "layer 2" or the classifier.
std::string firstNonFiniteStage(const std::vector<at::Tensor>& hidden, int numLayers) {
    for (size_t l = 0; l < hidden.size(); ++l)
        if (!allFinite(hidden[l]))
            return l == 0 ? "the embeddings" : "the output of layer " + std::to_string(l - 1);
    return "layer " + std::to_string(numLayers - 1) + " or the pooler/classifier";
}

}  // namespace

Status checkFiniteLogits(const Model::Impl& impl, const at::Tensor& logits,
                         std::vector<at::Tensor> hidden, const at::Tensor& ids,
                         const at::Tensor& segments, const at::Tensor& keyMask,
                         const std::string& what) {
    if (allFinite(logits)) return Status::success();
    if (hidden.empty()) {
        at::NoGradGuard noGrad;
        hidden = impl.net->forward(ids, segments, keyMask, {}, false, true).hidden;
    }
    return Status::error("the logits of " + what +
                         " are not finite (NaN or infinity): the first non-finite values are in " +
                         firstNonFiniteStage(hidden, impl.config.numLayers) +
                         " (weights too large for float32?)");
}

Status checkFiniteArray(const FloatArray& values, const std::string& what) {
    for (size_t i = 0; i < values.data.size(); ++i)
        if (!std::isfinite(values.data[i]))
            return Status::error(what + " is not finite (NaN or infinity at element " +
                                 std::to_string(i) + ")");
    return Status::success();
}

std::string torchErrorText(const std::exception& e) {
    std::string text = e.what();
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) text = c10->what_without_backtrace();
    const size_t newline = text.find('\n');
    return newline == std::string::npos ? text : text.substr(0, newline);
}

}  // namespace attrscope
