#pragma once
// What a run produced, written to standard files: NWB (--nwb FILE) and SONATA (--sonata DIR).
// Needs brainweave-run built with HDF5 (brainweave::hdf5); otherwise the options are refused
// with a message saying so.
#include <brainweave/monitors/output.hpp>

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace brainweave::runner {

struct output_files {
    std::filesystem::path nwb;     ///< "" = none
    std::filesystem::path sonata;  ///< folder; "" = none
    std::string description;       ///< NWB session_description
    bool any() const { return !nwb.empty() || !sonata.empty(); }
};

/// Refuses --nwb / --sonata up front (before a run) where brainweave-run was built without HDF5.
void require_output_support(const output_files& files);

/// One region monitor's output: file prefix (the series' name), TVB monitor name, samples (ms).
struct region_recording {
    std::string name, monitor;
    const monitor_output* output = nullptr;
};

/// A spiking group's spikes and recorded state variables.
struct spiking_recording {
    std::string population;
    std::size_t size = 0;
    double seconds_per_step = 0;
    std::vector<std::uint32_t> spike_i;
    std::vector<std::int64_t> spike_step;
    std::vector<std::uint32_t> recorded;  ///< neurons whose state was recorded
    std::vector<std::int64_t> trace_step;  ///< steps of the state samples (regular)
    struct trace {
        std::string variable, unit;
        std::vector<double> data;  ///< [recorded neuron][sample]
    };
    std::vector<trace> traces;
};

/// An LFP case's results (matrices: rows x samples, samples every dt from t = 0).
struct lfp_recording {
    double dt_ms = 0;
    std::vector<std::array<double, 3>> contacts, eeg_electrodes;  ///< um
    struct signal {
        std::string name, unit, description;
        const Eigen::MatrixXd* data = nullptr;
    };
    std::vector<signal> on_contacts;  ///< potentials at the contacts (mV)
    signal eeg;                       ///< potentials at the EEG electrodes (mV)
    std::vector<signal> derived;      ///< CSD, dipole moment, ...
    const Eigen::MatrixXd* imem = nullptr;  ///< nA, every segment
    const Eigen::MatrixXd* vmem = nullptr;  ///< mV, the segments in vmem_segments
    std::vector<std::int64_t> vmem_segments;
};

/// Writes an LFP case: NWB electrodes (the probe's contacts and the EEG electrodes), one
/// ElectricalSeries per potential (volts, conversion 1e-3), the derived signals as TimeSeries in
/// /processing/extracellular, imem and vmem as CompartmentSeries; SONATA reports of imem and vmem.
void write_lfp_files(const output_files& files, const lfp_recording& r);

/// Writes region monitors' outputs: one NWB TimeSeries per monitor (region labels described), and
/// one SONATA report per regularly sampled monitor (population "regions", one node per region or
/// area, its variables and modes as elements).
void write_region_files(const output_files& files, const std::vector<region_recording>& recordings,
                        const std::vector<std::string>& region_labels);

/// Writes a spiking run: NWB Units + one CompartmentSeries per variable; SONATA spikes.h5 and one
/// report per variable (report_<variable>.h5).
void write_spiking_files(const output_files& files, const spiking_recording& r);

}  // namespace brainweave::runner
