// Surface benchmarks (docs/performance.md, docs/surfaces.md): every row is a median of repetitions
// and a ratio against a baseline measured in the same run.
//
//   bench_surface [reps] [test data folder]
//
// 1. 1 s (10 000 steps of 0.1 ms) of Generic2dOscillator + Linear + Heun on the 16k-vertex cortex
//    with the 76-region connectome at 100 mm/ms and tvb-data's local connectivity (strength 0.0115),
//    TemporalAverage 1 ms of both variables: TVB's g2d_surface case, run 50 times longer. Against
//    a hand-written loop (baselines.hpp: surface_g2d), and against TVB's own time for the case
//    (meta.json tvb_wall_s = 0.690 s for 200 steps, scaled to 10 000 steps).
// 2. Local connectivity of the 16k cortex: Gaussian of geodesic distance within 40 mm (TVB's
//    default), exact and by fast marching, on one thread and on every hardware thread; the
//    first-ring operator; fast marching's distances against the exact ones.
#include "baselines.hpp"
#include "timing.hpp"

#include <brainweave/brainweave.hpp>
#include <brainweave/surface.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

namespace bw = brainweave;
namespace fs = std::filesystem;

namespace {
constexpr double dt = 0.1;
constexpr int n_steps = 10000;
constexpr int istep = 10;
constexpr double tvb_wall_200_steps = 0.6895251274108887;  // ../shared/reference/tvb_surface/g2d_surface/meta.json

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return INFINITY;
    double d = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) d = std::max(d, std::abs(a[k] - b[k]));
    return d;
}
}  // namespace

