#pragma once
// Replaying a case folder in the format of the project's spike-analysis reference set: see
// spike_measures.cpp.
#include <filesystem>

namespace brainweave::runner {
/// Computes the spike-train measures of the case's trains (spike_i.npy, spike_t.npy, meta.json)
/// and writes each array under the case's file names plus overall.json into `out`. With `check`,
/// compares with the case's arrays and meta.json; returns 0 on success, 1 if the check failed.
int run_spike_measures(const std::filesystem::path& dir, const std::filesystem::path& out, bool check);
}  // namespace brainweave::runner
