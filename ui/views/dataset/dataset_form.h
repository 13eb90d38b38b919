#pragma once
// The settings of a dataset analysis: file, format, split and the glue-* column options that
// core's loadDataset offers, number of examples, steps and rule, which analysis, and each
// analysis's own options. It only edits a DatasetRequest; DatasetTab runs it.

#include <QWidget>

#include "engine/dataset_analysis_job.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace attrscope::ui {

class DatasetForm : public QWidget {
    Q_OBJECT
public:
    explicit DatasetForm(QWidget* parent = nullptr);

    // Everything but the model.
    DatasetRequest request() const;
    void setRequest(const DatasetRequest& request);

    QLineEdit* pathEdit() const { return m_path; }
    QComboBox* formatBox() const { return m_format; }
    QComboBox* splitBox() const { return m_split; }
    QComboBox* analysisBox() const { return m_analysis; }
    QSpinBox* examplesBox() const { return m_examples; }
    QSpinBox* stepsBox() const { return m_steps; }

    // The known format a file's header line (or well-known name) shows, "" when none.
    static QString guessFormat(const QString& path);

Q_SIGNALS:
    void analysisChanged(attrscope::ui::DatasetAnalysis analysis);
    // Any field was edited (by the user or setRequest): request() may differ now.
    void changed();

private:
    void chooseFile();
    void updateForFormat();
    static void fillSplits(QComboBox* box, const QString& format);
    static QString splitOf(const QComboBox* box);
    static void selectSplit(QComboBox* box, const QString& split);

    QLineEdit* m_path;
    QComboBox* m_format;
    QComboBox* m_split;
    QGroupBox* m_columns;
    QSpinBox* m_textA;
    QSpinBox* m_textB;
    QSpinBox* m_label;
    QCheckBox* m_header;
    QCheckBox* m_quoting;
    QSpinBox* m_examples;
    QSpinBox* m_steps;
    QComboBox* m_rule;
    QComboBox* m_analysis;
    QStackedWidget* m_pages;
    // Importance.
    QCheckBox* m_taylor;
    QCheckBox* m_taylorLoss;
    QCheckBox* m_accuracy;
    // Pruning.
    QCheckBox* m_rankAttribution;
    QCheckBox* m_rankAttention;
    QCheckBox* m_rankTaylor;
    QCheckBox* m_rankRandom;
    QSpinBox* m_seeds;
    QSpinBox* m_firstSeed;
    QCheckBox* m_perLayer;
    QSpinBox* m_pruneEval;
    // Triggers.
    QComboBox* m_evalSplit;
    QLineEdit* m_evalPath;
    QSpinBox* m_minTokens;
    QDoubleSpinBox* m_threshold;
    QCheckBox* m_insertAll;
    QSpinBox* m_maxPatterns;
    QSpinBox* m_triggerEval;
};

}  // namespace attrscope::ui
