// Replays the committed corpora (fuzz/corpus/<target>/*) through every target without libFuzzer:
// the regression test of the inputs fuzzing found interesting, built with the project's compiler
// (and its sanitizers in the sanitizer build).
//   brainweave_fuzz_replay CORPUS_ROOT [--verbose]   (--verbose: why each rejected input was rejected)
#include "targets.hpp"

#include <brainweave/io/archive.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    const bool verbose = argc == 3 && std::string(argv[2]) == "--verbose";
    if (argc != 2 && !verbose) {
        std::fprintf(stderr, "usage: brainweave_fuzz_replay CORPUS_ROOT [--verbose]\n");
        return 2;
    }
    namespace fs = std::filesystem;
    const fs::path root = argv[1];
    std::size_t total = 0;
    for (auto name : brainweave::fuzz::target_names()) {
        const fs::path dir = root / std::string(name);
        if (!fs::is_directory(dir)) {
            std::fprintf(stderr, "no corpus for target %.*s in %s\n", static_cast<int>(name.size()), name.data(), dir.c_str());
            return 1;
        }
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        std::size_t accepted = 0;
        for (const auto& f : files) {
            const std::string bytes = brainweave::io::read_file(f);
            const auto why = brainweave::fuzz::run_target(name, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            accepted += why.empty();
            if (verbose) std::printf("  %s: %s\n", f.filename().c_str(), why.empty() ? "accepted" : why.c_str());
        }
        std::printf("%-18.*s %zu inputs, %zu accepted\n", static_cast<int>(name.size()), name.data(), files.size(), accepted);
        total += files.size();
    }
    std::printf("replayed %zu corpus inputs of %zu targets without a finding\n", total, brainweave::fuzz::target_names().size());
    return 0;
}
