// The path data files, and TeachingView's export members (kept here so the view's file stays
// about its interaction).
#include "views/teaching/teaching_export.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QTextDocument>

#include "document/analysis_document.h"
#include "figure/figure_options_dialog.h"
#include "figure/line_figure.h"
#include "plot/qcustomplot_wrapper.h"
#include "views/teaching/teaching_view.h"

namespace attrscope::ui {

namespace {
QString num(double v) {
    return QString::number(v, 'g', 17);  // reads back to the same double
}

QJsonArray array(const std::vector<double>& v) {
    QJsonArray out;
    for (double x : v)
        out.append(x);
    return out;
}

QByteArray csvText(const TeachingPathData& d) {
    QString out;
    for (const QString& line : d.caption)
        out += QStringLiteral("# %1\n").arg(line);
    out += QStringLiteral("# 0-based layer %1, target class %2 (%3); rule %4, m = %5\n")
               .arg(d.layer)
               .arg(d.target)
               .arg(d.targetLabel, d.rule)
               .arg(d.steps);
    out += QStringLiteral(
        "# series F: F(alpha*A) on the dense grid; point: F at the rule's points (weight, slope "
        "dF/dalpha); running_integral: S_k = sum_{i<=k} w_i slope_i at alpha = b_k = sum_{i<=k} "
        "w_i\n");
    out += QStringLiteral("series,index,alpha,value,weight,slope\n");
    for (size_t i = 0; i < d.denseAlphas.size() && i < d.denseF.size(); ++i)
        out += QStringLiteral("F,%1,%2,%3,,\n").arg(i).arg(num(d.denseAlphas[i]), num(d.denseF[i]));
    for (size_t k = 0; k < d.pointAlphas.size() && k < d.pointF.size(); ++k)
        out += QStringLiteral("point,%1,%2,%3,%4,%5\n")
                   .arg(k)
                   .arg(num(d.pointAlphas[k]), num(d.pointF[k]),
                        k < d.weights.size() ? num(d.weights[k]) : QString(),
                        k < d.slopes.size() ? num(d.slopes[k]) : QString());
    for (size_t k = 0; k < d.runningEnds.size() && k < d.runningSums.size(); ++k)
        out += QStringLiteral("running_integral,%1,%2,%3,,\n")
                   .arg(k)
                   .arg(num(d.runningEnds[k]), num(d.runningSums[k]));
    out += QStringLiteral("F1_minus_F0,,,%1,,\n").arg(num(d.change));
    out += QStringLiteral("sum_attr,,,%1,,\n").arg(num(d.sumAttr));
    out += QStringLiteral("gap,,,%1,,\n").arg(num(d.sumAttr - d.change));
    return out.toUtf8();
}

QByteArray jsonText(const TeachingPathData& d) {
    QJsonObject o;
    o[QStringLiteral("figure")] = QStringLiteral("teaching-path");
    o[QStringLiteral("caption")] = QJsonArray::fromStringList(d.caption);
    o[QStringLiteral("layer")] = d.layer;
    o[QStringLiteral("target")] = d.target;
    o[QStringLiteral("target_label")] = d.targetLabel;
    o[QStringLiteral("rule")] = d.rule;
    o[QStringLiteral("steps")] = d.steps;
    o[QStringLiteral("dense")] = QJsonObject{{QStringLiteral("alpha"), array(d.denseAlphas)},
                                             {QStringLiteral("F"), array(d.denseF)}};
    o[QStringLiteral("points")] = QJsonObject{{QStringLiteral("alpha"), array(d.pointAlphas)},
                                              {QStringLiteral("F"), array(d.pointF)},
                                              {QStringLiteral("weight"), array(d.weights)},
                                              {QStringLiteral("slope"), array(d.slopes)}};
    o[QStringLiteral("running_integral")] =
        QJsonObject{{QStringLiteral("alpha_end"), array(d.runningEnds)},
                    {QStringLiteral("sum"), array(d.runningSums)}};
    o[QStringLiteral("F1_minus_F0")] = d.change;
    o[QStringLiteral("sum_attr")] = d.sumAttr;
    o[QStringLiteral("gap")] = d.sumAttr - d.change;
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}
}  // namespace

QString writeTeachingData(const TeachingPathData& data, const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("csv") && suffix != QLatin1String("json"))
        return QStringLiteral("%1: unknown data format (use .csv or .json)").arg(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    const QByteArray bytes = suffix == QLatin1String("csv") ? csvText(data) : jsonText(data);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

QWidget* TeachingView::curvePlotWidget() const {
    return m_curve;
}

QWidget* TeachingView::runningPlotWidget() const {
    return m_running;
}

QStringList TeachingView::caption() const {
    QStringList lines;
    if (!m_probe)
        return lines;
    const PathProbeRequest& r = m_probe->request;
    const ViewConventions& c = m_doc->conventions();
    lines << tr("Path of %1 (all heads scaled together): F(\u03b1\u00b7A) = p(%2) and the running "
                "integral \u03a3_{i\u2264k} w_i dF/d\u03b1(\u03b1_i) \u00b7 %3 rule, m = %4")
                 .arg(c.layerLabel(r.layer), m_doc->targetLabel(),
                      QString::fromStdString(attrscope::ruleName(r.rule)))
                 .arg(r.steps);
    QString input = tr("input: \u201c%1\u201d").arg(m_doc->analysedTextA());
    if (!m_doc->analysedTextB().isEmpty())
        input += QStringLiteral(" / \u201c%1\u201d").arg(m_doc->analysedTextB());
    lines << input;
    // The note under the running plot, as plain text.
    QTextDocument note;
    note.setHtml(m_runningNote->text());
    lines << note.toPlainText();
    lines << (c.oneBased ? tr("Layers numbered from 1 (files: from 0).")
                         : tr("Layers numbered from 0, as in the files."));
    return lines;
}

TeachingPathData TeachingView::pathData() const {
    TeachingPathData d;
    if (!m_probe)
        return d;
    const PathProbeRequest& r = m_probe->request;
    d.caption = caption();
    d.layer = r.layer;
    d.target = r.target;
    d.targetLabel = m_doc->targetLabel();
    d.rule = QString::fromStdString(attrscope::ruleName(r.rule));
    d.steps = r.steps;
    d.denseAlphas = curveAlphas();
    d.denseF = curveValues();
    d.pointAlphas = m_markedAlphas;
    d.pointF = m_markedValues;
    d.weights = m_probe->quadrature.weights;
    d.slopes = m_probe->slopes;
    d.runningEnds = m_runningEnds;
    d.runningSums = m_runningSums;
    d.sumAttr = m_sumAttr;
    d.change = m_change;
    return d;
}

LineFigure teachingFigure(const TeachingPathData& d, const QString& layerLabel,
                          const FigureOptions& options) {
    const QColor blue(40, 90, 170), red(200, 60, 40);
    LinePanel path;
    path.title = QStringLiteral("F(\u03b1\u00b7A): p(%1) along the path").arg(d.targetLabel);
    path.xLabel = QStringLiteral("\u03b1 (the attention of %1 scaled by \u03b1)").arg(layerLabel);
    path.yLabel = QStringLiteral("p(%1)").arg(d.targetLabel);
    path.series.push_back({QStringLiteral("F(\u03b1\u00b7A): target probability"), d.denseAlphas,
                           d.denseF, blue, 1.2, false});
    path.series.push_back(
        {QStringLiteral("integration points (%1, m = %2)").arg(d.rule).arg(d.steps), d.pointAlphas,
         d.pointF, blue, 0.0, true});
    LinePanel running;
    running.title = QStringLiteral("Running integral of the slopes");
    running.xLabel = QStringLiteral("\u03b1");
    running.yLabel = QStringLiteral("probability change");
    std::vector<double> delta;
    for (double v : d.denseF)
        delta.push_back(v - (d.denseF.empty() ? 0.0 : d.denseF.front()));
    running.series.push_back(
        {QStringLiteral("F(\u03b1) \u2212 F(0)"), d.denseAlphas, delta, blue, 1.2, false});
    running.series.push_back({QStringLiteral("running \u03a3 attribution (first k points)"),
                              d.runningEnds, d.runningSums, red, 0.8, true});
    return LineFigure({path, running}, QString(), d.caption, options);
}

bool TeachingView::exportFigure(const QString& path, int dpi) {
    FigureOptions options;
    options.dpi = dpi;
    return exportFigure(path, options);
}

bool TeachingView::exportFigure(const QString& path, const FigureOptions& options) {
    m_lastError.clear();
    if (!m_probe) {
        m_lastError = tr("Nothing to export: run an attribution and open this tab first");
        return false;
    }
    // Drawn from the numbers (no α cursor, no widgets): vector lines, markers and text.
    const TeachingPathData d = pathData();
    const LineFigure figure = teachingFigure(d, m_doc->conventions().layerLabel(d.layer), options);
    m_lastPoints = figure.size();
    m_lastError = figure.write(path, tr("AttrScope teaching path"));
    return m_lastError.isEmpty();
}

bool TeachingView::exportData(const QString& path) {
    m_lastError.clear();
    if (!m_probe) {
        m_lastError = tr("Nothing to export: run an attribution and open this tab first");
        return false;
    }
    m_lastError = writeTeachingData(pathData(), path);
    return m_lastError.isEmpty();
}

void TeachingView::exportDialog(bool figure) {
    const QString path = QFileDialog::getSaveFileName(
        this, figure ? tr("Export figure") : tr("Export data"),
        figure ? QStringLiteral("teaching-path.svg") : QStringLiteral("teaching-path.csv"),
        figure ? tr("SVG (*.svg);;PDF (*.pdf);;PNG image (*.png)")
               : tr("CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    FigureOptions options;
    if (figure) {
        // The paper-figure options, remembered with the other views'.
        QSettings settings;
        FigureOptionsDialog dialog(loadFigureOptions(settings),
                                   QFileInfo(path).suffix().toLower() == QLatin1String("png"),
                                   this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        options = dialog.options();
        saveFigureOptions(settings, options);
    }
    const bool ok = figure ? exportFigure(path, options) : exportData(path);
    if (ok) {
        Q_EMIT statusMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
        return;
    }
    Q_EMIT statusMessage(tr("Export failed: %1").arg(m_lastError));
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("AttrScope"), m_lastError, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // non-modal: a running probe keeps going
}

}  // namespace attrscope::ui
