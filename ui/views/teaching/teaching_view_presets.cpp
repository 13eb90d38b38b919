// TeachingView's presets: the list for the loaded model's task, running one, and pointing at
// what it shows once its result arrives.

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>

#include "attrscope/text/token_roles.h"
#include "document/analysis_document.h"
#include "views/teaching/teaching_presets.h"
#include "views/teaching/teaching_view.h"

namespace attrscope::ui {

// The presets follow the loaded model's task (its labels): a sentiment model gets sentences,
// an NLI model pairs.
void TeachingView::rebuildPresets() {
    m_presetList = teachingPresets(m_doc->labels());
    m_presetPending = -1;
    const QSignalBlocker block(m_presets);
    m_presets->clear();
    m_presets->addItem(tr("Choose a preset\u2026"));
    for (const auto& p : m_presetList) {
        m_presets->addItem(p.name);
        m_presets->setItemData(m_presets->count() - 1,
                               p.textB.isEmpty() ? p.textA : p.textA + " / " + p.textB,
                               Qt::ToolTipRole);
    }
    m_presetButton->setEnabled(false);
}

void TeachingView::runPreset(int index) {
    const auto& presets = m_presetList;
    if (index < 0 || index >= presets.size())
        return;
    {
        const QSignalBlocker block(m_presets);
        m_presets->setCurrentIndex(index + 1);
    }
    m_presetButton->setEnabled(true);
    m_explanation->setText(presets[index].explanation);
    m_presetPending = index;
    Q_EMIT presetRunRequested(presets[index].textA, presets[index].textB);
}

void TeachingView::finishPreset() {
    if (m_presetPending >= m_presetList.size())
        return;
    const TeachingPreset p = m_presetList[m_presetPending];
    ResultPtr r = m_doc->result();
    if (m_doc->analysedTextA() != p.textA || m_doc->analysedTextB() != p.textB)
        return;  // another input's result (the preset run may still be on its way)
    m_presetPending = -1;
    using K = TeachingPreset::Kind;
    if (p.kind == K::Tree) {
        Q_EMIT showTreeRequested(0.4);
        Q_EMIT presetDone(
            tr("Attribution tree at \u03c4 = 0.4: each edge is an interaction "
               "whose attribution is at least 0.4 of its layer's maximum."));
        return;
    }
    AnalysisDocument::Highlight h;
    HeadPick pick;
    QString note;
    if (p.kind == K::SepAttention) {
        pick = findSepAttentionHead(*r);
        const attrscope::TokenRoles roles = attrscope::tokenRoles(r->encoding);
        for (int j = 1; j < r->encoding.size(); ++j)
            if (roles.special[size_t(j)])
                h.tokens << j;
        note = tr("%1 %2: much attention goes to [SEP] (left) but little attribution (right).");
    } else {
        const int pos = findToken(r->encoding, QStringLiteral("not"));
        pick = findTokenInteractionHead(*r, pos);
        if (pos >= 0)
            h.tokens << pos;
        note = tr("%1 %2: the head where \"not\" carries the largest attribution.");
    }
    if (pick.layer >= 0)
        m_doc->setSelection(pick.layer, pick.head);
    m_doc->setHighlight(h);
    Q_EMIT showHeatmapsRequested();
    const ViewConventions& c = m_doc->conventions();
    Q_EMIT presetDone(note.arg(c.layerLabel(pick.layer), c.headLabel(pick.head)));
}

}  // namespace attrscope::ui
