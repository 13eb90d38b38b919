// Gradient-weighted attention against finite differences of the model itself, token-level
// integrated gradients against a float64 PyTorch reference on the golden checkpoint
// (tests/data/tiny-uncased-3cls, PROVENANCE.md) and its completeness converging with m, and the
// adaptive integration rule's per-layer tolerance.

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attrscope/attribution/attribution.h"
#include "attrscope/attribution/gradient_attention.h"
#include "attrscope/attribution/token_ig.h"

using namespace attrscope;

namespace {

const std::string kData = std::string(ATTRSCOPE_TEST_DATA_DIR) + "/tiny-uncased-3cls";

ModelConfig tinyConfig() {
    ModelConfig c;
    c.numLayers = 3;
    c.hiddenSize = 32;
    c.numHeads = 4;
    c.intermediateSize = 64;
    c.vocabSize = 200;
    c.maxPositionEmbeddings = 64;
    c.layerNormEps = 1e-5;
    c.id2label = {"contradiction", "entailment", "neutral"};
    return c;
}

Encoding fromCase(const nlohmann::json& c) {
    Encoding e;
    e.tokens = c["tokens"].get<std::vector<std::string>>();
    e.inputIds = c["input_ids"].get<std::vector<int64_t>>();
    e.segmentIds = c["segment_ids"].get<std::vector<int64_t>>();
    e.isPair = e.segmentIds.back() == 1;
    return e;
}

}  // namespace

class TestExplanations : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<Model> golden_, tiny_;
    nlohmann::json reference_;
    Encoding tinyInput_;

