// Tokenizer throughput: SST-2 dev (872 sentences) through each tokenizer given on the command
// line (a model folder or file), timing load and encode separately.
// Usage: bench_tokenizers SST2_DEV_TSV TOKENIZER...

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "attrscope/text/text_tokenizer.h"

using namespace attrscope;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_tokenizers SST2_DEV_TSV TOKENIZER...\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    std::vector<std::string> sentences;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line))
        sentences.push_back(line.substr(0, line.rfind('\t')));
    if (sentences.empty()) {
        std::fprintf(stderr, "%s: no sentences\n", argv[1]);
        return 1;
    }
    using Clock = std::chrono::steady_clock;
    auto seconds = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };
    // Wall and CPU time: on a shared machine the CPU seconds are the figure to compare.
    std::printf("%-48s %8s %10s %10s %8s\n", "tokenizer (SST-2 dev)", "load s", "encode s", "CPU s",
                "tokens");
    for (int i = 2; i < argc; ++i) {
        auto t0 = Clock::now();
        auto tokenizer = loadTokenizer(argv[i]);
        auto t1 = Clock::now();
        if (!tokenizer) {
            std::fprintf(stderr, "%s\n", tokenizer.error().c_str());
            return 1;
        }
        size_t tokens = 0;
        const std::clock_t c1 = std::clock();
        EncodeOptions options;
        options.maxLength = 128;
        for (const std::string& s : sentences) {
            auto e = (*tokenizer)->encode(s, std::nullopt, options);
            if (!e) {
                std::fprintf(stderr, "%s: %s\n", argv[i], e.error().c_str());
                return 1;
            }
            tokens += e->tokens.size();
        }
        auto t2 = Clock::now();
        const double cpu = static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
        std::printf("%-48s %8.3f %10.4f %10.4f %8zu  (%zu sentences, %s)\n", argv[i],
                    seconds(t0, t1), seconds(t1, t2), cpu, tokens, sentences.size(),
                    (*tokenizer)->description().c_str());
    }
    return 0;
}
