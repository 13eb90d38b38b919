// Resumable pre-training: a run cancelled mid-epoch (twice, once across an epoch boundary) and
// resumed writes byte-identical weights and the same per-epoch losses as an uninterrupted run;
// periodic checkpoints appear; resuming with other options or texts, or with nothing saved, is
// refused. The bf16 matrix-product option trains to a loss close to float32's (its speed is
// printed; it is fast only on CPUs with AVX512-BF16).

#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "attrscope/train/pretrainer.h"

using namespace attrscope;

namespace {

// Pairs of a sentence of random words and a shuffled copy.
Dataset pairs(int count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    Dataset d;
    d.path = "pairs";
    d.format = "glue-pair";
    d.labelNames = {"same"};
    for (int k = 0; k < count; ++k) {
        std::vector<std::string> words;
        const int len = 4 + static_cast<int>(rng() % 6);
        for (int i = 0; i < len; ++i)
            words.push_back("w" + std::to_string(rng() % 50));
        std::string a, b;
        for (const auto& w : words)
            a += (a.empty() ? "" : " ") + w;
        std::shuffle(words.begin(), words.end(), rng);
        for (const auto& w : words)
            b += (b.empty() ? "" : " ") + w;
        Example e;
        e.textA = a;
        e.textB = b;
        e.label = "same";
        e.row = k + 1;
        d.examples.push_back(e);
    }
    return d;
}

PretrainOptions tiny() {
    PretrainOptions o;
    o.layers = 2;
    o.hidden = 32;
    o.heads = 2;
    o.intermediate = 64;
    o.maxLength = 24;
    o.vocabSize = 120;
    o.minFrequency = 1;
    o.epochs = 3;
    o.batchSize = 16;  // 300 pairs, 5 % held out: 18 batches per epoch
    o.learningRate = 2e-3;
    o.dropout = 0.1;  // dropout masks must be reproduced too
    o.pairTask = true;
    o.checkpointMinutes = 0;
    o.seed = 11;
    return o;
}

std::string readAll(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// Cancels the run when it reaches the given step.
class CancelAt : public TrainListener {
public:
    CancelAt(int64_t step, CancelToken& token) : step_(step), token_(token) {}
    void onStep(const TrainProgress& p) override {
        if (p.step >= step_)
            token_.cancel();
    }

private:
    int64_t step_;
    CancelToken& token_;
};

std::vector<double> losses(const Expected<PretrainReport>& r) {
    std::vector<double> out;
    for (const auto& e : r->epochs)
        out.push_back(e.trainLoss);
    return out;
}

}  // namespace

class TestPretrainResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resumedRunIsBitIdentical() {
        QTemporaryDir dir;
        const Dataset data = pairs(300, 3);
        const std::string whole = dir.filePath("whole").toStdString();
        auto straight = pretrainMaskedLm({data}, tiny(), whole);
        QVERIFY2(straight, straight ? "" : straight.error().c_str());
        QCOMPARE(int(straight->epochs.size()), 3);
        QVERIFY(straight->tokens > 0 && straight->tokensPerSecond > 0);

        const std::string cut = dir.filePath("cut").toStdString();
        PretrainOptions o = tiny();
        for (int64_t at : {7, 25}) {  // mid-epoch 1, then mid-epoch 2 (after a boundary)
            CancelToken token;
            CancelAt sink(at, token);
            auto r = pretrainMaskedLm({data}, o, cut, {nullptr, &token}, &sink);
            QVERIFY(!r && r.status().isCancelled());
            QVERIFY(!QFileInfo::exists(QString::fromStdString(cut + "/model.safetensors")));
            QVERIFY(std::filesystem::exists(cut + "/.pretrain-state/step-" + std::to_string(at)));
            o.resume = true;
        }
        auto resumed = pretrainMaskedLm({data}, o, cut);
        QVERIFY2(resumed, resumed ? "" : resumed.error().c_str());
        QVERIFY(resumed->resumed);
        QCOMPARE(resumed->steps, straight->steps);
        QCOMPARE(resumed->tokens, straight->tokens);
        QVERIFY(losses(resumed) == losses(straight));
        QCOMPARE(resumed->heldOutPairAccuracy, straight->heldOutPairAccuracy);
        const std::string a = readAll(whole + "/model.safetensors");
        QVERIFY(a.size() > 1000);
        QVERIFY2(readAll(cut + "/model.safetensors") == a, "resumed weights differ");
        QVERIFY(!std::filesystem::exists(cut + "/.pretrain-state"));  // removed when finished
    }

