#include "views/dataset/trigger_table.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace attrscope::ui {

namespace {
constexpr int kRowHeight = 18;
constexpr int kPad = 6;

QString joinTokens(const std::vector<std::string>& tokens) {
    QStringList out;
    for (const auto& t : tokens)
        out << QString::fromStdString(t);
    return out.join(QLatin1Char(' '));
}

// A cell that sorts by its number, not its text.
QTableWidgetItem* numberItem(double value, int decimals) {
    auto* item = new QTableWidgetItem;
    item->setData(Qt::DisplayRole, QString::number(value, 'f', decimals).toDouble());
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
}  // namespace

TriggerTable::TriggerTable(QWidget* parent) : QWidget(parent) {
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    clear(tr("Run an adversarial-trigger analysis to see the strongest triggers."));
}

QString TriggerTable::summary() const {
    return m_summary->text();
}

void TriggerTable::clear(const QString& message) {
    m_table->setSortingEnabled(false);
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_summary->setText(message);
}

void TriggerTable::setConventions(const ViewConventions& conventions) {
    m_conv = conventions;
    const int headColumn = 3;  // pattern, inserted, positions, head
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QTableWidgetItem* item = m_table->item(r, headColumn);
        if (!item || !item->data(Qt::UserRole).isValid())
            continue;
        item->setText(m_conv.layerLabel(item->data(Qt::UserRole).toInt()) + QLatin1Char(' ') +
                      m_conv.headLabel(item->data(Qt::UserRole + 1).toInt()));
    }
}

void TriggerTable::setEvaluation(const attrscope::TriggerEvaluation& ev,
                                 const std::vector<attrscope::TriggerRecord>& records,
                                 const QStringList& classNames) {
    m_table->setSortingEnabled(false);
    m_table->clear();
    QStringList headers = {tr("pattern"), tr("inserted (A | B)"), tr("positions"), tr("head"),
                           tr("a1 + a2")};
    const int classes = int(classNames.size());
    for (int c = 0; c < classes; ++c) {
        const double before = c < int(ev.cleanAccuracy.size()) ? ev.cleanAccuracy[size_t(c)] : -1;
        headers << tr("%1 after\n(before %2)").arg(classNames[c]).arg(before, 0, 'f', 3)
                << tr("%1 drop").arg(classNames[c]);
    }
    headers << tr("overall after\n(before %1)").arg(ev.cleanOverall, 0, 'f', 3) << tr("mean drop");
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);

    int shown = 0;
    for (const auto& r : ev.results)
        shown += r.sameAs < 0 ? 1 : 0;
    m_table->setRowCount(shown);
    int row = 0;
    for (const auto& r : ev.results) {
        if (r.sameAs >= 0)
            continue;
        int col = 0;
        auto* index = new QTableWidgetItem;
        index->setData(Qt::DisplayRole, r.patternIndex + 1);  // 1-based on screen
        m_table->setItem(row, col++, index);
        QString inserted = r.insertion.tokensA.empty() ? QStringLiteral("\u2013")
                                                       : joinTokens(r.insertion.tokensA);
        if (!r.insertion.tokensB.empty())
            inserted += QStringLiteral(" | ") + joinTokens(r.insertion.tokensB);
        m_table->setItem(row, col++, new QTableWidgetItem(inserted));
        QStringList pos;
        for (int p : r.insertion.positions)
            pos << QString::number(p);
        m_table->setItem(row, col++, new QTableWidgetItem(pos.join(QLatin1Char(','))));
        QPair<int, int> headAt(-1, -1);
        double a = 0.0;
        if (r.patternIndex >= 0 && r.patternIndex < int(records.size())) {
            const auto& rec = records[size_t(r.patternIndex)];
            if (rec.layer >= 0)
                headAt = {rec.layer, rec.head};
            a = rec.combined();
        }
        auto* headItem = new QTableWidgetItem;
        if (headAt.first >= 0) {
            // Kept 0-based in the item, so a label-base change only rewrites the text.
            headItem->setData(Qt::UserRole, headAt.first);
            headItem->setData(Qt::UserRole + 1, headAt.second);
            headItem->setText(m_conv.layerLabel(headAt.first) + QLatin1Char(' ') +
                              m_conv.headLabel(headAt.second));
        }
        m_table->setItem(row, col++, headItem);
        m_table->setItem(row, col++, numberItem(a, 4));
        for (int c = 0; c < classes; ++c) {
            const double after = c < int(r.accuracy.size()) ? r.accuracy[size_t(c)] : -1;
            const double drop = c < int(r.drop.size()) ? r.drop[size_t(c)] : 0;
            if (after < 0) {
                m_table->setItem(row, col++, new QTableWidgetItem(QStringLiteral("\u2013")));
                m_table->setItem(row, col++, new QTableWidgetItem(QStringLiteral("\u2013")));
            } else {
                m_table->setItem(row, col++, numberItem(after, 3));
                m_table->setItem(row, col++, numberItem(drop, 3));
            }
        }
        m_table->setItem(row, col++, numberItem(r.overallAccuracy, 3));
        m_table->setItem(row, col++, numberItem(r.meanDrop, 3));
        ++row;
    }
    m_table->setSortingEnabled(true);
    m_table->sortItems(m_table->columnCount() - 1, Qt::DescendingOrder);
    m_table->resizeColumnsToContents();

    QStringList clean;
    for (int c = 0; c < classes; ++c) {
        const int n = c < int(ev.classCounts.size()) ? ev.classCounts[size_t(c)] : 0;
        const double acc = c < int(ev.cleanAccuracy.size()) ? ev.cleanAccuracy[size_t(c)] : -1;
        clean << (acc < 0 ? tr("%1: absent").arg(classNames[c])
                          : tr("%1 %2 (n = %3)").arg(classNames[c]).arg(acc, 0, 'f', 3).arg(n));
    }
    m_summary->setText(
        tr("%1 of %2 qualifying patterns (a1 + a2 \u2265 %3) evaluated%4, %5 distinct "
           "insertions shown. Clean accuracy per gold label: %6. Positions are 0-based word "
           "pieces of the mined example; inserted %7.")
            .arg(ev.results.size())
            .arg(ev.qualifying)
            .arg(ev.options.threshold)
            .arg(ev.complete ? QString() : tr(" (cancelled)"))
            .arg(shown)
            .arg(clean.join(QStringLiteral(", ")))
            .arg(ev.options.all ? tr("both top pairs always")
                                : tr("the top pair only when a2/a1 < 0.2")));
}

