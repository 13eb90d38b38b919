#include "session/session_controller.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>

#include "document/analysis_document.h"
#include "document/dataset_document.h"
#include "mainwindow/input_panel.h"
#include "mainwindow/main_window.h"
#include "views/tree/tree_view.h"

namespace attrscope::ui {

namespace {
QStringList toQt(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}
}  // namespace

SessionController::SessionController(MainWindow* window) : QObject(window), m_window(window) {
    connect(window, &MainWindow::modelReady, this, [this] {
        if (!m_pending)
            return;
        const attrscope::Session s = *m_pending;
        m_pending.reset();
        apply(s, true);
    });
}

bool SessionController::save(const QString& path) {
    m_error.clear();
    AnalysisDocument* doc = m_window->document();
    attrscope::Session s;
    if (auto model = doc->model()) {
        s.modelPath = model->directory();
        s.weightsFile = model->weightsFile();
        if (!s.weightsFile.empty()) {
            auto hash = attrscope::hashFileFnv1a(s.weightsFile);
            if (hash)
                s.weightsHash = hash.value();
        }
    } else if (m_pending || !m_lastSession.modelPath.empty()) {
        // A session shown without its model keeps naming the model it came from.
        s.modelPath = m_lastSession.modelPath;
        s.weightsFile = m_lastSession.weightsFile;
        s.weightsHash = m_lastSession.weightsHash;
    }
    s.textA = doc->analysedTextA().toStdString();
    s.textB = doc->analysedTextB().toStdString();
    for (const QString& l : doc->labels())
        s.labels.push_back(l.toStdString());
    QJsonObject view;
    view[QStringLiteral("layer")] = doc->currentLayer();
    view[QStringLiteral("head")] = doc->currentHead();
    view[QStringLiteral("tab")] = m_window->currentTab();
    view[QStringLiteral("tau")] = m_window->treeView()->threshold();
    view[QStringLiteral("model_name")] = m_window->modelName();
    view[QStringLiteral("conventions")] = doc->conventions().toJson();
    s.viewJson = QJsonDocument(view).toJson(QJsonDocument::Compact).toStdString();
    if (ResultPtr r = doc->currentResult())
        s.result = *r;
    if (!m_window->datasetDocument()->isEmpty())
        s.datasetJson = QJsonDocument(m_window->datasetDocument()->toJson())
                            .toJson(QJsonDocument::Compact)
                            .toStdString();
    auto status = attrscope::writeSession(s, path.toStdString());
    if (!status.ok()) {
        m_error = QString::fromStdString(status.message());
        return false;
    }
    return true;
}

bool SessionController::open(const QString& path) {
    m_error.clear();
    auto session = attrscope::readSession(path.toStdString());
    if (!session) {
        m_error = QString::fromStdString(session.error());
        return false;
    }
    const attrscope::Session& s = session.value();
    m_lastSession = s;
    m_lastSession.result.reset();
    m_state = attrscope::checkSessionModel(s);
    const QString model = QDir::toNativeSeparators(QString::fromStdString(s.modelPath));
    switch (m_state) {
        case attrscope::SessionModelState::Same:
            m_note.clear();
            break;
        case attrscope::SessionModelState::Changed:
            m_note = tr("The model's weights changed since this session was saved (%1): the "
                        "views show the stored results, which a new run may not reproduce.")
                         .arg(model);
            break;
        case attrscope::SessionModelState::Missing:
            m_note = tr("The session's model is missing (%1): the views show the stored "
                        "results; open the model to run again.")
                         .arg(model);
            break;
        case attrscope::SessionModelState::NoModel:
            m_note = tr("This session names no model file: the views show its stored results.");
            break;
    }
    auto current = m_window->document()->model();
    const bool sameLoaded = m_state == attrscope::SessionModelState::Same && current &&
                            current->weightsFile() == s.weightsFile;
    apply(s, sameLoaded);
    if (m_state == attrscope::SessionModelState::Same && !sameLoaded) {
        m_pending = s;  // shown now, shown again with the model once it has loaded
        m_window->openModel(QString::fromStdString(s.modelPath));
    }
    return true;
}

void SessionController::apply(const attrscope::Session& s, bool keepModel) {
    if (s.result) {
        auto result = std::make_shared<const attrscope::AttributionResult>(*s.result);
        m_window->showStoredResult(result, toQt(s.labels), QString::fromStdString(s.textA),
                                   QString::fromStdString(s.textB), m_note, keepModel);
    } else {
        m_window->setInput(QString::fromStdString(s.textA), QString::fromStdString(s.textB));
    }
    restoreDataset(QString::fromStdString(s.datasetJson));
    restoreView(QString::fromStdString(s.viewJson));
}

// After the result: showing it may have closed the model, which empties the dataset document.
// A file without the section (version 1) leaves the document empty.
void SessionController::restoreDataset(const QString& datasetJson) {
    DatasetDocument* data = m_window->datasetDocument();
    if (datasetJson.isEmpty())
        return data->clear();
    const QString error = data->fromJson(QJsonDocument::fromJson(datasetJson.toUtf8()).object());
    if (error.isEmpty())
        return;
    QLabel* banner = m_window->sessionBanner();
    banner->setText((banner->text().isEmpty() ? QString() : banner->text() + QLatin1Char(' ')) +
                    tr("The dataset results could not be read: %1").arg(error));
    banner->setVisible(true);
}

void SessionController::restoreView(const QString& viewJson) {
    const QJsonObject view = QJsonDocument::fromJson(viewJson.toUtf8()).object();
    AnalysisDocument* doc = m_window->document();
    if (view.contains(QStringLiteral("conventions")))
        doc->setConventions(
            ViewConventions::fromJson(view.value(QStringLiteral("conventions")).toObject()));
    doc->setSelection(view.value(QStringLiteral("layer")).toInt(0),
                      view.value(QStringLiteral("head")).toInt(AnalysisDocument::kSumOfHeads));
    if (view.contains(QStringLiteral("tau")))
        m_window->treeView()->setThreshold(view.value(QStringLiteral("tau")).toDouble(0.4));
    if (view.contains(QStringLiteral("tab")))
        m_window->setCurrentTab(view.value(QStringLiteral("tab")).toInt(0));
    if (view.contains(QStringLiteral("model_name")) && !doc->model())
        m_window->setModelName(view.value(QStringLiteral("model_name")).toString());
}

}  // namespace attrscope::ui
