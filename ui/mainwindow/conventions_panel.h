#pragma once
// The convention controls (a dock): hide [CLS]/[SEP], merge word pieces (sum/max), 1- or
// 0-based labels, sequential and diverging palettes, colour scale per head/layer/global, light
// or dark theme. It edits the document's ViewConventions; views and exports follow them.

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;

namespace attrscope::ui {

class AnalysisDocument;

class ConventionsPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit ConventionsPanel(AnalysisDocument* document, QWidget* parent = nullptr);

    QCheckBox* hideSpecialsBox() const { return m_hide; }
    QComboBox* mergeBox() const { return m_merge; }

private:
    void sync();
    void commit();

    AnalysisDocument* m_doc;
    QCheckBox* m_hide;
    QComboBox* m_merge;
    QCheckBox* m_oneBased;
    QComboBox* m_sequential;
    QComboBox* m_diverging;
    QComboBox* m_scale;
    QComboBox* m_theme;
    QLabel* m_note;
};

}  // namespace attrscope::ui
