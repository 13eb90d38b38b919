#include "attrscope/attribution/token_ig.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>

#include "attention_path.h"
#include "attrscope/text/token_roles.h"

namespace attrscope {

namespace {

// Target probability for embedding outputs e [B, n, d]: the encoder and the classifier, the
// last layer for [CLS] only.
at::Tensor probsFromEmbeddings(const EncoderClassifierImpl& net, const at::Tensor& e, int target) {
    at::Tensor h = e;
    const int L = net.numLayers();
    for (int l = 0; l < L; ++l) {
        LayerHooks hooks;
        hooks.clsOnly = (l == L - 1);
        h = net.layer(l, h, hooks);
    }
    return classScores(net.config, net.classify(h.select(1, 0))).select(1, target);
}

}  // namespace

void aggregateWords(TokenIgResult& r) {
    r.words.clear();
    r.wordAttr.clear();
    r.wordOfToken.clear();
    Encoding e;
    e.tokens = r.tokens;
    const TokenRoles roles = tokenRoles(e);  // "##", "Ġ" and "▁" pieces alike
    for (size_t i = 0; i < r.tokens.size(); ++i) {
        const std::string& t = r.tokens[i];
        if (roles.continuation[i] && !r.words.empty()) {
            r.words.back() += pieceText(t);
            r.wordAttr.back() += r.tokenAttr[i];
        } else {
            r.words.push_back(roles.special[i] ? t : displayToken(t));
            r.wordAttr.push_back(r.tokenAttr[i]);
        }
        r.wordOfToken.push_back(static_cast<int>(r.words.size()) - 1);
    }
}

Expected<TokenIgResult> tokenIntegratedGradients(Model& model, const Encoding& input,
                                                 const TokenIgOptions& options,
                                                 const JobContext& job) {
    auto& impl = ModelAccess::impl(model);
    if (!impl.hasClassifier)
        return Status::error("this checkpoint has no classification head");
    if (options.steps < 1 || options.steps > 100000)
        return Status::error("steps must be between 1 and 100000");
    if (auto s = checkEncoding(impl, input); !s)
        return s;
    // The [PAD] baseline keeps the template's special tokens: from the encoding's mask (set by
    // the tokenizer.json, BPE and SentencePiece tokenizers), else from the WordPiece
    // vocabulary's [CLS]/[SEP] (vocab.txt folders).
    const bool haveMask = input.specialTokensMask.size() == input.inputIds.size();
    if (options.baseline == IgBaseline::Pad && !haveMask && !impl.tokenizer)
        return Status::error(
            "integrated gradients with the [PAD] baseline need to know the special "
            "tokens: encode the text with the model's tokenizer, or use the zero "
            "baseline");
    try {
        const auto& net = *impl.net;
        int64_t pad = impl.config.padTokenId;
        if (impl.tokenizer && impl.tokenizer->vocabulary().padId() >= 0)
            pad = impl.tokenizer->vocabulary().padId();
        std::vector<int64_t> refIds = input.inputIds;
        for (size_t i = 0; i < refIds.size(); ++i) {
            const bool special = haveMask ? input.specialTokensMask[i] != 0
                                 : impl.tokenizer
                                     ? refIds[i] == impl.tokenizer->vocabulary().clsId() ||
                                           refIds[i] == impl.tokenizer->vocabulary().sepId()
                                     : false;  // zero baseline: the ids are not used
            if (!special)
                refIds[i] = pad;
        }
        Encoding ref = input;
        ref.inputIds = refIds;

        at::Tensor x, base, logits;
        {
            at::NoGradGuard noGrad;
            x = net.embed(impl.ids(input), impl.segments(input));  // [1, n, d]
            base = options.baseline == IgBaseline::Pad
                       ? net.embed(impl.ids(ref), impl.segments(input))
                       : at::zeros_like(x);
            logits =
                net.forward(impl.ids(input), impl.segments(input), {}, {}, false, false).logits;
        }
        auto target = resolveTarget(options.target, impl.config, logits[0].argmax().item<int>());
        if (!target)
            return target.status();

        const Quadrature quad = Quadrature::make(options.rule, options.steps);
        const int m = options.steps;
        const int chunk = std::clamp(options.chunkSize, 1, m);
        const at::Tensor diff = x - base;
        at::Tensor G = at::zeros_like(x[0]);  // Σ_k w_k ∂F/∂x at x' + α_k (x − x')
        for (int s = 0; s < m; s += chunk) {
            if (job.cancelled())
                return Status::cancelled();
            const int c = std::min(chunk, m - s);
            std::vector<double> a(quad.alphas.begin() + s, quad.alphas.begin() + s + c);
            std::vector<double> w(quad.weights.begin() + s, quad.weights.begin() + s + c);
            auto alpha = at::tensor(a).to(x.options()).view({c, 1, 1});
            auto weight = at::tensor(w).to(x.options());
            at::Tensor X = (base + alpha * diff).detach().requires_grad_(true);
            c10::AutoGradMode grad(true);
            auto p = probsFromEmbeddings(net, X, *target);
            G.add_(torch::autograd::grad({(p * weight).sum()}, {X})[0].sum(0));
        }

        at::NoGradGuard noGrad;
        TokenIgResult r;
        r.target = *target;
        r.steps = m;
        r.tokens = input.tokens;
        auto attr = (diff[0] * G).sum(-1).to(at::kCPU, at::kDouble).contiguous();
        r.tokenAttr.assign(attr.data_ptr<double>(), attr.data_ptr<double>() + attr.numel());
        for (double v : r.tokenAttr)
            r.sumAttr += v;
        auto ends = probsFromEmbeddings(net, at::cat({x, base}, 0), *target).to(at::kCPU);
        r.fInput = ends[0].item<double>();
        r.fBaseline = ends[1].item<double>();
        aggregateWords(r);
        return r;
    } catch (const std::exception& e) {
        return Status::error(std::string("integrated gradients failed: ") + e.what());
    }
}

}  // namespace attrscope