int main(int argc, char** argv) {
    bench::reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const fs::path data = argc > 2 ? fs::path(argv[2]) : fs::path(BRAINWEAVE_BENCH_DATA);
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    std::printf("brainweave %s surface benchmarks: median of %d runs; %u hardware threads\n", BRAINWEAVE_VERSION_STRING,
                bench::reps, hw);

    const auto conn = bw::io::load_tvb_connectivity(data / "connectivity/connectivity_76.zip").with_speed(100.0);
    auto rmap = bw::io::load_region_mapping(data / "surfaces/regionMapping_16k_76.txt", 16384, conn.n_regions());
    const bw::surface::sparse_operator L(bw::io::read_mat_sparse(data / "surfaces/local_connectivity_16384.mat"));
    constexpr double strength = 0.0115, ca = 0.0152;

    // Initial conditions: a random region history and vertex state in the model's range.
    baseline::surface_problem p;
    p.regions.csr = bw::sparse_connectivity::from_dense(conn.weights, conn.delays_in_steps(dt));
    p.regions.n = conn.n_regions();
    p.regions.H = p.regions.csr.max_delay + 1;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> uV(-2.0, 4.0), uW(-6.0, 6.0);
    p.regions.history.resize(p.regions.H * 2 * p.regions.n);
    for (std::size_t t = 0; t < p.regions.H; ++t)
        for (std::size_t r = 0; r < p.regions.n; ++r) {
            p.regions.history[(t * 2 + 0) * p.regions.n + r] = uV(rng);
            p.regions.history[(t * 2 + 1) * p.regions.n + r] = uW(rng);
        }
    const std::size_t nv = rmap.size();
    p.region_of = rmap;
    p.count.assign(p.regions.n, 0);
    for (int r : rmap) ++p.count[static_cast<std::size_t>(r)];
    for (std::size_t i = 0; i < nv; ++i) {
        p.V0.push_back(uV(rng));
        p.W0.push_back(uW(rng));
    }
    p.lc_begin.assign(L.outerIndexPtr(), L.outerIndexPtr() + L.rows() + 1);
    p.lc_col.assign(L.innerIndexPtr(), L.innerIndexPtr() + L.nonZeros());
    for (Eigen::Index k = 0; k < L.nonZeros(); ++k) p.lc_val.push_back(L.valuePtr()[k] * strength);
    std::vector<double> state(p.V0);
    state.insert(state.end(), p.W0.begin(), p.W0.end());  // (2, nv, 1)

    using sim_t = bw::surface_simulator<bw::models::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                                        bw::monitors::temporal_average>;
    // Times the run itself (setting up the simulator and copying its 262 MB of output are left out;
    // the loop's time includes building its output, as the run's does).
    auto ours = [&](std::size_t threads, std::vector<double>& out) {
        std::vector<double> times;
        for (int r = 0; r < bench::reps; ++r) {
            sim_t sim(bw::models::generic_2d_oscillator{}, bw::coupling::linear{.a = ca}, bw::integrators::heun<>{.dt = dt},
                      conn.weights, conn.delays_in_steps(dt), rmap, bw::monitors::temporal_average{.period = 1.0});
            sim.set_local_coupling(L, strength);
            sim.set_region_history(p.regions.history, p.regions.H, state);
            sim.set_threads(threads);
            const auto t0 = std::chrono::steady_clock::now();
            sim.run_steps(n_steps);
            times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            if (r == 0) out = sim.output<0>().data;
        }
        return bench::median(std::move(times));
    };

    std::printf("\n1 s of Generic2dOscillator + Linear + Heun on the 16k cortex (%zu vertices, %zu regions, local "
                "connectivity %lld entries), TemporalAverage 1 ms\n\n",
                nv, p.regions.n, static_cast<long long>(L.nonZeros()));
    std::printf("| variant | time (s) | us/step | ratio to hand-written | TVB / this | max |diff| |\n");
    std::printf("|---|---:|---:|---:|---:|---:|\n");
    std::vector<double> base, one, all;
    const double tb = bench::median_seconds([&] { base = baseline::surface_g2d(p, ca, dt, n_steps, istep); });
    const double t1 = ours(1, one);
    const double tn = ours(hw, all);
    const double tvb = tvb_wall_200_steps * n_steps / 200.0;
    auto row = [&](const char* what, double t, double diff) {
        char d[32] = "-";
        if (diff >= 0) std::snprintf(d, sizeof d, "%.1e", diff);
        std::printf("| %s | %.3f | %.1f | %.2f | %.0f | %s |\n", what, t, 1e6 * t / n_steps, t / tb, tvb / t, d);
    };
    row("hand-written loop, 1 thread", tb, -1);
    row("brainweave, 1 thread", t1, max_diff(base, one));
    char label[64];
    std::snprintf(label, sizeof label, "brainweave, %u threads", hw);
    row(label, tn, max_diff(base, all));
    std::printf("| TVB 2.x (g2d_surface meta.json, 200 steps scaled x50) | %.1f | %.0f | %.0f | 1 | |\n", tvb,
                1e6 * tvb / n_steps, tvb / tb);
    const bool same = max_diff(base, one) < 1e-9 && max_diff(one, all) == 0.0;
    if (!same) std::printf("  !! outputs differ (from the hand-written loop, or between thread counts)\n");

    std::printf("\nLocal connectivity of the 16k cortex\n\n| operator | threads | time (s) | entries |\n|---|---:|---:|---:|\n");
    const auto cortex = bw::io::load_tvb_surface(data / "surfaces/cortex_16384.zip");
    using method = bw::surface::geodesic_method;
    std::array<Eigen::SparseMatrix<double, Eigen::RowMajor>, 2> lc;
    for (method m : {method::exact, method::fast_marching})
        for (std::size_t threads : {std::size_t{1}, static_cast<std::size_t>(hw)}) {
            const double t = bench::median_seconds([&] {
                lc[m == method::exact ? 0 : 1] =
                    bw::surface::local_connectivity(cortex, bw::surface::kernels::gaussian{}, 40.0, threads, m);
            });
            std::printf("| Gaussian of geodesic distance (%s), cutoff 40 mm | %zu | %.2f | %lld |\n",
                        m == method::exact ? "exact" : "fast marching", threads, t,
                        static_cast<long long>(lc[m == method::exact ? 0 : 1].nonZeros()));
        }
    Eigen::Index nnz = 0;
    const double tr = bench::median_seconds([&] { nnz = bw::surface::first_ring_average(cortex).nonZeros(); });
    std::printf("| first-ring average (tvb-data's matrix) | 1 | %.3f | %lld |\n", tr, static_cast<long long>(nnz));

    // Fast marching against the exact distances, on every pair within 40 mm of either.
    {
        bw::surface::exact_geodesic_solver ex(cortex);
        bw::surface::geodesic_solver fm(cortex);
        std::vector<double> exact_d(cortex.n_vertices(), -1.0);
        double sum = 0, worst = 0;
        std::size_t common = 0, only_exact = 0, only_fm = 0, over5 = 0;
        for (int i = 0; i < static_cast<int>(cortex.n_vertices()); i += 16) {  // every 16th source
            const auto& r = ex.from(i, 40.0);
            for (const auto& [v, d] : r) exact_d[static_cast<std::size_t>(v)] = d;
            std::size_t seen = 0;
            for (const auto& [v, d] : fm.from(i, 40.0)) {
                const double e = exact_d[static_cast<std::size_t>(v)];
                if (v == i) continue;
                if (e < 0) {
                    ++only_fm;
                    continue;
                }
                ++seen;
                const double rel = (d - e) / e;
                sum += std::abs(rel);
                worst = std::max(worst, std::abs(rel));
                over5 += std::abs(rel) > 0.05;
                ++common;
            }
            only_exact += r.size() - 1 - seen;
            for (const auto& [v, d] : r) exact_d[static_cast<std::size_t>(v)] = -1.0;
        }
        std::printf("\nFast marching against exact geodesics (every 16th vertex as source, 40 mm): %zu pairs in both, "
                    "mean |relative error| %.2f %%, worst %.0f %%, %.1f %% of pairs off by more than 5 %%; %zu pairs only "
                    "within 40 mm by fast marching, %zu only exactly (%.1f %% of the pattern differs)\n",
                    common, 100 * sum / static_cast<double>(common), 100 * worst, 100.0 * static_cast<double>(over5) / static_cast<double>(common),
                    only_fm, only_exact, 100.0 * static_cast<double>(only_fm + only_exact) / static_cast<double>(common + only_exact));
    }
    return same ? 0 : 1;
}
