// Co-simulation benchmark: the flagship model (examples/multiscale: 76 ReducedWongWangExcInh
// regions, two of them spiking E/I networks of 1000 iaf_cond_alpha neurons) against its parts,
// measured in the same run:
//   baseline: the two spiking networks alone for the same time, with the region input held at
//             the rate it has in the co-simulation's low state (what the spiking side costs);
//   the region simulation alone (76 regions, no proxies);
//   the co-simulation with T_sync = the shortest proxy delay (5.5 ms) and with T_sync = dt.
// The ratio co-simulation / (spiking + regions) is the cost of the coupling itself.
//
//   bench_cosim [repetitions] [simulated ms]
#include "../examples/multiscale/multiscale_model.hpp"
#include "timing.hpp"

#include <cstdio>
#include <cstdlib>

using namespace flagship;

int main(int argc, char** argv) {
    if (argc > 1) bench::reps = std::max(1, std::atoi(argv[1]));
    settings s;
    if (argc > 2) s.duration = std::atof(argv[2]);
    std::array<std::size_t, 2> proxies{};
    const auto conn = load_connectome(BRAINWEAVE_BENCH_DATA "/connectivity/connectivity_76.zip", s, proxies);
    std::printf("co-simulation benchmark: flagship model, %g ms simulated, median of %d, dt = %g ms\n\n", s.duration,
                bench::reps, s.dt);
    std::printf("| run | threads | median s | s per simulated s | time / (spiking + regions) |\n|---|---:|---:|---:|---:|\n");
    for (std::size_t threads : {1, 2}) {
        s.threads = threads;
        const double spiking = bench::median_seconds([&] {
            auto net = make_network(s);
            auto side = make_side(net, s, proxies);  // the same inputs, at a fixed rate
            for (std::size_t h = 4; h < 8; ++h) net.set_rate({h}, rate_per_coupling * 0.025);
            net.run(s.duration);
        });
        const double regions = bench::median_seconds([&] {
            auto sim = make_region_sim(conn, s);
            sim.run(s.duration);
        });
        auto cosim = [&](double t_sync) {
            return bench::median_seconds([&] {
                auto sim = make_region_sim(conn, s);
                auto net = make_network(s);
                auto side = make_side(net, s, proxies);
                bw::cosim::cosimulator co(sim, side, t_sync);
                co.run(s.duration);
            });
        };
        const double longest = cosim(bw::cosim::longest_sync), one_step = cosim(s.dt);
        const double parts = spiking + regions, per = 1000.0 / s.duration;
        std::printf("| spiking networks alone (baseline) | %zu | %.3f | %.3f | %.2f |\n", threads, spiking, spiking * per,
                    spiking / parts);
        std::printf("| region simulation alone | 1 | %.3f | %.3f | %.2f |\n", regions, regions * per, regions / parts);
        std::printf("| co-simulation, T_sync = shortest delay | %zu | %.3f | %.3f | %.2f |\n", threads, longest,
                    longest * per, longest / parts);
        std::printf("| co-simulation, T_sync = dt | %zu | %.3f | %.3f | %.2f |\n", threads, one_step, one_step * per,
                    one_step / parts);
    }
    std::printf("\npeak memory %.0f MiB\n", bench::peak_rss_mib());
    return 0;
}