    void periodicCheckpointsAndRefusals() {
        QTemporaryDir dir;
        const Dataset data = pairs(300, 3);
        const std::string out = dir.filePath("p").toStdString();
        PretrainOptions o = tiny();
        o.checkpointEverySteps = 10;
        CancelToken token;
        CancelAt sink(23, token);  // checkpoints at 10 and 20, then 23 on cancel
        auto r = pretrainMaskedLm({data}, o, out, {nullptr, &token}, &sink);
        QVERIFY(r.status().isCancelled());
        // Only the newest is kept.
        QVERIFY(std::filesystem::exists(out + "/.pretrain-state/step-23"));
        QVERIFY(!std::filesystem::exists(out + "/.pretrain-state/step-20"));

        o.resume = true;
        PretrainOptions other = o;
        other.learningRate = 1e-3;
        auto changed = pretrainMaskedLm({data}, other, out);
        QVERIFY(!changed);
        QVERIFY(changed.error().find("other options") != std::string::npos);
        auto otherText = pretrainMaskedLm({pairs(300, 4)}, o, out);
        QVERIFY(!otherText);
        QVERIFY(otherText.error().find("other texts") != std::string::npos);
        auto nothing = pretrainMaskedLm({data}, o, dir.filePath("none").toStdString());
        QVERIFY(!nothing);
        QVERIFY(nothing.error().find("no interrupted pre-training") != std::string::npos);
        // Without --resume an interrupted folder is not silently restarted.
        o.resume = false;
        auto again = pretrainMaskedLm({data}, o, out);
        QVERIFY(!again);
        QVERIFY(again.error().find("--resume") != std::string::npos);
    }

    void bf16TrainsLikeFloat32() {
        QTemporaryDir dir;
        // Small: on CPUs without AVX512-BF16 the bf16 products are emulated and several times
        // slower than float32.
        const Dataset data = pairs(300, 5);
        PretrainOptions o = tiny();
        o.epochs = 5;
        o.dropout = 0.0;
        o.pairTask = false;
        o.learningRate = 1e-2;  // so that the loss falls well below log(vocabulary) in 5 epochs
        std::vector<double> seconds, firstLoss, finalLoss, heldOut;
        for (bool bf16 : {false, true}) {
            o.bf16 = bf16;
            const auto t0 = std::chrono::steady_clock::now();
            auto r = pretrainMaskedLm({data}, o, dir.filePath(bf16 ? "b" : "f").toStdString());
            QVERIFY2(r, r ? "" : r.error().c_str());
            seconds.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            firstLoss.push_back(r->epochs.front().trainLoss);
            finalLoss.push_back(r->epochs.back().trainLoss);
            heldOut.push_back(r->epochs.back().evalAccuracy);
        }
        qInfo(
            "float32: %.1f s, loss %.4f → %.4f, held-out masked acc %.3f; bf16: %.1f s, "
            "loss %.4f → %.4f, acc %.3f; speed ratio fp32/bf16 %.2f",
            seconds[0], firstLoss[0], finalLoss[0], heldOut[0], seconds[1], firstLoss[1],
            finalLoss[1], heldOut[1], seconds[0] / seconds[1]);
        QVERIFY(finalLoss[0] < firstLoss[0] - 0.15);  // it learned: the comparison means something
        QVERIFY(finalLoss[1] != finalLoss[0]);        // bf16 really ran at another precision
        QVERIFY(std::abs(finalLoss[1] - finalLoss[0]) < 0.02 * finalLoss[0]);
        QVERIFY(std::abs(heldOut[1] - heldOut[0]) < 0.05);
    }
};

QTEST_GUILESS_MAIN(TestPretrainResume)
#include "test_pretrain_resume.moc"
