#pragma once
// NWB 2.7.0 files (Neurodata Without Borders; read by pynwb, NWB Widgets, DANDI) written as a
// simulation runs. Needs brainweave::hdf5.
//
//   nwb::file f("run.nwb", {.session_description = "resting state, 76 regions"});
//   auto& tavg = f.add_time_series({.name = "tavg", .unit = "a.u.", .rate_hz = 1000.0});
//   auto& units = f.units();                       // the file's Units table (spikes)
//   auto pop = units.add_population("E", 800, "rM1");
//   for (...) { sim.run(1000.0); nwb::drain(tavg, sim.monitor<0>()); units.drain(pop, rec, dt_s); f.flush(); }
//   f.close();                                     // Units written, file marked complete
//
// What goes where (paths in the file):
//   /                         nwb_version, namespace "core", neurodata_type "NWBFile", object_id,
//                             .specloc -> /specifications
//   /specifications/<ns>/<v>  the cached schema (core 2.7.0, hdmf-common 1.8.0, hdmf-experimental
//                             0.5.0, simulation_output 0.2.0) as JSON text
//   /acquisition/<name>       TimeSeries (region monitors) and CompartmentSeries (state variables
//                             of neurons or compartments) with their Compartments tables
//   /processing/<module>/...  the same, where a series names the processing module
//   /units                    Units: spike_times + spike_times_index, id, population, region
//   /general/notes            "INCOMPLETE ..." until close() succeeds
//
// Streaming: series append to chunked datasets with an unlimited time dimension; spikes go to a
// scratch file beside the output (<file>.spikes.tmp) and are grouped per unit at close() within
// a memory budget. flush() makes what was appended so far readable; a run that dies before
// close() leaves a file whose /general/notes says it is incomplete.
//
// Times are written in seconds (NWB's unit); writers take times in their own unit and a scale
// (time_scale = 1e-3 for ms, the region simulator's unit).
#include <brainweave/io/hdf5/hdf5.hpp>
#include <brainweave/io/nwb/specifications.hpp>
#include <brainweave/monitors/output.hpp>
#include <brainweave/version.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace brainweave::nwb {

inline constexpr std::string_view nwb_version = "2.7.0";

/// A random (version 4) UUID, as NWB's object_id and default identifier.
inline std::string new_uuid() {
    static thread_local std::mt19937_64 gen{[] {
        std::random_device rd;
        return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
               static_cast<std::uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count());
    }()};
    std::uint64_t hi = gen(), lo = gen();
    hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 1
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                  static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return buf;
}

/// The current time in ISO 8601 with the UTC offset, e.g. 2026-11-22T10:15:00.123456+00:00.
inline std::string now_iso8601() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us));
    return buf;
}

/// The file-level metadata NWB requires (and a few it allows).
struct file_info {
    std::string session_description = "brainweave simulation";
    std::string identifier{};        ///< unique id of this file; "" = a new UUID
    std::string session_start_time{};  ///< ISO 8601 with offset; "" = now (UTC)
    std::string notes{};             ///< written to /general/notes once the file is complete
    std::string experimenter{}, institution{}, lab{};  ///< optional, written to /general if given
};

namespace detail {
/// Marks an object as an instance of a neurodata type of a namespace, with a new object_id.
inline void typed(const hdf5::object& o, std::string_view type, std::string_view ns) {
    o.write_attribute("namespace", ns);
    o.write_attribute("neurodata_type", type);
    o.write_attribute("object_id", new_uuid());
}
/// A JSON string literal (quotes and escapes).
inline std::string json_string(std::string_view s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\', o += c;
        else if (static_cast<unsigned char>(c) < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else o += c;
    }
    return o + "\"";
}
inline std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
    std::string o;
    for (std::size_t k = 0; k < v.size(); ++k) (o += k ? sep : "") += v[k];
    return o;
}
inline std::string json_list(const std::vector<std::string>& v) {
    std::string o = "[";
    for (std::size_t k = 0; k < v.size(); ++k) o += (k ? "," : "") + json_string(v[k]);
    return o + "]";
}
}  // namespace detail

