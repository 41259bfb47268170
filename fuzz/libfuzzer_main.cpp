// libFuzzer entry point for every target (built by scripts/fuzz.sh with clang and
// -fsanitize=fuzzer,address,undefined). The target is chosen by BRAINWEAVE_FUZZ_TARGET:
//   BRAINWEAVE_FUZZ_TARGET=npy build-fuzz/fuzz/brainweave_fuzz fuzz/corpus/npy -max_total_time=60
#include "targets.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
std::string_view chosen;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* t = std::getenv("BRAINWEAVE_FUZZ_TARGET");
    bool known = false;
    for (auto n : brainweave::fuzz::target_names()) known |= t && n == t;
    if (!known) {
        std::fprintf(stderr, "set BRAINWEAVE_FUZZ_TARGET to one of:");
        for (auto n : brainweave::fuzz::target_names()) std::fprintf(stderr, " %.*s", static_cast<int>(n.size()), n.data());
        std::fprintf(stderr, "\n");
        std::exit(2);
    }
    chosen = t;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    brainweave::fuzz::run_target(chosen, data, size);
    return 0;
}
