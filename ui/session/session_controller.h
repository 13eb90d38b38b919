#pragma once
// Saves and reopens `.attrscope` session files (core/session.h) for the main window: model path
// and weights hash, input, view state (layer, head, tab, τ, conventions), the computed result and
// the Dataset tab's document (its studies and the options they ran with).
// Reopening shows the stored result at once, without recomputing; when the session's model file
// is present and unchanged it is also reopened, otherwise the window says that the model is
// missing or changed and keeps showing the stored numbers. No dialogs here.

#include <QObject>
#include <QString>
#include <optional>

#include "attrscope/json/session.h"

namespace attrscope::ui {

class MainWindow;

class SessionController : public QObject {
    Q_OBJECT
public:
    explicit SessionController(MainWindow* window);

    bool save(const QString& path);
    bool open(const QString& path);
    QString errorString() const { return m_error; }
    // How the session's model compares with the file on disk (after open()).
    attrscope::SessionModelState modelState() const { return m_state; }
    // The sentence the window shows about the model (empty when it is the same).
    QString modelNote() const { return m_note; }

private:
    void apply(const attrscope::Session& session, bool keepModel);
    void restoreDataset(const QString& datasetJson);
    void restoreView(const QString& viewJson);

    MainWindow* m_window;
    QString m_error;
    QString m_note;
    attrscope::SessionModelState m_state = attrscope::SessionModelState::NoModel;
    std::optional<attrscope::Session> m_pending;  // re-applied once its model has loaded
    attrscope::Session m_lastSession;             // without its result
};

}  // namespace attrscope::ui
