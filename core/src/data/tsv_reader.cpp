#include "tsv_reader.h"

namespace attrscope::tsv {

LineReader::LineReader(std::string_view text) : text_(text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text_.substr(0, kBom.size()) == kBom)
        pos_ = kBom.size();
}

bool LineReader::next(std::string_view* line, int* number) {
    if (pos_ >= text_.size())
        return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos)
        end = text_.size();
    std::string_view current = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (!current.empty() && current.back() == '\r')
        current.remove_suffix(1);
    *line = current;
    *number = ++number_;
    return true;
}

Status splitFields(std::string_view line, bool csvQuoting, std::vector<std::string>* fields) {
    fields->clear();
    size_t pos = 0;
    while (true) {
        std::string& field = fields->emplace_back();
        if (csvQuoting && pos < line.size() && line[pos] == '"') {
            const size_t open = pos++;
            bool closed = false;
            while (pos < line.size()) {
                const char c = line[pos++];
                if (c != '"') {
                    field += c;
                } else if (pos < line.size() && line[pos] == '"') {
                    field += '"';
                    ++pos;
                } else {
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                return Status::error("unbalanced quote: the quoted field " +
                                     std::to_string(fields->size()) + " opened at character " +
                                     std::to_string(open + 1) + " is not closed");
            }
        }
        const size_t tab = line.find('\t', pos);
        const size_t end = tab == std::string_view::npos ? line.size() : tab;
        field.append(line.data() + pos, end - pos);
        if (tab == std::string_view::npos)
            break;
        pos = tab + 1;
    }
    return Status::success();
}

}  // namespace attrscope::tsv
