#pragma once
// What the MPI backends share (cosim/mpi.hpp, hybrid/mpi.hpp, sweep/mpi.hpp): MPI return codes as
// exceptions, and this rank's place in a communicator. Needs BRAINWEAVE_WITH_MPI (the CMake target
// brainweave::mpi); the umbrella headers never include this file.
#if !defined(BRAINWEAVE_WITH_MPI)
#error "brainweave/parallel/mpi.hpp needs BRAINWEAVE_WITH_MPI (link the CMake target brainweave::mpi)"
#endif
#include <brainweave/core/error.hpp>

#include <mpi.h>

#include <string>

namespace brainweave::parallel::mpi {

/// Throws io_error "MPI: <what> failed (error rc)" unless rc is MPI_SUCCESS.
inline void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw io_error(std::string("MPI: ") + what + " failed (error " + std::to_string(rc) + ")");
}

/// This rank and the number of ranks of `comm`.
struct place {
    int rank = 0, size = 1;
};
inline place place_in(MPI_Comm comm) {
    place p;
    check(MPI_Comm_rank(comm, &p.rank), "MPI_Comm_rank");
    check(MPI_Comm_size(comm, &p.size), "MPI_Comm_size");
    return p;
}

}  // namespace brainweave::parallel::mpi
