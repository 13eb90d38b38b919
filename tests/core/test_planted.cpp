// Faithfulness on a planted interaction (issue 4, part 5). A tiny BERT is trained inside the test
// (seeded) on the membership task of planted_task.h: A names three objects with distinct colours,
// B asks "is one of them C ?". On a "yes" example the label rests on one known cross-segment pair,
// B's colour and the identical colour word in A. On held-out "yes" examples we count how often
// the strongest attribution interaction links exactly that pair, and how often the strongest raw
// attention does.
//
// Metric. [CLS]/[SEP] rows and columns and the diagonal are ignored; either direction counts.
//   - attribution (asserted): per layer, the attribution summed over heads (the interaction the
//     paper's attribution tree scores, spec §3), strongest over layers. Also reported: the
//     strongest single (layer, head) entry.
//   - attention (reported): the strongest single (layer, head) weight, and the strongest
//     head-mean per layer.
//   Attribution uses Gauss-Legendre with 20 points: these models are saturated (p ≈ 0.999) and
//   F(α·A) jumps over a short α interval, which the right Riemann sum with 10 steps misses
//   (layer sums of 0.07 or 2.65 instead of ≈ 1). The mean completeness error is reported.
//   The trainer keeps the final model (evalEvery = epochs), not the first one that reaches 100 %.
//
// Why "no" examples are not counted: under the zero baseline, scaling a layer's attention to 0
// removes the match and already reads as "no", so a "no" decision has nothing to attribute and
// there is no planted pair to find. Their accuracy is reported.
//
// Designs that were tried and rejected (all on several seeds, with the same metric):
//   - yes/no "is the ball red ?" with one coloured object: layer 0's [CLS] gathers both colours
//     and its FFN compares them, so the decision sits in the ignored [CLS] row (9-45 %).
//   - 3-way positional (B = "white ?", label = position of the matching object): every example
//     would count, but models decide one class by elimination (neither of the other two
//     positions matches), and that class has nothing to attribute (e.g. 30/33, 6/33, 30/33 hits).
//     Adding a fourth class "none" removes elimination, but the models then compare a fixed
//     position of A with B's colour inside a [SEP]/[CLS] row (positions are fixed by the
//     template): 59-83 % with 4 heads, 56-94 % with 1 or 2 heads, and many seeds did not learn
//     it in 20 epochs.
//
// Negative control: the same shape, vocabulary and initialisation (the trained model's own
// starting point: one epoch at a learning rate of 1e-12) must stay far below the threshold under
// the same metric, so a metric that passes trivially (e.g. because identical tokens attend to each
// other from layer 0's matchInit) is caught.
//
// Measured with this metric and recipe (training seed varied, data fixed; attribution head-sum /
// per head, attention per head / head mean, on the 50 "yes" probes; control = untrained):
//   seed 1: 100/100, 8/36   seed 2: 96/96, 6/0    seed 3: 100/100, 34/22  seed 4: 98/98, 0/36
//   seed 5: not learned (held-out 0.673; 28/30)   seed 6: 84/82, 0/4      seed 7: 96/96, 0/0
//   seed 8: 96/98, 2/20;  control 0-2 % on every seed.
// Not robust yet: at learning rate 8e-4 instead of 1e-3, seed 7 drops to 62 % (exact integral,
// completeness error 0.0001; seeds 2 and 6 give 100 and 96 %), and with 18 epochs seed 7 does
// not learn the task (0.76). With GL 20 the trained model's mean completeness error is ≈ 0.38
// (saturated model). The 96 % of seed 7 was not re-checked with more points; on the positional
// designs, 200 points made the integral exact without changing the hit rates.
// Because a single seed can land on a different solution (seed 6, or seed 7 at another learning
// rate), the test trains three models (seeds 1, 2, 3, chosen before looking at their rates beyond
// the table above) and asserts that each learns the task and that the median attribution hit
// rate is at least 90 %: one unlucky seed cannot fail it, a systematic loss of faithfulness can.

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "attrscope/attribution/attribution.h"
#include "attrscope/train/trainer.h"
#include "planted_task.h"

using namespace attrscope;

