// The flagship multiscale model over MPI: rank 0 integrates the 76 regions, rank 1 simulates the
// two spiking regions; they exchange data once per synchronization window (cosim/mpi.hpp).
//
//   mpirun -np 2 example_multiscale_mpi [connectivity.zip] [output folder] [duration ms]
//                                       [neurons per region] [--check]
//
// --check: rank 0 then runs the same model in one process and compares: the region time series
// and the spike counts must be identical.
#include "multiscale_model.hpp"

#include <brainweave/cosim/mpi.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace {
using namespace flagship;

std::array<std::int64_t, 4> spike_counts(const std::array<const sp::spike_recorder*, 4>& rec) {
    return {static_cast<std::int64_t>(rec[0]->size()), static_cast<std::int64_t>(rec[1]->size()),
            static_cast<std::int64_t>(rec[2]->size()), static_cast<std::int64_t>(rec[3]->size())};
}
template <class Net>
std::array<const sp::spike_recorder*, 4> record(Net& net, const settings& s) {
    return {&net.record_spikes(exc_name(s, 0)), &net.record_spikes(inh_name(s, 0)), &net.record_spikes(exc_name(s, 1)),
            &net.record_spikes(inh_name(s, 1))};
}

int run(int rank, int argc, char** argv) {
    settings s;
    s.threads = 1;  // one core per rank
    bool check = false;
    std::vector<std::string> pos;
    for (int k = 1; k < argc; ++k) {
        if (std::strcmp(argv[k], "--check") == 0)
            check = true;
        else
            pos.emplace_back(argv[k]);
    }
    const std::string connectome = pos.size() > 0 ? pos[0] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = pos.size() > 1 ? pos[1] : "multiscale_mpi_output";
    if (pos.size() > 2) s.duration = std::atof(pos[2].c_str());
    if (pos.size() > 3) {
        const auto n = static_cast<std::size_t>(std::atof(pos[3].c_str()));
        s.n_exc = n * 4 / 5;
        s.n_inh = n - s.n_exc;
    }
    std::array<std::size_t, 2> proxies{};
    const auto conn = load_connectome(connectome, s, proxies);

    if (rank == 1) {  // the spiking side
        auto net = make_network(s);
        auto side = make_side(net, s, proxies);
        const auto rec = record(net, s);
        bw::cosim::mpi::serve(side, MPI_COMM_WORLD, 0);
        const auto counts = spike_counts(rec);
        MPI_Send(counts.data(), 4, MPI_INT64_T, 0, 1, MPI_COMM_WORLD);
        return 0;
    }

    auto sim = make_region_sim(conn, s);
    bw::cosim::mpi::remote_side side(MPI_COMM_WORLD, 1);
    bw::cosim::cosimulator co(sim, side, s.t_sync);
    std::printf("rank 0: %zu regions; rank 1: spiking %s and %s; T_sync = %.1f ms\n", conn.n_regions(),
                s.spiking_regions[0].c_str(), s.spiking_regions[1].c_str(), static_cast<double>(co.window()) * s.dt);
    co.run(s.duration);
    co.finish();
    std::array<std::int64_t, 4> remote{};
    MPI_Recv(remote.data(), 4, MPI_INT64_T, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::filesystem::create_directories(out);
    sim.output<0>().save_npy(out, "region_tavg");
    std::printf("spikes on rank 1: %lld %lld %lld %lld; region outputs in %s/\n", static_cast<long long>(remote[0]),
                static_cast<long long>(remote[1]), static_cast<long long>(remote[2]), static_cast<long long>(remote[3]),
                out.string().c_str());
    if (!check) return 0;

    auto sim1 = make_region_sim(conn, s);
    auto net1 = make_network(s);
    auto side1 = make_side(net1, s, proxies);
    const auto rec1 = record(net1, s);
    bw::cosim::cosimulator co1(sim1, side1, s.t_sync);
    co1.run(s.duration);
    const auto local = spike_counts(rec1);
    const auto& a = sim.output<0>().data;
    const auto& b = sim1.output<0>().data;
    std::size_t differ = a.size() == b.size() ? 0 : 1;
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) differ += a[k] != b[k];
    const bool same = differ == 0 && local == remote;
    std::printf("single process: spikes %lld %lld %lld %lld; region samples differing: %zu of %zu -> %s\n",
                static_cast<long long>(local[0]), static_cast<long long>(local[1]), static_cast<long long>(local[2]),
                static_cast<long long>(local[3]), differ, a.size(),
                same ? "MPI run equals the single-process run" : "MISMATCH");
    std::fflush(stdout);
    return same ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int rc = 0;
    try {
        if (size != 2) throw brainweave::config_error("run with exactly 2 MPI ranks (mpirun -np 2), got " + std::to_string(size));
        rc = run(rank, argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "example_multiscale_mpi (rank %d): %s\n", rank, e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return rc;
}
