// The parameter sweep of main.cpp over MPI ranks (sweep/mpi.hpp): every rank runs every
// size-th batch of SIMD lanes on its threads; rank 0 writes the same files as main.cpp. Used by
// docs/cluster.md and examples/parameter_sweep/sweep.slurm.
//
//   mpirun -np R example_parameter_sweep_mpi [connectome.zip] [output] [duration ms] [threads per rank]
//                                            [n_coupling] [n_speed] [--check]
//
// --check also runs the sweep in one process on rank 0 and compares (bitwise).
#include "problem.hpp"

#include <brainweave/sweep/mpi.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    const int rank = brainweave::parallel::mpi::place_in(MPI_COMM_WORLD).rank;
    int status = 0;
    try {
        using namespace sweep_example;
        std::vector<std::string> args;
        bool check = false;
        for (int k = 1; k < argc; ++k) {
            if (std::string(argv[k]) == "--check")
                check = true;
            else
                args.emplace_back(argv[k]);
        }
        auto arg = [&](std::size_t k, const char* fallback) { return args.size() > k ? args[k] : std::string(fallback); };
        const std::filesystem::path conn_path = arg(0, BRAINWEAVE_EXAMPLE_CONNECTOME);
        const std::filesystem::path out = arg(1, "parameter_sweep_mpi_output");
        const double duration = bw::parse_number<double>(arg(2, "1000"), "duration (ms)");
        const auto threads = bw::parse_number<std::size_t>(arg(3, "0"), "threads per rank");
        const auto g = make_grid(bw::parse_number<std::size_t>(arg(4, "8"), "n_coupling"), bw::parse_number<std::size_t>(arg(5, "6"), "n_speed"));

        const auto pb = make_problem(conn_path, duration);
        const auto sets = g.sets();
        MPI_Barrier(MPI_COMM_WORLD);
        const auto t0 = std::chrono::steady_clock::now();
        const auto res = sw::run_mpi(pb, sets, sw::global_variance{.start_point = duration / 5.0}, MPI_COMM_WORLD,
                                     {.threads = threads});
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (rank == 0) {
            const double region_steps = static_cast<double>(sets.size()) * static_cast<double>(pb.conn.n_regions()) *
                                        static_cast<double>(bw::detail::steps_of(duration, pb.integrator.dt));
            std::printf("%zu parameter sets, %.0f ms each, on %d ranks x %zu threads in %.2f s: %.3g region-steps/s "
                        "(%zu sets per SIMD batch, %zu batches, %zu on rank 0)\n",
                        sets.size(), duration, res.ranks, res.threads, secs, region_steps / secs, res.lanes, res.batches,
                        res.local_batches);
            write_results(out, g, res.values);
            if (check) {
                const auto one = sw::run(pb, sets, sw::global_variance{.start_point = duration / 5.0});
                const bool same = one.values == res.values;
                std::printf("%s\n", same ? "MPI sweep equals the single-process sweep" : "MPI sweep DIFFERS from the single-process sweep");
                status = same ? 0 : 1;
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "example_parameter_sweep_mpi (rank %d): %s\n", rank, e.what());
        status = 1;
    }
    MPI_Finalize();
    return status;
}
