// Compiles against the installed MPI component: the co-simulation's MPI backend is usable.
#include <brainweave/cosim.hpp>
#include <brainweave/cosim/mpi.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int size = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    std::printf("brainweave::mpi consumer: %d rank(s)\n", size);
    MPI_Finalize();
    return 0;
}
