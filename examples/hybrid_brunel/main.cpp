// hybridLFPy's Brunel example in brainweave: a Brunel network (examples/common/brunel.hpp) of
// point neurons drives two populations of passive ball-and-stick cells whose transmembrane
// currents give the laminar LFP and CSD of the column (examples/common/hybrid_column.hpp states
// the cells, their placement and synapses, and the probe, as hybridLFPy's example has them).
// Then the same signals by the kernel method, with the distance between the two.
//
//   example_hybrid_brunel [output folder] [duration ms] [network N] [EX cells] [threads]
//
// Writes lfp.npy, csd.npy (per-cell method, total), lfp_kernel.npy, csd_kernel.npy, t.npy and
// hybrid_brunel.svg (LFP traces and CSD colour map of both methods, and a raster).
#include "../common/brunel.hpp"
#include "../common/hybrid_column.hpp"
#include "../common/laminar_figure.hpp"

#include <brainweave/io/npy.hpp>
#include <brainweave/lfp.hpp>
#include <brainweave/plot/spiking.hpp>
#include <brainweave/spiking.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace bw = brainweave;
namespace sp = bw::spiking;
namespace hy = bw::hybrid;

namespace {


}  // namespace

int main(int argc, char** argv) try {
    const std::filesystem::path out = argc > 1 ? argv[1] : "hybrid_brunel_output";
    const double duration = argc > 2 ? std::atof(argv[2]) : 1000.0;
    const std::size_t n = argc > 3 ? static_cast<std::size_t>(std::atoll(argv[3])) : 12500;
    const std::size_t n_ex_cells = argc > 4 ? static_cast<std::size_t>(std::atoll(argv[4])) : 400;
    std::size_t threads = argc > 5 ? static_cast<std::size_t>(std::atoll(argv[5])) : 0;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    if (!(duration > 0) || n < 50 || n_ex_cells < 4) throw bw::config_error("need duration > 0, N >= 50 and at least 4 EX cells");
    std::filesystem::create_directories(out);

    // The network.
    const auto b = examples::brunel(n);
    using lif = sp::population<sp::models::iaf_psc_exp>;
    sp::network net(0.1, lif("E", b.n_e, b.neuron), lif("I", b.n_i, b.neuron));
    net.set_threads(threads);
    examples::connect_brunel(net, b);
    auto& se = net.record_spikes("E");
    auto& si = net.record_spikes("I");
    auto t0 = std::chrono::steady_clock::now();
    net.run(duration);
    const double t_network = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::vector<hy::spike_trains> input{hy::spike_trains::from_pairs(se.senders(), se.times(net.dt()), b.n_e),
                                              hy::spike_trains::from_pairs(si.senders(), si.times(net.dt()), b.n_i)};

    // The cell populations and the probe.
    const auto column = examples::brunel_column(b, n_ex_cells);
    const auto& depth = column.depth;
    t0 = std::chrono::steady_clock::now();
    const hy::hybrid_scheme model(column.layers, {b.n_e, b.n_i}, column.populations, column.probe, net.dt(), 2024);
    const double t_build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t n_syn = 0, n_cells = 0;
    for (const auto& pp : model.populations()) {
        n_cells += pp.cells.size();
        for (const auto& c : pp.cells) n_syn += c.synapses.size();
    }

    // Per-cell method and kernel method.
    const auto full = model.run(input, duration, threads);
    const auto ks = model.kernels(100.0, threads);
    const auto approx = model.run_kernels(ks, input, duration);
    auto distance = [](const Eigen::MatrixXd& a, const Eigen::MatrixXd& ref) { return (a - ref).norm() / ref.norm(); };
    auto correlation = [](const Eigen::MatrixXd& a, const Eigen::MatrixXd& b2) {
        const Eigen::ArrayXXd x = a.array() - a.mean(), y = b2.array() - b2.mean();
        return (x * y).sum() / std::sqrt((x * x).sum() * (y * y).sum());
    };

    examples::save_laminar(out, full, approx);

    bw::plot::figure fig(1000, 1300);
    fig.title("Brunel network -> ball-and-stick populations: laminar LFP and CSD");
    const double t_from = std::max(0.0, duration - 200.0);
    const auto e_times = se.times(net.dt()), i_times = si.times(net.dt());
    const std::vector<bw::plot::spike_group> groups{{"E", se.senders(), e_times, b.n_e, "", 200}, {"I", si.senders(), i_times, b.n_i, "", 50}};
    bw::plot::raster(fig.add_panel(0.8), groups, t_from, duration).title("network: the first 200 E and 50 I neurons").xlabel("time (ms)");
    examples::add_laminar_panels(fig, full, "per-cell method", depth, t_from, 45.0);
    examples::add_laminar_panels(fig, approx, "kernel method", depth, t_from, 45.0);
    fig.save(out / "hybrid_brunel.svg");

    std::printf("Brunel network: %zu neurons, %.0f ms in %.2f s (rates E %.1f Hz, I %.1f Hz)\n", n, duration, t_network,
                static_cast<double>(se.size()) / static_cast<double>(b.n_e) / (duration / 1000),
                static_cast<double>(si.size()) / static_cast<double>(b.n_i) / (duration / 1000));
    std::printf("hybrid scheme: %zu cells (EX %zu, IN %zu), %zu synapses, built in %.2f s\n", n_cells, column.populations[0].size, column.populations[1].size, n_syn, t_build);
    std::printf("  per-cell method: %.2f s on %zu threads (%.2f x the network simulation)\n", full.wall_seconds, threads,
                full.wall_seconds / t_network);
    std::printf("  kernel method:   kernels %.2f s + convolution %.2f s (%.2f x the network simulation)\n", ks.wall_seconds,
                approx.wall_seconds, (ks.wall_seconds + approx.wall_seconds) / t_network);
    std::printf("  kernel vs per-cell: LFP relative distance %.3f, correlation %.4f; CSD relative distance %.3f, correlation %.4f\n",
                distance(approx.total.lfp, full.total.lfp), correlation(approx.total.lfp, full.total.lfp),
                distance(approx.total.csd, full.total.csd), correlation(approx.total.csd, full.total.csd));
    std::printf("  written to %s (lfp.npy, csd.npy, lfp_kernel.npy, csd_kernel.npy, t.npy, hybrid_brunel.svg)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_hybrid_brunel: %s\n", e.what());
    return 1;
}
