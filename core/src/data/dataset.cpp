#include "attrscope/data/dataset.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "io/file_util.h"
#include "tsv_reader.h"

namespace attrscope {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && lower(a) == lower(b);
}

// "a", "a or b", "a, b or c": the choices in an error message.
std::string joinChoices(const std::vector<std::string>& items, const std::string& last = " or ") {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += i + 1 == items.size() ? last : ", ";
        out += items[i];
    }
    return out;
}

Status lineError(const std::string& path, int line, const std::string& what) {
    return Status::error(path + " line " + std::to_string(line) + ": " + what);
}

// A whole-string number (labels like "0", "-1", "2.5"); nullopt otherwise.
std::optional<double> parseNumber(const std::string& s) {
    if (s.empty() || std::isspace(static_cast<unsigned char>(s.front())))
        return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size())
        return std::nullopt;
    return value;
}

// Numbers first, by value; then the rest, by bytes.
bool labelLess(const std::string& a, const std::string& b) {
    const auto na = parseNumber(a), nb = parseNumber(b);
    if (na && nb)
        return *na != *nb ? *na < *nb : a < b;
    if (na || nb)
        return na.has_value();
    return a < b;
}

const std::vector<std::string> kFormats = {"sick", "sst2",      "rte",
                                           "mrpc", "glue-pair", "glue-single"};

bool isGlue(const std::string& format) {
    return format == "glue-pair" || format == "glue-single";
}

// Where a format keeps its columns and how it writes its classes.
struct Layout {
    size_t fieldCount = 0;
    int textA = -1, textB = -1, label = -1, id = -1, id2 = -1, split = -1;
    bool csv = false;
    std::vector<std::string> names;  // known formats: canonical class names
    std::vector<std::string> codes;  // known formats: the file's spelling of each class
};

// Known formats: the class index of a raw label (the file's code, or the canonical name in any
// case), or -1.
int classOf(const Layout& layout, std::string_view raw) {
    for (size_t i = 0; i < layout.codes.size(); ++i) {
        if (raw == layout.codes[i])
            return static_cast<int>(i);
    }
    for (size_t i = 0; i < layout.codes.size(); ++i) {
        if (equalsIgnoreCase(raw, layout.codes[i]) || equalsIgnoreCase(raw, layout.names[i]))
            return static_cast<int>(i);
    }
    return -1;
}

// Known formats: the layout, and whether `first` (the first non-empty line, split plainly) is
// the format's header.
Layout knownLayout(const std::string& format, const std::vector<std::string>& first,
                   bool* firstIsHeader) {
    const std::string head = first.empty() ? std::string() : lower(trim(first.front()));
    Layout l;
    l.fieldCount = 4;
    if (format == "sick") {
        l.fieldCount = 12;
        l.id = 0;
        l.textA = 1;
        l.textB = 2;
        l.label = 3;
        l.split = 11;
        l.names = {"entailment", "neutral", "contradiction"};
        l.codes = {"ENTAILMENT", "NEUTRAL", "CONTRADICTION"};
        *firstIsHeader = head == "pair_id";
    } else if (format == "sst2") {
        l.fieldCount = 2;
        l.textA = 0;
        l.label = 1;
        l.names = {"negative", "positive"};
        l.codes = {"0", "1"};
        *firstIsHeader = lower(trim(first.back())) == "label";
    } else if (format == "mrpc") {
        l.fieldCount = 5;
        l.label = 0;
        l.id = 1;
        l.id2 = 2;
        l.textA = 3;
        l.textB = 4;
        l.names = {"not_equivalent", "equivalent"};
        l.codes = {"0", "1"};
        *firstIsHeader = head == "quality";
    } else {  // rte: the header names the layout; without one, the last column tells.
        *firstIsHeader = head == "index" || head == "sentence1";
        const std::string tail = lower(trim(first.back()));
        const bool glueLayout =
            *firstIsHeader ? head == "index" : tail == "entailment" || tail == "not_entailment";
        l.names = {"entailment", "not_entailment"};
        if (glueLayout) {
            l.id = 0;
            l.textA = 1;
            l.textB = 2;
            l.label = 3;
            l.codes = l.names;
        } else {  // Hugging Face export (pandas to_csv): quoted fields, 0 = entailment.
            l.textA = 0;
            l.textB = 1;
            l.label = 2;
            l.id = 3;
            l.codes = {"0", "1"};
            l.csv = true;
        }
    }
    return l;
}

