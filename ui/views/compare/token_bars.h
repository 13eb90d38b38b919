#pragma once
// Token integrated gradients as one bar per token on the Compare tab (positive bars in the
// diverging palette's positive colour, negative in its negative one), on the same token axis as
// the maps; the column hovered in the maps is outlined here too.

#include <QStringList>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPBars;
class QCPItemRect;
class QCPTextElement;

namespace attrscope::ui {

class Palette;

class TokenBars : public QWidget {
    Q_OBJECT
public:
    explicit TokenBars(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    void setValueLabel(const QString& label);
    void setPalette(const Palette& diverging);
    void setDarkTheme(bool dark);
    // One value per label; empty values show `message`.
    void setBars(const QStringList& labels, const std::vector<double>& values,
                 const QString& message = QString());
    void setHoverIndex(int index);  // -1 hides the outline
    int hoverIndex() const { return m_hover; }
    QStringList labels() const { return m_labels; }
    std::vector<double> values() const { return m_values; }
    QWidget* plotWidget() const;

private:
    void redraw();

    QCustomPlot* m_plot;
    QCPBars* m_positive;
    QCPBars* m_negative;
    QCPItemRect* m_outline;
    QCPTextElement* m_title;
    QStringList m_labels;
    std::vector<double> m_values;
    const Palette* m_palette = nullptr;
    int m_hover = -1;
};

}  // namespace attrscope::ui