/// How a series is written: name, place, unit, timing. `rate_hz > 0` stores starting_time and
/// rate (regularly sampled; every appended time is checked against it), otherwise timestamps.
struct series_options {
    std::string name{};
    std::string unit = "unknown";        ///< NWB: base unit of the values (e.g. "mV", "Hz", "a.u.")
    std::string description = "no description";
    std::string comments = "no comments";
    std::string module{};                ///< "" = /acquisition, otherwise /processing/<module>
    double rate_hz = 0.0;                ///< > 0: regular sampling at this rate
    double time_scale = 1e-3;            ///< seconds per time unit of the appended times (ms: 1e-3)
    double conversion = 1.0, offset = 0.0, resolution = -1.0;
    std::string continuity = "continuous";
};

class file;

/// Describes a region monitor's series: the description names the monitor, the variables and the
/// regions in words; `comments` holds them as JSON ({"dimensions": [...], "state_variables": [...],
/// "regions": [...]}) for programs. Dimensions of one variable or one mode are dropped (drain()).
inline void describe_regions(series_options& o, std::string_view monitor, const std::vector<std::string>& variables,
                             const std::vector<std::string>& regions, std::size_t n_modes = 1) {
    std::vector<std::string> dims{"time"};
    if (variables.size() > 1) dims.push_back("state_variable");
    dims.push_back("region");
    if (n_modes > 1) dims.push_back("mode");
    o.description = std::string(monitor) + " monitor of " + detail::join(variables) + " on " +
                    std::to_string(regions.size()) + " regions (data dimensions: " + detail::join(dims) +
                    "); region labels in order: " + detail::join(regions);
    o.comments = "{\"monitor\":" + detail::json_string(monitor) + ",\"dimensions\":" + detail::json_list(dims) +
                 ",\"state_variables\":" + detail::json_list(variables) + ",\"regions\":" + detail::json_list(regions) +
                 ",\"modes\":" + std::to_string(n_modes) + "}";
}

/// A TimeSeries (or a type derived from it, e.g. CompartmentSeries) being written: append rows of
/// values with their time stamps; the data set grows along time.
class series {
public:
    series(hdf5::object group, series_options o) : o_(std::move(o)), g_(std::move(group)) {}

    const series_options& options() const noexcept { return o_; }
    std::size_t samples() const noexcept { return static_cast<std::size_t>(data_.rows()); }
    const hdf5::object& group() const noexcept { return g_; }

    /// Appends samples: `times` (one per sample, in the series' time unit) and `values` (C order,
    /// each sample of shape `row_shape`). The row shape is fixed by the first append.
    void append(std::span<const double> times, std::span<const double> values, std::vector<hsize_t> row_shape) {
        if (times.empty()) return;
        std::size_t row = 1;
        for (auto d : row_shape) row *= static_cast<std::size_t>(d);
        if (values.size() != times.size() * row)
            throw config_error("NWB series '" + o_.name + "': " + std::to_string(values.size()) + " values for " +
                               std::to_string(times.size()) + " samples of " + std::to_string(row));
        if (!data_.dataset().valid()) start(row_shape, times.front());
        else if (row_shape != row_shape_)
            throw config_error("NWB series '" + o_.name + "': the shape of a sample changed between appends");
        if (o_.rate_hz > 0) {
            for (std::size_t k = 0; k < times.size(); ++k) {
                const double expect = t0_ + static_cast<double>(samples() + k) / o_.rate_hz;
                const double t = times[k] * o_.time_scale;
                if (std::abs(t - expect) > 1e-9 * std::max(1.0, std::abs(expect)))
                    throw config_error("NWB series '" + o_.name + "': sample " + std::to_string(samples() + k) + " at " +
                                       std::to_string(t) + " s is not on the regular grid (starting_time " +
                                       std::to_string(t0_) + " s, rate " + std::to_string(o_.rate_hz) +
                                       " Hz); give rate_hz = 0 to store time stamps");
            }
        } else {
            std::vector<double> ts(times.size());
            for (std::size_t k = 0; k < ts.size(); ++k) ts[k] = times[k] * o_.time_scale;
            timestamps_.append(ts);
        }
        data_.append(values);
    }

    /// Writes what an empty series still needs (called by file::close()).
    void finish() {
        if (!data_.dataset().valid()) start({}, 0.0);
    }

private:
    void start(const std::vector<hsize_t>& row_shape, double first_time) {
        row_shape_ = row_shape;
        data_ = hdf5::appendable<double>(g_, "data", row_shape, 1u << 18);
        const auto& d = data_.dataset();
        d.write_attribute("unit", o_.unit);
        d.write_attribute("conversion", static_cast<float>(o_.conversion));
        d.write_attribute("offset", static_cast<float>(o_.offset));
        d.write_attribute("resolution", static_cast<float>(o_.resolution));
        d.write_attribute("continuity", o_.continuity);
        if (o_.rate_hz > 0) {
            t0_ = first_time * o_.time_scale;
            auto st = g_.write_scalar("starting_time", t0_);
            st.write_attribute("rate", static_cast<float>(o_.rate_hz));
            st.write_attribute("unit", "seconds");
        } else {
            timestamps_ = hdf5::appendable<double>(g_, "timestamps", {}, 1u << 16);
            timestamps_.dataset().write_attribute("interval", std::int32_t{1});
            timestamps_.dataset().write_attribute("unit", "seconds");
        }
    }

