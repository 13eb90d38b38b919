#pragma once
// Token-level integrated gradients on the input embeddings, with the semantics of Captum's
// LayerIntegratedGradients on `bert.embeddings` (the embedding block's output, after its
// LayerNorm): the path runs from the baseline's embedding output to the input's, and a token's
// attribution is Σ_d (x − x')_d · ∫ ∂F/∂x_d. Defaults follow Captum (50 Gauss–Legendre points).

#include <string>
#include <vector>

#include "attrscope/attribution/attribution.h"

namespace attrscope {

enum class IgBaseline {
    Pad,   // every non-special token replaced by [PAD]; [CLS]/[SEP], positions, segments kept
    Zero,  // the zero vector in embedding-output space
};

struct TokenIgOptions {
    int steps = 50;
    Rule rule = Rule::GaussLegendre;  // Captum's default method
    IgBaseline baseline = IgBaseline::Pad;
    std::string target = "predicted";
    int chunkSize = 16;  // path points per batched pass
};

struct TokenIgResult {
    int target = -1;
    std::vector<std::string> tokens;
    std::vector<double> tokenAttr;  // per word piece, probability units
    std::vector<std::string> words;  // word pieces joined ("##" continuations merged)
    std::vector<double> wordAttr;    // Σ of the word's pieces
    std::vector<int> wordOfToken;    // index into words for each token
    double fInput = 0.0;             // F(x)
    double fBaseline = 0.0;          // F(x')
    double sumAttr = 0.0;            // Σ tokenAttr ≈ F(x) − F(x') (completeness)
    int steps = 0;
    double completenessError() const { return sumAttr - (fInput - fBaseline); }
};

Expected<TokenIgResult> tokenIntegratedGradients(Model& model, const Encoding& input,
                                                 const TokenIgOptions& options = {},
                                                 const JobContext& job = {});

// Merges "##" word pieces into words (specials stay words of their own).
void aggregateWords(TokenIgResult& result);

}  // namespace attrscope
