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
#include "lfp_case.hpp"
#include "output_files.hpp"
#include "spec.hpp"
#include "spike_measures.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;
namespace bw = brainweave;

namespace {

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
    auto d = bw::runner::from_tvb_case(dir);
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
    auto d = bw::runner::from_spec(spec, out);
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
