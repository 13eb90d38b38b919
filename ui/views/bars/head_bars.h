#pragma once
// Per-head importance for the current layer and input: one bar per head with the largest entry
// of its attribution map (the paper's head importance for one example), and optionally the
// largest attention weight beside it on its own axis. Clicking a head selects it in the
// heatmaps; the selected head is shaded.
//
// The max is over the entries the heatmaps show: with "hide [CLS]/[SEP]" the special rows and
// columns are left out (nothing renormalised), and with "merge word pieces" it is over the
// merged word × word map, so a bar is always the hottest cell of that head's heatmap. The
// axis labels and tooltip say which entries that is.

#include <QPoint>
#include <QWidget>
#include <vector>

class QCheckBox;
class QCustomPlot;
class QCPBars;
class QCPItemRect;
class QCPTextElement;
class QMouseEvent;

namespace attrscope::ui {

class AnalysisDocument;

class HeadBars : public QWidget {
    Q_OBJECT
public:
    explicit HeadBars(AnalysisDocument* document, QWidget* parent = nullptr);

    void setAttentionVisible(bool visible);
    bool isAttentionVisible() const;
    QCheckBox* attentionToggle() const { return m_attentionToggle; }

    int headCount() const { return int(m_attr.size()); }
    // Bar heights as drawn; NaN when the layer has no attribution yet.
    double attributionBar(int head) const;
    double attentionBar(int head) const;
    // Pixel position inside plotWidget() that selects `head` when clicked.
    QPoint headPosition(int head) const;
    QWidget* plotWidget() const;
    bool saveImage(const QString& path) const;
    // Largest displayed entry of a head's map (conventions applied); NaN when it is missing.
    static double shownMax(const AnalysisDocument& document, bool attribution, int layer, int head);
    // The last layer has only the [CLS] row of attribution (only it reaches the output): its
    // bars are that row's max over the shown columns, also with [CLS]/[SEP] hidden (which would
    // otherwise leave only zeros). The note says so; empty for other layers.
    static QString lastLayerNote(const AnalysisDocument& document, int layer);
    // What the max is taken over, e.g. "all entries" or "[CLS]/[SEP] hidden ...".
    static QString maxScope(const AnalysisDocument& document);

Q_SIGNALS:
    void headClicked(int head);

private:
    void refresh();
    void applyConventions();
    void updateSelection();
    void onMousePress(QMouseEvent* event);

    AnalysisDocument* m_doc;
    QCustomPlot* m_plot;
    QCPBars* m_attrBars;
    QCPBars* m_attnBars;
    QCPItemRect* m_selection;
    QCPTextElement* m_title;
    QCheckBox* m_attentionToggle;
    std::vector<double> m_attr;
    std::vector<double> m_attn;
};

}  // namespace attrscope::ui
