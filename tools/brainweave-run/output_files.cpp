// NWB and SONATA output of brainweave-run (see output_files.hpp).
#include "output_files.hpp"

#include <brainweave/core/error.hpp>

#ifdef BRAINWEAVE_WITH_HDF5
#include <brainweave/io/nwb/file.hpp>
#include <brainweave/io/sonata.hpp>
#endif

#include <cmath>
#include <cstdio>

namespace brainweave::runner {

void require_output_support([[maybe_unused]] const output_files& files) {
#ifndef BRAINWEAVE_WITH_HDF5
    if (files.any())
        throw config_error("--nwb and --sonata need HDF5: this brainweave-run was built without it (apt-get install "
                           "libhdf5-dev, then configure again)");
#endif
}

#ifndef BRAINWEAVE_WITH_HDF5

void write_region_files(const output_files& f, const std::vector<region_recording>&, const std::vector<std::string>&) {
    require_output_support(f);
}
void write_spiking_files(const output_files& f, const spiking_recording&) { require_output_support(f); }
void write_lfp_files(const output_files& f, const lfp_recording&) { require_output_support(f); }

#else

namespace {

/// The sampling interval of regular time stamps (ms), or 0 if they are not regular.
double regular_interval(const std::vector<double>& t) {
    if (t.size() < 2) return 0.0;
    const double d = t[1] - t[0];
    for (std::size_t k = 1; k < t.size(); ++k)
        if (std::abs((t[k] - t[0]) - static_cast<double>(k) * d) > 1e-9 * std::max(1.0, std::abs(t[k]))) return 0.0;
    return d;
}

std::filesystem::path in_folder(const std::filesystem::path& dir, const std::string& file) {
    std::filesystem::create_directories(dir);
    return dir / file;
}

/// The NWB file's folder is created if missing.
std::filesystem::path nwb_path(const output_files& files) {
    if (files.nwb.has_parent_path()) std::filesystem::create_directories(files.nwb.parent_path());
    return files.nwb;
}

}  // namespace

void write_region_files(const output_files& files, const std::vector<region_recording>& recordings,
                        const std::vector<std::string>& region_labels) {
    if (!files.nwb.empty()) {
        nwb::file f(nwb_path(files), {.session_description = files.description});
        for (const auto& r : recordings) {
            const auto& out = *r.output;
            const double every = regular_interval(out.time);
            nwb::series_options o{.name = r.name, .unit = "a.u.", .rate_hz = every > 0 ? 1000.0 / every : 0.0};
            std::vector<std::string> space = region_labels;
            if (space.size() != out.n_space) {  // areas of a spatial average, sensors, ...
                space.clear();
                for (std::size_t k = 0; k < out.n_space; ++k) space.push_back(std::to_string(k));
            }
            nwb::describe_regions(o, r.monitor, out.variables, space, out.n_modes);
            nwb::append(f.add_time_series(o), out);
        }
        f.close();
        std::printf("  NWB: %s (%zu series)\n", files.nwb.string().c_str(), recordings.size());
    }
    if (!files.sonata.empty()) {
        for (const auto& r : recordings) {
            const auto& out = *r.output;
            const double every = regular_interval(out.time);
            if (every <= 0 || out.n_samples() == 0) {
                std::printf("  SONATA: %s skipped (reports need regular sampling)\n", r.name.c_str());
                continue;
            }
            const std::size_t per_node = out.n_var * out.n_modes;
            sonata::report_mapping m;
            for (std::size_t i = 0; i < out.n_space; ++i) {
                m.node_ids.push_back(i);
                m.elements_per_node.push_back(per_node);
                for (std::size_t e = 0; e < per_node; ++e) {
                    m.element_ids.push_back(e);  // variable * n_modes + mode
                    m.element_pos.push_back(0.5f);
                }
            }
            const auto path = in_folder(files.sonata, r.name + ".h5");
            sonata::report_file rep(path, "regions", m, out.time.front(), every, "a.u.");
            std::vector<double> frame(out.sample_size());
            for (std::size_t t = 0; t < out.n_samples(); ++t) {  // [var][space][mode] -> [space][var][mode]
                for (std::size_t v = 0; v < out.n_var; ++v)
                    for (std::size_t i = 0; i < out.n_space; ++i)
                        for (std::size_t md = 0; md < out.n_modes; ++md)
                            frame[(i * out.n_var + v) * out.n_modes + md] = out(t, v, i, md);
                rep.append(frame);
            }
            rep.close();
            std::printf("  SONATA: %s\n", path.string().c_str());
        }
    }
}

void write_spiking_files(const output_files& files, const spiking_recording& r) {
    const double dt_s = r.seconds_per_step;
    const double every_s = r.trace_step.size() > 1 ? static_cast<double>(r.trace_step[1] - r.trace_step[0]) * dt_s : 0.0;
    std::vector<double> trace_t(r.trace_step.size());
    for (std::size_t k = 0; k < trace_t.size(); ++k) trace_t[k] = static_cast<double>(r.trace_step[k]) * dt_s;
    const std::size_t nr = r.recorded.size(), ns = trace_t.size();
    auto time_major = [&](const std::vector<double>& d) {  // [neuron][sample] -> [sample][neuron]
        std::vector<double> o(d.size());
        for (std::size_t k = 0; k < nr; ++k)
            for (std::size_t s = 0; s < ns; ++s) o[s * nr + k] = d[k * ns + s];
        return o;
    };
    if (!files.nwb.empty()) {
        nwb::file f(nwb_path(files), {.session_description = files.description});
        auto& units = f.units();
        units.set_resolution(dt_s);
        const auto p = units.add_population(r.population, r.size);
        std::vector<double> t(r.spike_step.size());
        for (std::size_t k = 0; k < t.size(); ++k) t[k] = static_cast<double>(r.spike_step[k]) * dt_s;
        units.append(p, r.spike_i, t);
        if (!r.traces.empty()) {
            const auto where = f.add_compartments(
                nwb::compartments_info::point_neurons(std::vector<std::int64_t>(r.recorded.begin(), r.recorded.end())));
            for (const auto& tr : r.traces) {
                auto& s = f.add_compartment_series(
                    {.name = tr.variable, .unit = tr.unit, .description = tr.variable + " of the recorded neurons of " + r.population,
                     .rate_hz = every_s > 0 ? 1.0 / every_s : 0.0, .time_scale = 1.0},
                    where);
                s.append(trace_t, time_major(tr.data), {static_cast<hsize_t>(nr)});
            }
        }
        f.close();
        std::printf("  NWB: %s (Units: %zu neurons, %zu spikes; %zu series)\n", files.nwb.string().c_str(), r.size,
                    r.spike_i.size(), r.traces.size());
    }
    if (!files.sonata.empty()) {
        sonata::spike_file sf(in_folder(files.sonata, "spikes.h5"));
        const auto p = sf.add_population(r.population);
        std::vector<double> t_ms(r.spike_step.size());
        for (std::size_t k = 0; k < t_ms.size(); ++k) t_ms[k] = static_cast<double>(r.spike_step[k]) * dt_s * 1e3;
        sf.append(p, r.spike_i, t_ms);
        sf.close();
        std::printf("  SONATA: %s\n", (files.sonata / "spikes.h5").string().c_str());
        for (const auto& tr : r.traces) {
            if (every_s <= 0) break;
            const auto path = in_folder(files.sonata, "report_" + tr.variable + ".h5");
            sonata::report_file rep(path, r.population, {.node_ids = {r.recorded.begin(), r.recorded.end()}},
                                    trace_t.front() * 1e3, every_s * 1e3, tr.unit);
            rep.append(time_major(tr.data));
            rep.close();
            std::printf("  SONATA: %s\n", path.string().c_str());
        }
    }
}

void write_lfp_files(const output_files& files, const lfp_recording& r) {
    const std::size_t T = static_cast<std::size_t>(r.imem->cols());
    std::vector<double> t(T);
    for (std::size_t k = 0; k < T; ++k) t[k] = static_cast<double>(k) * r.dt_ms;
    const double rate = 1000.0 / r.dt_ms;
    auto values = [](const Eigen::MatrixXd& m) {  // column-major rows x samples = sample-major rows
        return std::span<const double>(m.data(), static_cast<std::size_t>(m.size()));
    };
    if (!files.nwb.empty()) {
        nwb::file f(nwb_path(files), {.session_description = files.description});
        nwb::electrode_group_info probe, eeg;
        probe.name = "probe";
        probe.description = "contacts of the case's extracellular probe (infinite homogeneous medium)";
        probe.positions = r.contacts;
        eeg.name = "eeg";
        eeg.description = "EEG electrodes of the four-sphere head model";
        eeg.location = "scalp (four-sphere head model)";
        eeg.positions = r.eeg_electrodes;
        const auto rows = f.add_electrodes({probe, eeg});
        for (const auto& s : r.on_contacts)
            f.add_electrical_series({.name = s.name, .description = s.description, .rate_hz = rate, .conversion = 1e-3}, rows[0])
                .append(t, values(*s.data), {static_cast<hsize_t>(s.data->rows())});
        f.add_electrical_series({.name = r.eeg.name, .description = r.eeg.description, .rate_hz = rate, .conversion = 1e-3}, rows[1])
            .append(t, values(*r.eeg.data), {static_cast<hsize_t>(r.eeg.data->rows())});
        for (const auto& s : r.derived)
            f.add_time_series({.name = s.name, .unit = s.unit, .description = s.description, .module = "extracellular", .rate_hz = rate})
                .append(t, values(*s.data), {static_cast<hsize_t>(s.data->rows())});
        auto compartments = [&](const std::string& name, std::vector<std::int64_t> segs) {
            nwb::compartments_info c;
            c.name = name;
            c.description = "segments of the simulated cell (NEURON's numbering of the case)";
            c.cell_ids = {0};
            c.numbers = {std::move(segs)};
            return f.add_compartments(c);
        };
        std::vector<std::int64_t> all(static_cast<std::size_t>(r.imem->rows()));
        for (std::size_t k = 0; k < all.size(); ++k) all[k] = static_cast<std::int64_t>(k);
        f.add_compartment_series({.name = "imem", .unit = "nA", .description = "transmembrane current per segment (positive outward)",
                                  .rate_hz = rate},
                                 compartments("segments", all))
            .append(t, values(*r.imem), {static_cast<hsize_t>(r.imem->rows())});
        f.add_compartment_series({.name = "vmem", .unit = "mV", .description = "membrane potential of the recorded segments", .rate_hz = rate},
                                 compartments("vmem_segments", r.vmem_segments))
            .append(t, values(*r.vmem), {static_cast<hsize_t>(r.vmem->rows())});
        f.close();
        std::printf("  NWB: %s (%zu + %zu electrodes; %zu ElectricalSeries, %zu TimeSeries, 2 CompartmentSeries)\n",
                    files.nwb.string().c_str(), r.contacts.size(), r.eeg_electrodes.size(), r.on_contacts.size() + 1, r.derived.size());
    }
    if (!files.sonata.empty()) {
        auto report = [&](const std::string& name, const Eigen::MatrixXd& m, const std::vector<std::int64_t>& segs, const std::string& unit) {
            sonata::report_mapping map;
            map.node_ids = {0};
            map.elements_per_node = {segs.size()};
            for (auto s : segs) {
                map.element_ids.push_back(static_cast<std::uint64_t>(s));
                map.element_pos.push_back(0.5f);
            }
            const auto path = in_folder(files.sonata, "report_" + name + ".h5");
            sonata::report_file rep(path, "cell", map, 0.0, r.dt_ms, unit);
            rep.append(values(m));
            rep.close();
            std::printf("  SONATA: %s\n", path.string().c_str());
        };
        std::vector<std::int64_t> all(static_cast<std::size_t>(r.imem->rows()));
        for (std::size_t k = 0; k < all.size(); ++k) all[k] = static_cast<std::int64_t>(k);
        report("imem", *r.imem, all, "nA");
        report("vmem", *r.vmem, r.vmem_segments, "mV");
    }
}

#endif

}  // namespace brainweave::runner
