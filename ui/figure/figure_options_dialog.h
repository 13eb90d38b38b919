#pragma once
// The GUI's "Export figure" options for paper figures: width (e.g. 8.5cm; empty = one column,
// or full width for a pair), font size, caption, theme (light unless asked), colour scale and,
// for PNG, the resolution. The caller remembers the choice (saveFigureOptions).

#include <QDialog>

#include "figure/figure_options.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace attrscope::ui {

class FigureOptionsDialog : public QDialog {
    Q_OBJECT
public:
    FigureOptionsDialog(const FigureOptions& options, bool png, QWidget* parent = nullptr);
    FigureOptions options() const;

private:
    void validate();

    QLineEdit* m_width;
    QDoubleSpinBox* m_font;
    QCheckBox* m_caption;
    QComboBox* m_theme;
    QComboBox* m_scale;
    QDoubleSpinBox* m_scaleParameter;
    QSpinBox* m_dpi;
    QLabel* m_error;
    FigureOptions m_initial;
};

}  // namespace attrscope::ui
