#pragma once
// Parameter sweeps over MPI ranks (needs BRAINWEAVE_WITH_MPI and the CMake target brainweave::mpi;
// the umbrella headers never include this file).
//
//   MPI_Init(&argc, &argv);
//   auto res = bw::sweep::run_mpi(pb, sets, bw::sweep::global_variance{}, MPI_COMM_WORLD, {.threads = 8});
//
// Every rank calls run_mpi with the same problem and sets (collective). The sets are cut into the
// same batches as sweep::run (same speed, L SIMD lanes); batch b runs on rank b mod size, on that
// rank's threads. A batch's result does not depend on where it runs, so the results equal
// sweep::run's bit for bit, for any number of ranks and threads. Each rank packs the summaries of
// its sets into a serial archive (core/serialize.hpp); rank 0 gathers them, and broadcasts the whole
// list, so every rank returns every set's summary, in the order of `sets`.
//
// The summary's result type must be something a serial archive stores: a number, std::string,
// monitor_output, std::vector of these, or a type with a serialize(Archive&) member.
#if !defined(BRAINWEAVE_WITH_MPI)
#error "brainweave/sweep/mpi.hpp needs BRAINWEAVE_WITH_MPI (link the CMake target brainweave::mpi)"
#endif
#include <brainweave/core/error.hpp>
#include <brainweave/core/serialize.hpp>
#include <brainweave/parallel/mpi.hpp>
#include <brainweave/sweep/sweep.hpp>

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace brainweave::sweep {

namespace detail {
using parallel::mpi::check;
inline int mpi_count(std::size_t bytes, const char* what) {
    if (bytes > static_cast<std::size_t>(INT_MAX))
        throw config_error(std::string("sweep over MPI: ") + what + " of " + std::to_string(bytes) +
                           " bytes exceed MPI's int counts (2 GiB); use a summary that keeps less per set");
    return static_cast<int>(bytes);
}

/// Collective: if any rank failed, every rank throws (the failing ones their own exception, the
/// others one naming the first failing rank and its message), so that no rank waits forever.
inline void agree_on_failure(const std::exception_ptr& error, int rank, int size, MPI_Comm comm) {
    int mine = error ? rank : size, first = size;
    check(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce");
    if (first == size) return;
    std::string message;
    if (rank == first) try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            message = e.what();
        } catch (...) {
            message = "an exception not derived from std::exception";
        }
    int length = static_cast<int>(message.size());
    check(MPI_Bcast(&length, 1, MPI_INT, first, comm), "MPI_Bcast");
    message.resize(static_cast<std::size_t>(length));
    check(MPI_Bcast(message.data(), length, MPI_CHAR, first, comm), "MPI_Bcast");
    if (error) std::rethrow_exception(error);
    throw brainweave::error("sweep over MPI: rank " + std::to_string(first) + " failed: " + message);
}
}  // namespace detail

template <class R>
struct mpi_results : results<R> {
    int ranks = 1;   ///< ranks that took part
    std::size_t local_batches = 0;  ///< batches this rank ran
};

/// sweep::run over the ranks of `comm` (collective; see the top of this file). `opt.threads` is the
/// number of threads on each rank.
template <class Model, class Coupling, class Integrator, class... Monitors, class Summary>
auto run_mpi(const problem<Model, Coupling, Integrator, Monitors...>& pb, const std::vector<parameter_set>& sets,
             Summary summary, MPI_Comm comm, options opt = {}) {
    const auto place = parallel::mpi::place_in(comm);
    const int rank = place.rank, size = place.size;
    std::size_t local = 0;
    auto select = [&](std::size_t b, std::size_t) {
        const bool m = b % static_cast<std::size_t>(size) == static_cast<std::size_t>(rank);
        local += m;
        return m;
    };
    decltype(detail::run_batches(pb, sets, summary, opt, select)) part;
    std::exception_ptr error;
    try {
        part = detail::run_batches(pb, sets, std::move(summary), opt, select);
    } catch (...) {
        error = std::current_exception();
    }
    detail::agree_on_failure(error, rank, size, comm);
    using R = typename decltype(part.info.values)::value_type;

    // This rank's summaries, each with its set index.
    serial::writer w;
    for (std::size_t s = 0; s < part.values.size(); ++s)
        if (part.values[s]) {
            w("set", s);
            w("summary", *part.values[s]);
        }
    const int n = detail::mpi_count(w.bytes().size(), "one rank's summaries");
    std::vector<int> counts(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
    detail::check(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm), "MPI_Gather");
    std::vector<std::byte> all;
    if (rank == 0) {
        std::size_t total = 0;
        for (int r = 0; r < size; ++r) {
            offsets[static_cast<std::size_t>(r)] = detail::mpi_count(total, "all summaries");
            total += static_cast<std::size_t>(counts[static_cast<std::size_t>(r)]);
        }
        detail::mpi_count(total, "all summaries");
        all.resize(total);
    }
    detail::check(MPI_Gatherv(w.bytes().data(), n, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE, 0, comm),
                      "MPI_Gatherv");
    std::size_t total = all.size();
    detail::check(MPI_Bcast(&total, sizeof total, MPI_BYTE, 0, comm), "MPI_Bcast");
    all.resize(total);
    detail::check(MPI_Bcast(all.data(), detail::mpi_count(total, "all summaries"), MPI_BYTE, 0, comm), "MPI_Bcast");

    std::vector<std::optional<R>> values(sets.size());
    serial::reader r(all, "the sweep's gathered summaries");
    while (!r.at_end()) {
        std::size_t s = 0;
        r("set", s);
        if (s >= values.size() || values[s]) throw io_error("sweep over MPI: set " + std::to_string(s) + " arrived twice or is unknown");
        R v{};
        r("summary", v);
        values[s] = std::move(v);
    }
    mpi_results<R> res;
    static_cast<results<R>&>(res) = std::move(part.info);
    res.ranks = size;
    res.local_batches = local;
    res.values.reserve(sets.size());
    for (std::size_t s = 0; s < values.size(); ++s) {
        if (!values[s]) throw io_error("sweep over MPI: no rank returned set " + std::to_string(s));
        res.values.push_back(std::move(*values[s]));
    }
    return res;
}

}  // namespace brainweave::sweep
