#include "attrscope/analysis/triggers.h"

#include <algorithm>
#include <numeric>

#include "attrscope/job.h"

namespace attrscope {

namespace {

// The template specials of the supported families ([PAD] never reaches an unpadded input).
bool isSpecial(const std::string& token, const std::vector<std::string>& extra = {}) {
    return token == "[CLS]" || token == "[SEP]" || token == "<s>" || token == "</s>" ||
           std::find(extra.begin(), extra.end(), token) != extra.end();
}

// The end of A: BERT's first [SEP] (the official string search); with a tokenizer's special
// mask, the first special after the leading one (RoBERTa's first </s>).
int segmentEnd(const Encoding& e) {
    const auto& tokens = e.tokens;
    if (e.specialTokensMask.size() == tokens.size()) {
        for (size_t i = 1; i < tokens.size(); ++i)
            if (e.specialTokensMask[i])
                return static_cast<int>(i);
    } else {
        for (size_t i = 0; i < tokens.size(); ++i)
            if (tokens[i] == "[SEP]")
                return static_cast<int>(i);
    }
    return static_cast<int>(tokens.size()) - 1;
}

// The mined record of one attributed example (run_adver_connection.py).
TriggerRecord recordFrom(const AttributionResult& r, int exampleIndex, int gold) {
    const int H = r.numHeads;
    const int64_t n = r.encoding.size();
    const float* best = nullptr;
    float bestMax = 0.0f;
    TriggerRecord rec;
    for (const auto& layer : r.layers) {  // sorted by layer
        for (int h = 0; h < H; ++h) {
            const float* p = layer.attribution.block({h});
            const float mx = *std::max_element(p, p + n * n);
            if (!best || mx > bestMax) {  // strict: the earlier head wins ties
                best = p;
                bestMax = mx;
                rec.layer = layer.layer;
                rec.head = h;
            }
        }
    }
    // argsort(...)[::-1]: descending; among equal values the later flat index comes first.
    std::vector<int64_t> idx(static_cast<size_t>(n * n));
    std::iota(idx.begin(), idx.end(), 0);
    std::partial_sort(
        idx.begin(), idx.begin() + std::min<int64_t>(2, n * n), idx.end(),
        [&](int64_t a, int64_t b) { return best[a] != best[b] ? best[a] > best[b] : a > b; });
    const int64_t i1 = idx[0], i2 = n * n > 1 ? idx[1] : idx[0];
    const auto& tok = r.encoding.tokens;
    rec.maxCombinedAttr = {double(best[i1]), double(best[i2])};
    rec.top1Position = {static_cast<int>(i1 / n), static_cast<int>(i1 % n)};
    rec.top2Position = {static_cast<int>(i2 / n), static_cast<int>(i2 % n)};
    rec.top1Pattern = {tok[static_cast<size_t>(i1 / n)], tok[static_cast<size_t>(i1 % n)]};
    rec.top2Pattern = {tok[static_cast<size_t>(i2 / n)], tok[static_cast<size_t>(i2 % n)]};
    rec.targetLabel = r.target;
    rec.goldenLabel = gold;
    rec.segPos = segmentEnd(r.encoding);
    rec.tokens = tok;
    rec.exampleIndex = exampleIndex;
    return rec;
}

}  // namespace

void sortTriggerRecords(std::vector<TriggerRecord>& records) {
    std::stable_sort(records.begin(), records.end(),
                     [](const TriggerRecord& a, const TriggerRecord& b) {
                         if (a.combined() != b.combined())
                             return a.combined() > b.combined();
                         return a.exampleIndex < b.exampleIndex;  // keeps resumed runs in order
                     });
}

Expected<TriggerMining> mineTriggers(Model& model, const LabelledInputs& inputs,
                                     const TriggerMiningOptions& options,
                                     const TriggerMining* resume, const JobContext& job) {
    if (options.start < 0 || options.examples < 0)
        return Status::error("start and examples must not be negative");
    TriggerMining m;
    if (resume) {
        if (resume->options.start != options.start || resume->options.steps != options.steps ||
            resume->options.rule != options.rule || resume->options.minTokens != options.minTokens)
            return Status::error("the partial mining result was computed with other settings");
        m = *resume;
    }
    m.options = options;
    const int start = std::min(options.start, inputs.size());
    const int end =
        options.examples > 0 ? std::min(inputs.size(), start + options.examples) : inputs.size();
    m.examplesTotal = end - start;
    m.complete = false;
    AttributionOptions attr;
    attr.steps = options.steps;
    attr.rule = options.rule;
    attr.target = "predicted";  // the official mining attributes the predicted class
    attr.memoryBudgetMB = options.memoryBudgetMB;
    StageProgress prog(job, "trigger mining", m.examplesTotal, m.examplesDone);
    prog.report(m.examplesDone);
    for (int k = start + m.examplesDone; k < end; ++k) {
        if (job.cancelled())
            break;
        const Encoding& enc = inputs.encodings[static_cast<size_t>(k)];
        if (enc.size() < options.minTokens) {
            ++m.skipped;
        } else {
            auto r = attribute(model, enc, attr, {nullptr, job.cancel});
            if (!r) {
                if (r.status().isCancelled())
                    break;
                return Status::error("example " + std::to_string(k) + ": " + r.error());
            }
            TriggerRecord rec = recordFrom(*r, k, inputs.labels[static_cast<size_t>(k)]);
            if (k < static_cast<int>(inputs.ids.size()))
                rec.exampleId = inputs.ids[k];
            m.records.push_back(std::move(rec));
        }
        m.examplesDone = k - start + 1;
        prog.report(m.examplesDone);
    }
    sortTriggerRecords(m.records);
    m.seconds += prog.elapsed();
    m.complete = m.examplesDone == m.examplesTotal;
    return m;
}

Expected<TriggerInsertion> planInsertion(const TriggerRecord& rec, bool all,
                                         const std::vector<std::string>& specials) {
    const int len = static_cast<int>(rec.tokens.size());
    const double a1 = rec.maxCombinedAttr[0], a2 = rec.maxCombinedAttr[1];
    // a1 <= 0 would divide by zero (or flip the test) in the official script: use both pairs.
    const bool topOnly = !all && a1 > 0.0 && a2 / a1 < 0.2;
    std::vector<int> pos = {rec.top1Position[0], rec.top1Position[1]};
    if (!topOnly)
        pos.insert(pos.end(), {rec.top2Position[0], rec.top2Position[1]});
    std::sort(pos.begin(), pos.end());
    pos.erase(std::unique(pos.begin(), pos.end()), pos.end());
    auto special = [&](int p) { return isSpecial(rec.tokens[static_cast<size_t>(p)], specials); };
    // The segments: A in [aStart, segPos), B in (sepEnd, len − 1). BERT: aStart 1, sepEnd =
    // segPos, the official formulas. Other families: segPos is the first special after A (also
    // for files mined before it was), and RoBERTa's second </s> extends the separator.
    const int aStart = len > 0 && special(0) ? 1 : 0;
    int segPos = rec.segPos;
    if (segPos < 0 || segPos >= len || rec.tokens[static_cast<size_t>(segPos)] != "[SEP]") {
        segPos = aStart;
        while (segPos < len && !special(segPos))
            ++segPos;
    }
    int sepEnd = segPos;
    if (segPos < len && rec.tokens[static_cast<size_t>(segPos)] != "[SEP]")
        while (sepEnd + 2 < len && special(sepEnd + 1))
            ++sepEnd;
    TriggerInsertion plan;
    for (int p : pos) {
        if (p < 0 || p >= len)
            return Status::error("pattern position " + std::to_string(p) + " is outside its " +
                                 std::to_string(len) + " tokens");
        const std::string& token = rec.tokens[static_cast<size_t>(p)];
        if (special(p))
            continue;
        plan.positions.push_back(p);
        if (p < segPos) {
            plan.tokensA.push_back(token);
            plan.relativeA.push_back(double(p - aStart + 1) / double(segPos - aStart));
        } else if (p > sepEnd) {
            plan.tokensB.push_back(token);
            plan.relativeB.push_back(double(p - sepEnd) / double(len - 2 - sepEnd));
        } else {
            return Status::error("pattern position " + std::to_string(p) + " is the [SEP]");
        }
    }
    return plan;
}

std::vector<int> TriggerEvaluation::strongest() const {
    std::vector<int> idx;
    for (size_t i = 0; i < results.size(); ++i)
        if (results[i].sameAs < 0)
            idx.push_back(static_cast<int>(i));
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
        return results[static_cast<size_t>(a)].meanDrop > results[static_cast<size_t>(b)].meanDrop;
    });
    return idx;
}

