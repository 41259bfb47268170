// Replays LFP reference cases: a passive multicompartment cell simulated by NEURON with
// current-based exponential synapses, and LFPykit's forward models applied to its transmembrane
// currents.
//
// A case folder holds meta.json (passive properties, dt, tstop, sigma, forward-model settings) and
// .npy arrays (each may be NAME.npy.gz):
//   inputs   node_parent, node_ri, node_area, node_seg (NEURON's node graph), seg_start, seg_end,
//            seg_diam (segment geometry), syn_seg, syn_tau, syn_weight, spike_syn, spike_t,
//            electrode_xyz, csd_bounds, eeg_electrodes, eeg_dipole_location, vmem_index;
//            morphology.swc (for --from-morphology)
//   outputs  imem, vmem, lfp_linesource, lfp_pointsource, csd, dipole, eeg, t, M_* (mapping matrices)
// The CSD cylinder radius and the four-sphere radii and conductivities are read from meta.json's
// numeric fields csd_radius_um, eeg_radii_um, eeg_sigmas_S_per_m when present, else from the
// prose of forward_models.csd / forward_models.eeg ("r=100 um", "radii [...] um, sigmas [...] S/m").
#include "lfp_case.hpp"

#include "json_input.hpp"

#include <brainweave/core/parse.hpp>
#include <brainweave/extracellular/forward_models.hpp>
#include <brainweave/extracellular/four_sphere.hpp>
#include <brainweave/io/npy.hpp>
#include <brainweave/io/swc.hpp>
#include <brainweave/multicompartment/cable.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace bw = brainweave;
namespace mc = brainweave::multicompartment;
namespace ex = brainweave::extracellular;
using json = nlohmann::json;

