#pragma once
// What every view shows: the open model, the analysed input with its clean prediction and
// attention, the attribution layers received so far, and the shared selection (layer, head,
// highlighted tokens/cells). Views observe it, so linking them needs no view-to-view wiring.
// Layers and heads are 0-based here; views print them 1-based (L1, H1). Head -1 is "Σ heads".

#include <QObject>
#include <QPoint>
#include <QString>
#include <QStringList>
#include <QVector>
#include <vector>

#include "document/conventions.h"
#include "engine/attribution_job.h"

namespace attrscope::ui {

class ModelHolder;

class AnalysisDocument : public QObject {
    Q_OBJECT
public:
    static constexpr int kSumOfHeads = -1;

    struct Highlight {
        QVector<int> tokens;    // token positions
        QVector<QPoint> cells;  // x = key/column j, y = query/row i
        int layer = -1;         // layer the cells belong to, -1 any
        bool isEmpty() const { return tokens.isEmpty() && cells.isEmpty(); }
    };

    explicit AnalysisDocument(QObject* parent = nullptr);

    void setModel(ModelPtr model);  // also clears the analysis
    // Follows the window's model: setModel on every ModelHolder::modelChanged.
    void observe(const ModelHolder* models);
    ModelPtr model() const { return m_model; }
    int numLayers() const;
    int numHeads() const;
    QStringList labels() const;

    // Takes every run of `job` (Kate's worker -> model): its clean pass becomes the input, its
    // layers and result arrive here, and its running state is the document's.
    void follow(const AttributionJob* job);

    // A new analysed input: drops attributions of the previous one. `options` are the run's
    // (rule, steps, target), which views and the completeness table describe.
    void setInput(const attrscope::Encoding& encoding,
                  std::shared_ptr<const attrscope::Prediction> prediction, int target,
                  const QString& textA, const QString& textB,
                  const attrscope::AttributionOptions& options = {});
    void addLayer(LayerPtr layer);
    void setResult(ResultPtr result);
    void clearAnalysis();
    // Shows a stored result (session, result file, official JSONL) with or without a model;
    // `labels` name the classes when no model is open.
    void showResult(ResultPtr result, const QStringList& labels, const QString& textA,
                    const QString& textB);

    bool hasInput() const { return m_hasInput; }
    const attrscope::Encoding& encoding() const { return m_encoding; }
    const attrscope::Prediction& prediction() const;
    int target() const { return m_target; }
    QString targetLabel() const;
    QString analysedTextA() const { return m_textA; }
    QString analysedTextB() const { return m_textB; }
    // Options of the run that produced the input (a stored result's own options).
    const attrscope::AttributionOptions& runOptions() const { return m_runOptions; }
    int tokenCount() const { return m_encoding.size(); }
    QStringList tokens() const;
    // Index of the [SEP] that ends text A for a pair, otherwise -1.
    int sepBoundary() const;
    LayerPtr layer(int index) const;
    // All layers (null where missing); shared so that workers can read them without a copy.
    std::shared_ptr<const std::vector<LayerPtr>> layers() const;
    int layersReceived() const;
    ResultPtr result() const { return m_result; }
    // The finished result, or a snapshot of the layers received so far (a cancelled or running
    // run, for sessions and result files); null without input.
    ResultPtr currentResult() const;

    // Row-major n×n maps for (layer, head); head kSumOfHeads sums the heads. Empty when missing.
    std::vector<float> attentionMap(int layer, int head) const;
    std::vector<float> attributionMap(int layer, int head) const;
    // The [CLS] row of a layer whose attribution has only that row (the last layer: only what
    // reaches the output is computed), over the displayed columns; empty for other layers.
    std::vector<float> clsRowShown(int layer, int head) const;
    // Largest entry of a head's map (AttAttr's head importance for one input); NaN when missing.
    double headMaxAttribution(int layer, int head) const;
    double headMaxAttention(int layer, int head) const;

    int currentLayer() const { return m_layer; }
    int currentHead() const { return m_head; }
    void setSelection(int layer, int head);
    void setCurrentLayer(int layer) { setSelection(layer, m_head); }
    void setCurrentHead(int head) { setSelection(m_layer, head); }
    void stepLayer(int delta);
    void stepHead(int delta);  // cycles through Σ, H1 … Hn

    bool isStale() const { return m_stale; }
    void setStale(bool stale);

    // A job is computing attribution for this input (views say "computing…" for missing layers).
    bool isRunning() const { return m_running; }
    void setRunning(bool running);

    const Highlight& highlight() const { return m_highlight; }
    void setHighlight(const Highlight& highlight);

    // Display conventions (hide specials, merge pieces, label base, palettes, scale, theme).
    const ViewConventions& conventions() const { return m_conventions; }
    void setConventions(const ViewConventions& conventions);
    // The token axis and maps as displayed under the conventions.
    TokenAxis displayAxis() const;
    std::vector<float> displayedAttention(int layer, int head) const;
    std::vector<float> displayedAttribution(int layer, int head) const;
    // Colour limit for the displayed map under the scale convention (per head/layer/global);
    // 0 when nothing is there.
    // `percentile` < 100: that percentile of the shared maps' values pooled (percentile-clip).
    double colorLimit(bool attribution, int layer, int head, double percentile = 100.0) const;

Q_SIGNALS:
    void modelChanged();
    void analysisReset();
    void layerAdded(int layer);
    void resultChanged();
    void selectionChanged(int layer, int head);
    void staleChanged(bool stale);
    void runningChanged(bool running);
    void highlightChanged();
    void conventionsChanged();

private:
    ModelPtr m_model;
    bool m_hasInput = false;
    attrscope::Encoding m_encoding;
    std::shared_ptr<const attrscope::Prediction> m_prediction;
    int m_target = -1;
    QString m_textA, m_textB;
    attrscope::AttributionOptions m_runOptions;
    std::vector<LayerPtr> m_layers;  // index = layer, null until received
    mutable std::shared_ptr<const std::vector<LayerPtr>> m_layersSnapshot;
    ResultPtr m_result;
    int m_layer = 0;
    int m_head = kSumOfHeads;
    bool m_stale = false;
    bool m_running = false;
    Highlight m_highlight;
    ViewConventions m_conventions;
    // Without a model: dimensions and class names of the shown stored result.
    ResultPtr m_storedResult;
    QStringList m_storedLabels;
};

// Keeps a panel's conventions those of the document (panels without a document of their own:
// the run panel, the Dataset tab).
template <class Panel>
void followConventions(const AnalysisDocument* doc, Panel* panel) {
    QObject::connect(doc, &AnalysisDocument::conventionsChanged, panel,
                     [doc, panel] { panel->setConventions(doc->conventions()); });
    panel->setConventions(doc->conventions());
}

}  // namespace attrscope::ui