Expected<TriggerEvaluation> evaluateTriggers(const Model& model, const LabelledInputs& inputs,
                                             const std::vector<TriggerRecord>& records,
                                             const TriggerEvalOptions& options,
                                             const TriggerEvaluation* resume,
                                             const JobContext& job) {
    const int n = inputs.size();
    if (auto s = canInsertTriggers(model, inputs); !s)
        return s;
    const int C = model.config().numLabels();
    const int maxLength = inputs.maxLength > 0 ? inputs.maxLength : model.defaultMaxLength();
    // The family's own template specials, dropped from the patterns like [CLS]/[SEP].
    std::vector<std::string> specials;
    if (auto probe = model.encode("a", std::string("b")); probe.ok())
        for (size_t i = 0; i < probe->specialTokensMask.size(); ++i)
            if (probe->specialTokensMask[i])
                specials.push_back(probe->tokens[i]);
    TriggerEvaluation ev;
    if (resume) {
        ev = *resume;
    } else {
        auto clean = evaluateInputs(model, inputs, nullptr, options.eval, {nullptr, job.cancel});
        if (!clean)
            return clean.status().isCancelled() ? Expected<TriggerEvaluation>(ev) : clean.status();
        ev.cleanAccuracy = clean->perClassAccuracy;
        ev.classCounts = clean->perClassCount;
        ev.cleanOverall = clean->accuracy;
    }
    ev.options = options;
    ev.classNames = model.config().id2label;
    ev.complete = false;
    // Every record at or above the threshold: the official prefix loop lost the last one.
    int qualifying = 0;
    while (qualifying < static_cast<int>(records.size()) &&
           records[static_cast<size_t>(qualifying)].combined() >= options.threshold)
        ++qualifying;
    ev.qualifying = qualifying;
    const int count =
        options.maxPatterns > 0 ? std::min(qualifying, options.maxPatterns) : qualifying;
    StageProgress prog(job, "trigger evaluation", count, static_cast<int>(ev.results.size()));
    prog.report(static_cast<int>(ev.results.size()));
    for (int p = static_cast<int>(ev.results.size()); p < count; ++p) {
        if (job.cancelled())
            break;
        auto plan = planInsertion(records[static_cast<size_t>(p)], options.all, specials);
        if (!plan)
            return plan.status();
        TriggerResult res;
        res.patternIndex = p;
        res.insertion = *plan;
        const auto same = std::find_if(ev.results.begin(), ev.results.end(), [&](const auto& r) {
            const TriggerInsertion& q = r.insertion;
            return q.tokensA == plan->tokensA && q.tokensB == plan->tokensB &&
                   q.relativeA == plan->relativeA && q.relativeB == plan->relativeB;
        });
        if (same != ev.results.end()) {
            // The same words at the same relative positions: the same attacked inputs.
            const int first =
                same->sameAs >= 0 ? same->sameAs : static_cast<int>(same - ev.results.begin());
            res = ev.results[static_cast<size_t>(first)];
            res.patternIndex = p;
            res.insertion = *plan;
            res.sameAs = first;
            ev.results.push_back(std::move(res));
            prog.report(static_cast<int>(ev.results.size()));
            continue;
        }
        if (plan->tokensA.empty() && plan->tokensB.empty()) {
            // Only [CLS]/[SEP] positions: nothing is inserted, the inputs stay clean.
            res.accuracy = ev.cleanAccuracy;
            res.overallAccuracy = ev.cleanOverall;
        } else {
            LabelledInputs attacked;
            attacked.labels = inputs.labels;
            attacked.classNames = inputs.classNames;
            attacked.maxLength = maxLength;
            attacked.encodings.reserve(static_cast<size_t>(n));
            for (int i = 0; i < n; ++i) {
                auto e = insertTrigger(model, inputs, i, *plan);
                if (!e)
                    return Status::error("input " + std::to_string(i) + ": " + e.error());
                res.truncatedInputs += e->truncated ? 1 : 0;
                attacked.encodings.push_back(std::move(e).value());
            }
            auto r = evaluateInputs(model, attacked, nullptr, options.eval, {nullptr, job.cancel});
            if (!r) {
                if (r.status().isCancelled())
                    break;
                return r.status();
            }
            res.accuracy = r->perClassAccuracy;
            res.overallAccuracy = r->accuracy;
        }
        int present = 0;
        res.drop.assign(static_cast<size_t>(C), 0.0);
        for (int c = 0; c < C; ++c) {
            const size_t k = static_cast<size_t>(c);
            if (ev.classCounts[k] == 0)
                continue;
            res.drop[k] = ev.cleanAccuracy[k] - res.accuracy[k];
            res.meanDrop += res.drop[k];
            ++present;
        }
        if (present)
            res.meanDrop /= present;
        ev.results.push_back(std::move(res));
        prog.report(static_cast<int>(ev.results.size()));
    }
    ev.seconds += prog.elapsed();
    ev.complete = static_cast<int>(ev.results.size()) == count;
    return ev;
}

}  // namespace attrscope
