// A parameter sweep over MPI ranks equals the single-process sweep bitwise, and a failure on one
// rank is reported on every rank (run with mpirun -np 2; tests/CMakeLists.txt). Prints
// "MPI sweep equals the serial sweep" on rank 0 and exits 0, or names the difference and exits 1.
#include <brainweave/brainweave.hpp>
#include <brainweave/sweep/mpi.hpp>

#include <cstdio>
#include <cstring>

namespace bw = brainweave;
namespace sw = bw::sweep;

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1, status = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    auto fail = [&](const char* what) {
        std::printf("rank %d: %s\n", rank, what);
        status = 1;
    };
    try {
        sw::problem<bw::models::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                    bw::monitors::temporal_average>
            pb;
        pb.conn = bw::io::load_tvb_connectivity(std::string(BRAINWEAVE_TEST_DATA) + "/connectivity/connectivity_76.zip");
        pb.duration = 60.0;
        pb.monitors = {bw::monitors::temporal_average{.period = 1.0}};
        // 3 speeds x 20 couplings: 3 batches of up to 8 lanes per speed, dealt to the ranks in turn
        const auto sets = sw::grid({{"speed", {2.0, 4.0, 8.0}}, {"coupling.a", sw::linspace(0.0, 0.03, 20)}});

        const auto variance = sw::run_mpi(pb, sets, sw::global_variance{.start_point = 20.0}, MPI_COMM_WORLD, {.threads = 1});
        const auto outputs = sw::run_mpi(pb, sets, sw::keep_outputs{}, MPI_COMM_WORLD, {.threads = 2});
        if (variance.values.size() != sets.size() || outputs.values.size() != sets.size()) fail("results missing");
        if (variance.ranks != size || (size > 1 && variance.local_batches == variance.batches)) fail("batches not shared");

        // A summary that fails on one set: every rank must throw, none may hang.
        bool reported = false;
        try {
            sw::run_mpi(pb, sets, [](const sw::set_view& v) {
                if (v.index == 41) throw bw::config_error("set 41 rejected by the summary");
                return 0.0;
            }, MPI_COMM_WORLD);
        } catch (const bw::error& e) {
            reported = std::strstr(e.what(), "set 41 rejected by the summary") != nullptr;
        }
        if (!reported) fail("a failure on one rank was not reported on this rank");

        if (rank == 0) {
            const auto v1 = sw::run(pb, sets, sw::global_variance{.start_point = 20.0}, {.threads = 2});
            const auto o1 = sw::run(pb, sets, sw::keep_outputs{}, {.threads = 1});
            bool same = v1.values == variance.values && v1.batches == variance.batches;
            for (std::size_t s = 0; s < sets.size(); ++s)
                same = same && o1.values[s][0].data == outputs.values[s][0].data &&
                       o1.values[s][0].time == outputs.values[s][0].time &&
                       o1.values[s][0].variables == outputs.values[s][0].variables;
            const bool varied = v1.values.front() != v1.values.back();
            std::printf("%d ranks, %zu sets in %zu batches (%zu on rank 0): %s\n", size, sets.size(), variance.batches,
                        variance.local_batches,
                        same && varied ? "MPI sweep equals the serial sweep" : "MPI sweep DIFFERS from the serial sweep");
            if (!(same && varied)) status = 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "rank %d: %s\n", rank, e.what());
        status = 2;
    }
    int worst = 0;
    MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return worst;
}
