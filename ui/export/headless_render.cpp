#include "export/headless_render.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include "attrscope/json/result_json.h"
#include "attrscope/json/session.h"
#include "attrscope/model/model.h"
#include "attrscope/text/token_roles.h"
#include "document/analysis_document.h"
#include "views/compare/compare_view.h"
#include "views/teaching/teaching_view.h"

namespace attrscope::ui {

namespace {

// Writes the view's data (.csv/.json) or its figure (any other suffix) to o.out; *data says
// which. On failure *message is the view's error.
template <typename View>
bool exportViewOutput(View& view, const RenderOptions& o, bool* data, QString* message) {
    const QString suffix = QFileInfo(o.out).suffix().toLower();
    *data = suffix == QLatin1String("csv") || suffix == QLatin1String("json");
    FigureOptions options = o.figure;
    options.dpi = o.dpi;
    if (!(*data ? view.exportData(o.out) : view.exportFigure(o.out, options))) {
        *message = view.lastError();
        return false;
    }
    return true;
}

// The teaching view off screen: waits for its path probe, then writes the figure or the data.
int renderTeaching(const RenderOptions& o, AnalysisDocument* doc, QString* message) {
    TeachingView view(doc);
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.resize(1000, 700);
    QEventLoop loop;
    QObject::connect(&view, &TeachingView::probeReady, &loop, &QEventLoop::quit);
    QTimer::singleShot(300000, &loop, &QEventLoop::quit);
    view.show();  // the probe runs for a shown view
    if (view.pathData().denseAlphas.empty())
        loop.exec();
    if (view.pathData().denseAlphas.empty()) {
        *message = QStringLiteral("the teaching path could not be evaluated with the model");
        return 1;
    }
    bool data = false;
    if (!exportViewOutput(view, o, &data, message))
        return 1;
    const QSizeF points = view.lastFigurePoints();
    *message = data ? QStringLiteral("wrote %1 (teaching)").arg(QDir::toNativeSeparators(o.out))
                    : QStringLiteral("wrote %1 (teaching, %2 \u00d7 %3 pt)")
                          .arg(QDir::toNativeSeparators(o.out))
                          .arg(points.width(), 0, 'f', 1)
                          .arg(points.height(), 0, 'f', 1);
    return 0;
}

// The Compare tab off screen: waits for every method, then writes the figure or the data.
int renderCompare(const RenderOptions& o, AnalysisDocument* doc, QString* message) {
    CompareView view(doc);
    QEventLoop loop;
    QString failure;
    QObject::connect(&view, &CompareView::resultReady, &loop, &QEventLoop::quit);
    QObject::connect(view.job(), &CompareJob::failed, &loop, [&](const QString& m) {
        failure = m;
        loop.quit();
    });
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    view.compute();
    if (!view.isUpToDate() && failure.isEmpty())
        loop.exec();
    if (!view.isUpToDate()) {
        *message = failure.isEmpty() ? view.message() : failure;
        return 1;
    }
    bool data = false;
    if (!exportViewOutput(view, o, &data, message))
        return 1;
    *message = QStringLiteral("wrote %1 (compare)").arg(QDir::toNativeSeparators(o.out));
    return 0;
}

}  // namespace

int renderFigure(const RenderOptions& o, QString* message) {
    attrscope::AttributionResult result;
    QStringList labels;
    QString textA, textB, modelName = o.modelName;
    QJsonObject view;
    if (!o.sessionPath.isEmpty()) {
        auto s = attrscope::readSession(o.sessionPath.toStdString());
        if (!s) {
            *message = QString::fromStdString(s.error());
            return 1;
        }
        if (!s->result) {
            *message = QStringLiteral("%1 holds no result").arg(o.sessionPath);
            return 1;
        }
        result = *s->result;
        for (const auto& l : s->labels)
            labels << QString::fromStdString(l);
        textA = QString::fromStdString(s->textA);
        textB = QString::fromStdString(s->textB);
        view = QJsonDocument::fromJson(QByteArray::fromStdString(s->viewJson)).object();
        if (modelName.isEmpty())
            modelName = view.value(QStringLiteral("model_name")).toString();
    } else {
        auto r = attrscope::readResultFile(o.resultPath.toStdString());
        if (!r) {
            *message = QString::fromStdString(r.error());
            return 1;
        }
        result = std::move(r.value());
    }
    if (modelName.isEmpty() && !result.modelPath.empty()) {
        // HF folders are often named "model" inside a folder that names the model.
        const QDir dir(QString::fromStdString(result.modelPath));
        modelName = dir.dirName();
        QDir parent = dir;
        if (modelName == QLatin1String("model") && parent.cdUp())
            modelName = parent.dirName();
    }
    if (textA.isEmpty()) {
        // A result file stores word pieces, not the typed text: show them as the input.
        QStringList a, b;
        bool second = false;
        for (const auto& t : result.encoding.tokens) {
            if (attrscope::isSpecialTokenString(t)) {  // [CLS]/<s> opens, [SEP]/</s> separates
                second = second || (!a.isEmpty() && t != "[CLS]" && t != "<s>");
                continue;
            }
            (second ? b : a) << QString::fromStdString(attrscope::displayToken(t));
        }
        textA = a.join(QLatin1Char(' '));
        textB = b.join(QLatin1Char(' '));
    }

    AnalysisDocument doc;
    if (o.teaching || o.compare) {
        // The model first: setting a model clears the analysis.
        const QString dir =
            o.modelPath.isEmpty() ? QString::fromStdString(result.modelPath) : o.modelPath;
        if (dir.isEmpty()) {
            *message =
                QStringLiteral("--view %1 needs the model: give --model DIR")
                    .arg(o.teaching ? QStringLiteral("teaching") : QStringLiteral("compare"));
            return 2;
        }
        auto model = attrscope::Model::load(QDir(dir).absolutePath().toStdString());
        if (!model) {
            *message = QString::fromStdString(model.error());
            return 1;
        }
        if (model.value()->config().numLayers != result.numLayers) {
            *message = QStringLiteral("%1 has %2 layers, the result %3: not its model")
                           .arg(dir)
                           .arg(model.value()->config().numLayers)
                           .arg(result.numLayers);
            return 2;
        }
        doc.setModel(model.value());
    }
    doc.showResult(std::make_shared<const attrscope::AttributionResult>(std::move(result)), labels,
                   textA, textB);
    doc.setConventions(
        o.conventionsSet
            ? o.conventions
            : ViewConventions::fromJson(view.value(QStringLiteral("conventions")).toObject()));
    const int layer = o.layer != -2 ? o.layer : view.value(QStringLiteral("layer")).toInt(0);
    const int head = o.head != -2 ? o.head : view.value(QStringLiteral("head")).toInt(-1);
    if (layer < 0 || layer >= doc.numLayers() || head < -1 || head >= doc.numHeads()) {
        *message = QStringLiteral("layer/head out of range: the result has %1 layers × %2 heads")
                       .arg(doc.numLayers())
                       .arg(doc.numHeads());
        return 2;
    }
    doc.setSelection(layer, head);

    if (o.teaching)
        return renderTeaching(o, &doc, message);
    if (o.compare)
        return renderCompare(o, &doc, message);

    FigureExporter exporter(&doc);
    exporter.setModelName(modelName);
    exporter.setTreeThreshold(o.tau >= 0 ? o.tau : view.value(QStringLiteral("tau")).toDouble(0.4));
    exporter.setPngDpi(o.dpi);
    exporter.setFigureOptions(o.figure);
    exporter.setSaliencySource(o.saliencySource);
    // No grid here: the overview uses the colour-scale convention (--scale).
    exporter.setOverviewScale(doc.conventions().scale);
    const QString suffix = QFileInfo(o.out).suffix().toLower();
    const bool data = suffix == QLatin1String("csv") || suffix == QLatin1String("json");
    const bool ok =
        data ? exporter.exportData(o.kind, o.out) : exporter.exportFigure(o.kind, o.out);
    if (!ok) {
        *message = exporter.errorString();
        return 1;
    }
    const QSizeF points = exporter.lastFigurePoints();
    *message = data || !points.isValid()
                   ? QStringLiteral("wrote %1 (%2)")
                         .arg(QDir::toNativeSeparators(o.out), figureKindName(o.kind))
                   : QStringLiteral("wrote %1 (%2, %3 × %4 pt)")
                         .arg(QDir::toNativeSeparators(o.out), figureKindName(o.kind))
                         .arg(points.width(), 0, 'f', 1)
                         .arg(points.height(), 0, 'f', 1);
    return 0;
}

}  // namespace attrscope::ui
