#pragma once
// brainweave-run's inputs: JSON specs and TVB reference case folders (spec.cpp).
#include "description.hpp"

#include <filesystem>

namespace brainweave::runner {

/// A JSON spec (docs/runner.md) -> description; `out_dir` is set from the spec's "output" if empty.
description from_spec(const std::filesystem::path& spec_path, std::filesystem::path& out_dir);

/// A TVB reference case folder (meta.json and .npy inputs) -> description.
description from_tvb_case(const std::filesystem::path& dir);

}  // namespace brainweave::runner
