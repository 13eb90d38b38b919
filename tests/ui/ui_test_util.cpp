#include "ui_test_util.h"

#include <QApplication>
#include <QMouseEvent>
#include <QStringList>
#include <QWidget>
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
