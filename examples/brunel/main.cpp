// Brunel's (2000) sparsely connected network of excitatory and inhibitory integrate-and-fire
// neurons (examples/common/brunel.hpp states the model).
//
//   example_brunel [output folder] [duration ms] [N] [threads]
//
// Writes <output>/spike_i.npy, spike_t.npy (s) for the excitatory population, brunel.svg (the
// quick figure plot(spike_recorder) draws, with the population rates added) and
// brunel_synapses.svg (synapses per pair among the first 100 neurons), and prints rates,
// irregularity and synchrony, and the network's memory per synapse.
#include "../common/brunel.hpp"

#include <brainweave/analysis/spike_statistics.hpp>
#include <brainweave/io/spike_files.hpp>
#include <brainweave/plot/plot.hpp>
#include <brainweave/spiking.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace bw = brainweave;
namespace sp = bw::spiking;

int main(int argc, char** argv) try {
    const std::filesystem::path out = argc > 1 ? argv[1] : "brunel_output";
    const double duration = argc > 2 ? std::atof(argv[2]) : 1000.0;
    const std::size_t n = argc > 3 ? static_cast<std::size_t>(std::atoll(argv[3])) : 12500;
    const std::size_t threads = argc > 4 ? static_cast<std::size_t>(std::atoll(argv[4])) : 0;
    const auto b = examples::brunel(n);
    const std::size_t n_e = b.n_e, n_i = b.n_i;

    using lif = sp::population<sp::models::iaf_psc_exp>;
    sp::network net(0.1, lif("E", n_e, b.neuron), lif("I", n_i, b.neuron));
    net.set_threads(threads);  // 0: all hardware threads; results do not depend on it
    const auto t0 = std::chrono::steady_clock::now();
    examples::connect_brunel(net, b);
    auto& se = net.record_spikes("E");
    auto& si = net.record_spikes("I");
    const double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto t1 = std::chrono::steady_clock::now();
    net.run(duration);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();

    const auto t_s = se.times(net.dt() / 1000.0);
    bw::io::save_spikes_npy(out, se.senders(), t_s);
    const double T = duration / 1000.0;
    auto fig = bw::plot::plot(se, net.dt(), n_e, 500);  // a quick raster: time in ms
    fig.size(900, 650).title("Brunel network, " + std::to_string(n) + " neurons");
    auto& rate = fig.add_panel(0.7).title("population rates (flat window, 5 ms)").xlabel("time (s)");
    bw::plot::population_rate(rate, t_s, n_e, 0.0, T, 1e-4, bw::plot::smoothing::flat, 5e-3, "", "E");
    bw::plot::population_rate(rate, si.times(net.dt() / 1000.0), n_i, 0.0, T, 1e-4, bw::plot::smoothing::flat, 5e-3, "", "I");
    fig.save(out / "brunel.svg");
    // The E -> E synapses among the first 100 neurons: fixed in-degree draws with multapses, so
    // the matrix shows the number of synapses per pair.
    const auto ee = bw::plot::synapses_of(net.projections()[0]);
    bw::plot::synapse_table block;
    for (std::size_t k = 0; k < ee.sources.size(); ++k)
        if (ee.sources[k] < 100 && ee.targets[k] < 100) block.sources.push_back(ee.sources[k]), block.targets.push_back(ee.targets[k]);
    bw::plot::figure syn(700, 640);
    bw::plot::synapses(syn.add_panel(), block.sources, block.targets).title("E -> E among the first 100 neurons (fixed in-degree, multapses)");
    syn.save(out / "brunel_synapses.svg");
    const std::vector<std::int32_t> who(se.senders().begin(), se.senders().end());
    const auto mem = net.memory();
    std::printf("Brunel network: %zu neurons (%zu E, %zu I), %zu synapses, %.2f bytes/synapse, built in %.2f s\n", n, n_e, n_i,
                mem.synapses, mem.bytes_per_synapse(), build);
    std::printf("  %.0f ms simulated in %.2f s on %zu thread(s)\n", duration, wall, net.threads());
    std::printf("  rate: excitatory %.2f Hz, inhibitory %.2f Hz (external drive %.1f Hz per source)\n",
                static_cast<double>(se.size()) / static_cast<double>(n_e) / T,
                static_cast<double>(si.size()) / static_cast<double>(n_i) / T, b.eta * b.nu_threshold);
    std::printf("  excitatory mean CV of ISI %.2f, Fano factor of the population count (10 ms bins) %.2f\n",
                bw::analysis::mean_cv_isi(who, t_s, n_e), T >= 0.01 ? bw::analysis::fano_factor(t_s, 0.0, T, 0.01) : 0.0);
    std::printf("  excitatory spikes written to %s (spike_i.npy, spike_t.npy, brunel.svg, brunel_synapses.svg)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_brunel: %s\n", e.what());
    return 1;
}
