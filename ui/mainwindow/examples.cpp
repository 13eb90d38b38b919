#include "mainwindow/examples.h"

#include <QObject>

namespace attrscope::ui {

namespace {
QVector<Example> nliExamples() {
    return {
        {QObject::tr("Negation"), QStringLiteral("A man is playing a guitar."),
         QStringLiteral("A man is not playing a guitar."),
         QObject::tr("Does attribution concentrate on \"not\" and its neighbours?")},
        {QObject::tr("Word overlap, roles swapped"), QStringLiteral("The doctor saw the lawyer."),
         QStringLiteral("The lawyer saw the doctor."),
         QObject::tr("Every word overlaps; only the order differs.")},
        {QObject::tr("Synonym"), QStringLiteral("A woman is slicing an onion."),
         QStringLiteral("A woman is cutting an onion."),
         QObject::tr("Cross-sentence cells between slicing and cutting.")},
        {QObject::tr("Subset"),
         QStringLiteral("Two children are playing in the sand near the ocean."),
         QStringLiteral("Children are playing outdoors."),
         QObject::tr("Entailment by generalisation.")},
        {QObject::tr("Unrelated"), QStringLiteral("A dog is running through the grass."),
         QStringLiteral("A chef is cooking pasta in a kitchen."),
         QObject::tr("Little overlap: attention to [SEP] dominates.")},
        {QObject::tr("Short pair ([SEP]-heavy)"), QStringLiteral("A cat sleeps."),
         QStringLiteral("A cat is sleeping."),
         QObject::tr("Short inputs make [CLS]/[SEP] attention stand out.")},
    };
}

QVector<Example> sentimentExamples() {
    return {
        {QObject::tr("Negated praise"), QStringLiteral("The film is not good at all."), QString(),
         QObject::tr("Negation flips the label.")},
        {QObject::tr("Contrast"),
         QStringLiteral("The acting is wonderful, but the story is painfully dull."), QString(),
         QObject::tr("Two clauses pulling in opposite directions.")},
        {QObject::tr("Plain positive"), QStringLiteral("A charming and often affecting journey."),
         QString(), QObject::tr("Adjectives carry the label.")},
        {QObject::tr("Plain negative"), QStringLiteral("It is a boring, lifeless mess."), QString(),
         QObject::tr("Adjectives carry the label.")},
    };
}
}  // namespace

QVector<Example> examplesFor(const QStringList& labels) {
    const ModelTask task = taskForLabels(labels);
    if (task == ModelTask::Nli)
        return nliExamples();
    if (task == ModelTask::Sentiment)
        return sentimentExamples();
    QVector<Example> mix = nliExamples().mid(0, 3);
    mix += sentimentExamples().mid(0, 2);
    return mix;
}

}  // namespace attrscope::ui
