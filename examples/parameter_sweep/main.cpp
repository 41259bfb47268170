// A 2-D parameter sweep, as TVB's parameter-space exploration: Generic2dOscillator on the
// 76-region connectome, global coupling strength x conduction speed, summarised by the global
// variance of the TemporalAverage monitor (TVB's GlobalVariance metric).
//
//   example_parameter_sweep [connectome.zip] [output folder] [duration ms]
//
// Writes <output>/sweep_variance.npy (shape n_coupling x n_speed), sweep_coupling.npy,
// sweep_speed.npy, the heat map parameter_sweep.svg, and prints the grid. Parameter sets with the same speed run together in SIMD lanes;
// batches run on all hardware threads.
#include <brainweave/brainweave.hpp>
#include <brainweave/plot/region.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace bw = brainweave;
namespace sw = bw::sweep;

int main(int argc, char** argv) try {
    const std::filesystem::path conn_path = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = argc > 2 ? argv[2] : "parameter_sweep_output";
    const double duration = argc > 3 ? std::atof(argv[3]) : 1000.0;

    sw::problem<bw::models::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                bw::monitors::temporal_average>
        pb;
    pb.conn = bw::io::load_tvb_connectivity(conn_path);
    pb.integrator.dt = 0.1;
    pb.parameters.a = -0.5;  // closer to the bifurcation, so coupling and delays matter
    pb.duration = duration;
    pb.monitors = {bw::monitors::temporal_average{.period = 1.0}};
    // One initial state for every set (a constant history), so that sets differ only by their
    // parameters; without it each set starts from TVB's random history of its own horizon.
    std::mt19937_64 rng(1);
    const std::size_t n = pb.conn.n_regions();
    pb.initial_state.resize(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        pb.initial_state[i] = std::uniform_real_distribution<double>(-2.0, 4.0)(rng);      // V
        pb.initial_state[n + i] = std::uniform_real_distribution<double>(-6.0, 6.0)(rng);  // W
    }

    const auto couplings = sw::linspace(0.0, 0.06, 8);
    const auto speeds = sw::linspace(1.0, 10.0, 6);
    const auto sets = sw::grid({{"coupling.a", couplings}, {"speed", speeds}});

    const auto t0 = std::chrono::steady_clock::now();
    const auto res = sw::run(pb, sets, sw::global_variance{.start_point = duration / 5.0});
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::filesystem::create_directories(out);
    bw::io::save_npy(out / "sweep_variance.npy", {couplings.size(), speeds.size()}, res.values.data());
    bw::io::save_npy(out / "sweep_coupling.npy", {couplings.size()}, couplings.data());
    bw::io::save_npy(out / "sweep_speed.npy", {speeds.size()}, speeds.data());
    const Eigen::MatrixXd grid = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        res.values.data(), static_cast<Eigen::Index>(couplings.size()), static_cast<Eigen::Index>(speeds.size()));
    bw::plot::figure fig(800, 620);
    bw::plot::sweep_heatmap(fig.add_panel(), grid, speeds, couplings, "conduction speed (mm/ms)", "coupling strength a",
                            "global variance")
        .title("Generic2dOscillator, 76 regions: variance of the temporal average");
    fig.save(out / "parameter_sweep.svg");

    std::printf("%zu parameter sets, %.0f ms each, in %.2f s (%zu sets per SIMD batch, %zu batches, %zu threads)\n",
                sets.size(), duration, secs, res.lanes, res.batches, res.threads);
    std::printf("global variance of TemporalAverage (rows: coupling a, columns: speed mm/ms)\n%8s", "a \\ v");
    for (double v : speeds) std::printf(" %9.1f", v);
    std::printf("\n");
    for (std::size_t i = 0; i < couplings.size(); ++i) {
        std::printf("%8.4f", couplings[i]);
        for (std::size_t j = 0; j < speeds.size(); ++j) std::printf(" %9.3g", res.values[i * speeds.size() + j]);
        std::printf("\n");
    }
    std::printf("written to %s\n", out.c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_parameter_sweep: %s\n", e.what());
    return 1;
}
