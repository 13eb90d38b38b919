#include "attrscope/analysis/head_importance.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "attrscope/analysis/pruning.h"
#include "attrscope/job.h"
#include "model/model_impl.h"

namespace attrscope {

namespace {

std::vector<double> meanOf(const std::vector<double>& sum, int count) {
    std::vector<double> m(sum.size(), 0.0);
    if (count > 0)
        for (size_t i = 0; i < sum.size(); ++i)
            m[i] = sum[i] / count;
    return m;
}

int coveredExamples(int requested, int available) {
    return requested > 0 ? std::min(requested, available) : available;
}

// Signed maximum over each [n][n] block of an [H][n][n] (or [L][H][n][n]) array.
void blockMaxima(const FloatArray& a, int64_t blocks, std::vector<float>& out) {
    const size_t per = blocks > 0 ? a.data.size() / static_cast<size_t>(blocks) : 0;
    for (int64_t b = 0; b < blocks; ++b) {
        const float* p = a.data.data() + static_cast<size_t>(b) * per;
        out.push_back(per ? *std::max_element(p, p + per) : 0.0f);
    }
}

}  // namespace

std::vector<double> HeadImportance::attributionMean() const {
    return meanOf(attributionSum, examplesDone);
}
std::vector<double> HeadImportance::attentionMean() const {
    return meanOf(attentionSum, examplesDone);
}

Expected<HeadImportance> computeHeadImportance(Model& model, const LabelledInputs& inputs,
                                               const HeadImportanceOptions& options,
                                               const HeadImportance* resume,
                                               const JobContext& job) {
    const auto& config = model.config();
    const int L = config.numLayers, H = config.numHeads;
    if (static_cast<int>(inputs.labels.size()) != inputs.size())
        return Status::error("inputs and labels differ in number");
    if (options.examples < 0)
        return Status::error("the number of examples must not be negative");
    HeadImportance r;
    if (resume) {
        if (resume->numLayers != L || resume->numHeads != H)
            return Status::error("the partial result was computed with another model shape");
        if (resume->options.steps != options.steps || resume->options.rule != options.rule ||
            resume->options.attribution != options.attribution)
            return Status::error("the partial result was computed with other settings");
        r = *resume;
    } else {
        r.numLayers = L;
        r.numHeads = H;
        if (options.attribution)
            r.attributionSum.assign(static_cast<size_t>(L * H), 0.0);
        r.attentionSum.assign(static_cast<size_t>(L * H), 0.0);
    }
    r.options = options;
    r.examplesTotal = coveredExamples(options.examples, inputs.size());
    r.complete = false;
    if (r.examplesDone > r.examplesTotal)
        return Status::error("the partial result covers more examples than requested");

    AttributionOptions attr;
    attr.steps = options.steps;
    attr.rule = options.rule;
    attr.memoryBudgetMB = options.memoryBudgetMB;
    attr.chunkSize = options.chunkSize;
    StageProgress prog(job,
                       options.attribution ? "attribution importance" : "attention importance",
                     r.examplesTotal, r.examplesDone);
    prog.report(r.examplesDone);
    std::vector<float> attrMax, attMax;
    for (int k = r.examplesDone; k < r.examplesTotal; ++k) {
        if (job.cancelled())
            break;
        const Encoding& enc = inputs.encodings[static_cast<size_t>(k)];
        const int gold = inputs.labels[static_cast<size_t>(k)];
        if (gold < 0 || gold >= config.numLabels())
            return Status::error("example " + std::to_string(k) + " has no valid gold class");
        attrMax.clear();
        attMax.clear();
        Prediction pred;
        if (options.attribution) {
            // The official importance attributes the GOLD class's probability (spec §2.1).
            attr.target = std::to_string(gold);
            auto res = attribute(model, enc, attr, {nullptr, job.cancel});
            if (!res) {
                if (res.status().isCancelled())
                    break;  // the example is redone on resume
                return Status::error("example " + std::to_string(k) + " (" +
                                     inputs.ids[static_cast<size_t>(k)] + "): " + res.error());
            }
            for (const auto& layer : res->layers)
                blockMaxima(layer.attribution, H, attrMax);
            pred = std::move(res->prediction);
        } else {
            auto p = model.predict(enc, true);
            if (!p)
                return p.status();
            pred = std::move(*p);
        }
        blockMaxima(pred.attention, L * H, attMax);
        for (int h = 0; h < L * H; ++h) {
            if (options.attribution)
                r.attributionSum[static_cast<size_t>(h)] += attrMax[h];
            r.attentionSum[static_cast<size_t>(h)] += attMax[static_cast<size_t>(h)];
        }
        if (options.keepPerExample) {
            if (options.attribution)
                r.perExampleAttribution.push_back(attrMax);
            r.perExampleAttention.push_back(attMax);
            r.predictions.push_back(pred.predicted);
        }
        r.examplesDone = k + 1;
        prog.report(r.examplesDone);
    }
    r.seconds += prog.elapsed();
    r.complete = r.examplesDone == r.examplesTotal;
    return r;
}

std::string taylorObjectiveName(TaylorObjective objective) {
    return objective == TaylorObjective::LogitSum ? "logit-sum" : "loss";
}

std::string taylorObjectiveMeaning(TaylorObjective objective) {
    if (objective == TaylorObjective::LogitSum)
        return "S = sum of all logits over classes and batch, as prune_head_with_taylor.py does "
               "(not the loss); score = sum over examples and tokens of |<ctx_h, dS/dctx_h>| on "
               "the head's context vector (probs.V), then divided per layer by the layer's L2 norm";
    return "S = cross-entropy loss against the gold label, summed over the batch (Michel et al. "
           "2019); score = sum over examples and tokens of |<ctx_h, dS/dctx_h>| on the head's "
           "context vector (probs.V), then divided per layer by the layer's L2 norm";
}

namespace {

// One padded batch: forward keeping every layer's per-head context vectors in the graph,
// then Σ_tokens |⟨ctx, ∂S/∂ctx⟩| per head, summed over the batch → [L, H].
at::Tensor taylorBatch(const Model::Impl& impl, const std::vector<const Encoding*>& batch,
                       const std::vector<int>& labels, TaylorObjective objective) {
    const auto& net = *impl.net;
    const auto& c = impl.config;
    const int64_t B = static_cast<int64_t>(batch.size());
    int64_t n = 0;
    for (const auto* e : batch)
        n = std::max<int64_t>(n, e->size());
    std::vector<int64_t> ids(static_cast<size_t>(B * n), c.padTokenId), segs(ids.size(), 0);
    std::vector<float> keyMask(ids.size(), -10000.0f);
    for (int64_t b = 0; b < B; ++b)
        for (int64_t i = 0; i < batch[b]->size(); ++i) {
            ids[b * n + i] = batch[b]->inputIds[i];
            segs[b * n + i] = batch[b]->segmentIds[i];
            keyMask[b * n + i] = 0.0f;
        }
    auto idT = at::tensor(ids, at::kLong).view({B, n}).to(impl.device);
    auto segT = at::tensor(segs, at::kLong).view({B, n}).to(impl.device);
    auto maskT = at::tensor(keyMask, at::kFloat).view({B, 1, 1, n}).to(impl.device);

    c10::AutoGradMode grad(true);
    // The weights are frozen, so a leaf at the embeddings is what makes autograd track the
    // context vectors (a retain_grad equivalent for every layer at once).
    at::Tensor h = net.embed(idT, segT).detach().requires_grad_(true);
    // finishLayer multiplies its probabilities by V; with the identity as probabilities and the
    // context as V it continues from our own context tensor exactly (I·ctx == ctx bit for bit),
    // so the gradient with respect to ctx is the model's, without touching the model code.
    const at::Tensor eye = at::eye(n, impl.floatOptions()).view({1, 1, n, n});
    std::vector<at::Tensor> contexts;
    for (int l = 0; l < c.numLayers; ++l) {
        // The family's own scores (DeBERTa adds relative-position terms).
        auto ctx = at::matmul(net.attentionProbs(l, h, maskT), net.values(l, h));  // [B, H, n, dh]
        contexts.push_back(ctx);
        h = net.finishLayer(l, eye, ctx, h);
    }
    auto logits = net.classify(h.select(1, 0));
    at::Tensor S;
    if (objective == TaylorObjective::LogitSum) {
        S = logits.sum();
    } else {
        auto gold = at::tensor(std::vector<int64_t>(labels.begin(), labels.end()), at::kLong)
                        .to(impl.device);
        S = at::cross_entropy_loss(logits, gold, {}, at::Reduction::Sum);
    }
    auto grads = torch::autograd::grad({S}, contexts);
    at::NoGradGuard noGrad;
    std::vector<at::Tensor> perLayer;
    for (size_t l = 0; l < contexts.size(); ++l) {
        // |⟨ctx, g⟩| per token, summed over tokens and batch. Padded query rows have g = 0
        // exactly (no real token reads a padded key), so padding adds nothing.
        auto dot = (contexts[l].detach() * grads[l]).sum(-1).abs();  // [B, H, n]
        perLayer.push_back(dot.to(at::kDouble).sum(at::IntArrayRef{0, 2}));
    }
    return at::stack(perLayer, 0).to(at::kCPU);  // [L, H]
}

void normalizePerLayer(const std::vector<double>& raw, int L, int H, std::vector<double>& out) {
    out.assign(raw.size(), 0.0);
    for (int l = 0; l < L; ++l) {
        double ss = 0.0;
        for (int h = 0; h < H; ++h)
            ss += raw[l * H + h] * raw[l * H + h];
        const double norm = std::sqrt(ss) + 1e-20;
        for (int h = 0; h < H; ++h)
            out[l * H + h] = raw[l * H + h] / norm;
    }
}

}  // namespace

Expected<TaylorImportance> computeTaylorImportance(Model& model, const LabelledInputs& inputs,
                                                   const TaylorOptions& options,
                                                   const TaylorImportance* resume,
                                                   const JobContext& job) {
    auto& impl = ModelAccess::impl(model);
    const int L = impl.config.numLayers, H = impl.config.numHeads;
    if (!impl.hasClassifier)
        return Status::error("this checkpoint has no classification head");
    if (options.batchSize < 1)
        return Status::error("the batch size must be at least 1");
    TaylorImportance r;
    if (resume) {
        if (resume->numLayers != L || resume->numHeads != H ||
            resume->options.objective != options.objective)
            return Status::error("the partial Taylor result was computed with other settings");
        r = *resume;
    } else {
        r.numLayers = L;
        r.numHeads = H;
        r.raw.assign(static_cast<size_t>(L * H), 0.0);
    }
    r.options = options;
    r.examplesTotal = coveredExamples(options.examples, inputs.size());
    r.complete = false;
    StageProgress prog(job, "taylor importance (" + taylorObjectiveName(options.objective) + ")",
                     r.examplesTotal, r.examplesDone);
    prog.report(r.examplesDone);
    try {
        while (r.examplesDone < r.examplesTotal) {
            if (job.cancelled())
                break;
            const int end = std::min(r.examplesTotal, r.examplesDone + options.batchSize);
            std::vector<const Encoding*> batch;
            std::vector<int> labels;
            for (int k = r.examplesDone; k < end; ++k) {
                const Encoding& e = inputs.encodings[static_cast<size_t>(k)];
                if (auto s = checkEncoding(impl, e); !s)
                    return s;
                batch.push_back(&e);
                labels.push_back(inputs.labels[static_cast<size_t>(k)]);
                if (labels.back() < 0 || labels.back() >= impl.config.numLabels())
                    return Status::error("example " + std::to_string(k) + " has no valid class");
            }
            auto scores = taylorBatch(impl, batch, labels, options.objective).contiguous();
            const double* p = scores.data_ptr<double>();
            for (int i = 0; i < L * H; ++i)
                r.raw[static_cast<size_t>(i)] += p[i];
            r.examplesDone = end;
            prog.report(r.examplesDone);
        }
    } catch (const std::exception& e) {
        return Status::error(std::string("Taylor importance failed: ") + e.what());
    }
    normalizePerLayer(r.raw, L, H, r.normalized);
    r.seconds += prog.elapsed();
    r.complete = r.examplesDone == r.examplesTotal;
    return r;
}

Expected<AccuracyDifference> computeAccuracyDifference(const Model& model,
                                                       const LabelledInputs& inputs, int batchSize,
                                                       const AccuracyDifference* resume,
                                                       const JobContext& job) {
    const int L = model.config().numLayers, H = model.config().numHeads;
    EvalOptions eval;
    eval.batchSize = batchSize;
    AccuracyDifference r;
    if (resume) {
        if (resume->numLayers != L || resume->numHeads != H || resume->examples != inputs.size())
            return Status::error("the partial accuracy-difference result does not fit");
        r = *resume;
    }
    r.numLayers = L;
    r.numHeads = H;
    r.examples = inputs.size();
    r.complete = false;
    StageProgress prog(job, "accuracy difference", L * H + 1,
                     resume ? resume->headsDone + 1 : 0);
    if (!resume) {
        auto base = evaluateInputs(model, inputs, nullptr, eval, {nullptr, job.cancel});
        if (!base)
            return base.status().isCancelled() ? Expected<AccuracyDifference>(r) : base.status();
        r.baseAccuracy = base->accuracy;
        r.maskedAccuracy.assign(static_cast<size_t>(L * H), std::nan(""));
        r.drop.assign(static_cast<size_t>(L * H), std::nan(""));
        prog.report(1);
    }
    for (int h = r.headsDone; h < L * H; ++h) {
        HeadMask mask = HeadMask::ones(L, H);
        mask.values[static_cast<size_t>(h)] = 0.0f;
        auto res = evaluateInputs(model, inputs, &mask, eval, {nullptr, job.cancel});
        if (!res) {
            if (res.status().isCancelled())
                break;
            return res.status();
        }
        r.maskedAccuracy[static_cast<size_t>(h)] = res->accuracy;
        r.drop[static_cast<size_t>(h)] = r.baseAccuracy - res->accuracy;
        r.headsDone = h + 1;
        prog.report(h + 2);
    }
    r.seconds += prog.elapsed();
    r.complete = r.headsDone == L * H;
    return r;
}

}  // namespace attrscope