namespace {

struct Best {
    int layer = -1, head = -1, i = -1, j = -1;
    float value = -1e30f;
};

// One layer's [H][n][n]: the strongest single entry (perHead) or the strongest sum over heads.
void scanLayer(const float* a, int layer, int H, int n, const std::vector<bool>& special,
               bool perHead, Best& best) {
    for (int i = 0; i < n; ++i) {
        if (special[i]) continue;
        for (int j = 0; j < n; ++j) {
            if (special[j] || i == j) continue;  // interactions link two tokens
            float sum = 0;
            for (int h = 0; h < H; ++h) {
                const float v = a[(static_cast<size_t>(h) * n + i) * n + j];
                sum += v;
                if (perHead && v > best.value) best = {layer, h, i, j, v};
            }
            if (!perHead && sum > best.value) best = {layer, -1, i, j, sum};
        }
    }
}

// Positions of the planted tokens: the occurrenceA-th colour word of A and the colour word of B.
bool plantedPositions(const Encoding& e, const planted::PlantedExample& p, int& pa, int& pb) {
    static const std::set<std::string> colours(planted::colourWords().begin(),
                                               planted::colourWords().end());
    const int sep = e.firstSepIndex();
    pa = pb = -1;
    int seen = 0;
    for (int i = 1; i < sep; ++i)
        if (colours.count(e.tokens[i]) && seen++ == p.occurrenceA) pa = i;
    for (int i = sep + 1; i < e.size(); ++i)
        if (colours.count(e.tokens[i])) pb = i;
    return pa > 0 && pb > 0 && e.tokens[pa] == p.colourA && e.tokens[pb] == p.colourB;
}

bool links(const Best& s, int pa, int pb) {
    return (s.i == pa && s.j == pb) || (s.i == pb && s.j == pa);
}

struct Rates {
    int counted = 0, correct = 0;  // "yes" examples
    int attrSum = 0, attrHead = 0, attnHead = 0, attnMean = 0;
    int noCount = 0, noCorrect = 0;
    double completenessError = 0;  // mean |Σ attr − (F(A) − F(0))| over layers and examples
    double pct(int x) const { return counted ? 100.0 * x / counted : 0.0; }
    double attrRate() const { return counted ? double(attrSum) / counted : 0.0; }
};

Rates measure(Model& model, const std::vector<planted::PlantedExample>& probe,
              const AttributionOptions& ao, int show) {
    Rates r;
    for (const auto& p : probe) {
        auto enc = model.encode(p.example.textA, p.example.textB);
        if (!enc.ok()) qFatal("encode failed: %s", enc.error().c_str());
        if (!p.planted()) {
            auto pred = model.predict(*enc, false);
            ++r.noCount;
            r.noCorrect += pred.ok() && pred->predictedLabel == p.example.label;
            continue;
        }
        int pa, pb;
        if (!plantedPositions(*enc, p, pa, pb)) qFatal("planted tokens not found");
        const int n = enc->size();
        std::vector<bool> special(static_cast<size_t>(n), false);
        for (int i = 0; i < n; ++i)
            special[i] = enc->tokens[i] == "[CLS]" || enc->tokens[i] == "[SEP]";
        auto res = attribute(model, *enc, ao);
        if (!res.ok()) qFatal("attribution failed: %s", res.error().c_str());
        const int H = res->numHeads, L = res->numLayers;
        Best aSum, aHead, tHead, tMean;
        for (const auto& layer : res->layers) {
            scanLayer(layer.attribution.data.data(), layer.layer, H, n, special, false, aSum);
            scanLayer(layer.attribution.data.data(), layer.layer, H, n, special, true, aHead);
            r.completenessError += std::abs(layer.completeness.error()) / res->layers.size();
        }
        for (int l = 0; l < L; ++l) {
            const float* a = res->prediction.attention.data.data() + static_cast<size_t>(l) * H * n * n;
            scanLayer(a, l, H, n, special, true, tHead);
            scanLayer(a, l, H, n, special, false, tMean);  // sum = H × mean: same arg-max
        }
        ++r.counted;
        r.correct += res->targetLabel == p.example.label;
        r.attrSum += links(aSum, pa, pb);
        r.attrHead += links(aHead, pa, pb);
        r.attnHead += links(tHead, pa, pb);
        r.attnMean += links(tMean, pa, pb);
        if (r.counted <= show)
            qInfo("%s | %s (planted %d,%d): attribution L%d %d→%d (%.3f), attention L%d H%d "
                  "%d→%d (%.3f)",
                  p.example.textA.c_str(), p.example.textB->c_str(), pa, pb, aSum.layer, aSum.i,
                  aSum.j, aSum.value, tHead.layer, tHead.head, tHead.i, tHead.j, tHead.value);
    }
    if (r.counted) r.completenessError /= r.counted;
    return r;
}

}  // namespace

