#pragma once
// Self-Attention Attribution (Hao et al., AAAI 2021): for each layer, integrated gradients of the
// target-class probability with respect to all heads' attention probabilities, scaled together
// from zero along a straight path. See ../shared/spec/attattr.md §1 and §6.

#include <optional>
#include <string>
#include <vector>

#include "attrscope/text/encoding.h"
#include "attrscope/float_array.h"
#include "attrscope/job.h"
#include "attrscope/model/model.h"
#include "attrscope/status.h"

namespace attrscope {

// Adaptive: Gauss–Legendre with the point count doubled per layer until that layer's
// completeness error is within tolerance (AttributionOptions::tolerance) or maxSteps is reached.
enum class Rule { Right, Left, Midpoint, GaussLegendre, Adaptive };
std::string ruleName(Rule rule);
std::optional<Rule> parseRule(const std::string& name);

// Bf16: the matrix products of the integration path in bfloat16 (softmax, LayerNorm, GELU and
// the accumulation of the integral stay float32; F(A) and F(0) of the completeness check are
// float32). Fast where the hardware has bf16 units (AVX-512 via oneDNN, CUDA).
enum class Precision { Fp32, Bf16 };
std::string precisionName(Precision precision);
std::optional<Precision> parsePrecision(const std::string& name);

// Integration points α_k and weights w_k on [0, 1] so that ∫ f ≈ Σ w_k f(α_k).
struct Quadrature {
    std::vector<double> alphas;
    std::vector<double> weights;
    static Quadrature make(Rule rule, int steps);  // Adaptive gives Gauss–Legendre
};

struct AttributionOptions {
    int steps = 20;  // Adaptive: the first point count of each layer
    Rule rule = Rule::Right;
    // Adaptive: stop when |Σ Attr − (F(A) − F(0))| ≤ tolerance · max(|F(A) − F(0)|, 1e-3) or the
    // next doubling would pass maxSteps.
    double tolerance = 0.01;
    int maxSteps = 64;
    Precision precision = Precision::Fp32;
    // "predicted", a class index ("2") or a label name ("entailment").
    std::string target = "predicted";
    // Layers to compute, in this order; empty means all, bottom first.
    std::vector<int> layers;
    // Upper bound for the activations kept for the backward pass; picks the step chunk size.
    double memoryBudgetMB = 1024.0;
    // Steps per batched pass; 0 chooses from the memory budget (and targetChunkSeconds).
    int chunkSize = 0;
    // With chunkSize 0: also keep each batched pass near this many seconds, measured as the
    // run goes, so that a cancel is honoured quickly (the GUI sets it; 0 = memory budget only).
    double targetChunkSeconds = 0.0;
};

struct LayerCompleteness {
    double sumAttr = 0.0;  // Σ over heads, rows, columns of the layer's attribution
    double fFull = 0.0;    // F(A)
    double fZero = 0.0;    // F(0·A)
    double delta() const { return fFull - fZero; }
    double error() const { return sumAttr - delta(); }
};

struct LayerAttribution {
    int layer = 0;
    FloatArray attribution;          // [H][n][n], signed, probability units
    LayerCompleteness completeness;
    std::vector<double> alphas;      // integration points
    int steps = 0;                   // points used (Adaptive: of the last refinement)
    std::vector<double> stepProbs;   // F(α_k·A) at each point
    double seconds = 0.0;
};

struct AttributionTimings {
    double cleanForwardSeconds = 0.0;
    double totalSeconds = 0.0;
    int chunkSize = 0;  // the largest chunk used
    int cleanForwards = 0;
};

struct AttributionResult {
    Encoding encoding;
    Prediction prediction;  // clean forward, with attention [L][H][n][n]
    int target = -1;
    std::string targetLabel;
    AttributionOptions options;
    std::string device;
    std::string modelPath;
    int numLayers = 0;
    int numHeads = 0;
    std::vector<LayerAttribution> layers;  // sorted by layer index
    AttributionTimings timings;

    const LayerAttribution* layer(int index) const;
    // [L][H][n][n]; layers that were not computed are zero.
    FloatArray attributionArray() const;
    bool isComplete() const { return static_cast<int>(layers.size()) == numLayers; }
};

// Resolves "predicted" / index / label against the model's classes.
Expected<int> resolveTarget(const std::string& target, const ModelConfig& config, int predicted);

// F(α·A^t) for each α: the target-class probability with layer t's attention (all heads)
// scaled by α. Used by the teaching view and to check the path.
Expected<std::vector<double>> evaluatePath(Model& model, const Encoding& input, int layer,
                                           const std::vector<double>& alphas, int target);
// F with layer t's attention probabilities replaced by probs [H][n][n] (finite-difference checks).
Expected<double> evaluateWithAttention(Model& model, const Encoding& input, int layer,
                                       const FloatArray& probs, int target);

// Receives the parts of a progressive run as they are ready, on the computing thread: first the
// clean pass (the result without layers: encoding, prediction with attention, target), then each
// layer in the order of options.layers.
class AttributionListener {
public:
    virtual ~AttributionListener() = default;
    virtual void onPrediction(const AttributionResult& clean) {}
    virtual void onLayer(const LayerAttribution& layer) {}
};

// One clean forward, then the layers in the caller's order. Progress: stage "layer t",
// done/total = steps of that layer, stageIndex/stageCount = layers, fraction weighted by the
// layers each step runs through. A cancel returns Status::cancelled() after the current chunk
// (the listener has had every finished layer by then).
Expected<AttributionResult> attribute(Model& model, const Encoding& input,
                                      const AttributionOptions& options,
                                      const JobContext& job = {},
                                      AttributionListener* listener = nullptr);

}  // namespace attrscope
