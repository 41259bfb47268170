// A 2-D parameter sweep, as TVB's parameter-space exploration: Generic2dOscillator on the
// 76-region connectome, global coupling strength x conduction speed, summarised by the global
// variance of the TemporalAverage monitor (TVB's GlobalVariance metric).
//
//   example_parameter_sweep [connectome.zip] [output folder] [duration ms]
//
// Writes <output>/sweep_variance.npy (shape n_coupling x n_speed), sweep_coupling.npy,
// sweep_speed.npy, the heat map parameter_sweep.svg, and prints the grid. Parameter sets with the
// same speed run together in SIMD lanes; batches run on all hardware threads. mpi_main.cpp runs
// the same sweep over MPI ranks (docs/cluster.md).
#include "problem.hpp"

#include <chrono>
#include <cstdlib>

int main(int argc, char** argv) try {
    using namespace sweep_example;
    const std::filesystem::path conn_path = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = argc > 2 ? argv[2] : "parameter_sweep_output";
    const double duration = argc > 3 ? std::atof(argv[3]) : 1000.0;

    const auto pb = make_problem(conn_path, duration);
    const auto g = make_grid();
    const auto sets = g.sets();
    const auto t0 = std::chrono::steady_clock::now();
    const auto res = sw::run(pb, sets, sw::global_variance{.start_point = duration / 5.0});
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%zu parameter sets, %.0f ms each, in %.2f s (%zu sets per SIMD batch, %zu batches, %zu threads)\n",
                sets.size(), duration, secs, res.lanes, res.batches, res.threads);
    write_results(out, g, res.values);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_parameter_sweep: %s\n", e.what());
    return 1;
}