class TestPlanted : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void attributionFindsThePlantedPair() {
        setThreadCount(1);
        const auto t0 = std::chrono::steady_clock::now();
        const auto trainSet = planted::toDataset(planted::generate(3000, 1));
        const auto evalSet = planted::toDataset(planted::generate(300, 2));
        const auto probe = planted::generate(100, 3);  // 50 "yes", 50 "no"

        TrainOptions o;
        o.layers = 2;
        o.hidden = 64;
        o.heads = 4;
        o.intermediate = 128;
        o.maxLength = 32;
        o.vocabSize = 200;  // every word of the task stays one token
        o.minFrequency = 1;
        o.epochs = 20;
        o.evalEvery = o.epochs;  // keep the final (sharper) model
        o.batchSize = 32;
        o.learningRate = 1e-3;
        o.warmupProportion = 0.1;
        o.dropout = 0.0;
        // Matching tokens across segments sits on a long loss plateau from a plain
        // initialisation; equal query/key weights in layer 0 start it off (see TrainOptions).
        o.matchInit = 0.15;
        AttributionOptions ao;
        ao.rule = Rule::GaussLegendre;
        ao.steps = 20;
        QTemporaryDir dir;
        std::vector<double> attrRates, attnRates;
        for (uint64_t seed : {1, 2, 3}) {
            o.seed = seed;
            const std::string out = dir.filePath(QString("planted-%1").arg(seed)).toStdString();
            auto report = train(trainSet, evalSet, o, out);
            QVERIFY2(report.ok(), report.error().c_str());
            qInfo("seed %d: held-out accuracy %.3f (loss %.4f)", int(seed),
                  report->bestEvalAccuracy, report->epochs.back().trainLoss);
            QVERIFY2(report->bestEvalAccuracy >= 0.95, "a tiny model did not learn the task");
            auto model = Model::load(out);
            QVERIFY2(model.ok(), model.error().c_str());
            const Rates r = measure(**model, probe, ao, seed == 1 ? 4 : 0);
            qInfo("seed %d, %d 'yes' examples (%d predicted right): attribution %.1f %% (per "
                  "head %.1f %%), attention %.1f %% (head mean %.1f %%); mean completeness "
                  "error %.4f; %d of %d 'no' examples right (not counted, nothing planted)",
                  int(seed), r.counted, r.correct, r.pct(r.attrSum), r.pct(r.attrHead),
                  r.pct(r.attnHead), r.pct(r.attnMean), r.completenessError, r.noCorrect,
                  r.noCount);
            QVERIFY2(r.counted >= 40, "too few 'yes' examples");
            attrRates.push_back(r.attrRate());
            attnRates.push_back(double(r.attnHead) / r.counted);
        }
        std::sort(attrRates.begin(), attrRates.end());
        std::sort(attnRates.begin(), attnRates.end());
        qInfo("median over seeds 1-3: attribution %.1f %%, attention %.1f %%", 100 * attrRates[1],
              100 * attnRates[1]);

        // Negative control: same shape, vocabulary and initialisation, (practically) untrained.
        TrainOptions c = o;
        c.seed = 1;
        c.epochs = 1;
        c.evalEvery = 1;
        c.learningRate = 1e-12;  // must be positive; no weight moves measurably
        const std::string outC = dir.filePath("control").toStdString();
        auto reportC = train(trainSet, evalSet, c, outC);
        QVERIFY2(reportC.ok(), reportC.error().c_str());
        auto control = Model::load(outC);
        QVERIFY2(control.ok(), control.error().c_str());
        const Rates n = measure(**control, probe, ao, 0);
        qInfo("untrained control, %d 'yes' examples: attribution %.1f %% (per head %.1f %%), "
              "attention %.1f %% (head mean %.1f %%)",
              n.counted, n.pct(n.attrSum), n.pct(n.attrHead), n.pct(n.attnHead),
              n.pct(n.attnMean));
        qInfo("planted test total %.1f s",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

        QVERIFY2(n.attrRate() < 0.5, "the untrained control reaches the metric: it is trivial");
        QVERIFY2(attrRates[1] >= 0.9, "median attribution hit rate below the 90 % target");
    }
};

QTEST_GUILESS_MAIN(TestPlanted)
#include "test_planted.moc"
