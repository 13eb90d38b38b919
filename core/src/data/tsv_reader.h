#pragma once
// Low-level reading of tab-separated text: lines (BOM, CRLF, missing final newline) and fields
// (plain, or with the double-quote CSV quoting of pandas / Python csv).

#include <string>
#include <string_view>
#include <vector>

#include "attrscope/status.h"

namespace attrscope::tsv {

// Walks the lines of a whole file held in memory. A leading UTF-8 BOM is dropped, and each line
// loses its '\n' and one trailing '\r'. Text after the last '\n' is a line; an empty one is not.
class LineReader {
public:
    explicit LineReader(std::string_view text);
    // The next line and its 1-based number; false at the end.
    bool next(std::string_view* line, int* number);

private:
    std::string_view text_;
    size_t pos_ = 0;
    int number_ = 0;
};

// Splits one line at tabs into `fields` (reused to save allocations). With csvQuoting a field that
// starts with '"' runs to the next lone '"', and "" inside it is one '"'; as in Python's csv, text
// after the closing quote is kept. A '"' inside an unquoted field is literal. The error message
// has no file prefix.
Status splitFields(std::string_view line, bool csvQuoting, std::vector<std::string>* fields);

}  // namespace attrscope::tsv
