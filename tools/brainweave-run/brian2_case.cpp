// Replays Brian 2 reference cases with brainweave's spiking engine.
//
// A case folder holds meta.json (SI units, equations, parameters, schedule) and .npy arrays
// (inputs: initial state, synapses, input spikes; outputs: spike_i, spike_t, trace_*). Each
// array may also be stored compressed as NAME.npy.gz. The network is recognised from the
// parameters meta.json gives:
//   - LIF with an exponential current synapse driven by a spike generator (n_in, n_out, R_ohm,
//     tau_syn_s; synapses syn_pre/syn_post/syn_w/syn_delay; input input_i/input_t) -> iaf_psc_exp
//     with C_m = tau_m / R;
//   - CUBA (N, N_exc, taue_s, taui_s, we_V, wi_V; synapses exc_*/inh_*; v0) -> iaf_psc_exp with
//     C_m = tau_m (the synaptic variables are voltages);
//   - AdEx with a constant current per neuron (C_F, gL_S, DeltaT_V, I_A) -> aeif_cond_exp with
//     forward Euler, V_peak = VT + 5 DeltaT.
// Everything runs in SI units (the network's time unit is 1 s).
#include "brian2_case.hpp"
#include "json_input.hpp"

#include <brainweave/analysis/spike_statistics.hpp>
#include <brainweave/io/neuroml/network.hpp>
#include <brainweave/io/npy.hpp>
#include <brainweave/io/spike_files.hpp>
#include <brainweave/spiking.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace fs = std::filesystem;
namespace bw = brainweave;
namespace sp = brainweave::spiking;
using json = nlohmann::json;

