// brainweave-run: runs a simulation described in a JSON file, or replays a reference case.
//
//   brainweave-run SPEC.json [--out DIR]
//   brainweave-run --tvb-case CASE_DIR --out DIR [--check] [--threads N]
//                  [--checkpoint-every MS] [--stop-after MS] [--resume FILE]   (also for SPEC.json)
//   brainweave-run --brian2-case CASE_DIR --out DIR [--check]
//   brainweave-run --lfp-case CASE_DIR --out DIR [--check] [--from-morphology]
//   brainweave-run --spike-measures CASE_DIR --out DIR [--check]
//   brainweave-run --list
//
// See docs/runner.md for the JSON format. Exit status: 0 success, 1 parity check failed,
// 2 bad input (the message names the file, field or value).
#include "brian2_case.hpp"
#include "description.hpp"
#include "json_input.hpp"
#include "lfp_case.hpp"
#include "spike_measures.hpp"
#include "output_files.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>

namespace fs = std::filesystem;
namespace bw = brainweave;
using json = nlohmann::json;

namespace {
using bw::runner::load_json;

const char* usage =
    "usage:\n"
    "  brainweave-run SPEC.json [--out DIR]          run a simulation described in JSON (docs/runner.md)\n"
    "  brainweave-run --tvb-case DIR --out DIR [--check]\n"
    "                                                replay a TVB reference case (meta.json + .npy inputs),\n"
    "                                                write outputs under the case's file names; --check compares\n"
    "                                                them with the case's own outputs (tolerance 1e-9 relative)\n"
    "  brainweave-run --brian2-case DIR --out DIR [--check] [--export-neuroml NMLDIR]\n"
    "                                                replay a Brian 2 reference case with the spiking engine;\n"
    "                                                --export-neuroml also writes the network as NeuroML2\n"
    "                                                (<case>.net.nml) and LEMS_<case>.xml into NMLDIR\n"
    "  brainweave-run --lfp-case DIR --out DIR [--check] [--from-morphology]\n"
    "                                                replay an LFP reference case (NEURON + LFPykit): the cell from\n"
    "                                                the case's node graph (or rebuilt from morphology.swc), then\n"
    "                                                LFP, CSD, dipole moment and four-sphere EEG\n"
    "  brainweave-run --spike-measures DIR --out DIR [--check]\n"
    "                                                spike-train measures of a case's trains (ISI-, SPIKE-distance,\n"
    "                                                SPIKE-sync, van Rossum, binned correlations, CV, CV2, LV, Fano)\n"
    "  brainweave-run --list                         list models, couplings, integrators and monitors\n"
    "  --threads N                                   surface cases: integrate on N threads (0: all; results\n"
    "                                                do not depend on N)\n"
    "checkpoints (SPEC.json and --tvb-case runs; docs/checkpoints.md):\n"
    "  --checkpoint-every MS                         write DIR/checkpoint.bwck every MS of simulated time\n"
    "  --stop-after MS                               simulate MS in this invocation, write the checkpoint, stop\n"
    "  --resume FILE                                 continue from a checkpoint; the outputs equal an\n"
    "                                                uninterrupted run's, bit for bit\n"
    "options for every run:\n"
    "  --nwb FILE                                    also write everything the run produced into one NWB file\n"
    "  --sonata DIR                                  also write SONATA files (spikes.h5, reports) into DIR\n";

std::vector<double> numbers(const json& j, const std::string& where) {
    std::vector<double> v;
    auto one = [&](const json& x) {
        if (x.is_boolean()) v.push_back(x.get<bool>() ? 1.0 : 0.0);
        else if (x.is_number()) v.push_back(x.get<double>());
        else throw bw::config_error(where + ": expected a number, a boolean or a list of them, got " + x.dump());
    };
    if (j.is_array())
        for (const auto& x : j) one(x);
    else
        one(j);
    return v;
}

void check_keys(const json& j, const std::set<std::string>& allowed, const std::string& where) {
    if (!j.is_object()) throw bw::config_error(where + ": expected a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!allowed.count(it.key())) {
            std::string known;
            for (auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
            throw bw::config_error(where + ": unknown key '" + it.key() + "' (allowed: " + known + ")");
        }
}

bw::runner::named_parameters named(const json& j, const std::string& where) {
    bw::runner::named_parameters np;
    if (j.is_string()) {
        np.name = j.get<std::string>();
        return np;
    }
    check_keys(j, {"name", "parameters"}, where);
    if (!j.contains("name") || !j["name"].is_string()) throw bw::config_error(where + ": missing \"name\"");
    np.name = j["name"].get<std::string>();
    if (j.contains("parameters")) {
        if (!j["parameters"].is_object()) throw bw::config_error(where + ".parameters: expected an object");
        for (auto it = j["parameters"].begin(); it != j["parameters"].end(); ++it)
            np.values.emplace_back(it.key(), numbers(it.value(), where + ".parameters." + it.key()));
    }
    return np;
}

template <class Mat>
Mat square_matrix(const bw::io::npy_array& a, const std::string& what) {
    if (a.shape.size() != 2 || a.shape[0] != a.shape[1])
        throw bw::io_error(what + ": expected a square 2-d array");
    const auto n = static_cast<Eigen::Index>(a.shape[0]);
    Mat m(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
            m(i, j) = static_cast<typename Mat::Scalar>(a.data[static_cast<std::size_t>(i * n + j)]);
    return m;
}

std::vector<bw::runner::monitor_spec> monitors_from(const json& list, const std::string& where, bool tvb_case) {
    std::vector<bw::runner::monitor_spec> out;
    if (!list.is_array()) throw bw::config_error(where + ": expected a list of monitors");
    std::set<std::string> used;
    for (std::size_t k = 0; k < list.size(); ++k) {
        const json& m = list[k];
        const std::string w = where + "[" + std::to_string(k) + "]";
        bw::runner::monitor_spec s;
        if (tvb_case) {
            s.name = m.at("monitor").get<std::string>();
            if (m.contains("params") && m["params"].contains("period")) s.period = m["params"]["period"].get<double>();
            if (m.contains("params") && m["params"].contains("hrf_length"))
                s.hrf_length = m["params"]["hrf_length"].get<double>();
            std::string t = m.at("time").get<std::string>();
            s.file_prefix = t.substr(0, t.rfind("_time.npy"));
        } else {
            check_keys(m, {"name", "period", "variables_of_interest", "spatial_mask", "default_mask", "hrf_length",
                           "hrf_kernel", "file"}, w);
            if (!m.contains("name")) throw bw::config_error(w + ": missing \"name\"");
            s.name = m["name"].get<std::string>();
            if (m.contains("period")) s.period = numbers(m["period"], w + ".period").at(0);
            if (m.contains("variables_of_interest"))
                for (double v : numbers(m["variables_of_interest"], w + ".variables_of_interest"))
                    s.variables_of_interest.push_back(static_cast<std::size_t>(v));
            if (m.contains("spatial_mask"))
                for (double v : numbers(m["spatial_mask"], w + ".spatial_mask"))
                    s.spatial_mask.push_back(static_cast<std::size_t>(v));
            if (m.contains("default_mask")) s.default_mask = m["default_mask"].get<std::string>();
            if (m.contains("hrf_length")) s.hrf_length = numbers(m["hrf_length"], w + ".hrf_length").at(0);
            if (m.contains("hrf_kernel")) {  // "Gamma" or {"name": "Gamma", "tau": 1.2, ...}
                const json& k = m["hrf_kernel"];
                if (k.is_string()) {
                    s.hrf_kernel = k.get<std::string>();
                } else if (k.is_object() && k.contains("name")) {
                    s.hrf_kernel = k["name"].get<std::string>();
                    for (const auto& [key, v] : k.items())
                        if (key != "name") s.hrf_parameters.emplace_back(key, numbers(v, w + ".hrf_kernel." + key).at(0));
                } else {
                    throw bw::config_error(w + ".hrf_kernel: expected a kernel name or {\"name\": ..., parameters}");
                }
            }
            s.file_prefix = m.contains("file") ? m["file"].get<std::string>() : [&] {
                std::string p;
                for (char ch : s.name) p += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                return p;
            }();
        }
        if (!used.insert(s.file_prefix).second)
            throw bw::config_error(w + ": two monitors would write '" + s.file_prefix +
                                   "_*.npy'; give one a different \"file\"");
        out.push_back(s);
    }
    return out;
}

/// A JSON spec (docs/runner.md) -> description.
bw::runner::description from_spec(const fs::path& spec_path, fs::path& out_dir) {
    const json j = load_json(spec_path);
    const std::string where = "'" + spec_path.string() + "'";
    check_keys(j, {"connectivity", "speed", "model", "coupling", "integrator", "monitors", "length", "steps", "seed",
                   "initial_history", "output", "description"},
               where);
    const fs::path base = spec_path.parent_path();
    auto path_of = [&](const json& v, const std::string& key) {
        if (!v.is_string()) throw bw::config_error(where + ": \"" + key + "\" must be a path string");
        fs::path p = v.get<std::string>();
        return p.is_absolute() ? p : base / p;
    };
    bw::runner::description d;
    for (const char* key : {"connectivity", "model", "coupling", "integrator", "monitors"})
        if (!j.contains(key)) throw bw::config_error(where + ": missing \"" + std::string(key) + "\"");

    // integrator first: delays need dt
    const json& ij = j["integrator"];
    if (ij.is_string()) {
        d.integrator = ij.get<std::string>();
    } else {
        check_keys(ij, {"name", "dt", "noise"}, where + ".integrator");
        d.integrator = ij.at("name").get<std::string>();
        if (ij.contains("dt")) d.dt = numbers(ij["dt"], where + ".integrator.dt").at(0);
        if (ij.contains("noise") && !ij["noise"].is_null()) {
            const json& nj = ij["noise"];
            check_keys(nj, {"name", "nsig", "seed", "a", "b", "draws"}, where + ".integrator.noise");
            d.noise.name = nj.at("name").get<std::string>();
            if (nj.contains("nsig")) d.noise.nsig = numbers(nj["nsig"], where + ".integrator.noise.nsig");
            if (nj.contains("seed")) d.noise.seed = nj["seed"].get<std::uint64_t>();
            if (nj.contains("a")) d.noise.a = numbers(nj["a"], where + ".integrator.noise.a").at(0);
            if (nj.contains("b")) d.noise.b = numbers(nj["b"], where + ".integrator.noise.b").at(0);
            if (nj.contains("draws")) d.noise.draws = bw::io::load_npy(path_of(nj["draws"], "draws"), 4);
        }
    }
    if (!(d.dt > 0.0)) throw bw::config_error(where + ".integrator.dt: must be > 0 ms");

    const json& cj = j["connectivity"];
    double speed = j.contains("speed") ? numbers(j["speed"], where + ".speed").at(0) : 3.0;
    auto load_connectome = [&](const fs::path& p) {
        auto conn = bw::io::load_tvb_connectivity(p).with_speed(speed);
        d.weights = conn.weights;
        d.delays = conn.delays_in_steps(d.dt);
        d.hemispheres = conn.hemispheres;
        d.region_labels = conn.region_labels;
        d.cortical = conn.cortical;
    };
    if (cj.is_string()) {
        load_connectome(path_of(cj, "connectivity"));
    } else {
        check_keys(cj, {"path", "speed", "weights", "tract_lengths", "delays"}, where + ".connectivity");
        if (cj.contains("speed")) speed = numbers(cj["speed"], where + ".connectivity.speed").at(0);
        if (cj.contains("path")) {
            load_connectome(path_of(cj["path"], "connectivity.path"));
        } else {
            if (!cj.contains("weights")) throw bw::config_error(where + ".connectivity: give \"path\" or \"weights\"");
            d.weights = square_matrix<Eigen::MatrixXd>(bw::io::load_npy(path_of(cj["weights"], "weights")), "weights");
            if (cj.contains("delays")) {
                d.delays = square_matrix<Eigen::Matrix<std::int64_t, -1, -1>>(
                    bw::io::load_npy(path_of(cj["delays"], "delays")), "delays");
            } else if (cj.contains("tract_lengths")) {
                auto conn = bw::connectivity::from_matrices(
                    d.weights,
                    square_matrix<Eigen::MatrixXd>(bw::io::load_npy(path_of(cj["tract_lengths"], "tract_lengths")),
                                                   "tract_lengths"),
                    speed);
                d.delays = conn.delays_in_steps(d.dt);
            } else {
                throw bw::config_error(where + ".connectivity: give \"tract_lengths\" (mm) or \"delays\" (steps)");
            }
            if (d.delays.rows() != d.weights.rows())
                throw bw::config_error(where + ".connectivity: delays and weights differ in size");
        }
    }
    d.model = named(j["model"], where + ".model");
    d.coupling = named(j["coupling"], where + ".coupling");
    d.monitors = monitors_from(j["monitors"], where + ".monitors", false);
    if (j.contains("steps") && j.contains("length"))
        throw bw::config_error(where + ": give either \"length\" (ms) or \"steps\", not both");
    if (j.contains("steps")) d.steps = static_cast<std::int64_t>(numbers(j["steps"], where + ".steps").at(0));
    else if (j.contains("length")) d.steps = static_cast<std::int64_t>(std::nearbyint(numbers(j["length"], where + ".length").at(0) / d.dt));
    else throw bw::config_error(where + ": missing \"length\" (ms) or \"steps\"");
    if (d.steps < 0) throw bw::config_error(where + ": the length must be >= 0");
    if (j.contains("seed")) d.seed = j["seed"].get<std::uint64_t>();
    if (j.contains("initial_history")) d.initial_history = bw::io::load_npy(path_of(j["initial_history"], "initial_history"), 4);
    if (out_dir.empty() && j.contains("output")) out_dir = path_of(j["output"], "output");
    return d;
}

/// A path a case names relative to the reference set's root: tried against the case folder and
/// each of its parents (a case at <root>/reference/tvb_surface/<case> names <root>/data/...).
fs::path find_upwards(const fs::path& dir, const std::string& relative, const std::string& what) {
    fs::path base = fs::absolute(dir).lexically_normal();
    for (;;) {
        if (fs::exists(base / relative)) return base / relative;
        if (!base.has_parent_path() || base.parent_path() == base) break;
        base = base.parent_path();
    }
    throw bw::io_error("meta.json " + what + ": '" + relative + "' not found in '" + dir.string() +
                       "' nor in any folder above it");
}

/// A CSR matrix stored as three .npy files (scipy's data, indices, indptr).
bw::surface::sparse_operator csr_from_npy(const fs::path& dir, const std::string& prefix, std::size_t n) {
    const auto data = bw::io::load_npy(dir / (prefix + "_data.npy"), 1);
    const auto indices = bw::io::load_npy(dir / (prefix + "_indices.npy"), 1);
    const auto indptr = bw::io::load_npy(dir / (prefix + "_indptr.npy"), 1);
    const std::string where = "'" + (dir / prefix).string() + "_{data,indices,indptr}.npy'";
    if (indptr.size() != n + 1 || indices.size() != data.size() || indptr.data.back() != static_cast<double>(data.size()))
        throw bw::io_error(where + ": expected a CSR matrix with " + std::to_string(n) + " rows (indptr of " +
                           std::to_string(n + 1) + " entries ending at the number of entries)");
    std::vector<Eigen::Triplet<double>> t;
    t.reserve(data.size());
    for (std::size_t i = 0; i < n; ++i)
        for (auto e = static_cast<std::size_t>(indptr.data[i]); e < static_cast<std::size_t>(indptr.data[i + 1]); ++e) {
            const double j = indices.data[e];
            if (!(j >= 0 && j < static_cast<double>(n)) || e >= data.size())
                throw bw::io_error(where + ": entry " + std::to_string(e) + " of row " + std::to_string(i) +
                                   " has column " + std::to_string(j) + ", outside 0.." + std::to_string(n - 1));
            t.emplace_back(static_cast<int>(i), static_cast<int>(j), data.data[e]);
        }
    bw::surface::sparse_operator L(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    L.setFromTriplets(t.begin(), t.end());
    return L;
}

/// The surface part of a TVB surface case: region mapping, local connectivity and strength, and
/// the initial conditions (TVB's vertex history, or the compact form of tests/data: a history
/// averaged to regions plus the current vertex state).
void surface_case(const fs::path& dir, const json& meta, bw::runner::description& d) {
    bw::runner::surface_spec s;
    const std::size_t nr = static_cast<std::size_t>(d.weights.rows());
    const auto n_vertices = meta.at("n_vertices").get<std::size_t>();
    const fs::path rm = find_upwards(dir, meta.at("region_mapping").get<std::string>(), "region_mapping");
    s.region_mapping = bw::io::load_region_mapping(rm, n_vertices, nr);
    if (fs::exists(dir / "local_connectivity_data.npy"))
        s.local_connectivity = csr_from_npy(dir, "local_connectivity", n_vertices);
    else if (meta.contains("local_connectivity_file"))
        s.local_connectivity = bw::surface::sparse_operator(bw::io::read_mat_sparse(
            find_upwards(dir, meta["local_connectivity_file"].get<std::string>(), "local_connectivity_file")));
    else
        throw bw::io_error("'" + dir.string() + "': no local_connectivity_{data,indices,indptr}.npy and no "
                           "\"local_connectivity_file\" in meta.json");
    if (meta.contains("local_coupling_strength"))
        s.local_coupling_strength = numbers(meta["local_coupling_strength"], "meta.json local_coupling_strength");
    const json ih = meta.value("initial_history", json("initial_history.npy"));
    if (ih.is_object()) {
        s.region_history = bw::io::load_npy(bw::io::find_npy(dir, ih.at("regions").get<std::string>()), 4);
        s.state = bw::io::load_npy(bw::io::find_npy(dir, ih.at("state").get<std::string>()), 3);
    } else {
        d.initial_history = bw::io::load_npy(bw::io::find_npy(dir, ih.get<std::string>()), 4);
    }
    if (meta.contains("vertex_sample")) {
        const auto v = bw::io::load_npy(dir / meta["vertex_sample"].get<std::string>(), 1);
        for (double x : v.data) {
            if (!(x >= 0 && x < static_cast<double>(n_vertices)))
                throw bw::io_error("meta.json vertex_sample: vertex " + std::to_string(x) + " outside the surface");
            s.vertex_sample.push_back(static_cast<std::size_t>(x));
        }
    }
    d.surface = std::move(s);
}

/// A TVB reference case folder -> description.
bw::runner::description from_tvb_case(const fs::path& dir) {
    const json meta = load_json(dir / "meta.json");
    bw::runner::description d;
    const json& mj = meta.at("model");
    d.model.name = mj.at("name").get<std::string>();
    for (auto it = mj.at("parameters").begin(); it != mj.at("parameters").end(); ++it)
        d.model.values.emplace_back(it.key(), numbers(it.value(), "meta.json model.parameters." + it.key()));
    d.coupling = named(meta.at("coupling"), "meta.json coupling");
    const json& ij = meta.at("integrator");
    d.integrator = ij.at("name").get<std::string>();
    d.dt = ij.at("dt").get<double>();
    if (!ij["noise"].is_null()) {
        d.noise.name = ij["noise"].at("name").get<std::string>();
        d.noise.nsig = numbers(ij["noise"].at("nsig"), "meta.json integrator.noise.nsig");
        d.noise.draws = bw::io::load_npy(dir / "noise_draws.npy", 4);
    }
    d.weights = square_matrix<Eigen::MatrixXd>(bw::io::load_npy(dir / "weights.npy"), (dir / "weights.npy").string());
    d.delays = square_matrix<Eigen::Matrix<std::int64_t, -1, -1>>(bw::io::load_npy(dir / "idelays.npy"),
                                                                 (dir / "idelays.npy").string());
    d.steps = meta.at("steps").get<std::int64_t>();
    d.monitors = monitors_from(meta.at("monitors"), "meta.json monitors", true);
    if (meta.value("kind", "region") == "surface") {
        surface_case(dir, meta, d);
    } else {
        d.initial_history = bw::io::load_npy(dir / "initial_history.npy", 4);
    }
    return d;
}

/// Keeps the samples whose time stamps are in `times` (the case stores thinned Raw output).
bw::monitor_output align_to(const bw::monitor_output& o, const std::vector<double>& times, double dt,
                            const std::string& what) {
    bw::monitor_output r = o;
    r.time.clear();
    r.data.clear();
    std::size_t k = 0;
    for (double t : times) {
        while (k < o.time.size() && o.time[k] < t - 0.25 * dt) ++k;
        if (k == o.time.size() || std::abs(o.time[k] - t) > 0.25 * dt)
            throw bw::config_error(what + ": the case has a sample at t = " + std::to_string(t) +
                                   " ms that this run did not produce");
        r.time.push_back(o.time[k]);
        r.data.insert(r.data.end(), o.data.begin() + static_cast<std::ptrdiff_t>(k * o.sample_size()),
                      o.data.begin() + static_cast<std::ptrdiff_t>((k + 1) * o.sample_size()));
    }
    return r;
}

/// The monitors' outputs of a run, for the NWB and SONATA writers.
std::vector<bw::runner::region_recording> recordings(const bw::runner::description& d, const bw::runner::result& res) {
    std::vector<bw::runner::region_recording> r;
    for (std::size_t k = 0; k < res.outputs.size(); ++k)
        r.push_back({res.outputs[k].first, d.monitors[k].name, &res.outputs[k].second});
    return r;
}

/// Reports a run stopped by --stop-after; true if it was.
bool stopped_early(const bw::runner::description& d, const bw::runner::result& res) {
    if (res.complete) return false;
    std::printf("stopped at step %lld of %lld (t = %g ms) after %.3f s; checkpoint written to %s\n"
                "continue with the same arguments and --resume %s (outputs are written when the run completes)\n",
                static_cast<long long>(res.step), static_cast<long long>(res.end_step), static_cast<double>(res.step) * d.dt,
                res.wall_seconds, d.checkpoint.file.string().c_str(), d.checkpoint.file.string().c_str());
    return true;
}

int run_tvb_case(const fs::path& dir, const fs::path& out, bool check, bw::runner::output_files files, std::size_t threads,
                 const bw::runner::checkpoint_spec& checkpoint) {
    auto d = from_tvb_case(dir);
    d.threads = threads;
    d.checkpoint = checkpoint;
    fs::create_directories(out);
    auto res = bw::runner::run(d);
    if (stopped_early(d, res)) return 0;
    bool ok = true;
    const fs::path norm = fs::path(dir).lexically_normal();
    const std::string case_name = (norm.has_filename() ? norm : norm.parent_path()).filename().string();
    std::printf("case %s: %s + %s + %s%s, %lld steps in %.3f s\n", case_name.c_str(), d.model.name.c_str(),
                d.coupling.name.c_str(), d.integrator.c_str(),
                d.surface ? (" on " + std::to_string(d.surface->region_mapping.size()) + " vertices").c_str() : "",
                static_cast<long long>(d.steps), res.wall_seconds);
    for (auto& [prefix, output] : res.outputs) {
        const auto ref_t = bw::io::load_npy(dir / (prefix + "_time.npy"), 1);
        auto aligned = output.n_samples() == ref_t.size() ? output : align_to(output, ref_t.data, d.dt, prefix);
        aligned.save_npy(out, prefix);
        if (!check) continue;
        const auto ref = bw::io::load_npy(dir / (prefix + "_data.npy"));
        if (d.surface && !d.surface->vertex_sample.empty()) aligned = aligned.select_space(d.surface->vertex_sample);
        double err = 0.0, scale = 0.0, terr = 0.0;
        const bool same_shape = ref.shape == aligned.shape();
        if (same_shape) {
            for (std::size_t k = 0; k < ref.size(); ++k) {
                err = std::max(err, std::abs(aligned.data[k] - ref.data[k]));
                scale = std::max(scale, std::abs(ref.data[k]));
            }
            for (std::size_t k = 0; k < ref_t.size(); ++k) terr = std::max(terr, std::abs(aligned.time[k] - ref_t.data[k]));
        }
        const double tol = 1e-9 * std::max(1.0, scale);
        const bool pass = same_shape && err <= tol && terr <= 1e-9 * std::max(1.0, ref_t.data.back());
        ok = ok && pass;
        std::printf("  %-16s max|ours - TVB| = %.3e  (tolerance %.1e)  time error %.1e  %s\n", prefix.c_str(), err, tol,
                    terr, pass ? "PASS" : (same_shape ? "FAIL" : "FAIL (shape differs)"));
    }
    if (files.any()) {
        files.description = "TVB reference case " + case_name + " replayed by brainweave-run: " + d.model.name + " + " +
                            d.coupling.name + " + " + d.integrator;
        bw::runner::write_region_files(files, recordings(d, res), d.region_labels);
    }
    return ok ? 0 : 1;
}

int run_spec(const fs::path& spec, fs::path out, bw::runner::output_files files, bw::runner::checkpoint_spec checkpoint) {
    auto d = from_spec(spec, out);
    if (out.empty()) throw bw::config_error("no output folder: pass --out DIR or set \"output\" in the spec");
    checkpoint.file = out / "checkpoint.bwck";
    d.checkpoint = checkpoint;
    fs::create_directories(out);
    auto res = bw::runner::run(d);
    if (stopped_early(d, res)) return 0;
    std::printf("%s + %s + %s: %lld steps in %.3f s\n", d.model.name.c_str(), d.coupling.name.c_str(),
                d.integrator.c_str(), static_cast<long long>(d.steps), res.wall_seconds);
    for (auto& [prefix, output] : res.outputs) {
        output.save_npy(out, prefix);
        std::printf("  %s_data.npy: %zu samples of (%zu, %zu, %zu)\n", (out / prefix).string().c_str(), output.n_samples(),
                    output.n_var, output.n_space, output.n_modes);
    }
    if (files.any()) {
        files.description = "brainweave-run " + spec.filename().string() + ": " + d.model.name + " + " + d.coupling.name +
                            " + " + d.integrator;
        bw::runner::write_region_files(files, recordings(d, res), d.region_labels);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    fs::path out, tvb_case, brian2_case, lfp_case, spike_case, spec, neuroml_dir;
    bool from_morphology = false;
    std::size_t threads = 1;
    bw::runner::checkpoint_spec checkpoint;
    bw::runner::output_files files;
    bool check = false;
    try {
        for (std::size_t k = 0; k < args.size(); ++k) {
            const std::string& a = args[k];
            auto value = [&]() -> std::string {
                if (k + 1 >= args.size()) throw bw::config_error("option " + a + " needs a value");
                return args[++k];
            };
            if (a == "--help" || a == "-h") {
                std::fputs(usage, stdout);
                return 0;
            } else if (a == "--list") {
                std::puts("models:");
                for (auto& n : bw::runner::model_names()) std::printf("  %s\n", n.c_str());
                std::puts("couplings: Linear, Scaling, Difference, Sigmoidal, HyperbolicTangent, SigmoidalJansenRit, "
                          "Kuramoto, PreSigmoidal");
                std::puts("integrators: EulerDeterministic, EulerStochastic, HeunDeterministic, HeunStochastic, "
                          "RungeKutta4thOrderDeterministic");
                std::puts("noise: Additive, Multiplicative");
                std::puts("monitors: Raw, SubSample, TemporalAverage, GlobalAverage, SpatialAverage, AfferentCoupling, Bold, "
                          "BalloonWindkessel "
                          "(hrf_kernel: FirstOrderVolterra, Gamma, DoubleExponential, MixtureOfGammas)");
                return 0;
            } else if (a == "--out") {
                out = value();
            } else if (a == "--tvb-case") {
                tvb_case = value();
            } else if (a == "--nwb") {
                files.nwb = value();
            } else if (a == "--sonata") {
                files.sonata = value();
            } else if (a == "--check") {
                check = true;
            } else if (a == "--brian2-case") {
                brian2_case = value();
            } else if (a == "--export-neuroml") {
                neuroml_dir = value();
            } else if (a == "--lfp-case") {
                lfp_case = value();
            } else if (a == "--from-morphology") {
                from_morphology = true;
            } else if (a == "--threads") {
                const std::string v = value();
                char* end = nullptr;
                const long n = std::strtol(v.c_str(), &end, 10);
                if (v.empty() || *end != '\0' || n < 0)
                    throw bw::config_error("--threads: expected a number of threads >= 0 (0: all), got '" + v + "'");
                threads = static_cast<std::size_t>(n);
            } else if (a == "--checkpoint-every" || a == "--stop-after") {
                const std::string v = value();
                char* end = nullptr;
                const double ms = std::strtod(v.c_str(), &end);
                if (v.empty() || *end != '\0' || !(ms > 0.0) || !std::isfinite(ms))
                    throw bw::config_error(a + ": expected a simulated time in ms > 0, got '" + v + "'");
                (a == "--stop-after" ? checkpoint.stop_after : checkpoint.every) = ms;
            } else if (a == "--resume") {
                checkpoint.resume = value();
            } else if (a == "--spike-measures") {
                spike_case = value();
            } else if (!a.empty() && a[0] == '-') {
                throw bw::config_error("unknown option '" + a + "'\n" + usage);
            } else if (spec.empty()) {
                spec = a;
            } else {
                throw bw::config_error("more than one spec file given ('" + spec.string() + "', '" + a + "')");
            }
        }
        bw::runner::require_output_support(files);
        if (checkpoint.any() && (!lfp_case.empty() || !spike_case.empty() || !brian2_case.empty()))
            throw bw::config_error("--checkpoint-every, --stop-after and --resume apply to SPEC.json and --tvb-case runs");
        if (!neuroml_dir.empty() && brian2_case.empty()) throw bw::config_error("--export-neuroml goes with --brian2-case");
        if (!lfp_case.empty()) {
            if (out.empty()) throw bw::config_error("--lfp-case needs --out DIR");
            return bw::runner::run_lfp_case(lfp_case, out, check, from_morphology, files);
        }
        if (from_morphology) throw bw::config_error("--from-morphology goes with --lfp-case");
        if (!spike_case.empty()) {
            if (out.empty()) throw bw::config_error("--spike-measures needs --out DIR");
            if (files.any()) throw bw::config_error("--nwb and --sonata do not apply to --spike-measures (it writes .npy and JSON)");
            return bw::runner::run_spike_measures(spike_case, out, check);
        }
        if (!brian2_case.empty()) {
            if (out.empty()) throw bw::config_error("--brian2-case needs --out DIR");
            return bw::runner::run_brian2_case(brian2_case, out, check, files, neuroml_dir);
        }
        if (!tvb_case.empty()) {
            if (out.empty()) throw bw::config_error("--tvb-case needs --out DIR");
            checkpoint.file = out / "checkpoint.bwck";
            return run_tvb_case(tvb_case, out, check, files, threads, checkpoint);
        }
        if (spec.empty()) {
            std::fputs(usage, stderr);
            return 2;
        }
        return run_spec(spec, out, files, checkpoint);
    } catch (const bw::numerical_error& e) {
        std::fprintf(stderr, "brainweave-run: numerical error: %s\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brainweave-run: error: %s\n", e.what());
        return 2;
    }
}