int findColumn(const std::vector<std::string>& header, std::initializer_list<const char*> names,
               const std::vector<int>& taken) {
    for (const char* name : names) {
        for (size_t i = 0; i < header.size(); ++i) {
            const int column = static_cast<int>(i);
            if (lower(trim(header[i])) == name &&
                std::find(taken.begin(), taken.end(), column) == taken.end())
                return column;
        }
    }
    return -1;
}

// glue-*: columns from the options, else the header's names, else positions.
Expected<Layout> glueLayout(const std::string& path, const std::string& format,
                            const DatasetOptions& options, const std::vector<std::string>& first,
                            int firstLine) {
    const bool pair = format == "glue-pair";
    Layout l;
    l.fieldCount = first.size();
    l.csv = options.csvQuoting;
    const size_t needed = pair ? 3 : 2;
    if (l.fieldCount < needed) {
        return lineError(path, firstLine,
                         "expected at least " + std::to_string(needed) +
                             " tab-separated columns (" +
                             (pair ? "text A, text B and label" : "text and label") + ") for " +
                             format + ", found " + std::to_string(l.fieldCount));
    }
    const std::vector<std::string> none;
    const std::vector<std::string>& header = options.header ? first : none;
    l.label = findColumn(header, {"label", "gold_label", "entailment_label", "quality"}, {});
    if (pair) {
        l.textA = findColumn(
            header,
            {"sentence1", "question1", "question", "premise", "sentence_a", "text_a", "#1 string"},
            {l.label});
        l.textB = findColumn(header,
                             {"sentence2", "question2", "sentence", "hypothesis", "sentence_b",
                              "text_b", "#2 string"},
                             {l.label, l.textA});
    } else {
        l.textA = findColumn(header, {"sentence", "text"}, {l.label});
    }
    const int last = static_cast<int>(l.fieldCount) - 1;
    const bool threeColumns = l.fieldCount == 3;
    if (l.label < 0)
        l.label = last;
    if (l.textA < 0)
        l.textA = pair && !threeColumns ? 1 : 0;
    if (pair && l.textB < 0)
        l.textB = threeColumns ? 1 : 2;
    if (options.textAColumn >= 0)
        l.textA = options.textAColumn;
    if (options.textBColumn >= 0)
        l.textB = options.textBColumn;
    if (options.labelColumn >= 0)
        l.label = options.labelColumn;
    if (!pair && options.textBColumn >= 0)
        return Status::error(path + ": glue-single has one text; text B column given");

    const std::pair<const char*, int> columns[] = {
        {"text A", l.textA}, {"text B", l.textB}, {"label", l.label}};
    for (const auto& [what, column] : columns) {
        if (column >= static_cast<int>(l.fieldCount)) {
            return lineError(path, firstLine,
                             std::string(what) + " column " + std::to_string(column) +
                                 " (0-based) does not exist: the file has " +
                                 std::to_string(l.fieldCount) + " columns");
        }
    }
    if (l.label == l.textA || (pair && (l.label == l.textB || l.textA == l.textB))) {
        return Status::error(path + ": the text and label columns must differ (text A " +
                             std::to_string(l.textA) +
                             (pair ? ", text B " + std::to_string(l.textB) : std::string()) +
                             ", label " + std::to_string(l.label) + ")");
    }
    l.id =
        findColumn(header, {"index", "idx", "id", "pair_id", "guid"}, {l.textA, l.textB, l.label});
    return l;
}

// mrpc: the "#1ID\t#2ID" pairs of GLUE's dev split, from dev_ids.tsv next to the data file.
Expected<std::unordered_set<std::string>> readMrpcDevIds(const std::string& dataPath) {
    const std::filesystem::path parent = std::filesystem::path(dataPath).parent_path();
    const std::string path = joinPath(parent.empty() ? "." : parent.string(), "dev_ids.tsv");
    auto text = readFile(path, "the MRPC dev_ids.tsv (needed for the train and dev splits)");
    if (!text)
        return text.status();
    std::unordered_set<std::string> ids;
    tsv::LineReader lines(*text);
    std::string_view line;
    int number = 0;
    std::vector<std::string> fields;
    while (lines.next(&line, &number)) {
        if (line.empty())
            continue;
        (void)tsv::splitFields(line, false, &fields);  // plain splitting cannot fail
        if (fields.size() != 2) {
            return lineError(
                path, number,
                "expected 2 tab-separated IDs, found " + std::to_string(fields.size()) + " fields");
        }
        ids.insert(std::string(trim(fields[0])) + '\t' + std::string(trim(fields[1])));
    }
    if (ids.empty())
        return Status::error(path + ": no ID pairs");
    return ids;
}

}  // namespace