private Q_SLOTS:
    void initTestCase() {
        setThreadCount(2);
        auto g =
            Model::load(std::string(ATTRSCOPE_TEST_DATA_DIR) + "/golden/tiny-uncased-3cls/model");
        QVERIFY2(g.ok(), g.ok() ? "" : g.error().c_str());
        golden_ = *g;
        std::ifstream in(kData + "/token_ig_reference.json");
        QVERIFY(in);
        reference_ = nlohmann::json::parse(in);
        auto t = Model::random(tinyConfig(), 77);
        QVERIFY(t.ok());
        tiny_ = *t;
        auto e = tiny_->encode("the cat sat on the mat", std::string("a dog ran"));
        QVERIFY(e.ok());
        tinyInput_ = *e;
    }

    void gradientMatchesFiniteDifferences() {
        auto enc = fromCase(reference_["cases"][0]);
        auto r = gradientWeightedAttention(*golden_, enc);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        auto pred = golden_->predict(enc, true);
        QVERIFY(pred.ok());
        QCOMPARE(r->target, pred->predicted);
        const int64_t L = r->gradients.dim(0), H = r->gradients.dim(1), n = r->gradients.dim(2);
        // The largest-gradient entry of every layer and head, plus a fixed one, by central
        // differences of F with that attention entry moved (the layers above recomputed).
        const double eps = 1e-2;
        int checked = 0;
        for (int64_t l = 0; l < L; ++l)
            for (int64_t h = 0; h < H; ++h) {
                const float* g = r->gradients.block({l, h});
                int64_t best = 0;
                for (int64_t k = 1; k < n * n; ++k)
                    if (std::fabs(g[k]) > std::fabs(g[best]))
                        best = k;
                for (int64_t k : {best, int64_t(1)}) {
                    FloatArray probs({H, n, n});
                    std::copy(pred->attention.block({l}), pred->attention.block({l}) + H * n * n,
                              probs.data.begin());
                    const size_t idx = static_cast<size_t>(h * n * n + k);
                    const float a0 = probs.data[idx];
                    probs.data[idx] = a0 + float(eps);
                    auto up = evaluateWithAttention(*golden_, enc, int(l), probs, r->target);
                    probs.data[idx] = a0 - float(eps);
                    auto down = evaluateWithAttention(*golden_, enc, int(l), probs, r->target);
                    QVERIFY(up.ok() && down.ok());
                    const double fd = (*up - *down) / (2 * eps);
                    QVERIFY2(std::fabs(fd - g[k]) <= 2e-3 * std::max(1.0, std::fabs(fd)) + 1e-5,
                             qPrintable(QString("layer %1 head %2 entry %3: grad %4 fd %5")
                                            .arg(l)
                                            .arg(h)
                                            .arg(k)
                                            .arg(g[k])
                                            .arg(fd)));
                    ++checked;
                }
            }
        QCOMPARE(checked, int(2 * L * H));
        // Ā and R follow from the gradients and the attention by their definitions.
        std::vector<double> R(size_t(n * n), 0.0);
        for (int64_t i = 0; i < n; ++i)
            R[size_t(i * n + i)] = 1.0;
        for (int64_t l = 0; l < L; ++l) {
            std::vector<double> bar(size_t(n * n), 0.0);
            for (int64_t h = 0; h < H; ++h)
                for (int64_t k = 0; k < n * n; ++k)
                    bar[size_t(k)] += std::max(0.0, double(r->gradients.block({l, h})[k]) *
                                                        pred->attention.block({l, h})[k]) /
                                      H;
            std::vector<double> next = R;
            for (int64_t i = 0; i < n; ++i)
                for (int64_t k = 0; k < n; ++k)
                    for (int64_t j = 0; j < n; ++j)
                        next[size_t(i * n + j)] += bar[size_t(i * n + k)] * R[size_t(k * n + j)];
            R = next;
            for (int64_t k = 0; k < n * n; ++k) {
                QVERIFY(std::fabs(r->perLayer.block({l})[k] - bar[size_t(k)]) < 1e-6);
                QVERIFY(std::fabs(r->relevance.block({l})[k] - R[size_t(k)]) <
                        1e-5 * std::max(1.0, std::fabs(R[size_t(k)])));
            }
        }
    }

    void tokenIgMatchesFloat64Reference() {
        for (const auto& c : reference_["cases"]) {
            const auto enc = fromCase(c);
            for (IgBaseline baseline : {IgBaseline::Pad, IgBaseline::Zero}) {
                const auto& ref = c[baseline == IgBaseline::Pad ? "pad_m50" : "zero_m50"];
                TokenIgOptions o;
                o.baseline = baseline;
                auto r = tokenIntegratedGradients(*golden_, enc, o);
                QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
                QCOMPARE(r->target, c["target"].get<int>());
                const auto want = ref["token_attr"].get<std::vector<double>>();
                QCOMPARE(r->tokenAttr.size(), want.size());
                double scale = 0, err = 0;
                for (size_t i = 0; i < want.size(); ++i) {
                    scale = std::max(scale, std::fabs(want[i]));
                    err = std::max(err, std::fabs(r->tokenAttr[i] - want[i]));
                }
                qInfo("%s %s: max |float32 − float64| = %.2e (%.4f %% of max |attr| %.4f)",
                      c["id"].get<std::string>().c_str(),
                      baseline == IgBaseline::Pad ? "pad" : "zero", err, 100 * err / scale, scale);
                QVERIFY(err <= 1e-3 * scale);
                QVERIFY(std::fabs(r->fInput - ref["f_input"].get<double>()) < 1e-5);
                QVERIFY(std::fabs(r->fBaseline - ref["f_baseline"].get<double>()) < 1e-5);
            }
        }
    }

    void tokenIgCompletenessConvergesWithSteps() {
        // The [PAD] baseline's path is smooth: Gauss–Legendre converges fast. (The zero
        // baseline's path crosses LayerNorm near the origin; the float64 reference shows it
        // still 0.3–3 % off at m = 50 and converged only by m = 400.)
        const auto enc = fromCase(reference_["cases"][2]);
        std::vector<double> errors;
        for (int m : {1, 2, 8, 32}) {
            TokenIgOptions o;
            o.steps = m;
            auto r = tokenIntegratedGradients(*golden_, enc, o);
            QVERIFY(r.ok());
            errors.push_back(std::fabs(r->completenessError()));
            qInfo("[PAD] baseline, Gauss–Legendre m = %d: |Σ attr − (F(x) − F(x'))| = %.2e", m,
                  errors.back());
        }
        QVERIFY(errors.back() < errors.front() / 10);
        QVERIFY(errors.back() < 1e-4);
        // Zero baseline: the same slow convergence as the float64 reference at m = 50.
        TokenIgOptions z;
        z.baseline = IgBaseline::Zero;
        auto r = tokenIntegratedGradients(*golden_, enc, z);
        QVERIFY(r.ok());
        const auto& ref = reference_["cases"][2]["zero_m50"];
        double refSum = 0;
        for (double v : ref["token_attr"].get<std::vector<double>>())
            refSum += v;
        const double refErr =
            refSum - (ref["f_input"].get<double>() - ref["f_baseline"].get<double>());
        qInfo("zero baseline m = 50: completeness error %.3e (float64 reference %.3e)",
              r->completenessError(), refErr);
        QVERIFY(std::fabs(r->completenessError() - refErr) < 1e-5);
    }

    // Token IG for every family, also those without a vocab.txt: the [PAD] baseline keeps the
    // template's special tokens (from the encoding's mask) and replaces the rest by the
    // config's pad id; F(x') equals a forward on exactly that input, and completeness holds.
    void tokenIgForEveryFamily() {
        for (const char* family :
             {"roberta", "xlm-roberta", "distilbert", "electra", "albert", "deberta-v3"}) {
            auto m = Model::load(std::string(ATTRSCOPE_TEST_DATA_DIR) + "/families/" + family +
                                 "/model");
            QVERIFY2(m.ok(), m.error().c_str());
            Model& model = **m;
            auto enc = model.encode("The cat sat on the mat.", std::string("A dog ran away."));
            QVERIFY2(enc.ok(), enc.error().c_str());
            TokenIgOptions o;
            o.steps = 32;
            auto r = tokenIntegratedGradients(model, *enc, o);
            QVERIFY2(r.ok(), (std::string(family) + ": " + r.error()).c_str());
            Encoding ref = *enc;
            // Specials: the encoding's mask (tokenizer.json, BPE, SentencePiece), else the
            // WordPiece template's [CLS] / [SEP] (vocab.txt folders).
            const bool mask = enc->specialTokensMask.size() == enc->inputIds.size();
            for (size_t i = 0; i < ref.inputIds.size(); ++i) {
                const bool special = mask ? enc->specialTokensMask[i] != 0
                                          : enc->tokens[i] == "[CLS]" || enc->tokens[i] == "[SEP]";
                if (!special)
                    ref.inputIds[i] = model.config().padTokenId;
            }
            auto p = model.predict(ref, false);
            QVERIFY2(p.ok(), p.error().c_str());
            const double delta = r->fInput - r->fBaseline;
            qInfo(
                "%s: F(x) %.5f, F(x') %.5f (forward on the baseline %.5f), completeness "
                "error %.2e",
                family, r->fInput, r->fBaseline, p->probs[size_t(r->target)],
                r->completenessError());
            QVERIFY(std::fabs(p->probs[size_t(r->target)] - r->fBaseline) < 1e-5);
            // GL m = 32 on a random model: within 1 % of the change (plus float noise), as the
            // golden model's [PAD] path at m = 32 is within 1e-4.
            QVERIFY(std::fabs(r->completenessError()) <=
                    0.01 * std::max(1e-3, std::fabs(delta)) + 1e-5);
        }
    }

    void wordsAggregatePieces() {
        TokenIgResult r;
        r.tokens = {"[CLS]", "play", "##ing", "##s", "x", "[SEP]", "##a"};
        r.tokenAttr = {0.1, 1, 2, 3, 4, 5, 6};
        aggregateWords(r);
        QCOMPARE(r.words, (std::vector<std::string>{"[CLS]", "playings", "x", "[SEP]", "##a"}));
        QCOMPARE(r.wordAttr, (std::vector<double>{0.1, 6, 4, 5, 6}));
        QCOMPARE(r.wordOfToken, (std::vector<int>{0, 1, 1, 1, 2, 3, 4}));
    }

    void adaptiveMeetsToleranceOrCap() {
        AttributionOptions o;
        o.rule = Rule::Adaptive;
        o.steps = 2;
        o.tolerance = 0.002;
        o.maxSteps = 64;
        auto r = attribute(*tiny_, tinyInput_, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        bool refined = false;
        for (const auto& la : r->layers) {
            const double tol = o.tolerance * std::max(std::fabs(la.completeness.delta()), 1e-3);
            qInfo("layer %d: m = %d, error %.2e, tolerance %.2e", la.layer, la.steps,
                  la.completeness.error(), tol);
            QVERIFY(std::fabs(la.completeness.error()) <= tol || la.steps == o.maxSteps);
            QCOMPARE(int(la.alphas.size()), la.steps);
            refined |= la.steps > o.steps;
            // The adaptive result is the Gauss–Legendre attribution at the m it reports.
            AttributionOptions gl;
            gl.rule = Rule::GaussLegendre;
            gl.steps = la.steps;
            gl.layers = {la.layer};
            auto g = attribute(*tiny_, tinyInput_, gl);
            QVERIFY(g.ok());
            for (size_t k = 0; k < la.attribution.data.size(); ++k)
                QVERIFY(std::fabs(la.attribution.data[k] - g->layers[0].attribution.data[k]) <
                        1e-6);
        }
        QVERIFY(refined);  // m = 2 is never enough at this tolerance
        o.maxSteps = 0;
        QVERIFY(!attribute(*tiny_, tinyInput_, o).ok());
        QCOMPARE(parseRule("adaptive"), std::optional<Rule>(Rule::Adaptive));
        QCOMPARE(ruleName(Rule::Adaptive), std::string("adaptive"));
    }

    void bf16StaysCloseToFloat32() {
        AttributionOptions o;
        o.steps = 8;
        auto ref = attribute(*golden_, fromCase(reference_["cases"][1]), o);
        o.precision = Precision::Bf16;
        auto fast = attribute(*golden_, fromCase(reference_["cases"][1]), o);
        QVERIFY(ref.ok() && fast.ok());
        for (size_t l = 0; l < ref->layers.size(); ++l) {
            const auto& a = ref->layers[l].attribution.data;
            const auto& b = fast->layers[l].attribution.data;
            double err = 0, scale = 0, diff = 0;
            for (size_t k = 0; k < a.size(); ++k) {
                scale = std::max(scale, double(std::fabs(a[k])));
                err = std::max(err, double(std::fabs(a[k] - b[k])));
                diff += std::fabs(a[k] - b[k]);
            }
            qInfo("layer %zu: bf16 max error %.3f %% of max |attr|", l, 100 * err / scale);
            QVERIFY(err <= 0.05 * scale);  // bf16 has 8 mantissa bits: percent-level, not more
            QVERIFY(diff > 0);             // and the products really ran in bf16
        }
        QCOMPARE(parsePrecision("bf16"), std::optional<Precision>(Precision::Bf16));
        QVERIFY(!parsePrecision("fp8"));
    }

    void badInputIsAnError() {
        Encoding bad = tinyInput_;
        bad.inputIds[1] = 100000;
        QVERIFY(!tokenIntegratedGradients(*tiny_, bad).ok());
        QVERIFY(!gradientWeightedAttention(*tiny_, bad).ok());
        TokenIgOptions o;
        o.steps = 0;
        QVERIFY(!tokenIntegratedGradients(*tiny_, tinyInput_, o).ok());
        GradientAttentionOptions g;
        g.target = "nonsense";
        QVERIFY(!gradientWeightedAttention(*tiny_, tinyInput_, g).ok());
    }
};

QTEST_GUILESS_MAIN(TestExplanations)
#include "test_explanations.moc"