QSize TriggerTable::figureSize(int maxRows) const {
    const QFontMetrics fm(m_table->font());
    QFont boldFont = m_table->font();
    boldFont.setBold(true);
    const QFontMetrics bm(boldFont);
    int width = 2 * kPad;
    for (int c = 0; c < m_table->columnCount(); ++c) {
        int w = 0;
        const QString header = m_table->horizontalHeaderItem(c)->text();
        for (const QString& line : header.split(QLatin1Char('\n')))
            w = std::max(w, bm.horizontalAdvance(line));
        for (int r = 0; r < std::min(maxRows, m_table->rowCount()); ++r)
            if (auto* item = m_table->item(r, c))
                w = std::max(w, fm.horizontalAdvance(item->text()));
        width += w + 2 * kPad;
    }
    const int rows = std::min(maxRows, m_table->rowCount());
    return QSize(std::max(width, 480), 2 * kRowHeight + 2 * kPad + rows * kRowHeight + kPad);
}

void TriggerTable::paintFigure(QPainter* p, int maxRows) const {
    const QFontMetrics fm(m_table->font());
    QFont boldFont = m_table->font();
    boldFont.setBold(true);
    const QFontMetrics bm(boldFont);
    const int rows = std::min(maxRows, m_table->rowCount());
    QVector<int> widths;
    for (int c = 0; c < m_table->columnCount(); ++c) {
        int w = 0;
        for (const QString& line : m_table->horizontalHeaderItem(c)->text().split('\n'))
            w = std::max(w, bm.horizontalAdvance(line));
        for (int r = 0; r < rows; ++r)
            if (auto* item = m_table->item(r, c))
                w = std::max(w, fm.horizontalAdvance(item->text()));
        widths << w + 2 * kPad;
    }
    QFont bold = m_table->font();
    bold.setBold(true);
    const int headerHeight = 2 * kRowHeight;
    int x = kPad;
    const bool dark = m_conv.theme == Theme::Dark;
    p->setPen(dark ? QColor(225, 225, 225) : QColor(30, 30, 30));
    for (int c = 0; c < widths.size(); ++c) {
        p->setFont(bold);
        p->drawText(QRect(x, kPad, widths[c], headerHeight), Qt::AlignCenter,
                    m_table->horizontalHeaderItem(c)->text());
        p->setFont(m_table->font());
        for (int r = 0; r < rows; ++r) {
            const QTableWidgetItem* item = m_table->item(r, c);
            if (!item)
                continue;
            const QRect cell(x + kPad, kPad + headerHeight + r * kRowHeight, widths[c] - 2 * kPad,
                             kRowHeight);
            const bool number = item->data(Qt::DisplayRole).typeId() == QMetaType::Double ||
                                item->data(Qt::DisplayRole).typeId() == QMetaType::Int;
            p->drawText(cell, (number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                        item->text());
        }
        x += widths[c];
    }
    p->setPen(QPen(QColor(120, 120, 120), 1));
    p->drawLine(kPad, kPad + headerHeight, x, kPad + headerHeight);
    for (int r = 1; r <= rows; ++r) {
        p->setPen(QPen(dark ? QColor(80, 80, 85) : QColor(220, 220, 220), 0.5));
        p->drawLine(kPad, kPad + headerHeight + r * kRowHeight, x,
                    kPad + headerHeight + r * kRowHeight);
    }
}

}  // namespace attrscope::ui