    series_options o_;
    hdf5::object g_;
    hdf5::appendable<double> data_, timestamps_;
    std::vector<hsize_t> row_shape_;
    double t0_ = 0.0;
};

/// Which cells and compartments the columns of a CompartmentSeries are: per cell (a row of the
/// Compartments table) its compartment numbers, optionally their positions along the section
/// (0 = near the soma, 1 = the far end) and labels. Point neurons: one compartment 0 per cell.
struct compartments_info {
    std::string name = "compartments";
    std::string description = "the cells and compartments recorded";
    std::vector<std::int64_t> cell_ids{};
    std::vector<std::vector<std::int64_t>> numbers{};
    std::vector<std::vector<double>> positions{};   ///< empty = not written
    std::vector<std::vector<std::string>> labels{}; ///< empty = not written

    /// Point neurons `ids`: one compartment each (number 0, position 0.5, label "soma").
    static compartments_info point_neurons(std::vector<std::int64_t> ids, std::string name = "compartments") {
        compartments_info c;
        c.name = std::move(name);
        c.cell_ids = std::move(ids);
        c.numbers.assign(c.cell_ids.size(), {0});
        c.positions.assign(c.cell_ids.size(), {0.5});
        c.labels.assign(c.cell_ids.size(), {"soma"});
        return c;
    }
    std::size_t n_compartments() const {
        std::size_t n = 0;
        for (const auto& v : numbers) n += v.size();
        return n;
    }
};

namespace detail {
/// The absolute path inside the file of an object (hdf5::object::path() also names the file).
inline std::string inner_path(const hdf5::object& o) {
    const std::string p = o.path();
    return p.substr(p.rfind(' ') + 1);
}

/// A ragged column: data (VectorData) + index (VectorIndex, end offsets, target reference).
template <class T>
void ragged_column(const hdf5::object& table, const std::string& name, const std::string& description,
                   const std::vector<std::vector<T>>& rows) {
    std::vector<T> flat;
    std::vector<std::uint64_t> ends;
    for (const auto& r : rows) {
        flat.insert(flat.end(), r.begin(), r.end());
        ends.push_back(flat.size());
    }
    hdf5::object d;
    if constexpr (std::is_same_v<T, std::string>) d = table.write_dataset(name, std::span<const std::string>(flat));
    else d = table.write_dataset(name, flat);
    d.write_attribute("description", description);
    typed(d, "VectorData", "hdmf-common");
    auto idx = table.write_dataset(name + "_index", ends);
    idx.write_attribute("description", "Index for VectorData '" + name + "'");
    idx.write_reference_attribute("target", inner_path(d));
    typed(idx, "VectorIndex", "hdmf-common");
}

inline void id_column(const hdf5::object& table, const std::vector<std::int64_t>& ids) {
    auto id = table.write_dataset("id", ids);
    typed(id, "ElementIdentifiers", "hdmf-common");
}

inline void text_column(const hdf5::object& table, const std::string& name, const std::string& description,
                        const std::vector<std::string>& values) {
    auto d = table.write_dataset(name, std::span<const std::string>(values));
    d.write_attribute("description", description);
    typed(d, "VectorData", "hdmf-common");
}

}  // namespace detail

/// The file's Units table: spikes of populations of neurons, one row per neuron, streamed to a
/// scratch file and written grouped per unit at close().
class units_table {
public:
    /// Adds `n` units (neurons) of a population; `region` labels every unit (or "" for none).
    /// Returns the population handle for append(); unit ids run on from the previous population.
    std::size_t add_population(std::string population, std::size_t n, std::string region = "") {
        return add_population(std::move(population), std::vector<std::string>(n, std::move(region)));
    }
    /// As above with one region label per unit.
    std::size_t add_population(std::string population, std::vector<std::string> regions) {
        if (closed_) throw config_error("NWB units: the table was already written");
        pops_.push_back({std::move(population), counts_.size(), regions.size()});
        for (auto& r : regions) {
            region_.push_back(std::move(r));
            population_.push_back(pops_.back().name);
        }
        counts_.resize(counts_.size() + pops_.back().size, 0);
        return pops_.size() - 1;
    }
    std::size_t size() const noexcept { return counts_.size(); }
    /// First unit id of population p.
    std::size_t first_id(std::size_t p) const { return pops_.at(p).first; }

