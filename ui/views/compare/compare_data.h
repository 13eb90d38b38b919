#pragma once
// The numbers the Compare tab shows, taken from a CompareResult for one layer under the
// document's display conventions (hidden specials, merged word pieces), plus the raw values of
// the core functions they come from. The tab, its figure and its data files all read this, so a
// figure shows what the screen shows.

#include <QColor>
#include <QString>
#include <QStringList>
#include <vector>

#include "attrscope/analysis/deletion.h"
#include "document/conventions.h"
#include "views/compare/compare_job.h"

namespace attrscope::ui {

class AnalysisDocument;

struct CompareMap {
    QString key;       // attention, attattr, rollout, flow, grad-attention
    QString name;      // "Attention rollout"
    QString title;     // name · layer
    QString quantity;  // colour-bar label: what the number is
    bool diverging = false;
    std::vector<float> raw;     // n×n of the layer over token positions (the core's numbers)
    std::vector<float> values;  // m×m over the display axis
    QString note;
};

struct CompareData {
    QStringList caption;
    TokenAxis axis;
    int layer = 0;
    QString layerLabel;
    int target = 0;
    QString targetLabel;
    double probability = 0.0;
    bool attributionReused = false;
    std::vector<CompareMap> maps;  // in the order of compareMapKeys()
    std::vector<double> igRaw;     // token IG per token position
    std::vector<double> igValues;  // per display-axis entry
    double igSum = 0.0, igInput = 0.0, igBaseline = 0.0;
    int igSteps = 0;
    QString igNote;  // why IG is missing, else empty
    attrscope::DeletionResult deletion;
    bool isEmpty() const { return maps.empty(); }
};

QStringList compareMapKeys();
// Everything for `layer`; empty (isEmpty()) when `result` does not fit the document's input.
CompareData compareData(const AnalysisDocument& doc, const CompareResult& result, int layer);

// Colour of a deletion method's curve (Okabe–Ito, colour-blind safe; random is grey) and its
// legend name.
QColor deletionColour(const QString& method);
QString deletionLabel(const QString& method);

}  // namespace attrscope::ui