namespace brainweave::runner {
namespace {

bw::io::npy_array load(const fs::path& dir, const std::string& name, std::size_t rank) {
    auto a = bw::io::load_npy(bw::io::find_npy(dir, name));
    if (a.shape.size() != rank)
        throw bw::io_error("'" + (dir / name).string() + "': expected a " + std::to_string(rank) + "-d array, got " +
                           std::to_string(a.shape.size()) + "-d");
    return a;
}

Eigen::MatrixXd matrix(const fs::path& dir, const std::string& name, std::size_t rank, Eigen::Index cols = -1) {
    auto a = load(dir, name, rank);
    if (cols >= 0 && (a.shape.size() < 2 ? 1 : static_cast<Eigen::Index>(a.shape[1])) != cols)
        throw bw::io_error("'" + (dir / name).string() + "': expected " + std::to_string(cols) + " columns");
    return bw::io::to_matrix(a);
}

double number(const json& j, const std::string& key, const std::string& where) { return json_number(j, {key}, where); }

std::vector<double> numbers_in(const std::string& text, const std::string& where) {
    std::vector<double> v;
    static const std::regex num(R"([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), num); it != std::sregex_iterator(); ++it)
        v.push_back(bw::parse_number<double>(it->str(), where));
    return v;
}

// Numbers of a bracketed list following `label` in `text` ("radii [79000.0, ...]").
std::vector<double> list_after(const std::string& text, const std::string& label) {
    const auto p = text.find(label);
    if (p == std::string::npos) return {};
    const auto a = text.find('[', p), b = text.find(']', p);
    if (a == std::string::npos || b == std::string::npos || b < a) return {};
    return numbers_in(text.substr(a + 1, b - a - 1), "meta.json forward_models: the list after '" + label + "'");
}

struct settings {
    mc::passive_properties passive;
    double dt = 0, tstop = 0, sigma = 0, csd_radius = 0;
    std::array<double, 4> eeg_radii{}, eeg_sigmas{};
    mc::time_scheme scheme = mc::time_scheme::backward_euler;
};

settings read_settings(const fs::path& dir) {
    const fs::path file = dir / "meta.json";
    const json meta = load_json(file);
    const std::string where = "'" + file.string() + "'";
    settings s;
    if (!meta.contains("passive") || !meta["passive"].is_object())
        throw bw::io_error(where + ": not an LFP case brainweave-run recognises (expected an object \"passive\" with the membrane properties)");
    const json& p = meta["passive"];
    s.passive.Ra_ohm_cm = number(p, "Ra_ohm_cm", where + ", passive");
    s.passive.cm_uF_per_cm2 = number(p, "cm_uF_per_cm2", where + ", passive");
    s.passive.rm_ohm_cm2 = number(p, "rm_ohm_cm2", where + ", passive");
    s.passive.e_pas_mV = number(p, "e_pas_mV", where + ", passive");
    s.passive.v_init_mV = number(p, "v_init_mV", where + ", passive");
    s.passive.validate(where + ", passive");
    s.dt = number(meta, "dt_ms", where);
    s.tstop = number(meta, "tstop_ms", where);
    s.sigma = number(meta, "sigma", where);
    if (!(s.dt > 0) || !(s.tstop > 0)) throw bw::io_error(where + ": dt_ms and tstop_ms must be positive");
    if (meta.contains("integrator") && meta["integrator"].is_string()) {
        const std::string integ = meta["integrator"];
        if (integ.find("Crank") != std::string::npos || integ.find("secondorder=1") != std::string::npos)
            s.scheme = mc::time_scheme::crank_nicolson;
    }
    const json fm = meta.contains("forward_models") ? meta["forward_models"] : json::object();
    if (meta.contains("csd_radius_um")) {
        s.csd_radius = number(meta, "csd_radius_um", where);
    } else {
        const std::string csd = fm.contains("csd") && fm["csd"].is_string() ? fm["csd"].get<std::string>() : "";
        std::smatch m;
        if (!std::regex_search(csd, m, std::regex(R"(r\s*=\s*([0-9.eE+-]+))")))
            throw bw::io_error(where + ": no CSD cylinder radius (field csd_radius_um, or \"r=... um\" in forward_models.csd)");
        s.csd_radius = bw::parse_number<double>(m[1].str(), where + ": forward_models.csd radius");
    }
    std::vector<double> radii, sigmas;
    if (meta.contains("eeg_radii_um") && meta["eeg_radii_um"].is_array()) radii = meta["eeg_radii_um"].get<std::vector<double>>();
    if (meta.contains("eeg_sigmas_S_per_m") && meta["eeg_sigmas_S_per_m"].is_array())
        sigmas = meta["eeg_sigmas_S_per_m"].get<std::vector<double>>();
    const std::string eeg = fm.contains("eeg") && fm["eeg"].is_string() ? fm["eeg"].get<std::string>() : "";
    if (radii.empty()) radii = list_after(eeg, "radii");
    if (sigmas.empty()) sigmas = list_after(eeg, "sigmas");
    if (radii.size() != 4 || sigmas.size() != 4)
        throw bw::io_error(where + ": expected 4 four-sphere radii and 4 conductivities (fields eeg_radii_um and eeg_sigmas_S_per_m, "
                           "or \"radii [...]\" and \"sigmas [...]\" in forward_models.eeg)");
    std::copy(radii.begin(), radii.end(), s.eeg_radii.begin());
    std::copy(sigmas.begin(), sigmas.end(), s.eeg_sigmas.begin());
    return s;
}

mc::node_graph case_node_graph(const fs::path& dir) {
    const auto parent = load(dir, "node_parent.npy", 1), ri = load(dir, "node_ri.npy", 1), area = load(dir, "node_area.npy", 1),
               seg = load(dir, "node_seg.npy", 1);
    const std::size_t n = parent.data.size();
    if (ri.data.size() != n || area.data.size() != n || seg.data.size() != n)
        throw bw::io_error("'" + dir.string() + "': node_parent, node_ri, node_area and node_seg must have the same length");
    mc::node_graph g;
    for (std::size_t i = 0; i < n; ++i) {
        g.parent.push_back(static_cast<int>(parent.data[i]));
        g.ri.push_back(i == 0 ? 0.0 : ri.data[i]);  // the root's ri is infinite in NEURON: unused
        g.area.push_back(area.data[i]);
        g.segment.push_back(static_cast<int>(seg.data[i]));
    }
    g.validate("node graph of '" + dir.string() + "'");
    return g;
}

mc::segment_geometry case_geometry(const fs::path& dir) {
    const auto s = matrix(dir, "seg_start.npy", 2, 3), e = matrix(dir, "seg_end.npy", 2, 3), d = matrix(dir, "seg_diam.npy", 1);
    if (s.rows() != e.rows() || s.rows() != d.rows())
        throw bw::io_error("'" + dir.string() + "': seg_start, seg_end and seg_diam must have one row per segment");
    mc::segment_geometry g;
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
        g.start.push_back({s(i, 0), s(i, 1), s(i, 2)});
        g.end.push_back({e(i, 0), e(i, 1), e(i, 2)});
        g.diam.push_back(d(i, 0));
    }
    g.validate("segment geometry of '" + dir.string() + "'");
    return g;
}

// The rebuilt cell's segment for each of the case's segments (nearest midpoint), and how well they match.
struct segment_match {
    std::vector<int> rebuilt_of_case;
    double largest_distance = 0;
    bool one_to_one = false;
};

segment_match match_segments(const mc::segment_geometry& case_geo, const mc::segment_geometry& rebuilt) {
    segment_match m;
    std::vector<char> used(rebuilt.size(), 0);
    bool distinct = case_geo.size() == rebuilt.size();
    for (std::size_t i = 0; i < case_geo.size(); ++i) {
        const auto a = case_geo.mid(i);
        double best = std::numeric_limits<double>::infinity();
        int bj = 0;
        for (std::size_t j = 0; j < rebuilt.size(); ++j) {
            const auto b = rebuilt.mid(j);
            const double d = std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
            if (d < best) {
                best = d;
                bj = static_cast<int>(j);
            }
        }
        if (used[static_cast<std::size_t>(bj)]) distinct = false;
        used[static_cast<std::size_t>(bj)] = 1;
        m.rebuilt_of_case.push_back(bj);
        m.largest_distance = std::max(m.largest_distance, best);
    }
    m.one_to_one = distinct;
    return m;
}

bool compare(const fs::path& dir, const std::string& name, const Eigen::MatrixXd& ours, double tolerance) {
    if (bw::io::locate_npy(dir, name).empty()) {
        std::printf("  %-20s (not in the case)\n", name.c_str());
        return true;
    }
    const Eigen::MatrixXd ref = bw::io::to_matrix(bw::io::load_npy(bw::io::find_npy(dir, name)));
    if (ref.rows() != ours.rows() || ref.cols() != ours.cols()) {
        std::printf("  %-20s shape %ldx%ld, reference %ldx%ld  FAIL\n", name.c_str(), static_cast<long>(ours.rows()),
                    static_cast<long>(ours.cols()), static_cast<long>(ref.rows()), static_cast<long>(ref.cols()));
        return false;
    }
    const double scale = ref.cwiseAbs().maxCoeff();
    const double err = (ours - ref).cwiseAbs().maxCoeff() / (scale > 0 ? scale : 1.0);
    const bool ok = err <= tolerance;
    std::printf("  %-20s max|ours - ref| / max|ref| = %.2e (tolerance %.0e)  %s\n", name.c_str(), err, tolerance, ok ? "PASS" : "FAIL");
    return ok;
}

}  // namespace

int run_lfp_case(const fs::path& dir, const fs::path& out, bool check, bool from_morphology, output_files files) {
    if (!fs::exists(dir / "meta.json")) throw bw::config_error("'" + dir.string() + "' is not an LFP case (no meta.json)");
    const settings s = read_settings(dir);
    const mc::segment_geometry case_geo = case_geometry(dir);

    // The cell: the case's node graph, or rebuilt from its SWC morphology.
    mc::node_graph nodes;
    mc::segment_geometry geo;
    std::vector<int> case_to_ours(case_geo.size());
    bool same_segments = true;
    double tolerance = 1e-9;
    if (from_morphology) {
        const auto cell = mc::discretize(bw::io::read_swc(dir / "morphology.swc"), s.passive);
        nodes = cell.nodes;
        geo = cell.geometry;
        const auto m = match_segments(case_geo, geo);
        case_to_ours = m.rebuilt_of_case;
        same_segments = m.one_to_one;
        double area_diff = 0;
        const auto seg_area = load(dir, "seg_area.npy", 1);
        if (seg_area.data.size() == case_geo.size())
            for (std::size_t i = 0; i < case_geo.size(); ++i)
                area_diff = std::max(area_diff, std::abs(cell.segment_area[static_cast<std::size_t>(case_to_ours[i])] - seg_area.data[i]) /
                                                    seg_area.data[i]);
        std::printf("rebuilt from morphology.swc: %zu sections, %zu segments (case: %zu); %s; largest midpoint distance "
                    "%.2e um, largest relative area difference %.2e\n",
                    cell.nseg.size(), geo.size(), case_geo.size(), same_segments ? "one-to-one with the case's segments" : "segments differ",
                    m.largest_distance, area_diff);
        // Exact reconstruction keeps the 1e-9 tolerance; otherwise (SWC coordinates rounded to a few
        // decimals) the signals are compared at 1e-4 of their largest value.
        if (!(same_segments && m.largest_distance < 1e-9 && area_diff < 1e-9)) tolerance = 1e-4;
    } else {
        nodes = case_node_graph(dir);
        geo = case_geo;
        if (nodes.segments() != geo.size())
            throw bw::io_error("'" + dir.string() + "': the node graph has " + std::to_string(nodes.segments()) + " segments, seg_diam " +
                               std::to_string(geo.size()));
        for (std::size_t i = 0; i < case_to_ours.size(); ++i) case_to_ours[i] = static_cast<int>(i);
    }

    // Synapses and their input spikes.
    mc::passive_cell cell(nodes, s.passive, s.dt, s.scheme);
    const auto syn_seg = load(dir, "syn_seg.npy", 1), syn_tau = load(dir, "syn_tau.npy", 1), syn_w = load(dir, "syn_weight.npy", 1);
    const auto spike_syn = load(dir, "spike_syn.npy", 1), spike_t = load(dir, "spike_t.npy", 1);
    if (syn_tau.data.size() != syn_seg.data.size() || syn_w.data.size() != syn_seg.data.size())
        throw bw::io_error("'" + dir.string() + "': syn_seg, syn_tau and syn_weight must have the same length");
    if (spike_syn.data.size() != spike_t.data.size())
        throw bw::io_error("'" + dir.string() + "': spike_syn and spike_t must have the same length");
    std::vector<std::size_t> channel;
    for (std::size_t k = 0; k < syn_seg.data.size(); ++k) {
        const auto seg = static_cast<std::size_t>(syn_seg.data[k]);
        if (syn_seg.data[k] < 0 || seg >= case_geo.size())
            throw bw::io_error("'" + dir.string() + "': syn_seg[" + std::to_string(k) + "] is not a segment index");
        channel.push_back(cell.add_synapse({case_to_ours[seg], syn_tau.data[k], syn_w.data[k], mc::synapse_kernel::exponential}));
    }
    mc::spike_schedule schedule;
    for (std::size_t k = 0; k < spike_t.data.size(); ++k) {
        const auto syn = static_cast<std::size_t>(spike_syn.data[k]);
        if (spike_syn.data[k] < 0 || syn >= channel.size())
            throw bw::io_error("'" + dir.string() + "': spike_syn[" + std::to_string(k) + "] is not a synapse index");
        schedule.add(spike_t.data[k], s.dt, channel[syn], syn_w.data[syn]);
    }
    schedule.sort();

    // Simulate; transmembrane currents and membrane potentials in the case's segment order.
    const auto steps = static_cast<std::int64_t>(std::llround(s.tstop / s.dt));
    const auto n_t = static_cast<Eigen::Index>(steps + 1);
    const auto n_seg = static_cast<Eigen::Index>(case_geo.size());
    Eigen::MatrixXd imem = Eigen::MatrixXd::Zero(n_seg, n_t), vmem = Eigen::MatrixXd::Constant(n_seg, n_t, s.passive.v_init_mV);
    const auto t0 = std::chrono::steady_clock::now();
    mc::simulate(cell, schedule, steps, [&](std::int64_t k) {
        const auto im = cell.imem();
        const auto vm = cell.vmem();
        for (Eigen::Index i = 0; i < n_seg; ++i) {
            imem(i, k + 1) = im[static_cast<std::size_t>(case_to_ours[static_cast<std::size_t>(i)])];
            vmem(i, k + 1) = vm[static_cast<std::size_t>(case_to_ours[static_cast<std::size_t>(i)])];
        }
    });
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // Forward models on the geometry the currents live on (the case's order).
    mc::segment_geometry ordered = geo;
    if (from_morphology)
        for (std::size_t i = 0; i < case_geo.size(); ++i) {
            const auto j = static_cast<std::size_t>(case_to_ours[i]);
            ordered.start[i] = geo.start[j];
            ordered.end[i] = geo.end[j];
            ordered.diam[i] = geo.diam[j];
        }
    ordered.start.resize(case_geo.size());
    ordered.end.resize(case_geo.size());
    ordered.diam.resize(case_geo.size());
    const ex::contact_positions electrodes = matrix(dir, "electrode_xyz.npy", 2, 3);
    const Eigen::MatrixXd M_line = ex::line_source_potential(ordered, electrodes, s.sigma);
    const Eigen::MatrixXd M_point = ex::point_source_potential(ordered, electrodes, s.sigma);
    const Eigen::Matrix<double, Eigen::Dynamic, 2> bounds = matrix(dir, "csd_bounds.npy", 2, 2);
    const Eigen::MatrixXd M_csd = ex::laminar_csd(ordered, bounds, Eigen::VectorXd::Constant(bounds.rows(), s.csd_radius));
    const Eigen::MatrixXd M_dipole = ex::current_dipole_moment(ordered);
    const ex::four_sphere_head head(matrix(dir, "eeg_electrodes.npy", 2, 3), s.eeg_radii, s.eeg_sigmas);
    const Eigen::MatrixXd loc = matrix(dir, "eeg_dipole_location.npy", 1);
    if (loc.rows() != 3) throw bw::io_error("'" + dir.string() + "': eeg_dipole_location must hold 3 numbers");
    const Eigen::MatrixXd M_eeg = head.transformation(loc.col(0));

    const Eigen::MatrixXd dipole = M_dipole * imem;
    std::map<std::string, Eigen::MatrixXd> results{
        {"imem.npy", imem},
        {"lfp_linesource.npy", M_line * imem},
        {"lfp_pointsource.npy", M_point * imem},
        {"csd.npy", M_csd * imem},
        {"dipole.npy", dipole},
        {"eeg.npy", M_eeg * dipole},
        {"M_linesource.npy", M_line},
        {"M_pointsource.npy", M_point},
        {"M_csd.npy", M_csd},
        {"M_dipole.npy", M_dipole},
        {"M_eeg.npy", M_eeg}};
    if (!bw::io::locate_npy(dir, "vmem_index.npy").empty()) {
        const auto idx = load(dir, "vmem_index.npy", 1);
        Eigen::MatrixXd v(static_cast<Eigen::Index>(idx.data.size()), n_t);
        for (std::size_t r = 0; r < idx.data.size(); ++r) {
            if (idx.data[r] < 0 || idx.data[r] >= static_cast<double>(n_seg))
                throw bw::io_error("'" + dir.string() + "': vmem_index[" + std::to_string(r) + "] is not a segment index");
            v.row(static_cast<Eigen::Index>(r)) = vmem.row(static_cast<Eigen::Index>(idx.data[r]));
        }
        results["vmem.npy"] = v;
    } else {
        results["vmem.npy"] = vmem;
    }
    if (files.any()) {
        lfp_recording rec;
        rec.dt_ms = s.dt;
        for (Eigen::Index c = 0; c < electrodes.rows(); ++c) rec.contacts.push_back({electrodes(c, 0), electrodes(c, 1), electrodes(c, 2)});
        const auto& eeg_el = head.electrodes();
        for (Eigen::Index c = 0; c < eeg_el.rows(); ++c) rec.eeg_electrodes.push_back({eeg_el(c, 0), eeg_el(c, 1), eeg_el(c, 2)});
        rec.on_contacts = {{"lfp_linesource", "mV", "LFP, segments as line sources (LFPykit LineSourcePotential)", &results["lfp_linesource.npy"]},
                           {"lfp_pointsource", "mV", "LFP, segments as point sources (LFPykit PointSourcePotential)", &results["lfp_pointsource.npy"]}};
        rec.eeg = {"eeg", "mV", "EEG of the cell's current dipole moment in the four-sphere head model", &results["eeg.npy"]};
        rec.derived = {{"csd", "nA/um^3", "laminar current source density (LFPykit LaminarCurrentSourceDensity)", &results["csd.npy"]},
                       {"dipole", "nA um", "current dipole moment (x, y, z)", &results["dipole.npy"]}};
        rec.imem = &results["imem.npy"];
        rec.vmem = &results["vmem.npy"];
        if (!bw::io::locate_npy(dir, "vmem_index.npy").empty())
            for (double v : load(dir, "vmem_index.npy", 1).data) rec.vmem_segments.push_back(static_cast<std::int64_t>(v));
        else
            for (Eigen::Index k = 0; k < n_seg; ++k) rec.vmem_segments.push_back(k);
        if (files.description.empty()) files.description = "brainweave-run --lfp-case " + dir.filename().string();
        write_lfp_files(files, rec);
    }
    Eigen::MatrixXd t(n_t, 1);
    for (Eigen::Index k = 0; k < n_t; ++k) t(k, 0) = static_cast<double>(k) * s.dt;

    fs::create_directories(out);
    for (const auto& [name, m] : results) bw::io::save_npy(out / name, m);
    bw::io::save_npy(out / "t.npy", {static_cast<std::size_t>(n_t)}, t.data());
    std::printf("%s: %zu segments, %lld steps of %g ms, %zu synapses, %zu input spikes: cell simulated in %.3f s\n",
                dir.filename().string().c_str(), case_geo.size(), static_cast<long long>(steps), s.dt, channel.size(),
                spike_t.data.size(), wall);
    if (!check) return 0;

    bool pass = true;
    for (const auto& [name, m] : results) {
        if (name.rfind("M_", 0) == 0 && from_morphology && tolerance > 1e-9) continue;  // maps differ with the geometry
        if ((name == "imem.npy" || name == "vmem.npy") && from_morphology && !same_segments) continue;
        pass = compare(dir, name, m, tolerance) && pass;
    }
    std::printf("%s\n", pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}

}  // namespace brainweave::runner