    /// Spikes of population p: `units` are indices within the population, `times` in seconds.
    void append(std::size_t p, std::span<const std::uint32_t> units, std::span<const double> times) {
        if (units.size() != times.size()) throw config_error("NWB units: as many times as units are needed");
        const auto& pop = pops_.at(p);
        for (std::size_t k = 0; k < units.size(); ++k) {
            if (units[k] >= pop.size)
                throw config_error("NWB units: unit " + std::to_string(units[k]) + " is outside population '" + pop.name +
                                   "' of " + std::to_string(pop.size));
            const auto u = pop.first + units[k];
            ++counts_[u];
            buf_id_.push_back(u);
            buf_t_.push_back(times[k]);
        }
        if (buf_id_.size() >= spill_at) spill();
    }
    /// Appends the spikes a recorder holds (senders() and times(dt), e.g. spiking::spike_recorder)
    /// with `seconds_per_step`, then clears it.
    template <class Recorder>
    void drain(std::size_t p, Recorder& rec, double seconds_per_step) {
        append(p, rec.senders(), rec.times(seconds_per_step));
        rec.clear();
    }
    /// Spike time resolution in seconds (the simulation step), written as spike_times.resolution.
    void set_resolution(double seconds) { resolution_ = seconds; }

    std::size_t spill_at = std::size_t{1} << 20;       ///< spikes buffered in memory before spilling to scratch
    std::size_t memory_budget = std::size_t{1} << 23;              ///< spikes grouped per pass at close

private:
    friend class file;
    struct population {
        std::string name;
        std::size_t first, size;
    };

    void spill() {
        if (!scratch_) {
            scratch_ = hdf5::file::create(scratch_path_);
            ids_ = hdf5::appendable<std::uint64_t>(scratch_.root(), "unit", {}, 1u << 20);
            ts_ = hdf5::appendable<double>(scratch_.root(), "t", {}, 1u << 20);
        }
        ids_.append(buf_id_);
        ts_.append(buf_t_);
        buf_id_.clear();
        buf_t_.clear();
    }

    /// Calls f(unit, time) for every spike in arrival order (scratch file first, then the buffer).
    template <class F>
    void for_each_spike(F&& f) const {
        if (scratch_) {
            const hsize_t n = ids_.rows(), block = 1u << 20;
            for (hsize_t at = 0; at < n; at += block) {
                const hsize_t c = std::min(block, n - at);
                const auto u = ids_.dataset().read_rows<std::uint64_t>(at, c);
                const auto t = ts_.dataset().read_rows<double>(at, c);
                for (std::size_t k = 0; k < u.size(); ++k) f(u[k], t[k]);
            }
        }
        for (std::size_t k = 0; k < buf_id_.size(); ++k) f(buf_id_[k], buf_t_[k]);
    }

