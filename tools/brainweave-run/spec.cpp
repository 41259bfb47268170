// brainweave-run's inputs: a JSON spec (docs/runner.md) or a TVB reference case folder, turned into
// a description. Every malformed value is a config_error or io_error naming the file and field.
#include "spec.hpp"

#include "json_input.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace brainweave::runner {
namespace {
namespace fs = std::filesystem;
namespace bw = brainweave;
using json = nlohmann::json;

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

/// Exactly one number (or a one-element list).
double number(const json& j, const std::string& where) {
    const auto v = numbers(j, where);
    if (v.size() != 1) throw bw::config_error(where + ": expected one number, got " + std::to_string(v.size()));
    return v[0];
}

/// A count or an index: a whole number >= 0.
std::size_t whole(double v, const std::string& where) {
    if (!(v >= 0.0 && v < 9.0e15) || v != std::floor(v))
        throw bw::config_error(where + ": expected a whole number >= 0, got " + std::to_string(v));
    return static_cast<std::size_t>(v);
}

/// A string field.
std::string text(const json& j, const std::string& where) {
    if (!j.is_string()) throw bw::config_error(where + ": expected a string, got " + j.dump());
    return j.get<std::string>();
}

/// A random seed: a whole number >= 0.
std::uint64_t seed_of(const json& j, const std::string& where) {
    if (!j.is_number_unsigned()) throw bw::config_error(where + ": expected a whole number >= 0, got " + j.dump());
    return j.get<std::uint64_t>();
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

named_parameters named(const json& j, const std::string& where) {
    named_parameters np;
    if (j.is_string()) {
        np.name = j.get<std::string>();
        return np;
    }
    check_keys(j, {"name", "parameters"}, where);
    if (!j.contains("name")) throw bw::config_error(where + ": missing \"name\"");
    np.name = text(j["name"], where + ".name");
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

std::vector<monitor_spec> monitors_from(const json& list, const std::string& where, bool tvb_case) {
    std::vector<monitor_spec> out;
    if (!list.is_array()) throw bw::config_error(where + ": expected a list of monitors");
    std::set<std::string> used;
    for (std::size_t k = 0; k < list.size(); ++k) {
        const json& m = list[k];
        const std::string w = where + "[" + std::to_string(k) + "]";
        monitor_spec s;
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
            s.name = text(m["name"], w + ".name");
            if (m.contains("period")) s.period = number(m["period"], w + ".period");
            if (m.contains("variables_of_interest"))
                for (double v : numbers(m["variables_of_interest"], w + ".variables_of_interest"))
                    s.variables_of_interest.push_back(whole(v, w + ".variables_of_interest"));
            if (m.contains("spatial_mask"))
                for (double v : numbers(m["spatial_mask"], w + ".spatial_mask"))
                    s.spatial_mask.push_back(whole(v, w + ".spatial_mask"));
            if (m.contains("default_mask")) s.default_mask = text(m["default_mask"], w + ".default_mask");
            if (m.contains("hrf_length")) s.hrf_length = number(m["hrf_length"], w + ".hrf_length");
            if (m.contains("hrf_kernel")) {  // "Gamma" or {"name": "Gamma", "tau": 1.2, ...}
                const json& k = m["hrf_kernel"];
                if (k.is_string()) {
                    s.hrf_kernel = k.get<std::string>();
                } else if (k.is_object() && k.contains("name")) {
                    s.hrf_kernel = text(k["name"], w + ".hrf_kernel.name");
                    for (const auto& [key, v] : k.items())
                        if (key != "name") s.hrf_parameters.emplace_back(key, number(v, w + ".hrf_kernel." + key));
                } else {
                    throw bw::config_error(w + ".hrf_kernel: expected a kernel name or {\"name\": ..., parameters}");
                }
            }
            s.file_prefix = m.contains("file") ? text(m["file"], w + ".file") : [&] {
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
description spec_description(const fs::path& spec_path, fs::path& out_dir) {
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
    description d;
    for (const char* key : {"connectivity", "model", "coupling", "integrator", "monitors"})
        if (!j.contains(key)) throw bw::config_error(where + ": missing \"" + std::string(key) + "\"");

    // integrator first: delays need dt
    const json& ij = j["integrator"];
    if (ij.is_string()) {
        d.integrator = ij.get<std::string>();
    } else {
        check_keys(ij, {"name", "dt", "noise"}, where + ".integrator");
        if (!ij.contains("name")) throw bw::config_error(where + ".integrator: missing \"name\"");
        d.integrator = text(ij["name"], where + ".integrator.name");
        if (ij.contains("dt")) d.dt = number(ij["dt"], where + ".integrator.dt");
        if (ij.contains("noise") && !ij["noise"].is_null()) {
            const json& nj = ij["noise"];
            check_keys(nj, {"name", "nsig", "seed", "a", "b", "draws"}, where + ".integrator.noise");
            if (!nj.contains("name")) throw bw::config_error(where + ".integrator.noise: missing \"name\"");
            d.noise.name = text(nj["name"], where + ".integrator.noise.name");
            if (nj.contains("nsig")) d.noise.nsig = numbers(nj["nsig"], where + ".integrator.noise.nsig");
            if (nj.contains("seed")) d.noise.seed = seed_of(nj["seed"], where + ".integrator.noise.seed");
            if (nj.contains("a")) d.noise.a = number(nj["a"], where + ".integrator.noise.a");
            if (nj.contains("b")) d.noise.b = number(nj["b"], where + ".integrator.noise.b");
            if (nj.contains("draws")) d.noise.draws = bw::io::load_npy(path_of(nj["draws"], "draws"), 4);
        }
    }
    if (!(d.dt > 0.0) || !std::isfinite(d.dt)) throw bw::config_error(where + ".integrator.dt: must be > 0 ms");

    const json& cj = j["connectivity"];
    double speed = j.contains("speed") ? number(j["speed"], where + ".speed") : 3.0;
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
        if (cj.contains("speed")) speed = number(cj["speed"], where + ".connectivity.speed");
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
    if (j.contains("steps"))
        d.steps = static_cast<std::int64_t>(whole(number(j["steps"], where + ".steps"), where + ".steps"));
    else if (j.contains("length"))
        d.steps = static_cast<std::int64_t>(whole(std::nearbyint(number(j["length"], where + ".length") / d.dt), where + ".length / dt"));
    else
        throw bw::config_error(where + ": missing \"length\" (ms) or \"steps\"");
    if (j.contains("seed")) d.seed = seed_of(j["seed"], where + ".seed");
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
void surface_case(const fs::path& dir, const json& meta, description& d) {
    surface_spec s;
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
description case_description(const fs::path& dir) {
    const json meta = load_json(dir / "meta.json");
    description d;
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

/// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string json_message(const json::exception& e) {
    const std::string m = e.what();
    const auto p = m.find("] ");
    return p == std::string::npos ? m : m.substr(p + 2);
}

}  // namespace

description from_spec(const fs::path& spec_path, fs::path& out_dir) {
    try {
        return spec_description(spec_path, out_dir);
    } catch (const json::exception& e) {  // a field of the wrong JSON type
        throw config_error("'" + spec_path.string() + "': " + json_message(e));
    }
}

description from_tvb_case(const fs::path& dir) {
    try {
        return case_description(dir);
    } catch (const json::exception& e) {
        throw config_error("'" + (dir / "meta.json").string() + "': " + json_message(e));
    }
}

}  // namespace brainweave::runner