bool Dataset::isPair() const {
    return format != "sst2" && format != "glue-single";
}

std::vector<std::string> datasetFormats() {
    return kFormats;
}

Expected<Dataset> loadDataset(const std::string& path, const DatasetOptions& options) {
    const std::string format = lower(options.format);
    if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
        return Status::error(path + ": unknown dataset format '" + options.format + "' (expected " +
                             joinChoices(kFormats) + ")");
    }
    const bool glue = isGlue(format);
    if (!glue && (options.textAColumn >= 0 || options.textBColumn >= 0 || options.labelColumn >= 0))
        return Status::error(path + ": column options apply to glue-pair and glue-single only");
    if (options.limit < 0)
        return Status::error(path + ": the example limit must be 0 (all) or more");

    // Which SICK SemEval_set values to keep; for mrpc, whether to keep the dev IDs or the others.
    const std::string split = lower(trim(options.split));
    std::set<std::string> sickSets;
    bool mrpcDev = false, mrpcFilter = false;
    if (!split.empty()) {
        if (format == "sick") {
            if (split == "train" || split == "train+trial")
                sickSets.insert("TRAIN");
            if (split == "trial" || split == "dev" || split == "train+trial")
                sickSets.insert("TRIAL");
            if (split == "test")
                sickSets.insert("TEST");
            if (sickSets.empty()) {
                return Status::error(path + ": unknown split '" + options.split +
                                     "' for sick (expected train, trial, test or train+trial)");
            }
        } else if (format == "mrpc") {
            if (split != "train" && split != "dev" && split != "test") {
                return Status::error(path + ": unknown split '" + options.split +
                                     "' for mrpc (expected train, dev or test)");
            }
            mrpcFilter = split != "test";
            mrpcDev = split == "dev";
        } else {
            return Status::error(path + ": format " + format + " has no splits (got split '" +
                                 options.split + "'); the file itself is the split");
        }
    }
    std::unordered_set<std::string> devIds;
    if (mrpcFilter) {
        auto ids = readMrpcDevIds(path);
        if (!ids)
            return ids.status();
        devIds = std::move(*ids);
    }

    auto text = readFile(path, "dataset");
    if (!text)
        return text.status();
    tsv::LineReader lines(*text);
    std::string_view line;
    int number = 0;
    auto nextNonEmpty = [&] {
        while (lines.next(&line, &number)) {
            if (!line.empty())
                return true;
        }
        return false;
    };
    if (!nextNonEmpty())
        return Status::error(path + ": no examples (the file is empty)");

    // The first line fixes the layout: header names, field count, quoting.
    std::vector<std::string> fields;
    (void)tsv::splitFields(line, false, &fields);
    bool firstIsHeader = options.header;
    Layout layout;
    if (glue) {
        if (options.csvQuoting) {
            if (Status s = tsv::splitFields(line, true, &fields); !s) {
                return lineError(path, number, s.message());
            }
        }
        auto l = glueLayout(path, format, options, fields, number);
        if (!l)
            return l.status();
        layout = std::move(*l);
    } else {
        layout = knownLayout(format, fields, &firstIsHeader);
        layout.csv = layout.csv || options.csvQuoting;
    }

    Dataset dataset;
    dataset.path = path;
    dataset.format = format;
    dataset.split = split;
    const bool pair = dataset.isPair();
    int dataRows = 0;  // rows read, before the split filter
    int devMatches = 0;
    bool limitReached = false;
    bool atFirst = true;
    while (atFirst || nextNonEmpty()) {
        if (atFirst) {
            atFirst = false;
            if (firstIsHeader)
                continue;
        }
        if (Status s = tsv::splitFields(line, layout.csv, &fields); !s) {
            return lineError(path, number, s.message());
        }
        if (fields.size() != layout.fieldCount) {
            return lineError(path, number,
                             "expected " + std::to_string(layout.fieldCount) +
                                 " tab-separated fields, found " + std::to_string(fields.size()));
        }
        const std::string_view rawLabel = trim(fields[layout.label]);
        std::string label;
        if (glue) {
            if (rawLabel.empty())
                return lineError(path, number, "empty label");
            label = std::string(rawLabel);
        } else {
            const int cls = classOf(layout, rawLabel);
            if (cls < 0) {
                return lineError(path, number,
                                 "unknown label '" + std::string(rawLabel) + "' (expected " +
                                     joinChoices(layout.codes) + ")");
            }
            label = layout.names[cls];
        }
        const int dataIndex = dataRows++;
        if (layout.split >= 0) {
            const std::string set = upper(trim(fields[layout.split]));
            if (set != "TRAIN" && set != "TRIAL" && set != "TEST") {
                return lineError(path, number,
                                 "unknown SemEval_set '" + fields[layout.split] +
                                     "' (expected TRAIN, TRIAL or TEST)");
            }
            if (!sickSets.empty() && sickSets.count(set) == 0)
                continue;
        }
        if (mrpcFilter) {
            const bool inDev = devIds.count(std::string(trim(fields[layout.id])) + '\t' +
                                            std::string(trim(fields[layout.id2]))) > 0;
            devMatches += inDev;
            if (inDev != mrpcDev)
                continue;
        }

        Example& example = dataset.examples.emplace_back();
        example.textA = std::move(fields[layout.textA]);
        if (pair)
            example.textB = std::move(fields[layout.textB]);
        example.label = std::move(label);
        example.row = number;
        if (layout.id < 0) {
            example.id = std::to_string(dataIndex);
        } else {
            example.id = std::string(trim(fields[layout.id]));
            if (layout.id2 >= 0)
                example.id += "-" + std::string(trim(fields[layout.id2]));
        }
        if (options.limit > 0 && static_cast<int>(dataset.examples.size()) == options.limit) {
            limitReached = true;
            break;
        }
    }

    if (mrpcFilter && !limitReached && devMatches == 0) {
        return Status::error(path +
                             ": none of its ID pairs is in dev_ids.tsv; the mrpc train and " +
                             "dev splits are cut from msr_paraphrase_train.txt");
    }
    if (dataset.examples.empty()) {
        if (dataRows == 0)
            return Status::error(path + ": no examples (only a header line)");
        return Status::error(path + ": no examples in split '" + split + "'");
    }

    if (glue) {
        std::set<std::string> distinct;
        for (const Example& e : dataset.examples)
            distinct.insert(e.label);
        dataset.labelNames.assign(distinct.begin(), distinct.end());
        std::sort(dataset.labelNames.begin(), dataset.labelNames.end(), labelLess);
    } else {
        dataset.labelNames = layout.names;
    }
    return dataset;
}