    void write(const hdf5::object& root) {
        closed_ = true;
        auto g = root.create_group("units");
        detail::typed(g, "Units", "core");
        g.write_attribute("description", "spiking neurons of the simulation, one unit per neuron");
        const std::vector<std::string> cols{"spike_times", "population", "region"};
        g.write_attribute("colnames", std::span<const std::string>(cols));
        std::vector<std::int64_t> ids(counts_.size());
        std::vector<std::uint64_t> ends(counts_.size());
        std::uint64_t total = 0;
        for (std::size_t u = 0; u < counts_.size(); ++u) {
            ids[u] = static_cast<std::int64_t>(u);
            total += counts_[u];
            ends[u] = total;
        }
        detail::id_column(g, ids);
        // spike_times, grouped per unit in passes over ranges of units that fit the memory budget
        const hsize_t n = total;
        auto space = hdf5::detail::simple_space(std::span<const hsize_t>(&n, 1));
        auto st = g.create_dataset("spike_times", H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT);
        for (std::size_t u0 = 0; u0 < counts_.size();) {
            std::size_t u1 = u0 + 1;
            while (u1 < counts_.size() && ends[u1] - (u0 ? ends[u0 - 1] : 0) <= memory_budget) ++u1;
            const std::uint64_t base = u0 ? ends[u0 - 1] : 0, len = ends[u1 - 1] - base;
            if (len) {
                std::vector<double> block(len);
                std::vector<std::uint64_t> fill(u1 - u0, 0);
                for_each_spike([&](std::uint64_t u, double t) {
                    if (u < u0 || u >= u1) return;
                    const std::uint64_t start = u ? ends[u - 1] : 0;
                    block[start - base + fill[u - u0]++] = t;
                });
                st.write_rows<double>(base, block);
            }
            u0 = u1;
        }
        st.write_attribute("description", "spike times of each unit, in seconds");
        if (resolution_ > 0) st.write_attribute("resolution", resolution_);
        detail::typed(st, "VectorData", "hdmf-common");
        auto idx = g.write_dataset("spike_times_index", ends);
        idx.write_attribute("description", "Index for VectorData 'spike_times'");
        idx.write_reference_attribute("target", "/units/spike_times");
        detail::typed(idx, "VectorIndex", "hdmf-common");
        detail::text_column(g, "population", "the population (neuron group) each unit belongs to", population_);
        detail::text_column(g, "region", "the brain region each unit's population models (\"\" = none)", region_);
        discard_scratch();
    }
    void discard_scratch() noexcept {
        ids_ = {};
        ts_ = {};
        if (scratch_) {
            try {
                scratch_.close();
            } catch (...) {
            }
        }
        std::error_code ec;
        std::filesystem::remove(scratch_path_, ec);
    }

    std::filesystem::path scratch_path_;
    std::vector<population> pops_;
    std::vector<std::uint64_t> counts_;
    std::vector<std::string> population_, region_;
    std::vector<std::uint64_t> buf_id_;
    std::vector<double> buf_t_;
    hdf5::file scratch_;
    hdf5::appendable<std::uint64_t> ids_;
    hdf5::appendable<double> ts_;
    double resolution_ = 0.0;
    bool closed_ = false;
};

/// A group of extracellular electrodes (a probe's contacts) for the electrodes table: an
/// ElectrodeGroup with its Device in /general, one table row per contact. Positions in um.
struct electrode_group_info {
    std::string name = "probe";
    std::string description = "simulated extracellular probe";
    std::string location = "simulated tissue";
    std::string device = "simulated_probe";
    std::string device_description = "point contacts of a simulated probe (brainweave forward model)";
    std::vector<std::array<double, 3>> positions{};  ///< per contact (um)
    std::vector<std::string> locations{};            ///< per contact; empty = `location` for all
};

/// An NWB file being written. Series and the Units table belong to the file; close() (or the
/// destructor, which cannot report errors) finishes them.
class file {
public:
    file(const std::filesystem::path& path, file_info info = {}) : info_(std::move(info)), f_(hdf5::file::create(path)) {
        units_.scratch_path_ = path.string() + ".spikes.tmp";
        const auto root = f_.root();
        root.write_attribute("nwb_version", nwb_version);
        detail::typed(root, "NWBFile", "core");
        const std::string start = info_.session_start_time.empty() ? now_iso8601() : info_.session_start_time;
        const std::vector<std::string> created{now_iso8601()};
        root.write_dataset("file_create_date", std::span<const std::string>(created));
        root.write_dataset("identifier", info_.identifier.empty() ? new_uuid() : info_.identifier);
        root.write_dataset("session_description", info_.session_description);
        root.write_dataset("session_start_time", start);
        root.write_dataset("timestamps_reference_time", start);
        for (const char* g : {"acquisition", "analysis", "processing", "stimulus", "general"}) root.create_group(g);
        root.open("stimulus").create_group("presentation");
        root.open("stimulus").create_group("templates");
        const auto general = root.open("general");
        general.write_dataset("notes", incomplete_note());
        if (!info_.experimenter.empty()) {
            const std::vector<std::string> e{info_.experimenter};
            general.write_dataset("experimenter", std::span<const std::string>(e));
        }
        if (!info_.institution.empty()) general.write_dataset("institution", info_.institution);
        if (!info_.lab.empty()) general.write_dataset("lab", info_.lab);
        write_specifications(root);
        f_.flush();
    }
    file(const file&) = delete;
    file& operator=(const file&) = delete;
    /// Without close(): flushes what it can and leaves the file marked incomplete.
    ~file() {
        if (!f_) return;
        try {
            series_.clear();
            units_.discard_scratch();
            f_.close();
        } catch (...) {
        }
    }

