#pragma once
// What the parameter-sweep examples share (main.cpp on one machine, mpi_main.cpp over MPI ranks):
// the problem, the grid and the outputs.
#include <brainweave/brainweave.hpp>
#include <brainweave/plot/region.hpp>

#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

namespace sweep_example {
namespace bw = brainweave;
namespace sw = bw::sweep;

using problem_t = sw::problem<bw::models::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                              bw::monitors::temporal_average>;

/// Generic2dOscillator on the connectome, 1 ms temporal averages, one shared initial state.
inline problem_t make_problem(const std::filesystem::path& connectome, double duration) {
    problem_t pb;
    pb.conn = bw::io::load_tvb_connectivity(connectome);
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
    return pb;
}

struct grid_axes {
    std::vector<double> couplings, speeds;
    std::vector<sw::parameter_set> sets() const { return sw::grid({{"coupling.a", couplings}, {"speed", speeds}}); }
};
inline grid_axes make_grid(std::size_t n_coupling = 8, std::size_t n_speed = 6) {
    return {sw::linspace(0.0, 0.06, n_coupling), sw::linspace(1.0, 10.0, n_speed)};
}

/// Writes sweep_variance.npy (n_coupling x n_speed), the axes and the heat map, and prints the grid.
inline void write_results(const std::filesystem::path& out, const grid_axes& g, const std::vector<double>& variance) {
    const auto& couplings = g.couplings;
    const auto& speeds = g.speeds;
    std::filesystem::create_directories(out);
    bw::io::save_npy(out / "sweep_variance.npy", {couplings.size(), speeds.size()}, variance.data());
    bw::io::save_npy(out / "sweep_coupling.npy", {couplings.size()}, couplings.data());
    bw::io::save_npy(out / "sweep_speed.npy", {speeds.size()}, speeds.data());
    const Eigen::MatrixXd grid = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        variance.data(), static_cast<Eigen::Index>(couplings.size()), static_cast<Eigen::Index>(speeds.size()));
    bw::plot::figure fig(800, 620);
    bw::plot::sweep_heatmap(fig.add_panel(), grid, speeds, couplings, "conduction speed (mm/ms)", "coupling strength a",
                            "global variance")
        .title("Generic2dOscillator, 76 regions: variance of the temporal average");
    fig.save(out / "parameter_sweep.svg");

    std::printf("global variance of TemporalAverage (rows: coupling a, columns: speed mm/ms)\n%8s", "a \\ v");
    for (double v : speeds) std::printf(" %9.1f", v);
    std::printf("\n");
    for (std::size_t i = 0; i < couplings.size(); ++i) {
        std::printf("%8.4f", couplings[i]);
        for (std::size_t j = 0; j < speeds.size(); ++j) std::printf(" %9.3g", variance[i * speeds.size() + j]);
        std::printf("\n");
    }
    std::printf("written to %s\n", out.c_str());
}
}  // namespace sweep_example
