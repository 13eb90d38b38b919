#pragma once
// The model chooser: recent checkpoint folders (QSettings), "Open folder…", and what the loaded
// model is (layers, heads, hidden size, labels, vocabulary, device, warnings).

#include <QGroupBox>
#include <QStringList>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;

namespace attrscope {
class Model;
}

namespace attrscope::ui {

class ModelHolder;

class ModelPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget* parent = nullptr);
    // Follows the window's model (labels, availability) on every ModelHolder::modelChanged.
    void observe(const ModelHolder* models);

    // A short name for a checkpoint folder: its name, with the parent's for generic names
    // such as "model" ("tiny-uncased-3cls/model").
    static QString displayName(const QString& directory);

    void setLoading(const QString& directory);
    void setModel(const std::shared_ptr<attrscope::Model>& model, const QString& name);
    void setError(const QString& directory, const QString& message);
    void setHint(const QString& text);  // shown while no model is open
    // Remembers a folder that loaded, most recent first.
    void addRecent(const QString& directory);
    QStringList recentModels() const;
    QString infoText() const;
    // Shows a folder dialog and asks for the chosen folder to be opened.
    void chooseFolder();

Q_SIGNALS:
    void openRequested(const QString& directory);

private:
    void fillRecent();

    QComboBox* m_recent;
    QPushButton* m_open;
    QLabel* m_info;
};

}  // namespace attrscope::ui