namespace brainweave::runner {
namespace {

struct case_result {
    double dt = 0, duration = 0;
    std::size_t n_neurons = 0;
    std::vector<std::uint32_t> spike_i;
    std::vector<std::int64_t> spike_step;
    std::vector<double> trace_t;
    std::map<std::string, std::vector<double>> traces;  // file stem -> (n_rec, n_samples), C order
    std::map<std::string, std::pair<std::string, std::string>> trace_variable;  // file stem -> (variable, SI unit)
    std::string group;
    std::vector<std::uint32_t> recorded;
    std::vector<std::int64_t> trace_step;
    std::size_t n_recorded = 0;
    double wall_seconds = 0;
};

double number(const json& meta, const std::string& key, const fs::path& file) {
    return json_number(meta, {key}, "'" + file.string() + "'");
}

std::vector<double> array(const fs::path& dir, const std::string& name) { return bw::io::load_npy(bw::io::find_npy(dir, name)).data; }

std::vector<std::uint32_t> indices(const fs::path& dir, const std::string& name) {
    const auto v = array(dir, name);
    std::vector<std::uint32_t> out(v.size());
    for (std::size_t k = 0; k < v.size(); ++k) {
        if (!(v[k] >= 0) || v[k] != std::floor(v[k]) || v[k] > 4294967295.0)
            throw bw::io_error("'" + (dir / name).string() + "': element " + std::to_string(k) +
                               " is not a valid index (" + std::to_string(v[k]) + ")");
        out[k] = static_cast<std::uint32_t>(v[k]);
    }
    return out;
}

bool has_array(const fs::path& dir, const std::string& name) { return !bw::io::locate_npy(dir, name).empty(); }

/// The trace files the case names (trace_<var>.npy other than trace_t and trace_index).
std::vector<std::string> trace_stems(const json& meta) {
    std::vector<std::string> out;
    if (!meta.contains("files") || !meta["files"].is_array()) return out;
    for (const auto& f : meta["files"]) {
        if (!f.is_string()) continue;
        std::string s = f.get<std::string>();
        if (s.rfind("trace_", 0) != 0 || s.size() < 10 || s.substr(s.size() - 4) != ".npy") continue;
        s = s.substr(0, s.size() - 4);
        if (s != "trace_t" && s != "trace_index") out.push_back(s);
    }
    return out;
}

/// Where and under which name the case's network is exported to NeuroML2 (empty: not exported).
struct neuroml_target {
    fs::path dir;
    std::string name;
};

/// SI unit of a model variable by its NEST-style name (V_m: V, I_*: A, w: A, g_*: S).
std::string si_unit(const std::string& variable, const std::map<std::string, std::string>& overrides) {
    if (auto it = overrides.find(variable); it != overrides.end()) return it->second;
    if (variable.rfind("V", 0) == 0) return "V";
    if (variable.rfind("I", 0) == 0 || variable == "w") return "A";
    if (variable.rfind("g", 0) == 0) return "S";
    return "unknown";
}

/// Runs `net` for the case and collects spikes of group `group` and the traces (and exports the
/// network with its recordings first, if asked).
template <class Net>
case_result simulate(Net& net, const std::string& group, std::size_t n, double T, const fs::path& dir, const json& meta,
                     const neuroml_target& nml, const std::map<std::string, std::string>& variable_of,
                     const std::map<std::string, std::string>& unit_of = {}) {
    case_result r;
    r.group = group;
    r.dt = net.dt();
    r.duration = T;
    r.n_neurons = n;
    net.set_time_unit(1.0);
    auto& spikes = net.record_spikes(group);
    // What to record: the neurons of trace_index.npy (else all), at the interval of trace_t.npy.
    std::vector<std::uint32_t> rec;
    if (has_array(dir, "trace_index.npy")) rec = indices(dir, "trace_index.npy");
    else for (std::uint32_t i = 0; i < n; ++i) rec.push_back(i);
    std::int64_t interval = 1;
    if (has_array(dir, "trace_t.npy")) {
        const auto t = array(dir, "trace_t.npy");
        if (t.size() > 1) interval = std::max<std::int64_t>(1, std::llround((t[1] - t[0]) / r.dt));
    }
    std::vector<std::string> stems = trace_stems(meta), vars;
    for (const auto& s : stems) {
        const auto it = variable_of.find(s.substr(6));
        if (it == variable_of.end())
            throw bw::io_error("'" + (dir / "meta.json").string() + "': no model variable corresponds to trace file '" + s + ".npy'");
        vars.push_back(it->second);
        r.trace_variable[s] = {s.substr(6), si_unit(it->second, unit_of)};
    }
    sp::state_recorder* states = vars.empty() ? nullptr : &net.record_state(group, vars, rec, interval);
    if (!nml.dir.empty()) {
        bw::io::neuroml::export_options o;
        o.name = nml.name;
        o.duration = T;
        std::vector<std::string> warnings;
        const auto f = bw::io::neuroml::save(sp::describe(net), nml.dir, o, &warnings);
        std::printf("  NeuroML2: %s, %s\n", f.network.string().c_str(), f.lems.string().c_str());
        for (const auto& w : warnings) std::printf("  NeuroML2 note: %s\n", w.c_str());
    }
    const auto t0 = std::chrono::steady_clock::now();
    net.run(T);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.spike_step = spikes.steps();
    r.spike_i.assign(spikes.senders().begin(), spikes.senders().end());
    if (states) {
        r.n_recorded = rec.size();
        r.recorded = rec;
        r.trace_step = states->steps();
        for (auto s : states->steps()) r.trace_t.push_back(static_cast<double>(s) * r.dt);
        for (std::size_t v = 0; v < stems.size(); ++v) {
            std::vector<double> m(rec.size() * states->samples());
            for (std::size_t k = 0; k < rec.size(); ++k) {
                const auto tr = states->trace(v, k);
                std::copy(tr.begin(), tr.end(), m.begin() + static_cast<std::ptrdiff_t>(k * tr.size()));
            }
            r.traces[stems[v]] = std::move(m);
        }
    }
    return r;
}

case_result lif_feedforward(const fs::path& dir, const json& meta, const fs::path& mf, const neuroml_target& nml) {
    const double dt = number(meta, "dt_s", mf), T = number(meta, "T_s", mf);
    const auto n_in = static_cast<std::size_t>(number(meta, "n_in", mf));
    const auto n_out = static_cast<std::size_t>(number(meta, "n_out", mf));
    sp::models::iaf_psc_parameters p;
    p.E_L = number(meta, "El_V", mf);
    p.tau_m = number(meta, "tau_m_s", mf);
    p.C_m = p.tau_m / number(meta, "R_ohm", mf);
    p.t_ref = number(meta, "refractory_s", mf);
    p.V_th = number(meta, "Vth_V", mf);
    p.V_reset = number(meta, "Vreset_V", mf);
    p.tau_syn_ex = p.tau_syn_in = number(meta, "tau_syn_s", mf);
    sp::network net(dt, sp::spike_generator("input", n_in, indices(dir, "input_i.npy"), array(dir, "input_t.npy")),
                    sp::population<sp::models::iaf_psc_exp>("output", n_out, p));
    net.connect("input", "output", sp::rules::explicit_list{indices(dir, "syn_pre.npy"), indices(dir, "syn_post.npy")},
                {.weight = array(dir, "syn_w.npy"), .delay = array(dir, "syn_delay.npy"), .receptor = "ex"});
    return simulate(net, "output", n_out, T, dir, meta, nml, {{"v", "V_m"}, {"I", "I_syn_ex"}});
}

case_result cuba(const fs::path& dir, const json& meta, const fs::path& mf, const neuroml_target& nml) {
    const double dt = number(meta, "dt_s", mf), T = number(meta, "T_s", mf);
    const auto n = static_cast<std::size_t>(number(meta, "N", mf));
    sp::models::iaf_psc_parameters p;
    p.E_L = number(meta, "El_V", mf);
    p.tau_m = number(meta, "taum_s", mf);
    p.C_m = p.tau_m;  // dv/dt = (ge + gi - (v - El))/taum: R = 1
    p.t_ref = number(meta, "refractory_s", mf);
    p.V_th = number(meta, "Vt_V", mf);
    p.V_reset = number(meta, "Vr_V", mf);
    p.tau_syn_ex = number(meta, "taue_s", mf);
    p.tau_syn_in = number(meta, "taui_s", mf);
    sp::network net(dt, sp::population<sp::models::iaf_psc_exp>("P", n, p));
    const auto v0 = array(dir, "v0.npy");
    net.template group<0>().set("V_m", v0);
    const double delay = meta.contains("synaptic_delay_s") ? number(meta, "synaptic_delay_s", mf) : 0.0;
    net.connect("P", "P", sp::rules::explicit_list{indices(dir, "exc_pre.npy"), indices(dir, "exc_post.npy")},
                {.weight = {number(meta, "we_V", mf)}, .delay = {delay}, .receptor = "ex"});
    net.connect("P", "P", sp::rules::explicit_list{indices(dir, "inh_pre.npy"), indices(dir, "inh_post.npy")},
                {.weight = {number(meta, "wi_V", mf)}, .delay = {delay}, .receptor = "in"});
    return simulate(net, "P", n, T, dir, meta, nml, {{"v", "V_m"}, {"ge", "I_syn_ex"}, {"gi", "I_syn_in"}},
                    {{"I_syn_ex", "V"}, {"I_syn_in", "V"}});
}

case_result adex(const fs::path& dir, const json& meta, const fs::path& mf, const neuroml_target& nml) {
    const double dt = number(meta, "dt_s", mf), T = number(meta, "T_s", mf);
    if (!meta.contains("I_A") || !meta["I_A"].is_array() || meta["I_A"].empty())
        throw bw::io_error("'" + mf.string() + "': expected a list of currents in field \"I_A\"");
    const auto currents = meta["I_A"].get<std::vector<double>>();
    sp::models::aeif_cond_parameters p;
    p.C_m = number(meta, "C_F", mf);
    p.g_L = number(meta, "gL_S", mf);
    p.E_L = number(meta, "EL_V", mf);
    p.V_th = number(meta, "VT_V", mf);
    p.Delta_T = number(meta, "DeltaT_V", mf);
    p.tau_w = number(meta, "tauw_s", mf);
    p.a = number(meta, "a_S", mf);
    p.b = number(meta, "b_A", mf);
    p.V_reset = number(meta, "Vr_V", mf);
    p.V_peak = p.V_th + 5 * p.Delta_T;
    p.t_ref = 0;
    p.tau_syn_ex = p.tau_syn_in = 1.0;  // no synapses in this case
    p.E_ex = p.E_in = p.E_L;
    using model = sp::models::aeif_cond_exp<sp::schemes::euler>;
    sp::network net(dt, sp::population<model>("neurons", currents.size(), p));
    for (std::uint32_t i = 0; i < currents.size(); ++i) net.template group<0>().inject(sp::step_current::dc(currents[i], {i}));
    return simulate(net, "neurons", currents.size(), T, dir, meta, nml, {{"vm", "V_m"}, {"v", "V_m"}, {"w", "w"}});
}

bool has_all(const json& meta, std::initializer_list<const char*> keys) {
    return std::ranges::all_of(keys, [&](const char* k) { return meta.contains(k); });
}

struct spike_list {
    std::vector<std::int64_t> step;
    std::vector<std::int32_t> index;
};

/// Spikes sorted by (step, index).
spike_list sorted(spike_list s) {
    std::vector<std::size_t> o(s.step.size());
    for (std::size_t k = 0; k < o.size(); ++k) o[k] = k;
    std::ranges::stable_sort(o, [&](auto a, auto b) { return s.step[a] != s.step[b] ? s.step[a] < s.step[b] : s.index[a] < s.index[b]; });
    spike_list r;
    for (auto k : o) {
        r.step.push_back(s.step[k]);
        r.index.push_back(s.index[k]);
    }
    return r;
}

bool check(const fs::path& dir, const json& meta, const case_result& r) {
    spike_list ours{r.spike_step, std::vector<std::int32_t>(r.spike_i.begin(), r.spike_i.end())}, ref;
    {
        const auto t = array(dir, "spike_t.npy");
        const auto i = array(dir, "spike_i.npy");
        for (std::size_t k = 0; k < t.size(); ++k) {
            ref.step.push_back(std::llround(t[k] / r.dt));
            ref.index.push_back(static_cast<std::int32_t>(i[k]));
        }
    }
    ours = sorted(ours);
    ref = sorted(ref);
    // Identical up to the first difference.
    std::size_t same = 0;
    while (same < ours.step.size() && same < ref.step.size() && ours.step[same] == ref.step[same] &&
           ours.index[same] == ref.index[same])
        ++same;
    const bool identical = same == ours.step.size() && same == ref.step.size();
    const double agree_until = identical ? r.duration
                                         : static_cast<double>(std::min(same < ours.step.size() ? ours.step[same] : INT64_MAX,
                                                                        same < ref.step.size() ? ref.step[same] : INT64_MAX)) * r.dt;
    std::printf("  spikes: ours %zu, Brian %zu; identical (same neuron, same step) up to t = %.4f s (%zu spikes)\n",
                ours.step.size(), ref.step.size(), agree_until, same);
    // Per neuron: same count, and the largest step difference.
    std::map<std::int32_t, std::vector<std::int64_t>> a, b;
    for (std::size_t k = 0; k < ours.step.size(); ++k) a[ours.index[k]].push_back(ours.step[k]);
    for (std::size_t k = 0; k < ref.step.size(); ++k) b[ref.index[k]].push_back(ref.step[k]);
    bool same_counts = a.size() == b.size();
    std::int64_t max_diff = 0;
    for (auto& [i, s] : a) {
        auto it = b.find(i);
        if (it == b.end() || it->second.size() != s.size()) {
            same_counts = false;
            continue;
        }
        for (std::size_t k = 0; k < s.size(); ++k) max_diff = std::max(max_diff, std::abs(s[k] - it->second[k]));
    }
    // Traces, up to the first spike difference (after it a chaotic network legitimately diverges).
    double trace_err = 0;
    for (const auto& [stem, ours_m] : r.traces) {
        if (!has_array(dir, stem + ".npy")) continue;
        const auto ref_m = bw::io::load_npy(bw::io::find_npy(dir, stem + ".npy"));
        if (ref_m.data.size() != ours_m.size()) {
            std::printf("  %s: shape differs from Brian's\n", stem.c_str());
            return false;
        }
        double err = 0, scale = 0;
        const std::size_t ns = r.trace_t.size();
        for (std::size_t k = 0; k < r.n_recorded; ++k)
            for (std::size_t s = 0; s < ns && r.trace_t[s] < agree_until; ++s) {
                err = std::max(err, std::abs(ours_m[k * ns + s] - ref_m.data[k * ns + s]));
                scale = std::max(scale, std::abs(ref_m.data[k * ns + s]));
            }
        trace_err = std::max(trace_err, err / std::max(scale, 1e-300));
        std::printf("  %-10s max|ours - Brian| / max|Brian| = %.2e (before t = %.4f s)\n", stem.c_str(),
                    err / std::max(scale, 1e-300), agree_until);
    }
    const std::string note = meta.contains("note") && meta["note"].is_string() ? meta["note"].get<std::string>() : "";
    const bool chaotic = note.find("chaotic") != std::string::npos && note.find("not chaotic") == std::string::npos;
    if (!chaotic) {
        const bool pass = same_counts && max_diff <= 1;
        std::printf("  deterministic case: same spike count per neuron: %s, largest spike-time difference %lld step(s)"
                    " (tolerance 1)  %s\n", same_counts ? "yes" : "no", static_cast<long long>(max_diff), pass ? "PASS" : "FAIL");
        return pass;
    }
    // Chaotic case: exact early on, statistics over the whole run.
    const double exact_window = 0.05;
    bool pass = agree_until >= exact_window - 1e-12;
    std::printf("  chaotic case: identical for the first %.0f ms: %s\n", exact_window * 1e3, pass ? "PASS" : "FAIL");
    auto stats = [&](const spike_list& s) {
        std::vector<double> t(s.step.size());
        for (std::size_t k = 0; k < t.size(); ++k) t[k] = static_cast<double>(s.step[k]) * r.dt;
        return std::array<double, 3>{bw::analysis::mean_rate(t, r.n_neurons, 0, r.duration),
                                     bw::analysis::mean_cv_isi(s.index, t, r.n_neurons),
                                     bw::analysis::fano_factor(t, 0, r.duration, 0.01)};
    };
    const auto so = stats(ours), sr = stats(ref);
    const char* names[] = {"rate (Hz)", "mean CV of ISI", "Fano factor (10 ms bins)"};
    for (int k = 0; k < 3; ++k) {
        const double rel = std::abs(so[k] - sr[k]) / std::abs(sr[k]);
        const bool ok = rel <= 0.05;
        pass = pass && ok;
        std::printf("  %-26s ours %.4f  Brian %.4f  difference %.2f %% (tolerance 5 %%)  %s\n", names[k], so[k], sr[k],
                    100 * rel, ok ? "PASS" : "FAIL");
    }
    return pass;
}

}  // namespace

int run_brian2_case(const fs::path& dir, const fs::path& out, bool check_results, output_files files,
                    const fs::path& neuroml_dir) {
    const fs::path mf = dir / "meta.json";
    const json meta = load_json(mf);
    const fs::path norm = fs::path(dir).lexically_normal();
    const std::string name = (norm.has_filename() ? norm : norm.parent_path()).filename().string();
    const neuroml_target nml{neuroml_dir, name};
    case_result r;
    std::string kind;
    if (has_all(meta, {"n_in", "n_out", "R_ohm", "tau_syn_s"})) {
        kind = "LIF + exponential current synapses, spike-generator input (iaf_psc_exp, exact)";
        r = lif_feedforward(dir, meta, mf, nml);
    } else if (has_all(meta, {"N", "N_exc", "taue_s", "taui_s", "we_V", "wi_V"})) {
        kind = "CUBA (iaf_psc_exp with voltage-valued synaptic variables, exact)";
        r = cuba(dir, meta, mf, nml);
    } else if (has_all(meta, {"C_F", "gL_S", "DeltaT_V", "I_A"})) {
        kind = "AdEx with constant currents (aeif_cond_exp, forward Euler)";
        r = adex(dir, meta, mf, nml);
    } else {
        throw bw::io_error("'" + mf.string() + "': not a Brian 2 case brainweave-run recognises (expected the parameters "
                           "of the LIF feed-forward case (n_in, n_out, R_ohm, tau_syn_s), the CUBA case (N, N_exc, taue_s, "
                           "taui_s, we_V, wi_V) or the AdEx case (C_F, gL_S, DeltaT_V, I_A))");
    }
    fs::create_directories(out);
    std::vector<double> t(r.spike_step.size());
    for (std::size_t k = 0; k < t.size(); ++k) t[k] = static_cast<double>(r.spike_step[k]) * r.dt;
    bw::io::save_spikes_npy(out, r.spike_i, t);
    if (!r.traces.empty()) bw::io::save_npy(out / "trace_t.npy", {r.trace_t.size()}, r.trace_t.data());
    for (const auto& [stem, m] : r.traces) bw::io::save_npy(out / (stem + ".npy"), {r.n_recorded, r.trace_t.size()}, m.data());
    std::printf("case %s: %s\n  %zu neurons, %.3f s simulated in %lld steps, %zu spikes, wall %.3f s\n", name.c_str(),
                kind.c_str(), r.n_neurons, r.duration, static_cast<long long>(std::llround(r.duration / r.dt)),
                r.spike_i.size(), r.wall_seconds);
    if (files.any()) {
        files.description = "Brian 2 reference case " + name + " replayed by brainweave-run: " + kind;
        spiking_recording sr{.population = r.group, .size = r.n_neurons, .seconds_per_step = r.dt,
                             .spike_i = r.spike_i, .spike_step = r.spike_step, .recorded = r.recorded,
                             .trace_step = r.trace_step, .traces = {}};
        for (const auto& [stem, m] : r.traces)
            sr.traces.push_back({r.trace_variable.at(stem).first, r.trace_variable.at(stem).second, m});
        write_spiking_files(files, sr);
    }
    if (!check_results) return 0;
    return check(dir, meta, r) ? 0 : 1;
}

}  // namespace brainweave::runner
