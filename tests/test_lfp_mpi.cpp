// The hybrid scheme's per-cell method over MPI ranks equals the single-process run bitwise
// (run with mpirun -np 2; tests/CMakeLists.txt). Prints "MPI run equals the single-process run"
// on rank 0 and exits 0, or names the first difference and exits 1.
#include "lfp_fixtures.hpp"

#include <brainweave/hybrid/mpi.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1, status = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    try {
        using namespace lfp_fixtures;
        const double tstop = 100;
        const hy::hybrid_scheme h(two_layers, {80, 20}, ballstick_populations(40), laminar_probe(), 0.1, 11);  // 3 blocks of 16
        const std::vector<hy::spike_trains> in{poisson_trains(80, 8, tstop, 1), poisson_trains(20, 20, tstop, 2)};
        const auto distributed = hy::run_mpi(h, in, tstop, MPI_COMM_WORLD, 1, 0.5);
        if (rank == 0) {
            const auto single = h.run(in, tstop, 2, 0.5);
            const bool same = distributed.total.lfp == single.total.lfp && distributed.total.csd == single.total.csd &&
                              distributed.total.dipole == single.total.dipole && distributed.population[0].lfp == single.population[0].lfp &&
                              distributed.single_cells[0].size() == single.single_cells[0].size() &&
                              distributed.single_cells[0].back().lfp == single.single_cells[0].back().lfp;
            const bool nonzero = single.total.lfp.cwiseAbs().maxCoeff() > 0;
            std::printf("%d ranks: %s\n", size, same && nonzero ? "MPI run equals the single-process run" : "MPI run DIFFERS from the single-process run");
            status = same && nonzero ? 0 : 1;
        } else if (!(distributed.total.lfp.cwiseAbs().maxCoeff() > 0)) {
            status = 1;  // every rank gets the totals
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "rank %d: %s\n", rank, e.what());
        status = 2;
    }
    MPI_Finalize();
    return status;
}
