#pragma once
// Replaying a case folder in the format of the project's LFP reference set (NEURON + LFPykit):
// see lfp_case.cpp.
#include "output_files.hpp"

#include <filesystem>

namespace brainweave::runner {
/// Simulates the case's passive cell (from its node graph, or rebuilt from morphology.swc when
/// `from_morphology`) with its synapses and input spikes, applies the forward models and writes
/// imem.npy, vmem.npy, lfp_linesource.npy, lfp_pointsource.npy, csd.npy, dipole.npy, eeg.npy, t.npy
/// and the mapping matrices M_*.npy into `out`. With `check`, compares with the case's arrays;
/// returns 0 on success, 1 if the check failed. With `files`, also writes NWB (electrodes,
/// ElectricalSeries, CompartmentSeries) and SONATA reports.
int run_lfp_case(const std::filesystem::path& dir, const std::filesystem::path& out, bool check, bool from_morphology,
                 output_files files = {});
}  // namespace brainweave::runner
