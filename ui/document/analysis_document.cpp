#include "document/analysis_document.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "document/model_holder.h"

namespace attrscope::ui {

AnalysisDocument::AnalysisDocument(QObject* parent) : QObject(parent) {}

void AnalysisDocument::setModel(ModelPtr model) {
    m_model = std::move(model);
    clearAnalysis();
    Q_EMIT modelChanged();
    setSelection(m_layer, m_head);  // clamps to the new model's size
}

void AnalysisDocument::observe(const ModelHolder* models) {
    connect(models, &ModelHolder::modelChanged, this,
            [this, models] { setModel(models->model()); });
}

int AnalysisDocument::numLayers() const {
    if (m_model)
        return m_model->config().numLayers;
    return m_storedResult ? m_storedResult->numLayers : 0;
}
int AnalysisDocument::numHeads() const {
    if (m_model)
        return m_model->config().numHeads;
    return m_storedResult ? m_storedResult->numHeads : 0;
}

QStringList AnalysisDocument::labels() const {
    QStringList out;
    if (!m_model)
        return m_storedLabels;
    for (const auto& label : m_model->config().id2label)
        out << QString::fromStdString(label);
    return out;
}

void AnalysisDocument::follow(const AttributionJob* job) {
    connect(job, &AttributionJob::started, this, [this] { setRunning(true); });
    connect(job, &AttributionJob::predictionReady, this, [this, job] {
        const AttributionRequest& r = job->request();
        setInput(job->encoding(), job->predictionPtr(), job->target(), r.textA, r.textB, r.options);
    });
    connect(job, &AttributionJob::layerReady, this,
            [this, job](int layer) { addLayer(job->layer(layer)); });
    connect(job, &AttributionJob::finished, this, [this](ResultPtr result) {
        setResult(std::move(result));
        setRunning(false);
    });
    connect(job, &AttributionJob::failed, this, [this] { setRunning(false); });
    connect(job, &AttributionJob::cancelled, this, [this] { setRunning(false); });
}

void AnalysisDocument::setInput(const attrscope::Encoding& encoding,
                                std::shared_ptr<const attrscope::Prediction> prediction, int target,
                                const QString& textA, const QString& textB,
                                const attrscope::AttributionOptions& options) {
    m_runOptions = options;
    m_encoding = encoding;
    m_prediction = std::move(prediction);
    m_target = target;
    m_textA = textA;
    m_textB = textB;
    m_hasInput = true;
    m_layers.assign(size_t(std::max(0, numLayers())), nullptr);
    m_layersSnapshot.reset();
    m_result.reset();
    m_highlight = Highlight();
    Q_EMIT analysisReset();
    Q_EMIT highlightChanged();
}

void AnalysisDocument::addLayer(LayerPtr layer) {
    if (!layer || layer->layer < 0 || layer->layer >= int(m_layers.size()))
        return;
    const int index = layer->layer;
    m_layers[size_t(index)] = std::move(layer);
    m_layersSnapshot.reset();
    Q_EMIT layerAdded(index);
}

void AnalysisDocument::setResult(ResultPtr result) {
    m_result = std::move(result);
    if (m_result) {
        // Layers that arrived through the progressive path are the same numbers; fill any gap.
        for (const auto& l : m_result->layers) {
            if (l.layer >= 0 && l.layer < int(m_layers.size()) && !m_layers[size_t(l.layer)])
                m_layers[size_t(l.layer)] = std::make_shared<const attrscope::LayerAttribution>(l);
        }
        m_layersSnapshot.reset();
    }
    Q_EMIT resultChanged();
}

void AnalysisDocument::showResult(ResultPtr result, const QStringList& labels, const QString& textA,
                                  const QString& textB) {
    if (!result)
        return clearAnalysis();
    m_storedResult = result;
    m_storedLabels = labels;
    if (!m_model)
        Q_EMIT modelChanged();  // dimensions come from the result now
    auto prediction = std::make_shared<const attrscope::Prediction>(result->prediction);
    setInput(result->encoding, prediction, result->target, textA, textB, result->options);
    setResult(result);
    setSelection(m_layer, m_head);
}

ResultPtr AnalysisDocument::currentResult() const {
    if (m_result)
        return m_result;
    if (!m_hasInput)
        return nullptr;
    auto r = std::make_shared<attrscope::AttributionResult>();
    r->encoding = m_encoding;
    r->prediction = prediction();
    r->target = m_target;
    r->targetLabel = targetLabel().toStdString();
    r->options = m_runOptions;
    r->numLayers = numLayers();
    r->numHeads = numHeads();
    if (m_model)
        r->modelPath = m_model->directory();
    for (const LayerPtr& layer : m_layers)
        if (layer)
            r->layers.push_back(*layer);
    return r;
}

void AnalysisDocument::clearAnalysis() {
    m_storedResult.reset();
    m_hasInput = false;
    m_encoding = attrscope::Encoding();
    m_prediction.reset();
    m_target = -1;
    m_layers.clear();
    m_layersSnapshot.reset();
    m_result.reset();
    m_highlight = Highlight();
    m_stale = false;
    Q_EMIT analysisReset();
    Q_EMIT staleChanged(false);
    Q_EMIT highlightChanged();
}

QString AnalysisDocument::targetLabel() const {
    if (!m_model && m_target >= 0 && m_target < m_storedLabels.size())
        return m_storedLabels[m_target];
    if (!m_model && m_storedResult)
        return QString::fromStdString(m_storedResult->targetLabel);
    if (!m_model || m_target < 0 || m_target >= m_model->config().numLabels())
        return QString();
    return QString::fromStdString(m_model->config().id2label[size_t(m_target)]);
}

QStringList AnalysisDocument::tokens() const {
    QStringList out;
    for (const auto& t : m_encoding.tokens)
        out << QString::fromStdString(t);
    return out;
}

int AnalysisDocument::sepBoundary() const {
    if (!m_hasInput || !m_encoding.isPair)
        return -1;
    return m_encoding.firstSepIndex();
}

LayerPtr AnalysisDocument::layer(int index) const {
    if (index < 0 || index >= int(m_layers.size()))
        return nullptr;
    return m_layers[size_t(index)];
}

std::shared_ptr<const std::vector<LayerPtr>> AnalysisDocument::layers() const {
    if (!m_layersSnapshot)
        m_layersSnapshot = std::make_shared<const std::vector<LayerPtr>>(m_layers);
    return m_layersSnapshot;
}

const attrscope::Prediction& AnalysisDocument::prediction() const {
    static const attrscope::Prediction none;
    return m_prediction ? *m_prediction : none;
}

int AnalysisDocument::layersReceived() const {
    return int(std::count_if(m_layers.begin(), m_layers.end(), [](const auto& l) { return !!l; }));
}

namespace {
// Copies head `head` (or the sum over heads) of an [H][n][n] block.
std::vector<float> headMap(const float* block, int heads, int n, int head) {
    const size_t nn = size_t(n) * size_t(n);
    std::vector<float> out(nn, 0.0f);
    if (head >= 0) {
        std::copy(block + size_t(head) * nn, block + size_t(head + 1) * nn, out.begin());
        return out;
    }
    for (int h = 0; h < heads; ++h)
        for (size_t k = 0; k < nn; ++k)
            out[k] += block[size_t(h) * nn + k];
    return out;
}
}  // namespace

std::vector<float> AnalysisDocument::attentionMap(int layer, int head) const {
    const auto& a = prediction().attention;
    if (!m_hasInput || a.rank() != 4 || layer < 0 || layer >= a.dim(0) || head >= a.dim(1))
        return {};
    return headMap(a.block({layer}), int(a.dim(1)), int(a.dim(2)), head);
}

std::vector<float> AnalysisDocument::attributionMap(int layer, int head) const {
    LayerPtr l = this->layer(layer);
    if (!l || l->attribution.rank() != 3 || head >= l->attribution.dim(0))
        return {};
    const auto& a = l->attribution;
    return headMap(a.data.data(), int(a.dim(0)), int(a.dim(1)), head);
}

double AnalysisDocument::headMaxAttribution(int layer, int head) const {
    auto m = attributionMap(layer, head);
    if (m.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return *std::max_element(m.begin(), m.end());
}

double AnalysisDocument::headMaxAttention(int layer, int head) const {
    auto m = attentionMap(layer, head);
    if (m.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return *std::max_element(m.begin(), m.end());
}

void AnalysisDocument::setSelection(int layer, int head) {
    const int layers = numLayers(), heads = numHeads();
    layer = layers > 0 ? std::clamp(layer, 0, layers - 1) : 0;
    head = heads > 0 ? std::clamp(head, int(kSumOfHeads), heads - 1) : int(kSumOfHeads);
    if (layer == m_layer && head == m_head)
        return;
    m_layer = layer;
    m_head = head;
    Q_EMIT selectionChanged(m_layer, m_head);
}

void AnalysisDocument::stepLayer(int delta) {
    setSelection(m_layer + delta, m_head);
}

void AnalysisDocument::stepHead(int delta) {
    const int count = numHeads() + 1;  // Σ plus each head
    if (count <= 1)
        return;
    int index = (m_head + 1 + delta) % count;
    if (index < 0)
        index += count;
    setSelection(m_layer, index - 1);
}

void AnalysisDocument::setStale(bool stale) {
    if (stale == m_stale)
        return;
    m_stale = stale;
    Q_EMIT staleChanged(stale);
}

void AnalysisDocument::setRunning(bool running) {
    if (running == m_running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

void AnalysisDocument::setHighlight(const Highlight& highlight) {
    m_highlight = highlight;
    Q_EMIT highlightChanged();
}

void AnalysisDocument::setConventions(const ViewConventions& conventions) {
    if (conventions == m_conventions)
        return;
    m_conventions = conventions;
    Q_EMIT conventionsChanged();
}

std::vector<float> AnalysisDocument::clsRowShown(int layer, int head) const {
    const std::vector<float> raw = attributionMap(layer, head);
    const int n = tokenCount();
    if (!Conventions::isClsRowOnly(raw, n))
        return {};
    return Conventions::clsRow(raw, n, displayAxis(), m_conventions.merge);
}

TokenAxis AnalysisDocument::displayAxis() const {
    return Conventions::makeAxis(m_encoding, sepBoundary(), m_conventions);
}

std::vector<float> AnalysisDocument::displayedAttention(int layer, int head) const {
    return Conventions::applyToMatrix(attentionMap(layer, head), tokenCount(), displayAxis(),
                                      m_conventions.merge);
}

std::vector<float> AnalysisDocument::displayedAttribution(int layer, int head) const {
    return Conventions::applyToMatrix(attributionMap(layer, head), tokenCount(), displayAxis(),
                                      m_conventions.merge);
}

double AnalysisDocument::colorLimit(bool attribution, int layer, int head,
                                    double percentile) const {
    const TokenAxis axis = displayAxis();
    auto map = [&](int l, int h) {
        return Conventions::applyToMatrix(attribution ? attributionMap(l, h) : attentionMap(l, h),
                                          tokenCount(), axis, m_conventions.merge);
    };
    std::vector<std::vector<float>> maps;
    // The set of maps sharing the scale: this one, its layer's heads, or every layer's.
    const int l0 = m_conventions.scale == ScaleMode::Global ? 0 : layer;
    const int l1 = m_conventions.scale == ScaleMode::Global ? numLayers() - 1 : layer;
    for (int l = l0; l <= l1; ++l) {
        if (head < 0 || m_conventions.scale == ScaleMode::PerHead) {
            maps.push_back(map(l, head));
        } else {
            for (int h = 0; h < numHeads(); ++h)
                maps.push_back(map(l, h));
        }
    }
    return Conventions::limitOf(maps, attribution, percentile);
}

}  // namespace attrscope::ui