    const std::filesystem::path& path() const noexcept { return f_.path(); }
    hdf5::object root() const { return f_.root(); }

    /// A TimeSeries in /acquisition (or /processing/<module>).
    series& add_time_series(series_options o) { return add_series(std::move(o), "TimeSeries", "core", {}); }

    /// A Compartments table (simulation_output) in /acquisition (or /processing/<module>); returns
    /// its path for add_compartment_series.
    std::string add_compartments(const compartments_info& c, const std::string& module = "") {
        if (c.numbers.size() != c.cell_ids.size() || (!c.positions.empty() && c.positions.size() != c.cell_ids.size()) ||
            (!c.labels.empty() && c.labels.size() != c.cell_ids.size()))
            throw config_error("NWB compartments '" + c.name + "': numbers, positions and labels need one entry per cell (" +
                               std::to_string(c.cell_ids.size()) + ")");
        for (std::size_t k = 0; k < c.positions.size(); ++k)
            if (c.positions[k].size() != c.numbers[k].size() || (!c.labels.empty() && c.labels[k].size() != c.numbers[k].size()))
                throw config_error("NWB compartments '" + c.name + "': cell " + std::to_string(k) +
                                   " has different numbers of compartment numbers, positions and labels");
        auto g = container(module).create_group(c.name);
        detail::typed(g, "Compartments", "simulation_output");
        g.write_attribute("description", c.description);
        std::vector<std::string> cols{"number"};
        detail::id_column(g, c.cell_ids);
        detail::ragged_column(g, "number", "compartment numbers of each cell", c.numbers);
        if (!c.positions.empty()) {
            detail::ragged_column(g, "position", "position of each recording within its compartment (0: near the soma, 1: far end)",
                                  c.positions);
            cols.push_back("position");
        }
        if (!c.labels.empty()) {
            detail::ragged_column(g, "label", "labels of the compartments", c.labels);
            cols.push_back("label");
        }
        g.write_attribute("colnames", std::span<const std::string>(cols));
        return detail::inner_path(g);
    }
    /// A CompartmentSeries (simulation_output): one column per compartment, in the order of the
    /// Compartments table at `compartments` (cells in order, each cell's compartments in order).
    series& add_compartment_series(series_options o, const std::string& compartments) {
        if (!f_.root().exists(compartments)) throw config_error("NWB: no Compartments table at '" + compartments + "'");
        return add_series(std::move(o), "CompartmentSeries", "simulation_output", compartments);
    }

    /// Declares every extracellular electrode of the file (once): Devices and ElectrodeGroups in
    /// /general, and the electrodes table /general/extracellular_ephys/electrodes (location,
    /// group, group_name, x, y, z in um). Returns the table rows of each group's contacts.
    std::vector<std::vector<std::int64_t>> add_electrodes(const std::vector<electrode_group_info>& groups) {
        const auto general = f_.root().open("general");
        if (general.exists("extracellular_ephys/electrodes")) throw config_error("NWB: the electrodes are declared once per file");
        auto devices = general.exists("devices") ? general.open("devices") : general.create_group("devices");
        auto ecephys = general.exists("extracellular_ephys") ? general.open("extracellular_ephys") : general.create_group("extracellular_ephys");
        std::vector<std::vector<std::int64_t>> rows;
        std::vector<std::int64_t> ids;
        std::vector<std::string> location, group_path, group_name;
        std::vector<float> x, y, z;
        for (const auto& g : groups) {
            if (g.name.empty() || g.name == "electrodes") throw config_error("NWB: an electrode group needs a name other than 'electrodes'");
            if (!g.locations.empty() && g.locations.size() != g.positions.size())
                throw config_error("NWB electrode group '" + g.name + "': one location per contact expected");
            if (!devices.exists(g.device)) {
                auto d = devices.create_group(g.device);
                detail::typed(d, "Device", "core");
                d.write_attribute("description", g.device_description);
            }
            auto eg = ecephys.create_group(g.name);
            detail::typed(eg, "ElectrodeGroup", "core");
            eg.write_attribute("description", g.description);
            eg.write_attribute("location", g.location);
            eg.link("device", "/general/devices/" + g.device);
            rows.emplace_back();
            for (std::size_t k = 0; k < g.positions.size(); ++k) {
                rows.back().push_back(static_cast<std::int64_t>(ids.size()));
                ids.push_back(static_cast<std::int64_t>(ids.size()));
                location.push_back(g.locations.empty() ? g.location : g.locations[k]);
                group_path.push_back("/general/extracellular_ephys/" + g.name);
                group_name.push_back(g.name);
                x.push_back(static_cast<float>(g.positions[k][0]));
                y.push_back(static_cast<float>(g.positions[k][1]));
                z.push_back(static_cast<float>(g.positions[k][2]));
            }
        }
        auto t = ecephys.create_group("electrodes");
        detail::typed(t, "DynamicTable", "hdmf-common");
        t.write_attribute("description", "extracellular contacts of the simulation; x, y, z in micrometres");
        detail::id_column(t, ids);
        detail::text_column(t, "location", "location of each contact", location);
        auto gr = t.write_reference_dataset("group", group_path);
        gr.write_attribute("description", "the ElectrodeGroup of each contact");
        detail::typed(gr, "VectorData", "hdmf-common");
        detail::text_column(t, "group_name", "name of the ElectrodeGroup of each contact", group_name);
        for (auto [name, v] : {std::pair{"x", &x}, std::pair{"y", &y}, std::pair{"z", &z}}) {
            auto d = t.write_dataset(name, *v);
            d.write_attribute("description", std::string(name) + " coordinate of the contact (um)");
            detail::typed(d, "VectorData", "hdmf-common");
        }
        const std::vector<std::string> cols{"location", "group", "group_name", "x", "y", "z"};
        t.write_attribute("colnames", std::span<const std::string>(cols));
        return rows;
    }

