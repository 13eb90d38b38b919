// libFuzzer target for vocab.txt: any bytes, read through the same file path a model folder uses,
// give a one-line error or a vocabulary whose ids and tokens round-trip.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "attrscope/text/vocabulary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string path = "/tmp/attrscope-fuzz-vocab-" + std::to_string(::getpid());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto vocab = attrscope::Vocabulary::fromFile(path);
    if (!vocab) {
        if (vocab.error().empty() || vocab.error().find('\n') != std::string::npos) std::abort();
        return 0;
    }
    if (vocab->size() <= 0) std::abort();
    for (int64_t id = 0; id < vocab->size(); ++id) {
        const std::string& token = vocab->token(id);
        const int64_t back = vocab->id(token);
        if (back < 0 || back >= vocab->size() || vocab->token(back) != token) std::abort();
    }
    return 0;
}
