#pragma once
// Labelled text classification datasets read from the TSV files the GLUE / SentEval / SICK
// distributions use, and the mapping of their gold labels onto a model's classes.
//
// Formats (the known ones check their own header, field count and label coding):
//   sick         SICK.txt: 12 columns, label ENTAILMENT/NEUTRAL/CONTRADICTION, split column
//                SemEval_set (TRAIN/TRIAL/TEST). CRLF, no final newline.
//   sst2         GLUE SST-2: `sentence<TAB>label`, label 0/1.
//   rte          GLUE RTE, either layout, chosen by the header (or, without one, by the label):
//                  `index sentence1 sentence2 label` (GLUE; plain, labels as strings)
//                  `sentence1 sentence2 label idx`   (Hugging Face export; CSV quoting, 0/1)
//   mrpc         msr_paraphrase_{train,test}.txt: `Quality #1ID #2ID #1String #2String`, BOM.
//   glue-pair    any TSV with two texts and a label; labels are kept as written.
//   glue-single  any TSV with one text and a label; labels are kept as written.
// Every file may have a UTF-8 BOM, CRLF or LF endings, no final newline and empty lines (skipped).
// A row is one line: a quoted field cannot span lines.

#include <optional>
#include <string>
#include <vector>

#include "attrscope/model/model_config.h"
#include "attrscope/status.h"

namespace attrscope {

struct Example {
    std::string textA;
    std::optional<std::string> textB;  // set for pair formats
    // Known formats: the canonical class name (one of Dataset::labelNames, e.g. "positive" for an
    // SST-2 "1"). glue-*: the label exactly as written in the file.
    std::string label;
    int row = 0;     // 1-based line number in the file (for mrpc dev/train: in the train file)
    std::string id;  // the file's id (SICK pair_ID, RTE index/idx, MRPC "#1ID-#2ID", a glue-*
                     // index/idx/id column); otherwise the 0-based row among the file's examples
};

struct Dataset {
    std::string path;
    std::string format;  // as in datasetFormats()
    std::string split;   // lower-case split name, empty for the whole file
    // Known formats: the canonical class names in the format's fixed order, which is also the
    // Hugging Face / GLUE integer coding (sst2: negative, positive). glue-*: the distinct labels,
    // sorted (numbers numerically, before any non-numeric label).
    std::vector<std::string> labelNames;
    std::vector<Example> examples;

    bool isPair() const;
};

struct DatasetOptions {
    std::string format;  // sick | sst2 | rte | mrpc | glue-pair | glue-single (case-insensitive)
    // sick: train | trial (alias dev) | test | train+trial.  mrpc: train | dev | test, where train
    // and dev are cut from msr_paraphrase_train.txt by the dev_ids.tsv next to it (GLUE's split)
    // and test takes the file as given.  Other formats have no splits: the file is the split.
    // Empty = every row of the file. Case-insensitive.
    std::string split;
    // glue-* only (0-based; -1 = default). Defaults: the header column named (ignoring case)
    //   pair A:  sentence1, question1, question, premise, sentence_a, text_a, "#1 String"
    //   pair B:  sentence2, question2, sentence, hypothesis, sentence_b, text_b, "#2 String"
    //   single:  sentence, text
    //   label:   label, gold_label, entailment_label, quality
    // and without such a name, by position: pair 1, 2, last (GLUE `index s1 s2 label`; a 3-column
    // file is s1, s2, label), single 0, last (`sentence label`). A header column named index /
    // idx / id / pair_id / guid gives Example::id.
    int textAColumn = -1, textBColumn = -1, labelColumn = -1;
    // glue-* only: whether the first non-empty line is a header. The known formats recognise
    // their own header line and ignore this.
    bool header = true;
    // Double-quote CSV quoting ("a ""b"" c" reads as a "b" c). Off by default because plain GLUE
    // files use '"' as literal text (a field may start with one); rte turns it on by itself for
    // the Hugging Face layout. true forces it for any format.
    bool csvQuoting = false;
    int limit = 0;  // keep the first `limit` examples (after the split); 0 = all
};

// Errors name the file and, for a bad row, its 1-based line: "SICK.txt line 17: unknown label
// 'MAYBE' (expected ENTAILMENT, NEUTRAL or CONTRADICTION)". A file without examples is an error.
Expected<Dataset> loadDataset(const std::string& path, const DatasetOptions& options);

std::vector<std::string> datasetFormats();

// The model class index of each example, in order. A label matches a class when
//   1. its name equals the class name, ignoring case and treating '-', ' ' and '_' alike; or
//   2. the model's classes are all generic (LABEL_0, LABEL_1, ...) and the label's integer code is
//      k: its index in labelNames for a known format, the label's own value for glue-* integers.
// Known-format labels also match classes named by their integer code ("0", "1"). A glue-* "1"
// never matches a named class such as "entailment": the codings differ (WNLI's 1 is RTE's 0).
// A label that maps to no class is an error naming it and the model's classes.
Expected<std::vector<int>> mapLabelsToClasses(const Dataset& dataset, const ModelConfig& config);

}  // namespace attrscope