    /// An ElectricalSeries: one column per electrode (rows of the electrodes table). NWB stores
    /// volts; `o.conversion` scales the appended values to volts (1e-3 for mV).
    series& add_electrical_series(series_options o, const std::vector<std::int64_t>& electrodes) {
        const auto root = f_.root();
        if (!root.exists("general/extracellular_ephys/electrodes")) throw config_error("NWB: declare the electrodes (add_electrodes) first");
        const auto n_rows = root.open("general/extracellular_ephys/electrodes/id").shape().at(0);
        for (auto e : electrodes)
            if (e < 0 || static_cast<hsize_t>(e) >= n_rows) throw config_error("NWB: electrode " + std::to_string(e) + " is not a row of the electrodes table");
        o.unit = "volts";
        auto& s = add_series(std::move(o), "ElectricalSeries", "core", {});
        auto region = s.group().write_dataset("electrodes", electrodes);
        region.write_attribute("description", "the electrodes of the columns of data");
        region.write_reference_attribute("table", "/general/extracellular_ephys/electrodes");
        detail::typed(region, "DynamicTableRegion", "hdmf-common");
        return s;
    }

    /// The Units table (written at close()).
    units_table& units() noexcept {
        has_units_ = true;
        return units_;
    }

    /// Makes everything appended so far readable on disk.
    void flush() const { f_.flush(); }

    /// Writes the Units table, marks the file complete and closes it. Errors (e.g. a full disk)
    /// are reported here.
    void close() {
        if (!f_) return;
        const auto root = f_.root();
        for (auto& s : series_) s.finish();
        if (has_units_) units_.write(root);
        root.open("general").overwrite_string("notes", info_.notes.empty()
                                                           ? "Simulated with brainweave " BRAINWEAVE_VERSION_STRING "."
                                                           : info_.notes);
        series_.clear();
        f_.close();
    }

    /// The text /general/notes holds until close() succeeds.
    static std::string incomplete_note() {
        return "INCOMPLETE: this file was written by brainweave " BRAINWEAVE_VERSION_STRING
               " and was not closed; the simulation writing it stopped before the end. Data flushed before the "
               "interruption are valid; the Units table, written at the end, is missing.";
    }

private:
    hdf5::object container(const std::string& module) {
        const auto root = f_.root();
        if (module.empty()) return root.open("acquisition");
        const std::string path = "processing/" + module;
        if (root.exists(path)) return root.open(path);
        auto g = root.open("processing").create_group(module);
        detail::typed(g, "ProcessingModule", "core");
        g.write_attribute("description", "results of the simulation processed by brainweave (" + module + ")");
        return g;
    }
    series& add_series(series_options o, std::string_view type, std::string_view ns, const std::string& compartments) {
        if (o.name.empty()) throw config_error("NWB: a series needs a name");
        auto parent = container(o.module);
        if (parent.exists(o.name))
            throw config_error("NWB: '" + detail::inner_path(parent) + "/" + o.name + "' exists already; choose another name");
        auto g = parent.create_group(o.name);
        detail::typed(g, type, ns);
        g.write_attribute("description", o.description);
        g.write_attribute("comments", o.comments);
        if (!compartments.empty()) g.link("compartments", compartments);
        series_.emplace_back(std::move(g), std::move(o));
        return series_.back();
    }
    static void write_specifications(const hdf5::object& root) {
        auto specs = root.create_group("specifications");
        for (const auto& ns : specifications::all) {
            auto g = specs.exists(std::string(ns.name)) ? specs.open(std::string(ns.name)) : specs.create_group(std::string(ns.name));
            auto v = g.create_group(std::string(ns.version));
            for (const auto& s : ns.sources) v.write_dataset(std::string(s.name), s.json);
        }
        root.write_reference_attribute(".specloc", "/specifications");
    }

