#pragma once
// The hybrid scheme's per-cell method over MPI ranks (needs BRAINWEAVE_WITH_MPI and the CMake target
// brainweave::mpi; the umbrella headers never include this file).
//
// Every rank builds the same hybrid_scheme (same seed: the same cells and synapses) and has the same
// spike trains; the blocks of 16 cells of each population are dealt round-robin to the ranks, each
// rank simulates its blocks on its threads, and rank 0 adds the block sums in block order, which is
// the order hybrid_scheme::run uses: the result is bitwise the single-process one. Every rank
// returns the totals (broadcast from rank 0); kept single cells are returned on rank 0.
#if !defined(BRAINWEAVE_WITH_MPI)
#error "brainweave/hybrid/mpi.hpp needs BRAINWEAVE_WITH_MPI (link the CMake target brainweave::mpi)"
#endif
#include <brainweave/core/error.hpp>
#include <brainweave/hybrid/scheme.hpp>
#include <brainweave/parallel/mpi.hpp>

#include <mpi.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace brainweave::hybrid {

namespace detail {
using parallel::mpi::check;
inline constexpr int block_tag = 7401, kept_tag = 7402;
}  // namespace detail

/// hybrid_scheme::run over the ranks of `comm` (collective: every rank calls it with the same
/// arguments).
inline hybrid_result run_mpi(const hybrid_scheme& h, const std::vector<spike_trains>& input, double tstop_ms, MPI_Comm comm,
                             std::size_t threads = 1, double keep_fraction = 0) {
    const auto place = parallel::mpi::place_in(comm);
    const int rank = place.rank, size = place.size;
    h.check_input(input);
    const auto t0 = std::chrono::steady_clock::now();
    const auto steps = h.steps_of(tstop_ms);
    const Eigen::Index T = steps + 1, R = h.probe().rows();
    const auto n = static_cast<int>(R * T);
    hybrid_result res = h.empty_result(steps);
    Eigen::MatrixXd all = Eigen::MatrixXd::Zero(R, T);
    for (std::size_t x = 0; x < h.populations().size(); ++x) {
        const auto& pp = h.populations()[x];
        const std::size_t nb = hybrid_scheme::blocks_of(pp), keep = hybrid_scheme::kept_cells(pp, keep_fraction);
        std::vector<std::size_t> mine;
        for (std::size_t b = static_cast<std::size_t>(rank); b < nb; b += static_cast<std::size_t>(size)) mine.push_back(b);
        std::map<std::size_t, Eigen::MatrixXd> sums, kept;
        h.block_sums(pp, mine, input, steps, threads, keep, [&](std::size_t b, const Eigen::MatrixXd& m) { sums[b] = m; },
                     [&](std::size_t c, const Eigen::MatrixXd& m) { kept[c] = m; });
        Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(R, T), buf(R, T);
        for (std::size_t b = 0; b < nb; ++b) {  // rank 0 adds the blocks in order
            const int owner = static_cast<int>(b % static_cast<std::size_t>(size));
            if (rank == 0) {
                if (owner == 0) {
                    sum += sums.at(b);
                } else {
                    detail::check(MPI_Recv(buf.data(), n, MPI_DOUBLE, owner, detail::block_tag, comm, MPI_STATUS_IGNORE), "MPI_Recv");
                    sum += buf;
                }
            } else if (owner == rank) {
                detail::check(MPI_Send(sums.at(b).data(), n, MPI_DOUBLE, 0, detail::block_tag, comm), "MPI_Send");
            }
        }
        for (std::size_t c = 0; c < keep; ++c) {  // kept cells to rank 0, in order
            const int owner = static_cast<int>((c / hybrid_scheme::cells_per_block) % static_cast<std::size_t>(size));
            if (rank == 0) {
                if (owner == 0) {
                    res.single_cells[x].push_back(h.split(kept.at(c)));
                } else {
                    detail::check(MPI_Recv(buf.data(), n, MPI_DOUBLE, owner, detail::kept_tag, comm, MPI_STATUS_IGNORE), "MPI_Recv");
                    res.single_cells[x].push_back(h.split(buf));
                }
            } else if (owner == rank) {
                detail::check(MPI_Send(kept.at(c).data(), n, MPI_DOUBLE, 0, detail::kept_tag, comm), "MPI_Send");
            }
        }
        detail::check(MPI_Bcast(sum.data(), n, MPI_DOUBLE, 0, comm), "MPI_Bcast");
        all += sum;
        res.population.push_back(h.split(sum));
    }
    res.total = h.split(all);
    res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

}  // namespace brainweave::hybrid
