#include "mainwindow/appearance.h"

#include <QApplication>
#include <QStyle>
#include <algorithm>
#include <cmath>

namespace attrscope::ui {

namespace {
struct Colours {
    QColor window, text, base, alternate, button, highlight, highlightedText;
    QColor light, midlight, mid, dark, placeholder, link;
    QColor disabledText, disabledBase, disabledButton, disabledPlaceholder;
};

Colours darkColours(bool highContrast) {
    // Fields stay black on a near-black window so that their edges remain visible.
    if (highContrast)
        return {QColor(32, 32, 32),    Qt::white,             Qt::black,
                QColor(24, 24, 24),    QColor(52, 52, 52),    QColor(255, 210, 0),
                Qt::black,             QColor(230, 230, 230), QColor(160, 160, 160),
                QColor(200, 200, 200), QColor(90, 90, 90),    QColor(200, 200, 200),
                QColor(120, 200, 255), QColor(140, 140, 140), QColor(16, 16, 16),
                QColor(40, 40, 40),    QColor(110, 110, 110)};
    return {QColor(45, 45, 48),    QColor(225, 225, 225), QColor(30, 30, 32), QColor(45, 45, 48),
            QColor(58, 58, 62),    QColor(70, 110, 170),  Qt::white,          QColor(80, 80, 86),
            QColor(66, 66, 70),    QColor(150, 150, 156), QColor(25, 25, 27), QColor(150, 150, 156),
            QColor(120, 170, 255), QColor(112, 112, 118), QColor(38, 38, 40), QColor(44, 44, 47),
            QColor(90, 90, 95)};
}

Colours lightHighContrast() {
    return {Qt::white,
            Qt::black,
            Qt::white,
            QColor(235, 235, 235),
            QColor(240, 240, 240),
            QColor(0, 0, 160),
            Qt::white,
            Qt::white,
            QColor(220, 220, 220),
            QColor(70, 70, 70),
            QColor(40, 40, 40),
            QColor(80, 80, 80),
            QColor(0, 0, 200),
            QColor(125, 125, 125),
            QColor(245, 245, 245),
            QColor(235, 235, 235),
            QColor(160, 160, 160)};
}

void apply(QPalette& p, const Colours& c) {
    for (auto group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Window, c.window);
        p.setColor(group, QPalette::WindowText, c.text);
        p.setColor(group, QPalette::Base, c.base);
        p.setColor(group, QPalette::AlternateBase, c.alternate);
        p.setColor(group, QPalette::Text, c.text);
        p.setColor(group, QPalette::Button, c.button);
        p.setColor(group, QPalette::ButtonText, c.text);
        p.setColor(group, QPalette::PlaceholderText, c.placeholder);
    }
    // Disabled: dimmed text on the same surfaces, so a greyed-out control reads as such.
    p.setColor(QPalette::Disabled, QPalette::Window, c.window);
    p.setColor(QPalette::Disabled, QPalette::WindowText, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::Text, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::Base, c.disabledBase);
    p.setColor(QPalette::Disabled, QPalette::Button, c.disabledButton);
    p.setColor(QPalette::Disabled, QPalette::PlaceholderText, c.disabledPlaceholder);
    p.setColor(QPalette::Disabled, QPalette::Highlight, c.mid);
    for (auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        p.setColor(group, QPalette::Light, c.light);
        p.setColor(group, QPalette::Midlight, c.midlight);
        p.setColor(group, QPalette::Mid, c.mid);
        p.setColor(group, QPalette::Dark, c.dark);
        p.setColor(group, QPalette::Shadow, Qt::black);
        p.setColor(group, QPalette::Link, c.link);
        p.setColor(group, QPalette::LinkVisited, c.link);
        p.setColor(group, QPalette::ToolTipBase, c.button);
        p.setColor(group, QPalette::ToolTipText, c.text);
        p.setColor(group, QPalette::BrightText, Qt::red);
    }
    for (auto group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Highlight, c.highlight);
        p.setColor(group, QPalette::HighlightedText, c.highlightedText);
    }
}

double luminance(const QColor& c) {
    auto channel = [](double v) {
        v /= 255.0;
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
}  // namespace

QPalette applicationPalette(bool dark, bool highContrast) {
    QPalette p = QApplication::style()->standardPalette();
    if (dark)
        apply(p, darkColours(highContrast));
    else if (highContrast)
        apply(p, lightHighContrast());
    return p;
}

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor warningCellText() {
    return QColor(70, 35, 0);
}

QColor warningCellBackground() {
    return QColor(255, 215, 160);
}

}  // namespace attrscope::ui
