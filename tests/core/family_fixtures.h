#pragma once
// The family fixtures (tests/data/families: tiny random checkpoints of HF's own classes, with
// their goldens), shared by the family tests.

#include <string>

namespace attrscope::test {

inline const char* const kFamilies[] = {"bert",    "roberta", "xlm-roberta", "distilbert",
                                        "electra", "albert",  "deberta-v3"};

// tests/data/families/<family>: the goldens; the checkpoint folder is its "model" subfolder.
inline std::string familyDir(const std::string& family) {
    return std::string(ATTRSCOPE_TEST_DATA_DIR) + "/families/" + family;
}

}  // namespace attrscope::test
