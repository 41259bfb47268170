// Region-simulator benchmarks (docs/performance.md): every row is a median of repetitions and a
// ratio against a baseline measured in the same run.
//
//   bench_region [reps] [data folder]
//
// 1. Workloads against hand-written loops (baselines.hpp), dt = 0.1 ms, 10 000 steps, 4 mm/ms,
//    TemporalAverage 1 ms, connectivity_76: Generic2dOscillator + Linear + Heun (double and float),
//    JansenRit + SigmoidalJansenRit + Heun, MontbrioPazoRoxin + Linear + stochastic Heun.
// 2. Scaling over connectome size (66, 76, 192, 998 regions), Generic2dOscillator: steps/s, ns per
//    non-zero connection per step, and the process's peak resident memory after the run (sizes run in
//    ascending order, so the peak belongs to the largest run so far).
// 3. A sweep of 64 Generic2dOscillator parameter sets (coupling strength x speed, 8 x 8), in
//    region-steps per second: one after another on one core (the baseline), SIMD lanes on one
//    thread, SIMD lanes on every hardware thread.
// Sections 1 and 3 time their variants in turns within every repetition (bench::
// interleaved_median_seconds), so that a slow phase of this shared machine does not fall on one.
#include "baselines.hpp"
#include "timing.hpp"

#include <brainweave/brainweave.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace bw = brainweave;
namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

namespace {
constexpr double dt = 0.1;
constexpr int n_steps = 10000;
constexpr int istep = 10;  // TemporalAverage 1 ms

using bench::median_seconds;
using bench::peak_rss_mib;

baseline::problem make_problem(const bw::connectivity& conn, std::size_t n_state, unsigned seed) {
    baseline::problem p;
    p.csr = bw::sparse_connectivity::from_dense(conn.weights, conn.delays_in_steps(dt));
    p.n = conn.n_regions();
    p.H = p.csr.max_delay + 1;
    p.history.resize(p.H * n_state * p.n);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-0.5, 0.5);
    for (auto& v : p.history) v = u(rng);
    return p;
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return INFINITY;
    double d = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) d = std::max(d, std::abs(a[k] - b[k]));
    return d;
}

void header(const char* title) {
    std::printf("\n%s\n\n", title);
    std::printf("| workload | variant | time (s) | steps/s | us/step | ns/conn/step | ratio | max |diff| |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
}

void row(const char* workload, const char* variant, double t, double t_base, std::size_t nnz, double diff) {
    char d[32] = "-";
    if (diff >= 0) std::snprintf(d, sizeof d, "%.1e", diff);
    std::printf("| %s | %s | %.4f | %.0f | %.3f | %.2f | %.2f | %s |\n", workload, variant, t, n_steps / t,
                1e6 * t / n_steps, 1e9 * t / n_steps / static_cast<double>(nnz), t / t_base, d);
}

template <class Value, class Model, class Coupling, class Integrator>
std::vector<double> run_simulator(const bw::connectivity& conn, const baseline::problem& p, Coupling c, Integrator integ) {
    bw::basic_simulator<Value, Model, Coupling, Integrator, bw::monitors::temporal_average> sim(
        Model{}, c, integ, conn, bw::monitors::temporal_average{.period = 1.0});
    sim.set_history(p.history, p.H);
    sim.run_steps(n_steps);
    return sim.template output<0>().data;
}

bool all_ok = true;
void expect(bool ok, const char* what) {
    if (!ok) {
        std::printf("  !! %s: outputs differ from the baseline\n", what);
        all_ok = false;
    }
}
}  // namespace