    file_info info_;
    hdf5::file f_;
    std::deque<series> series_;
    units_table units_;
    bool has_units_ = false;
};

/// Appends samples [first, n_samples) of a monitor's output to `s` (times in ms). The row shape
/// is the output's (variable, space, mode) with unit dimensions of variables and modes dropped,
/// as describe_regions() states.
inline void append(series& s, const monitor_output& out, std::size_t first = 0) {
    std::vector<hsize_t> shape;
    if (out.n_var > 1) shape.push_back(out.n_var);
    shape.push_back(out.n_space);
    if (out.n_modes > 1) shape.push_back(out.n_modes);
    s.append(std::span(out.time).subspan(first), std::span(out.data).subspan(first * out.sample_size()), shape);
}

/// Appends the samples a monitor holds to `s`, then clears them (streaming: call after each
/// chunk of a run).
template <class Monitor>
void drain(series& s, Monitor& m) {
    append(s, m.output());
    m.clear_output();
}

/// Appends the samples a state recorder holds (steps(), variables(), data(v) as [sample][neuron],
/// e.g. spiking::state_recorder) to one series per variable, in order, with `time_per_step` in
/// the series' time unit, then clears the recorder.
template <class StateRecorder>
void drain(std::span<series* const> per_variable, StateRecorder& rec, double time_per_step) {
    if (per_variable.size() != rec.variables().size())
        throw config_error("NWB: " + std::to_string(per_variable.size()) + " series for " +
                           std::to_string(rec.variables().size()) + " recorded variables");
    std::vector<double> t(rec.steps().size());
    for (std::size_t k = 0; k < t.size(); ++k) t[k] = static_cast<double>(rec.steps()[k]) * time_per_step;
    for (std::size_t v = 0; v < per_variable.size(); ++v)
        per_variable[v]->append(t, rec.data(v), {static_cast<hsize_t>(rec.neurons().size())});
    rec.clear();
}

/// The Units table of an NWB file, read back: one entry per unit (spike times in seconds, as NWB
/// stores them), with the `population` column where the file has one.
struct units_data {
    std::vector<std::int64_t> id;
    std::vector<std::vector<double>> spike_times_s;
    std::vector<std::string> population;
};

/// Reads /units (id, spike_times, spike_times_index, optional population) of any NWB file.
inline units_data read_units(const std::filesystem::path& path) {
    const auto f = hdf5::file::open(path);
    const auto root = f.root();
    const std::string where = "NWB file '" + path.string() + "'";
    if (!root.exists("units")) throw io_error(where + " has no Units table (/units)");
    const auto units = root.open("units");
    for (const char* name : {"id", "spike_times", "spike_times_index"})
        if (!units.exists(name)) throw io_error(where + ": /units has no " + std::string(name));
    units_data u;
    u.id = units.open("id").read<std::int64_t>();
    const auto times = units.open("spike_times").read<double>();
    const auto ends = units.open("spike_times_index").read<std::uint64_t>();
    if (ends.size() != u.id.size()) throw io_error(where + ": /units/spike_times_index has " + std::to_string(ends.size()) + " rows, /units/id " + std::to_string(u.id.size()));
    std::uint64_t begin = 0;
    for (std::uint64_t e : ends) {
        if (e < begin || e > times.size()) throw io_error(where + ": /units/spike_times_index is not a valid ragged index");
        u.spike_times_s.emplace_back(times.begin() + static_cast<std::ptrdiff_t>(begin), times.begin() + static_cast<std::ptrdiff_t>(e));
        begin = e;
    }
    if (units.exists("population")) u.population = units.open("population").read_strings();
    return u;
}

}  // namespace brainweave::nwb
