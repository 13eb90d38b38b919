#include "golden.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

namespace golden {

std::string testDataDir() { return ATTRSCOPE_TEST_DATA_DIR; }
std::string datasetPath(const std::string& relative) {
    return testDataDir() + "/datasets/" + relative;
}
std::string fixtureDir() { return testDataDir() + "/golden/tiny-uncased-3cls"; }
std::string modelDir() { return fixtureDir() + "/model"; }

std::vector<std::string> inputIds() {
    std::vector<std::string> ids;
    for (int i = 1; i <= 12; ++i) ids.push_back((i < 10 ? "A0" : "A") + std::to_string(i));
    return ids;
}

nlohmann::json load(const std::string& fileName) {
    static std::mutex mutex;
    static std::map<std::string, nlohmann::json> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(fileName);
    if (it != cache.end()) return it->second;
    std::ifstream in(fixtureDir() + "/" + fileName);
    if (!in) throw std::runtime_error("cannot open golden file " + fileName);
    nlohmann::json j = nlohmann::json::parse(in);
    cache.emplace(fileName, j);
    return j;
}

static void flatten(const nlohmann::json& j, size_t depth, std::vector<int64_t>& shape,
                    std::vector<float>& out) {
    if (j.is_array()) {
        if (shape.size() <= depth) shape.push_back(static_cast<int64_t>(j.size()));
        for (const auto& e : j) flatten(e, depth + 1, shape, out);
    } else {
        out.push_back(static_cast<float>(j.get<double>()));
    }
}

attrscope::FloatArray toArray(const nlohmann::json& nested) {
    attrscope::FloatArray a;
    flatten(nested, 0, a.shape, a.data);
    return a;
}

double maxAbsDiff(const attrscope::FloatArray& a, const attrscope::FloatArray& b) {
    if (a.shape != b.shape || a.data.size() != b.data.size())
        return std::numeric_limits<double>::infinity();
    double m = 0.0;
    for (size_t i = 0; i < a.data.size(); ++i) {
        double d = std::fabs(static_cast<double>(a.data[i]) - static_cast<double>(b.data[i]));
        if (!(d <= m)) m = d;  // NaN propagates as a failure
    }
    return m;
}

std::shared_ptr<attrscope::Model> model() {
    static std::shared_ptr<attrscope::Model> m = [] {
        auto loaded = attrscope::Model::load(modelDir());
        if (!loaded) throw std::runtime_error(loaded.error());
        return *loaded;
    }();
    return m;
}

attrscope::LabelledInputs sickInputs(int rows) {
    attrscope::DatasetOptions o;
    o.format = "sick";
    o.limit = rows;
    auto data = attrscope::loadDataset(datasetPath("sick/SICK.txt"), o);
    if (!data) throw std::runtime_error(data.error());
    auto inputs = attrscope::encodeDataset(*model(), *data);
    if (!inputs) throw std::runtime_error(inputs.error());
    return *inputs;
}

}  // namespace golden
