#pragma once
// SONATA output files (BMTK, libsonata, NEURON and Arbor tooling): spike files and compartment
// reports, written as a simulation runs. Needs brainweave::hdf5.
//
// Spike file (one per run, any number of populations):
//   /                        magic = 0x0A7A (uint32), version = [0, 1] (uint32)
//   /spikes/<population>     sorting: enum {none, by_id, by_time} (by_time when the spikes
//                            arrived in time order, as the spiking engine records them)
//       timestamps           float64, units = "ms"
//       node_ids             uint64 (node id within the population)
//
// Report (one population per file):
//   /report/<population>/data                 (n_times, n_elements) float32, units = "mV", ...
//   /report/<population>/mapping/node_ids     uint64, one per recorded node
//   /report/<population>/mapping/index_pointers  uint64, n_nodes + 1: node k owns elements
//                                             [index_pointers[k], index_pointers[k + 1])
//   /report/<population>/mapping/element_ids  uint64 (compartment/section ids; 0 for point neurons)
//   /report/<population>/mapping/element_pos  float32 (position along the section, 0..1)
//   /report/<population>/mapping/time         float64 [start, stop, step], units = "ms"
//
// Both carry a root attribute `status`: "incomplete ..." until close() succeeds, then "complete";
// a run that dies leaves a file that says so (data flushed before that are valid).
#include <brainweave/io/hdf5/hdf5.hpp>
#include <brainweave/io/spike_files.hpp>
#include <brainweave/version.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace brainweave::sonata {

inline constexpr std::uint32_t magic = 0x0A7A;
inline constexpr std::string_view incomplete_status =
    "incomplete: written by brainweave " BRAINWEAVE_VERSION_STRING " and not closed; the simulation stopped before the end";

namespace detail {
inline void write_root(const hdf5::object& root) {
    root.write_attribute("magic", magic);
    const std::uint32_t v[2] = {0, 1};
    root.write_attribute("version", std::span<const std::uint32_t>(v, 2));
    root.write_attribute("status", incomplete_status);
}
}  // namespace detail

/// A SONATA spike file being written.
class spike_file {
public:
    explicit spike_file(const std::filesystem::path& path) : f_(hdf5::file::create(path)) {
        const auto root = f_.root();
        detail::write_root(root);
        spikes_ = root.create_group("spikes");
        f_.flush();
    }
    spike_file(const spike_file&) = delete;
    spike_file& operator=(const spike_file&) = delete;
    ~spike_file() {
        try {
            pops_.clear();
            spikes_ = {};
            f_.close();
        } catch (...) {
        }
    }

    /// Adds a population; returns its handle for append().
    std::size_t add_population(const std::string& name) {
        if (spikes_.exists(name)) throw config_error("SONATA spikes: population '" + name + "' was added twice");
        auto g = spikes_.create_group(name);
        auto p = std::make_unique<population>();
        p->name = name;
        p->timestamps = hdf5::appendable<double>(g, "timestamps", {}, 1u << 18);
        p->timestamps.dataset().write_attribute("units", "ms");
        p->node_ids = hdf5::appendable<std::uint64_t>(g, "node_ids", {}, 1u << 18);
        p->group = std::move(g);
        pops_.push_back(std::move(p));
        return pops_.size() - 1;
    }
    /// Spikes of population p: node ids and times in ms.
    void append(std::size_t p, std::span<const std::uint32_t> nodes, std::span<const double> times_ms) {
        if (nodes.size() != times_ms.size()) throw config_error("SONATA spikes: as many times as node ids are needed");
        auto& pop = *pops_.at(p);
        std::vector<std::uint64_t> ids(nodes.begin(), nodes.end());
        for (double t : times_ms) {
            pop.in_time_order = pop.in_time_order && t >= pop.last;
            pop.last = t;
        }
        pop.timestamps.append(times_ms);
        pop.node_ids.append(ids);
    }
    /// Appends the spikes a recorder holds (senders() and times(dt)), with `ms_per_step`, and clears it.
    template <class Recorder>
    void drain(std::size_t p, Recorder& rec, double ms_per_step) {
        append(p, rec.senders(), rec.times(ms_per_step));
        rec.clear();
    }
    void flush() const { f_.flush(); }
    /// Records each population's sorting, marks the file complete and closes it.
    void close() {
        if (!f_) return;
        static const std::vector<std::string> sorting{"none", "by_id", "by_time"};
        for (auto& p : pops_) p->group.write_enum_attribute("sorting", sorting, p->in_time_order ? 2 : 0);
        f_.root().write_attribute("status", "complete");
        pops_.clear();
        spikes_ = {};
        f_.close();
    }

private:
    struct population {
        std::string name;
        hdf5::object group;
        hdf5::appendable<double> timestamps;
        hdf5::appendable<std::uint64_t> node_ids;
        double last = -std::numeric_limits<double>::infinity();
        bool in_time_order = true;
    };
    hdf5::file f_;
    hdf5::object spikes_;
    std::vector<std::unique_ptr<population>> pops_;
};

/// What a report records: per node its elements (compartments), their ids and positions.
struct report_mapping {
    std::vector<std::uint64_t> node_ids{};
    std::vector<std::uint64_t> elements_per_node{};  ///< empty = one element per node
    std::vector<std::uint64_t> element_ids{};        ///< empty = 0 for every element
    std::vector<float> element_pos{};                ///< empty = 0.5 for every element
};

