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
    Colours c;
    if (highContrast) {
        // Fields stay black on a near-black window so that their edges remain visible.
        c.window = QColor(32, 32, 32);
        c.text = Qt::white;
        c.base = Qt::black;
        c.alternate = QColor(24, 24, 24);
        c.button = QColor(52, 52, 52);
        c.highlight = QColor(255, 210, 0);
        c.highlightedText = Qt::black;
        c.light = QColor(230, 230, 230);
        c.midlight = QColor(160, 160, 160);
        c.mid = QColor(200, 200, 200);
        c.dark = QColor(90, 90, 90);
        c.placeholder = QColor(200, 200, 200);
        c.link = QColor(120, 200, 255);
        c.disabledText = QColor(140, 140, 140);
        c.disabledBase = QColor(16, 16, 16);
        c.disabledButton = QColor(40, 40, 40);
        c.disabledPlaceholder = QColor(110, 110, 110);
        return c;
    }
    c.window = QColor(45, 45, 48);
    c.text = QColor(225, 225, 225);
    c.base = QColor(30, 30, 32);
    c.alternate = QColor(45, 45, 48);
    c.button = QColor(58, 58, 62);
    c.highlight = QColor(70, 110, 170);
    c.highlightedText = Qt::white;
    c.light = QColor(80, 80, 86);
    c.midlight = QColor(66, 66, 70);
    c.mid = QColor(150, 150, 156);  // also the colour of palette(mid) hints
    c.dark = QColor(25, 25, 27);
    c.placeholder = QColor(150, 150, 156);
    c.link = QColor(120, 170, 255);
    c.disabledText = QColor(112, 112, 118);
    c.disabledBase = QColor(38, 38, 40);
    c.disabledButton = QColor(44, 44, 47);
    c.disabledPlaceholder = QColor(90, 90, 95);
    return c;
}

Colours lightHighContrast() {
    Colours c;
    c.window = Qt::white;
    c.text = Qt::black;
    c.base = Qt::white;
    c.alternate = QColor(235, 235, 235);
    c.button = QColor(240, 240, 240);
    c.highlight = QColor(0, 0, 160);
    c.highlightedText = Qt::white;
    c.light = Qt::white;
    c.midlight = QColor(220, 220, 220);
    c.mid = QColor(70, 70, 70);
    c.dark = QColor(40, 40, 40);
    c.placeholder = QColor(80, 80, 80);
    c.link = QColor(0, 0, 200);
    c.disabledText = QColor(125, 125, 125);
    c.disabledBase = QColor(245, 245, 245);
    c.disabledButton = QColor(235, 235, 235);
    c.disabledPlaceholder = QColor(160, 160, 160);
    return c;
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

QColor warningText(const QPalette& palette) {
    const bool dark = palette.color(QPalette::Active, QPalette::Window).lightnessF() < 0.5;
    return dark ? QColor(255, 138, 128) : QColor(176, 0, 0);
}

}  // namespace attrscope::ui
