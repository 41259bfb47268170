#pragma once
// The fuzz targets: one per loader. Each feeds the bytes to a loader; the loader may reject them
// with brainweave::error (io_error or config_error, with a message naming the input), which is the
// expected outcome for malformed input. Anything else is a finding: another exception type aborts
// (so that libFuzzer records the input), and crashes, leaks and undefined behaviour are caught by
// the sanitizers. See docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace brainweave::fuzz {

/// The names of the targets (also the corpus folders under fuzz/corpus/).
const std::vector<std::string_view>& target_names();

/// Runs target `name` on one input; returns the message of the brainweave::error that rejected it
/// (empty: accepted). Throws std::invalid_argument for an unknown name.
std::string run_target(std::string_view name, const std::uint8_t* data, std::size_t size);

}  // namespace brainweave::fuzz
