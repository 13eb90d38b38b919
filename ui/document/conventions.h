#pragma once
// Display conventions (architecture.md "Conventions shown to users") and the pure, widget-free
// transformations behind them: hiding [CLS]/[SEP], merging word pieces into words, label bases
// and the colour-scale choice. Views and exports apply the same functions, so a figure shows what
// the screen shows. Values are never renormalised: hiding specials drops rows/columns as they are.

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <vector>

#include "attrscope/text/encoding.h"

namespace attrscope::ui {

enum class MergeMode { None, Sum, Max };
enum class ScaleMode { PerHead, PerLayer, Global };
enum class Theme { Light, Dark };

struct ViewConventions {
    bool hideSpecials = false;
    MergeMode merge = MergeMode::None;
    bool oneBased = true;
    QString sequentialPalette = QStringLiteral("viridis");
    QString divergingPalette = QStringLiteral("RdBu");
    ScaleMode scale = ScaleMode::PerHead;
    Theme theme = Theme::Light;

    bool operator==(const ViewConventions& o) const;
    bool operator!=(const ViewConventions& o) const { return !(*this == o); }
    QJsonObject toJson() const;
    static ViewConventions fromJson(const QJsonObject& json);
    // What a figure must say about the transformation ("" when none), e.g.
    // "[CLS]/[SEP] hidden, values not renormalised · word pieces merged by sum".
    QString note() const;
    QString layerLabel(int layer) const;  // L3 (1-based) or L2 (0-based)
    QString headLabel(int head) const;    // -1 is Σ heads
    QString scaleName() const;
    // What makes a map more than one head's probabilities, for colour-bar labels:
    // " (Σ 12 heads, word pieces summed)", or "" for one head's unmerged map.
    QString sumNote(int head, int numHeads) const;
};

QString mergeName(MergeMode mode);  // "none", "sum", "max"
QString scaleModeName(ScaleMode mode);

// One axis of a token×token map after the conventions: each entry groups original positions.
struct TokenAxis {
    QStringList labels;
    std::vector<std::vector<int>> groups;  // original token positions of each axis entry
    int sepBoundary = -1;  // last axis entry of text A (a line is drawn after it), -1 none
    int size() const { return int(labels.size()); }
    bool isIdentity(int n) const;
};

class Conventions {
public:
    static bool isSpecial(const QString& token);
    // tokens: the encoding's word pieces; sepIndex: the [SEP] ending text A (-1 single sentence).
    static TokenAxis makeAxis(const QStringList& tokens, int sepIndex, const ViewConventions& c);
    // The same from an encoding: its special-token mask and word ids where the tokenizer filled
    // them (every family), else the token strings; labels drop the "Ġ"/"▁" word markers.
    static TokenAxis makeAxis(const Encoding& e, int sepIndex, const ViewConventions& c);
    // Row-major n×n → m×m over the axis groups. Sum adds a block; Max keeps the entry of the
    // largest magnitude (its sign kept), which for attention is the plain maximum.
    static std::vector<float> applyToMatrix(const std::vector<float>& values, int n,
                                            const TokenAxis& axis, MergeMode merge);
    // Colour limit for a set of maps: max value (sequential) or max |value| (diverging).
    // The colour limit of maps sharing a scale: the largest value (|v| when diverging), or the
    // given percentile of all their values pooled (a percentile-clip scale shared per layer or
    // globally clips every map at the same value); non-finite values are ignored.
    static double limitOf(const std::vector<std::vector<float>>& maps, bool diverging,
                          double percentile = 100.0);
    // The last layer's attribution: only row 0 ([CLS]) is computed, since only it reaches the
    // output. True when the row-major n×n `map` is that: rows 1… all zero (n ≥ 2).
    static bool isClsRowOnly(const std::vector<float>& map, int n);
    // Row 0 of a raw n×n map over the axis entries (merged by the convention).
    static std::vector<float> clsRow(const std::vector<float>& raw, int n, const TokenAxis& axis,
                                     MergeMode merge);
};

}  // namespace attrscope::ui
