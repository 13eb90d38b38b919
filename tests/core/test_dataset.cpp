// Dataset readers against the real files copied into tests/data/datasets (counts from their
// PROVENANCE.md; SST-2 and RTE train are trimmed copies), small
// malformed fixtures in tests/data/datasets, and the mapping of labels onto model classes.

#include <QDir>
#include <QFileInfo>
#include <QtTest>
#include <algorithm>
#include <map>
#include <string>

#include "attrscope/data/dataset.h"

using attrscope::Dataset;
using attrscope::DatasetOptions;
using attrscope::Example;
using attrscope::loadDataset;
using attrscope::mapLabelsToClasses;
using attrscope::ModelConfig;

namespace {

std::string shared(const std::string& relative) {
    return std::string(ATTRSCOPE_TEST_DATA_DIR) + "/datasets/" + relative;
}

// The fixtures live in tests/data/datasets. ATTRSCOPE_TEST_DATA_DIR is set per test folder by
// attrscope_add_test, so fall back to the path relative to this source file.
std::string fixture(const std::string& name) {
    static const std::string dir = [] {
        const QString configured = QStringLiteral(ATTRSCOPE_TEST_DATA_DIR "/datasets");
        if (QFileInfo(configured).isDir())
            return configured.toStdString();
        return QFileInfo(QStringLiteral(__FILE__))
            .absoluteDir()
            .absoluteFilePath(QStringLiteral("../data/datasets"))
            .toStdString();
    }();
    return dir + "/" + name;
}

DatasetOptions options(const std::string& format, const std::string& split = {}) {
    DatasetOptions o;
    o.format = format;
    o.split = split;
    return o;
}

Dataset load(const std::string& path, const DatasetOptions& o) {
    auto d = loadDataset(path, o);
    if (!d)
        qFatal("%s", d.error().c_str());
    return std::move(d).value();
}

std::map<std::string, int> labelCounts(const Dataset& d) {
    std::map<std::string, int> counts;
    for (const Example& e : d.examples)
        ++counts[e.label];
    return counts;
}

// The error message of a load that must fail.
std::string loadError(const std::string& path, const DatasetOptions& o) {
    auto d = loadDataset(path, o);
    if (d)
        return "(loaded " + std::to_string(d->examples.size()) + " examples)";
    return d.error();
}

ModelConfig modelWith(std::vector<std::string> id2label) {
    ModelConfig c;
    c.id2label = std::move(id2label);
    return c;
}

}  // namespace

#define CHECK_CONTAINS(haystack, needle)                                                    \
    do {                                                                                    \
        const std::string h_ = (haystack);                                                  \
        if (h_.find(needle) == std::string::npos)                                           \
            QFAIL(("'" + h_ + "' does not contain '" + std::string(needle) + "'").c_str()); \
    } while (0)

class TestDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formats() {
        QCOMPARE(attrscope::datasetFormats().size(), size_t(6));
        CHECK_CONTAINS(loadError(shared("sst2/dev.tsv"), options("csv")),
                       "unknown dataset format 'csv'");
    }

    void sickSplits() {
        const std::string path = shared("sick/SICK.txt");
        struct Row {
            const char* split;
            int n, e, neutral, c;
        };
        const Row rows[] = {{"train", 4439, 1274, 2524, 641},
                            {"TRIAL", 495, 143, 281, 71},
                            {"Test", 4906, 1404, 2790, 712},
                            {"train+trial", 4934, 1417, 2805, 712},
                            {"", 9840, 2821, 5595, 1424}};
        for (const Row& r : rows) {
            const Dataset d = load(path, options("sick", r.split));
            QCOMPARE(int(d.examples.size()), r.n);
            auto counts = labelCounts(d);
            QCOMPARE(counts["entailment"], r.e);
            QCOMPARE(counts["neutral"], r.neutral);
            QCOMPARE(counts["contradiction"], r.c);
            QVERIFY(d.isPair());
        }
        QCOMPARE(load(path, options("sick", "dev")).examples.size(), size_t(495));

        const Dataset train = load(path, options("sick", "train"));
        QCOMPARE(train.split, std::string("train"));
        QCOMPARE(train.labelNames,
                 (std::vector<std::string>{"entailment", "neutral", "contradiction"}));
        const Example& first = train.examples.front();
        QCOMPARE(first.textA, std::string("A group of kids is playing in a yard and an old man is "
                                          "standing in the background"));
        QCOMPARE(*first.textB, std::string("A group of boys in a yard is playing and a man is "
                                           "standing in the background"));
        QCOMPARE(first.label, std::string("neutral"));
        QCOMPARE(first.row, 2);
        QCOMPARE(first.id, std::string("1"));
        // The last row has no line terminator; CRLF leaves no '\r' in any field.
        const Example& last = train.examples.back();
        QVERIFY(last.textB->find('\r') == std::string::npos);
        QCOMPARE(load(path, options("sick")).examples.back().row, 9841);

        const Dataset trial = load(path, options("sick", "trial"));
        QCOMPARE(trial.examples.front().id, std::string("4"));
        QCOMPARE(trial.examples.front().label, std::string("contradiction"));
    }

    void unknownSplits() {
        CHECK_CONTAINS(loadError(shared("sick/SICK.txt"), options("sick", "validation")),
                       "unknown split 'validation' for sick (expected train, trial, test or "
                       "train+trial)");
        CHECK_CONTAINS(loadError(shared("mrpc/msr_paraphrase_train.txt"), options("mrpc", "val")),
                       "unknown split 'val' for mrpc");
        CHECK_CONTAINS(loadError(shared("sst2/dev.tsv"), options("sst2", "dev")), "has no splits");
    }

    void sst2() {
        const Dataset dev = load(shared("sst2/dev.tsv"), options("sst2"));
        QCOMPARE(dev.examples.size(), size_t(872));
        QCOMPARE(labelCounts(dev)["positive"], 444);
        QCOMPARE(labelCounts(dev)["negative"], 428);
        QCOMPARE(dev.labelNames, (std::vector<std::string>{"negative", "positive"}));
        QVERIFY(!dev.isPair());
        QVERIFY(!dev.examples.front().textB.has_value());
        // Trailing spaces are part of the text as distributed.
        QCOMPARE(dev.examples.front().textA,
                 std::string("it 's a charming and often affecting journey . "));
        QCOMPARE(dev.examples.front().id, std::string("0"));
        QCOMPARE(dev.examples.front().row, 2);

        QElapsedTimer timer;
        timer.start();
        const Dataset train = load(shared("sst2/train.tsv"), options("sst2"));
        qInfo("SST-2 train: %zu examples in %lld ms", train.examples.size(), timer.elapsed());
        QCOMPARE(train.examples.size(), size_t(2000));  // trimmed copy, see PROVENANCE.md
        QCOMPARE(labelCounts(train)["positive"], 1101);

        DatasetOptions limited = options("sst2");
        limited.limit = 10;
        QCOMPARE(load(shared("sst2/train.tsv"), limited).examples.size(), size_t(10));
    }

    void rteBothLayoutsAgree() {
        for (const char* split : {"dev", "train"}) {
            const Dataset hf = load(shared(std::string("rte/") + split + ".tsv"), options("rte"));
            const Dataset glue =
                load(shared(std::string("rte/") + split + ".glue_format.tsv"), options("rte"));
            const size_t expected = std::string(split) == "dev" ? 277 : 500;  // train: trimmed copies
            QCOMPARE(hf.examples.size(), expected);
            QCOMPARE(glue.examples.size(), expected);
            for (size_t i = 0; i < expected; ++i) {
                const Example& a = hf.examples[i];
                const Example& b = glue.examples[i];
                if (a.textA != b.textA || *a.textB != *b.textB || a.label != b.label ||
                    a.id != b.id) {
                    QFAIL(qPrintable(QString("%1 row %2 differs: [%3] vs [%4]")
                                         .arg(split)
                                         .arg(i)
                                         .arg(QString::fromStdString(a.textA))
                                         .arg(QString::fromStdString(b.textA))));
                }
            }
            QCOMPARE(hf.labelNames, (std::vector<std::string>{"entailment", "not_entailment"}));
        }
        const Dataset dev = load(shared("rte/dev.tsv"), options("rte"));
        QCOMPARE(labelCounts(dev)["entailment"], 146);
        QCOMPARE(labelCounts(dev)["not_entailment"], 131);
        QCOMPARE(dev.examples[0].label, std::string("not_entailment"));  // idx 0 = 1
        QCOMPARE(dev.examples[13].textB, std::optional<std::string>("Jack Kevorkian is the real "
                                                                    "name of \"Dr. Death\"."));
        const Dataset train = load(shared("rte/train.glue_format.tsv"), options("rte"));
        QCOMPARE(labelCounts(train)["entailment"], 245);
        QCOMPARE(labelCounts(train)["not_entailment"], 255);
    }

    void mrpcSplits() {
        const std::string train = shared("mrpc/msr_paraphrase_train.txt");
        struct Row {
            std::string path, split;
            int n, equivalent, notEquivalent;
        };
        const Row rows[] = {{train, "train", 3668, 2474, 1194},
                            {train, "dev", 408, 279, 129},
                            {train, "", 4076, 2753, 1323},
                            {shared("mrpc/msr_paraphrase_test.txt"), "test", 1725, 1147, 578}};
        for (const Row& r : rows) {
            const Dataset d = load(r.path, options("mrpc", r.split));
            QCOMPARE(int(d.examples.size()), r.n);
            QCOMPARE(labelCounts(d)["equivalent"], r.equivalent);
            QCOMPARE(labelCounts(d)["not_equivalent"], r.notEquivalent);
        }
        const Dataset trainSplit = load(train, options("mrpc", "train"));
        QCOMPARE(trainSplit.examples.front().id, std::string("702876-702977"));
        QCOMPARE(trainSplit.examples.front().row, 2);
        QVERIFY(trainSplit.examples.front().textA.rfind("Amrozi accused", 0) == 0);  // no BOM
        QCOMPARE(trainSplit.labelNames, (std::vector<std::string>{"not_equivalent", "equivalent"}));
        // dev keeps the train file's order and line numbers; dev_ids.tsv starts with this pair.
        const Dataset dev = load(train, options("mrpc", "dev"));
        const auto found = std::find_if(dev.examples.begin(), dev.examples.end(),
                                        [](const Example& e) { return e.id == "1606495-1606619"; });
        QVERIFY(found != dev.examples.end());
        QCOMPARE(found->row, 887);
        QCOMPARE(found->label, std::string("equivalent"));
        CHECK_CONTAINS(loadError(shared("mrpc/msr_paraphrase_test.txt"), options("mrpc", "dev")),
                       "none of its ID pairs is in dev_ids.tsv");
    }

    void gluePairAndSingle() {
        // WNLI read generically: raw 0/1 labels, GLUE column layout, index column as id.
        const Dataset wnli = load(shared("wnli/train.tsv"), options("glue-pair"));
        QCOMPARE(wnli.examples.size(), size_t(635));
        QCOMPARE(labelCounts(wnli)["1"], 312);
        QCOMPARE(wnli.labelNames, (std::vector<std::string>{"0", "1"}));
        QCOMPARE(wnli.examples[1].id, std::string("1"));
        QVERIFY(wnli.isPair());

        // The HF-layout RTE file through glue-pair: columns found by header name; quoting is
        // opt-in and then gives the same texts as the rte reader.
        DatasetOptions quoted = options("glue-pair");
        quoted.csvQuoting = true;
        const Dataset generic = load(shared("rte/dev.tsv"), quoted);
        const Dataset rte = load(shared("rte/dev.tsv"), options("rte"));
        QCOMPARE(generic.examples.size(), size_t(277));
        QCOMPARE(generic.examples[13].textA, rte.examples[13].textA);
        QCOMPARE(generic.examples[0].label, std::string("1"));
        QCOMPARE(generic.examples[5].id, std::string("5"));

        const Dataset named = load(fixture("glue_pair_named_columns.tsv"), quoted);
        QCOMPARE(named.examples[0].textA, std::string("A \"quoted\" premise"));
        QCOMPARE(named.examples[0].id, std::string("x1"));
        QCOMPARE(named.examples[1].textA, std::string("plain \"inner\" quote"));
        QCOMPARE(*named.examples[1].textB, std::string("B"));
        QCOMPARE(named.labelNames, (std::vector<std::string>{"contradiction", "entailment"}));

        // The known formats' own headers name their columns for glue-pair too.
        const Dataset sick = load(shared("sick/SICK.txt"), options("glue-pair"));
        QCOMPARE(sick.examples.size(), size_t(9840));
        QCOMPARE(sick.labelNames,
                 (std::vector<std::string>{"CONTRADICTION", "ENTAILMENT", "NEUTRAL"}));
        QCOMPARE(sick.examples[0].id, std::string("1"));
        const Dataset mrpc = load(shared("mrpc/msr_paraphrase_train.txt"), options("glue-pair"));
        QCOMPARE(labelCounts(mrpc)["1"], 2753);
        QVERIFY(mrpc.examples[0].textA.rfind("Amrozi accused", 0) == 0);

        const Dataset single = load(shared("sst2/dev.tsv"), options("glue-single"));
        QCOMPARE(single.examples.size(), size_t(872));
        QCOMPARE(labelCounts(single)["1"], 444);

        // Explicit columns and no header: SST-2 with its text as column 0 and label 1.
        DatasetOptions explicitColumns = options("glue-single");
        explicitColumns.header = false;
        explicitColumns.textAColumn = 0;
        explicitColumns.labelColumn = 1;
        const Dataset noHeader = load(fixture("sst2_trailing_empty_lines.tsv"), explicitColumns);
        QCOMPARE(noHeader.examples.size(), size_t(3));  // the header line is now an example
        QCOMPARE(noHeader.examples[0].label, std::string("label"));

        const Dataset sorted = load(fixture("glue_single_labels.tsv"), options("glue-single"));
        QCOMPARE(sorted.labelNames, (std::vector<std::string>{"1", "2", "10", "a", "b"}));
    }

    void lineEndingsAndBom() {
        const Dataset crlf = load(fixture("sst2_bom_crlf_no_final_newline.tsv"), options("sst2"));
        QCOMPARE(crlf.examples.size(), size_t(2));
        QCOMPARE(crlf.examples[0].textA, std::string("it is good "));
        QCOMPARE(crlf.examples[1].textA, std::string("it is bad"));
        QCOMPARE(crlf.examples[1].label, std::string("negative"));
        QCOMPARE(crlf.examples[1].row, 3);

        const Dataset trailing = load(fixture("sst2_trailing_empty_lines.tsv"), options("sst2"));
        QCOMPARE(trailing.examples.size(), size_t(2));
        QCOMPARE(trailing.examples[0].textA, std::string("some text "));
    }

    void malformedInputs() {
        CHECK_CONTAINS(loadError(fixture("no_such_file.tsv"), options("sst2")),
                       "no_such_file.tsv: cannot open");
        CHECK_CONTAINS(loadError(fixture("empty.tsv"), options("sst2")),
                       "empty.tsv: no examples (the file is empty)");
        CHECK_CONTAINS(loadError(fixture("header_only.tsv"), options("sst2")),
                       "header_only.tsv: no examples (only a header line)");
        CHECK_CONTAINS(loadError(fixture("header_only.tsv"), options("glue-single")),
                       "header_only.tsv: no examples");
        CHECK_CONTAINS(loadError(fixture("sst2_missing_column.tsv"), options("sst2")),
                       "sst2_missing_column.tsv line 4: expected 2 tab-separated fields, found 1");
        CHECK_CONTAINS(loadError(fixture("sick_unknown_label.txt"), options("sick")),
                       "sick_unknown_label.txt line 3: unknown label 'MAYBE' (expected "
                       "ENTAILMENT, NEUTRAL or CONTRADICTION)");
        // The bad row is reported even when the chosen split would drop it.
        CHECK_CONTAINS(loadError(fixture("sick_unknown_label.txt"), options("sick", "train")),
                       "line 3: unknown label 'MAYBE'");
        CHECK_CONTAINS(loadError(fixture("rte_unbalanced_quote.tsv"), options("rte")),
                       "rte_unbalanced_quote.tsv line 3: unbalanced quote");
        CHECK_CONTAINS(loadError(fixture("glue_pair_two_texts_only.tsv"), options("glue-pair")),
                       "the text and label columns must differ");
        DatasetOptions labelColumn = options("glue-pair");
        labelColumn.labelColumn = 3;
        CHECK_CONTAINS(loadError(fixture("glue_pair_two_texts_only.tsv"), labelColumn),
                       "glue_pair_two_texts_only.tsv line 1: label column 3 (0-based) does not "
                       "exist: the file has 3 columns");
        CHECK_CONTAINS(loadError(fixture("sst2_missing_column.tsv"), options("glue-pair")),
                       "sst2_missing_column.tsv line 1: expected at least 3 tab-separated columns");
        DatasetOptions columns = options("sst2");
        columns.labelColumn = 1;
        CHECK_CONTAINS(loadError(shared("sst2/dev.tsv"), columns),
                       "glue-pair and glue-single only");
    }

    void mapByName() {
        // Case-insensitive, in a different order from the dataset's labelNames.
        const Dataset sick = load(shared("sick/SICK.txt"), options("sick", "trial"));
        auto classes =
            mapLabelsToClasses(sick, modelWith({"CONTRADICTION", "Entailment", "neutral"}));
        QVERIFY2(classes.ok(), classes.error().c_str());
        QCOMPARE(classes->size(), sick.examples.size());
        for (size_t i = 0; i < sick.examples.size(); ++i) {
            const std::string& label = sick.examples[i].label;
            const int expected = label == "contradiction" ? 0 : label == "entailment" ? 1 : 2;
            QCOMPARE((*classes)[i], expected);
        }
        // '-', ' ' and '_' are read alike; numeric SST-2 labels meet named classes.
        const Dataset rte = load(shared("rte/dev.tsv"), options("rte"));
        auto rteClasses = mapLabelsToClasses(rte, modelWith({"Entailment", "Not Entailment"}));
        QVERIFY2(rteClasses.ok(), rteClasses.error().c_str());
        QCOMPARE((*rteClasses)[0], 1);
        const Dataset sst2 = load(shared("sst2/dev.tsv"), options("sst2"));
        auto sst2Classes = mapLabelsToClasses(sst2, modelWith({"negative", "positive"}));
        QVERIFY2(sst2Classes.ok(), sst2Classes.error().c_str());
        QCOMPARE((*sst2Classes)[0], 1);
        // A model whose classes are the file's codes.
        auto coded = mapLabelsToClasses(sst2, modelWith({"0", "1"}));
        QVERIFY2(coded.ok(), coded.error().c_str());
        QCOMPARE((*coded)[0], 1);
    }

    void mapByGenericIndex() {
        const Dataset sst2 = load(shared("sst2/dev.tsv"), options("sst2"));
        auto classes = mapLabelsToClasses(sst2, modelWith({"LABEL_0", "LABEL_1"}));
        QVERIFY2(classes.ok(), classes.error().c_str());
        int positives = 0;
        for (int c : *classes)
            positives += c;
        QCOMPARE(positives, 444);

        const Dataset wnli = load(shared("wnli/dev.tsv"), options("glue-pair"));
        auto wnliClasses = mapLabelsToClasses(wnli, modelWith({"label_0", "label_1"}));
        QVERIFY2(wnliClasses.ok(), wnliClasses.error().c_str());
        QCOMPARE((*wnliClasses)[0], 0);
        QCOMPARE((*wnliClasses)[1], 1);

        const Dataset sick = load(shared("sick/SICK.txt"), options("sick", "trial"));
        auto sickClasses = mapLabelsToClasses(sick, modelWith({"LABEL_0", "LABEL_1", "LABEL_2"}));
        QVERIFY2(sickClasses.ok(), sickClasses.error().c_str());
        QCOMPARE((*sickClasses)[0], 2);  // pair 4 is CONTRADICTION
    }

    void mapErrors() {
        const Dataset sst2 = load(shared("sst2/dev.tsv"), options("sst2"));
        const std::string named = mapLabelsToClasses(sst2, modelWith({"neg", "pos"})).error();
        CHECK_CONTAINS(named,
                       "dev.tsv line 2: label 'positive' matches no class of the model "
                       "(classes: neg, pos)");
        // A 3-class dataset on a 2-class generic model.
        const Dataset sick = load(shared("sick/SICK.txt"), options("sick", "trial"));
        CHECK_CONTAINS(mapLabelsToClasses(sick, modelWith({"LABEL_0", "LABEL_1"})).error(),
                       "label 'contradiction' matches no class");
        // glue-* integers never map onto named classes: WNLI's 1 is entailment, RTE's 0 is.
        const Dataset wnli = load(shared("wnli/dev.tsv"), options("glue-pair"));
        CHECK_CONTAINS(
            mapLabelsToClasses(wnli, modelWith({"entailment", "not_entailment"})).error(),
            "label '0' matches no class of the model (classes: entailment, not_entailment)");
        CHECK_CONTAINS(mapLabelsToClasses(sst2, modelWith({})).error(), "no classes");
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"
