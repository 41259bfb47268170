#pragma once
// Replaying a case folder in the format of the project's Brian 2 reference set: see brian2_case.cpp.
#include "output_files.hpp"

#include <filesystem>

namespace brainweave::runner {
/// Builds the network that the case's meta.json describes from the case's own arrays, runs it and
/// writes spike_i.npy, spike_t.npy and the traces under the case's file names into `out`. With
/// `check`, compares with the case's outputs; returns 0 on success, 1 if the check failed. With
/// `files`, also writes spikes and traces to NWB and SONATA. With `neuroml_dir`, also writes the
/// network as NeuroML2 (<case>.net.nml) and a LEMS simulation recording the same spikes and traces
/// (LEMS_<case>.xml) there.
int run_brian2_case(const std::filesystem::path& dir, const std::filesystem::path& out, bool check,
                    output_files files = {}, const std::filesystem::path& neuroml_dir = {});
}  // namespace brainweave::runner