/// A SONATA compartment report being written (one population).
class report_file {
public:
    /// `start_ms` and `step_ms`: time of the first frame and between frames; `units` of the values.
    report_file(const std::filesystem::path& path, const std::string& population, report_mapping m, double start_ms,
                double step_ms, const std::string& units)
        : f_(hdf5::file::create(path)), start_(start_ms), step_(step_ms) {
        if (!(step_ms > 0)) throw config_error("SONATA report: the step must be > 0 ms");
        if (m.elements_per_node.empty()) m.elements_per_node.assign(m.node_ids.size(), 1);
        if (m.elements_per_node.size() != m.node_ids.size())
            throw config_error("SONATA report: elements_per_node needs one entry per node");
        std::vector<std::uint64_t> ptr{0};
        for (auto n : m.elements_per_node) ptr.push_back(ptr.back() + n);
        n_elements_ = static_cast<std::size_t>(ptr.back());
        if (m.element_ids.empty()) m.element_ids.assign(n_elements_, 0);
        if (m.element_pos.empty()) m.element_pos.assign(n_elements_, 0.5f);
        if (m.element_ids.size() != n_elements_ || m.element_pos.size() != n_elements_)
            throw config_error("SONATA report: element_ids and element_pos need " + std::to_string(n_elements_) + " entries");
        const auto root = f_.root();
        detail::write_root(root);
        auto pop = root.create_group("report").create_group(population);
        data_ = hdf5::appendable<float>(pop, "data", {static_cast<hsize_t>(n_elements_)}, 1u << 18);
        data_.dataset().write_attribute("units", units);
        mapping_ = pop.create_group("mapping");
        mapping_.write_dataset("node_ids", m.node_ids);
        mapping_.write_dataset("index_pointers", ptr);
        mapping_.write_dataset("element_ids", m.element_ids);
        mapping_.write_dataset("element_pos", m.element_pos);
        write_time();
        f_.flush();
    }
    report_file(const report_file&) = delete;
    report_file& operator=(const report_file&) = delete;
    ~report_file() {
        try {
            data_ = {};
            mapping_ = {};
            f_.close();
        } catch (...) {
        }
    }

    std::size_t elements() const noexcept { return n_elements_; }
    std::size_t frames() const noexcept { return static_cast<std::size_t>(data_.rows()); }
    /// Appends frames (each of elements() values, in mapping order).
    void append(std::span<const double> values) {
        std::vector<float> v(values.begin(), values.end());
        data_.append(v);
    }
    /// Makes the frames appended so far readable on disk.
    void flush() {
        write_time();
        f_.flush();
    }
    void close() {
        if (!f_) return;
        write_time();
        f_.root().write_attribute("status", "complete");
        data_ = {};
        mapping_ = {};
        f_.close();
    }

private:
    void write_time() {
        const double t[3] = {start_, start_ + static_cast<double>(frames()) * step_, step_};
        if (mapping_.exists("time")) return mapping_.open("time").write_rows<double>(0, t);
        auto d = mapping_.write_dataset<double>("time", std::span<const double>(t, 3), {3});
        d.write_attribute("units", "ms");
    }

    hdf5::file f_;
    hdf5::appendable<float> data_;
    hdf5::object mapping_;
    std::size_t n_elements_ = 0;
    double start_, step_;
};

/// Appends the samples a state recorder holds (data(v) as [sample][neuron]) to one report per
/// variable, in order, then clears the recorder.
template <class StateRecorder>
void drain(std::span<report_file* const> per_variable, StateRecorder& rec) {
    if (per_variable.size() != rec.variables().size())
        throw config_error("SONATA: " + std::to_string(per_variable.size()) + " reports for " +
                           std::to_string(rec.variables().size()) + " recorded variables");
    for (std::size_t v = 0; v < per_variable.size(); ++v) per_variable[v]->append(rec.data(v));
    rec.clear();
}

/// Reads the spikes of one population of a SONATA spike file (the only one if `population` is
/// empty): node ids as senders and times in ms (converted from seconds if the file says "s").
inline io::spike_pairs read_spikes(const std::filesystem::path& path, const std::string& population = "") {
    const auto f = hdf5::file::open(path);
    const auto root = f.root();
    const std::string where = "SONATA spike file '" + path.string() + "'";
    if (!root.exists("spikes")) throw io_error(where + " has no /spikes group");
    const auto spikes = root.open("spikes");
    std::string pop = population;
    if (pop.empty()) {
        const auto pops = spikes.children();
        if (pops.size() != 1) throw io_error(where + " holds " + std::to_string(pops.size()) + " populations; name the one to read");
        pop = pops.front();
    }
    if (!spikes.exists(pop)) throw io_error(where + " has no population '" + pop + "'");
    const auto g = spikes.open(pop);
    if (!g.exists("timestamps") || !g.exists("node_ids")) throw io_error(where + ": /spikes/" + pop + " needs timestamps and node_ids");
    const auto ts = g.open("timestamps");
    io::spike_pairs s;
    s.times = ts.read<double>();
    const auto ids = g.open("node_ids").read<std::uint64_t>();
    if (ids.size() != s.times.size()) throw io_error(where + ": /spikes/" + pop + " has different numbers of timestamps and node_ids");
    if (ts.has_attribute("units") && ts.read_string_attribute("units") == "s")
        for (double& t : s.times) t *= 1000.0;
    for (auto id : ids) {
        if (id > std::numeric_limits<std::uint32_t>::max()) throw io_error(where + ": node id " + std::to_string(id) + " is too large");
        s.senders.push_back(static_cast<std::uint32_t>(id));
    }
    return s;
}

}  // namespace brainweave::sonata
