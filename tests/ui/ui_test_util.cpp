#include "ui_test_util.h"

#include <QApplication>
#include <QFile>
#include <QMouseEvent>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringList>
#include <QWidget>
#include <QXmlStreamReader>
#include <QtTest>

namespace attrscope::ui::test {

namespace {
std::shared_ptr<attrscope::Model> makeModel(attrscope::ModelConfig c) {
    if (c.id2label.empty())
        c.id2label = {"contradiction", "entailment", "neutral"};
    auto model = attrscope::Model::random(c, 1234);
    if (!model)
        qFatal("cannot build a random model: %s", model.error().c_str());
    return model.value();
}
}  // namespace

SvgStats readSvg(const QString& path) {
    QFile f(path);
    SvgStats s;
    if (!f.open(QIODevice::ReadOnly)) {
        s.error = true;
        return s;
    }
    QXmlStreamReader xml(&f);
    QString current, fill;
    int depth = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto a = xml.attributes();
            s.elements[xml.name().toString()] += 1;
            if (xml.name() == QLatin1String("g") && a.hasAttribute(QLatin1String("fill")))
                fill = a.value(QLatin1String("fill")).toString();
            if (xml.name() == QLatin1String("rect")) {
                ++s.rects;
                const QString key = a.value(QLatin1String("width")).toString() + QLatin1Char('x') +
                                    a.value(QLatin1String("height")).toString();
                s.rectSizes[key] += 1;
                s.fills << fill;
            } else if (xml.name() == QLatin1String("image")) {
                ++s.images;
            } else if (xml.name() == QLatin1String("text")) {
                ++depth;
                current.clear();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("text")) {
            --depth;
            s.texts << current.trimmed();
        } else if (depth > 0 && xml.isCharacters()) {
            current += xml.text().toString();
        }
    }
    s.error = xml.hasError();
    return s;
}

QString run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(30000))
        return QString();
    return QString::fromUtf8(p.readAllStandardOutput());
}

bool havePoppler() {
    for (const char* tool : {"pdfinfo", "pdffonts", "pdftotext"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            return false;
    return true;
}

PdfStats readPdf(const QString& path) {
    PdfStats s;
    const QString info = run(QStringLiteral("pdfinfo"), {path});
    const auto m =
        QRegularExpression(QStringLiteral("Page size:\\s+([0-9.]+) x ([0-9.]+)")).match(info);
    if (m.hasMatch())
        s.page = QSizeF(m.captured(1).toDouble(), m.captured(2).toDouble());
    s.fontList = run(QStringLiteral("pdffonts"), {path});
    const QStringList fonts = s.fontList.split('\n', Qt::SkipEmptyParts).mid(2);
    s.fontsEmbedded = !fonts.isEmpty();
    for (const QString& line : fonts) {
        const QStringList f = line.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
        // name type… encoding emb sub uni object ID: emb is the 5th field from the end
        s.fontsEmbedded =
            s.fontsEmbedded && f.size() >= 6 && f[f.size() - 5] == QLatin1String("yes");
    }
    s.text = run(QStringLiteral("pdftotext"), {path, QStringLiteral("-")});
    return s;
}

std::shared_ptr<attrscope::Model> tinyModel(int layers) {
    attrscope::ModelConfig c;
    c.numLayers = layers;
    c.hiddenSize = 32;
    c.numHeads = 2;
    c.intermediateSize = 64;
    c.maxPositionEmbeddings = 128;
    c.vocabSize = 200;
    return makeModel(c);
}

std::shared_ptr<attrscope::Model> tinyModelWithLabels(const std::vector<std::string>& labels) {
    attrscope::ModelConfig c;
    c.numLayers = 2;
    c.hiddenSize = 32;
    c.numHeads = 2;
    c.intermediateSize = 64;
    c.maxPositionEmbeddings = 128;
    c.vocabSize = 200;
    c.id2label = labels;
    return makeModel(c);
}

std::shared_ptr<attrscope::Model> bertBaseModel() {
    attrscope::ModelConfig c;  // defaults are bert-base: 12 × 768 × 12, 3072
    c.vocabSize = 1000;  // the synthetic vocabulary is small; the embedding size does not matter
    return makeModel(c);
}

QString longSentence(int pieces) {
    // Words of Model::random's synthetic vocabulary, so each is one word piece.
    const QStringList words = {"the",   "man", "is",      "playing", "guitar", "and",  "the",
                               "woman", "is",  "running", "in",      "the",    "park", "."};
    QStringList out;
    for (int i = 0; out.size() < pieces; ++i)
        out << words[i % words.size()];
    return out.join(' ');
}

void moveMouse(QWidget* widget, const QPoint& pos) {
    QMouseEvent event(QEvent::MouseMove, QPointF(pos), QPointF(widget->mapToGlobal(pos)),
                      Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(widget, &event);
}

StallMeter::StallMeter(int intervalMs) {
    m_timer.setInterval(intervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.elapsed();
        m_maxGap = std::max(m_maxGap, now - m_last);
        m_last = now;
        ++m_ticks;
    });
}

void StallMeter::start() {
    m_maxGap = 0;
    m_ticks = 0;
    m_clock.start();
    m_last = 0;
    m_timer.start();
}

void StallMeter::stop() {
    m_timer.stop();
}

}  // namespace attrscope::ui::test