int main(int argc, char** argv) {
    bench::reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const fs::path data = argc > 2 ? fs::path(argv[2]) : fs::path(BRAINWEAVE_BENCH_DATA);
    const auto c76 = bw::io::load_tvb_connectivity(data / "connectivity_76.zip").with_speed(4.0);
    std::printf("brainweave %s region benchmarks: median of %d runs, dt = %.1f ms, %d steps, speed 4 mm/ms, "
                "TemporalAverage 1 ms; %u hardware threads; SIMD: %zu doubles per register\n",
                BRAINWEAVE_VERSION_STRING, bench::reps, dt, n_steps, std::thread::hardware_concurrency(),
                bw::simd::lanes_v<bw::simd::native_double>);

    // --- 1. workloads ---------------------------------------------------------------------------
    header("Workloads on connectivity_76 (ratio: time / hand-written loop)");
    {
        const auto p = make_problem(c76, 2, 1);
        std::vector<double> base, ours, ours_f;
        const auto cpl = bw::coupling::linear{.a = 0.0152};
        using M = bw::models::generic_2d_oscillator;
        const auto [tb, t, tf] = bench::interleaved_median_seconds(
            [&] { base = baseline::g2d(p, 0.0152, dt, n_steps, istep); },
            [&] { ours = run_simulator<double, M>(c76, p, cpl, bw::integrators::heun<>{.dt = dt}); },
            [&] { ours_f = run_simulator<float, M>(c76, p, cpl, bw::integrators::heun<>{.dt = dt}); });
        row("Generic2dOscillator + Linear + Heun", "hand-written loop", tb, tb, p.csr.nnz(), -1);
        row("Generic2dOscillator + Linear + Heun", "brainweave, double", t, tb, p.csr.nnz(), max_diff(base, ours));
        row("Generic2dOscillator + Linear + Heun", "brainweave, float", tf, tb, p.csr.nnz(), max_diff(base, ours_f));
        expect(max_diff(base, ours) < 1e-9, "Generic2dOscillator");
        std::printf("| | TVB 2.11 reference backend (shared performance notes) | 0.68 | %.0f | %.1f | | %.1f | |\n",
                    n_steps / 0.68, 1e6 * 0.68 / n_steps, 0.68 / tb);
    }
    {
        const auto p = make_problem(c76, 6, 2);
        std::vector<double> base, ours;
        const auto [tb, t] = bench::interleaved_median_seconds(
            [&] { base = baseline::jansen_rit(p, dt, n_steps, istep); },
            [&] {
                ours = run_simulator<double, bw::models::jansen_rit>(c76, p, bw::coupling::sigmoidal_jansen_rit{},
                                                                     bw::integrators::heun<>{.dt = dt});
            });
        row("JansenRit + SigmoidalJansenRit + Heun", "hand-written loop", tb, tb, p.csr.nnz(), -1);
        row("JansenRit + SigmoidalJansenRit + Heun", "brainweave, double", t, tb, p.csr.nnz(), max_diff(base, ours));
        expect(max_diff(base, ours) < 1e-9, "JansenRit");
    }
    {
        auto p = make_problem(c76, 2, 3);
        for (std::size_t k = 0; k < p.history.size(); k += 2 * p.n)
            for (std::size_t i = 0; i < p.n; ++i) p.history[k + i] = std::abs(p.history[k + i]);  // r >= 0
        const std::vector<double> nsig{1e-4, 2e-4};
        std::vector<double> base, ours;
        using noise_t = bw::noise::additive<>;
        bw::integrators::heun<noise_t> integ{.dt = dt};
        integ.noise.nsig = nsig;
        integ.noise.source = bw::noise::philox_normal(11);
        const auto [tb, t] = bench::interleaved_median_seconds(
            [&] { base = baseline::montbrio(p, 0.01, dt, nsig, 11, n_steps, istep); },
            [&] { ours = run_simulator<double, bw::models::montbrio_pazo_roxin>(c76, p, bw::coupling::linear{.a = 0.01}, integ); });
        row("MontbrioPazoRoxin + Linear + stochastic Heun", "hand-written loop", tb, tb, p.csr.nnz(), -1);
        row("MontbrioPazoRoxin + Linear + stochastic Heun", "brainweave, double", t, tb, p.csr.nnz(), max_diff(base, ours));
        expect(max_diff(base, ours) < 1e-9, "MontbrioPazoRoxin");
    }

    // --- 2. scaling over connectome size ------------------------------------------------------------
    std::printf("\nScaling over connectome size: Generic2dOscillator + Linear + Heun (ratio: time / hand-written loop)\n\n");
    std::printf("| regions | connections | horizon | variant | steps/s | ns/conn/step | ratio | peak RSS (MiB) |\n");
    std::printf("|---:|---:|---:|---|---:|---:|---:|---:|\n");
    for (const char* name : {"connectivity_66.zip", "connectivity_76.zip", "connectivity_192.zip", "connectivity_998.zip"}) {
        if (!fs::exists(data / name)) {
            std::printf("| %s | not found in %s | | | | | | |\n", name, data.c_str());
            continue;
        }
        const auto conn = bw::io::load_tvb_connectivity(data / name).with_speed(4.0);
        const auto p = make_problem(conn, 2, 4);
        std::vector<double> base, ours;
        const double tb = median_seconds([&] { base = baseline::g2d(p, 0.0152 * 76.0 / static_cast<double>(p.n), dt, n_steps, istep); });
        const double rss_b = peak_rss_mib();
        const double t = median_seconds([&] {
            ours = run_simulator<double, bw::models::generic_2d_oscillator>(
                conn, p, bw::coupling::linear{.a = 0.0152 * 76.0 / static_cast<double>(p.n)}, bw::integrators::heun<>{.dt = dt});
        });
        const double rss = peak_rss_mib();
        expect(max_diff(base, ours) < 1e-9, name);
        for (int v = 0; v < 2; ++v) {
            const double tt = v == 0 ? tb : t;
            std::printf("| %zu | %zu | %zu | %s | %.0f | %.2f | %.2f | %.1f |\n", p.n, p.csr.nnz(), p.H,
                        v == 0 ? "hand-written loop" : "brainweave", n_steps / tt,
                        1e9 * tt / n_steps / static_cast<double>(p.csr.nnz()), tt / tb, v == 0 ? rss_b : rss);
        }
    }

    // --- 3. parameter sweep ---------------------------------------------------------------------------
    {
        namespace sw = bw::sweep;
        sw::problem<bw::models::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                    bw::monitors::temporal_average>
            pb;
        pb.conn = c76;
        pb.integrator.dt = dt;
        pb.duration = n_steps * dt;
        pb.monitors = {bw::monitors::temporal_average{.period = 1.0}};
        const auto sets = sw::grid({{"coupling.a", sw::linspace(0.0, 0.035, 8)}, {"speed", sw::linspace(1.0, 8.0, 8)}});
        const double region_steps = static_cast<double>(sets.size()) * n_steps * static_cast<double>(c76.n_regions());
        std::vector<double> ref, vec1, vec;
        sw::results<double> info;
        auto sweep = [&](sw::options o, std::vector<double>& out) {
            info = sw::run(pb, sets, sw::global_variance{.start_point = 100.0}, o);
            out = info.values;
        };
        std::size_t lanes = 0;
        const auto [t1, tv, tt] = bench::interleaved_median_seconds(
            [&] { sweep({.threads = 1, .simd = false}, ref); },
            [&] {
                sweep({.threads = 1, .simd = true}, vec1);
                lanes = info.lanes;
            },
            [&] { sweep({.threads = 0, .simd = true}, vec); });
        std::printf("\nParameter sweep: 64 Generic2dOscillator sets (coupling a x speed, 8 x 8), 1 s each, "
                    "summary = global variance of TemporalAverage (ratio: throughput / one-after-another)\n\n");
        std::printf("| variant | time (s) | region-steps/s | speed-up | max |diff| of summaries |\n|---|---:|---:|---:|---:|\n");
        std::printf("| one after another, one core | %.3f | %.3g | 1.00 | - |\n", t1, region_steps / t1);
        std::printf("| SIMD lanes (%zu per batch), one thread | %.3f | %.3g | %.2f | %.1e |\n", lanes, tv, region_steps / tv,
                    t1 / tv, max_diff(ref, vec1));
        std::printf("| SIMD lanes, %zu threads | %.3f | %.3g | %.2f | %.1e |\n", info.threads, tt, region_steps / tt,
                    t1 / tt, max_diff(ref, vec));
        expect(vec == vec1, "sweep results depend on the number of threads");
    }
    std::printf("\nall outputs agree with their baselines: %s\n", all_ok ? "yes" : "NO");
    return all_ok ? 0 : 1;
}
