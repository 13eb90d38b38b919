#pragma once
// Access to tests/data/golden/tiny-uncased-3cls (the official code's outputs we test against) and
// the dataset copies in tests/data/datasets; see the PROVENANCE.md files there.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "attrscope/analysis/dataset_job.h"
#include "attrscope/float_array.h"
#include "attrscope/model/model.h"

namespace golden {

std::string testDataDir();                          // tests/data
std::string datasetPath(const std::string& relative);  // tests/data/datasets/<relative>
std::string fixtureDir();           // .../golden/tiny-uncased-3cls
std::string modelDir();             // .../golden/tiny-uncased-3cls/model
std::vector<std::string> inputIds();  // "A01" ... "A12"
nlohmann::json load(const std::string& fileName);  // relative to fixtureDir(); cached

// Nested JSON lists of numbers → FloatArray (each value parsed as double, then cast to float,
// which recovers the stored float32 exactly).
attrscope::FloatArray toArray(const nlohmann::json& nested);
// Largest |a - b|; the shapes must match (returns +inf otherwise).
double maxAbsDiff(const attrscope::FloatArray& a, const attrscope::FloatArray& b);

// The golden checkpoint, loaded once per test process.
std::shared_ptr<attrscope::Model> model();
// The first `rows` SICK rows (file order, gold labels) encoded for the golden model.
attrscope::LabelledInputs sickInputs(int rows);

}  // namespace golden