namespace {

// Class-name comparison key: lower case, with '-' and ' ' read as '_'.
std::string nameKey(std::string_view s) {
    std::string key = lower(trim(s));
    std::replace(key.begin(), key.end(), '-', '_');
    std::replace(key.begin(), key.end(), ' ', '_');
    return key;
}

// A non-negative integer written in decimal digits only; -1 otherwise.
long integerCode(std::string_view s) {
    s = trim(s);
    if (s.empty() || s.size() > 9)
        return -1;
    long value = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

Expected<std::vector<int>> mapLabelsToClasses(const Dataset& dataset, const ModelConfig& config) {
    const std::vector<std::string>& classes = config.id2label;
    const long numClasses = static_cast<long>(classes.size());
    if (classes.empty())
        return Status::error("the model has no classes (id2label is empty)");
    bool generic = true;
    std::vector<std::string> keys;
    for (long k = 0; k < numClasses; ++k) {
        keys.push_back(nameKey(classes[k]));
        generic = generic && keys.back() == "label_" + std::to_string(k);
    }
    const bool known = !isGlue(dataset.format);

    auto resolve = [&](const std::string& label) -> int {
        const std::string key = nameKey(label);
        for (long k = 0; k < numClasses; ++k) {
            if (keys[k] == key)
                return static_cast<int>(k);
        }
        long code = -1;
        if (known) {
            const auto it = std::find(dataset.labelNames.begin(), dataset.labelNames.end(), label);
            if (it != dataset.labelNames.end())
                code = it - dataset.labelNames.begin();
        } else {
            code = integerCode(label);
        }
        if (code < 0)
            return -1;
        if (generic)
            return code < numClasses ? static_cast<int>(code) : -1;
        if (known) {  // a model whose classes are named by the format's codes ("0", "1")
            for (long k = 0; k < numClasses; ++k) {
                if (keys[k] == std::to_string(code))
                    return static_cast<int>(k);
            }
        }
        return -1;
    };

    std::unordered_map<std::string, int> cache;
    std::vector<int> result;
    result.reserve(dataset.examples.size());
    for (const Example& e : dataset.examples) {
        auto it = cache.find(e.label);
        if (it == cache.end())
            it = cache.emplace(e.label, resolve(e.label)).first;
        if (it->second < 0) {
            return Status::error(
                dataset.path + " line " + std::to_string(e.row) + ": label '" + e.label +
                "' matches no class of the model (classes: " + joinChoices(classes, ", ") + ")");
        }
        result.push_back(it->second);
    }
    return result;
}

}  // namespace attrscope
