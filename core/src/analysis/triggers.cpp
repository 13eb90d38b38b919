#include "attrscope/analysis/triggers.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <numeric>

#include "attrscope/job.h"

namespace attrscope {

namespace {

bool isSpecial(const std::string& token) {
    return token == "[CLS]" || token == "[SEP]";
}

int firstSep(const std::vector<std::string>& tokens) {
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i] == "[SEP]")
            return static_cast<int>(i);
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
    rec.segPos = firstSep(tok);
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

Expected<TriggerInsertion> planInsertion(const TriggerRecord& rec, bool all) {
    const int len = static_cast<int>(rec.tokens.size());
    const double a1 = rec.maxCombinedAttr[0], a2 = rec.maxCombinedAttr[1];
    // a1 <= 0 would divide by zero (or flip the test) in the official script: use both pairs.
    const bool topOnly = !all && a1 > 0.0 && a2 / a1 < 0.2;
    std::vector<int> pos = {rec.top1Position[0], rec.top1Position[1]};
    if (!topOnly)
        pos.insert(pos.end(), {rec.top2Position[0], rec.top2Position[1]});
    std::sort(pos.begin(), pos.end());
    pos.erase(std::unique(pos.begin(), pos.end()), pos.end());
    TriggerInsertion plan;
    for (int p : pos) {
        if (p < 0 || p >= len)
            return Status::error("pattern position " + std::to_string(p) + " is outside its " +
                                 std::to_string(len) + " tokens");
        const std::string& token = rec.tokens[static_cast<size_t>(p)];
        if (isSpecial(token))
            continue;
        plan.positions.push_back(p);
        if (p < rec.segPos) {
            plan.tokensA.push_back(token);
            plan.relativeA.push_back(double(p) / double(rec.segPos - 1));
        } else if (p > rec.segPos) {
            plan.tokensB.push_back(token);
            plan.relativeB.push_back(double(p - rec.segPos) / double(len - 2 - rec.segPos));
        } else {
            return Status::error("pattern position " + std::to_string(p) + " is the [SEP]");
        }
    }
    return plan;
}

long long pythonRound(double x) {
    // nearbyint under the default rounding mode rounds the exact double to nearest, halves to
    // even: the same as Python 3's round() on a float.
    const int mode = std::fegetround();
    if (mode != FE_TONEAREST)
        std::fesetround(FE_TONEAREST);
    const double r = std::nearbyint(x);
    if (mode != FE_TONEAREST)
        std::fesetround(mode);
    return static_cast<long long>(r);
}

std::vector<int> insertionIndices(int originalLength, const std::vector<double>& relative) {
    std::vector<int> out;
    const int count = static_cast<int>(relative.size());
    long long prev = -1;
    for (double r : relative) {
        long long cur = pythonRound(double(originalLength + count) * r);
        if (cur == prev)
            cur += 1;
        prev = cur;
        out.push_back(static_cast<int>(cur));
    }
    return out;
}

namespace {

// Python list.insert: an index past the end appends; a negative one counts from the end.
void pyInsert(std::vector<std::string>& list, long long index, const std::string& value) {
    const long long n = static_cast<long long>(list.size());
    if (index < 0)
        index = std::max(0LL, n + index);
    index = std::min(index, n);
    list.insert(list.begin() + index, value);
}

}  // namespace

Encoding insertTrigger(const Vocabulary& vocab, const TriggerInsertion& plan,
                       const std::vector<std::string>& piecesA,
                       const std::vector<std::string>& piecesB, bool hasTextB, int maxLength) {
    std::vector<std::string> a = piecesA, b;
    const auto idxA = insertionIndices(static_cast<int>(piecesA.size()), plan.relativeA);
    for (size_t i = 0; i < idxA.size(); ++i)
        pyInsert(a, idxA[i], plan.tokensA[i]);
    if (hasTextB) {
        b = piecesB;
        const auto idxB = insertionIndices(static_cast<int>(piecesB.size()), plan.relativeB);
        for (size_t i = 0; i < idxB.size(); ++i)
            pyInsert(b, idxB[i], plan.tokensB[i]);
    }
    Encoding e;
    e.originalLengthA = static_cast<int>(a.size());
    e.originalLengthB = static_cast<int>(b.size());
    if (hasTextB) {
        // _truncate_seq_pair: pop from the longer list, from B when they are equal.
        while (static_cast<int>(a.size() + b.size()) > maxLength - 3) {
            if (a.size() > b.size())
                a.pop_back();
            else
                b.pop_back();
        }
    } else if (static_cast<int>(a.size()) > maxLength - 2) {
        a.resize(static_cast<size_t>(std::max(0, maxLength - 2)));
    }
    e.lengthA = static_cast<int>(a.size());
    e.lengthB = static_cast<int>(b.size());
    e.isPair = !b.empty();
    e.tokens.push_back(vocab.token(vocab.clsId()));
    e.tokens.insert(e.tokens.end(), a.begin(), a.end());
    e.tokens.push_back(vocab.token(vocab.sepId()));
    e.segmentIds.assign(e.tokens.size(), 0);
    if (e.isPair) {
        e.tokens.insert(e.tokens.end(), b.begin(), b.end());
        e.tokens.push_back(vocab.token(vocab.sepId()));
        e.segmentIds.resize(e.tokens.size(), 1);
    }
    for (const auto& t : e.tokens) {
        const int64_t id = vocab.id(t);
        e.inputIds.push_back(id >= 0 ? id : vocab.unkId());
    }
    const int removedA = e.originalLengthA - e.lengthA, removedB = e.originalLengthB - e.lengthB;
    e.truncated = removedA > 0 || removedB > 0;
    if (e.truncated)
        e.truncationNote = "removed " + std::to_string(removedA) + " pieces from A and " +
                           std::to_string(removedB) + " from B after inserting the trigger";
    return e;
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
    if (!model.hasTokenizer())
        return Status::error("trigger insertion needs a WordPiece (vocab.txt) tokenizer; this " +
                             model.config().modelType + " model has " +
                             model.tokenizerDescription());
    if (static_cast<int>(inputs.piecesA.size()) != n ||
        static_cast<int>(inputs.piecesB.size()) != n ||
        static_cast<int>(inputs.hasTextB.size()) != n)
        return Status::error("the evaluation inputs lack their word pieces (use encodeDataset)");
    const int C = model.config().numLabels();
    const int maxLength = inputs.maxLength > 0 ? inputs.maxLength : model.defaultMaxLength();
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
    const Vocabulary& vocab = model.tokenizer().vocabulary();
    for (int p = static_cast<int>(ev.results.size()); p < count; ++p) {
        if (job.cancelled())
            break;
        auto plan = planInsertion(records[static_cast<size_t>(p)], options.all);
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
                const size_t k = static_cast<size_t>(i);
                attacked.encodings.push_back(insertTrigger(vocab, *plan, inputs.piecesA[k],
                                                           inputs.piecesB[k], inputs.hasTextB[k],
                                                           maxLength));
                res.truncatedInputs += attacked.encodings.back().truncated ? 1 : 0;
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
