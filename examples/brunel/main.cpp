// Brunel's (2000) sparsely connected network of excitatory and inhibitory integrate-and-fire
// neurons, as NEST's brunel examples: N_E = 4 N_I, each neuron receives C_E = 10 % of N_E
// excitatory and C_I = C_E / 4 inhibitory inputs (fixed in-degree), relative inhibition g = 5,
// external Poisson drive at eta = 2 times the threshold rate, delay 1.5 ms. Neurons are
// iaf_psc_exp with 0.5 ms synapses (J chosen for a 0.1 mV PSP peak).
//
//   example_brunel [output folder] [duration ms] [N] [threads]
//
// Writes <output>/spike_i.npy, spike_t.npy (s) for the excitatory population and prints rates,
// irregularity and synchrony, and the network's memory per synapse.
#include <brainweave/analysis/spike_statistics.hpp>
#include <brainweave/io/spike_files.hpp>
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
    const std::size_t n_e = n * 4 / 5, n_i = n - n_e, c_e = n_e / 10, c_i = c_e / 4;

    sp::models::iaf_psc_parameters p{.E_L = 0.0, .C_m = 250.0, .tau_m = 20.0, .t_ref = 2.0, .V_th = 20.0, .V_reset = 10.0,
                                     .tau_syn_ex = 0.5, .tau_syn_in = 0.5, .I_e = 0.0};
    // PSP of a current J: J/C tau_m tau_s/(tau_m - tau_s) (e^{-t/tau_m} - e^{-t/tau_s}); peak 0.1 mV.
    const double tm = p.tau_m, ts = p.tau_syn_ex, t_peak = tm * ts / (tm - ts) * std::log(tm / ts);
    const double J = 0.1 * p.C_m / (tm * ts / (tm - ts) * (std::exp(-t_peak / tm) - std::exp(-t_peak / ts)));
    const double g = 5.0, eta = 2.0;
    const double nu_threshold = p.V_th / (0.1 * static_cast<double>(c_e) * tm) * 1000.0;  // Hz

    using lif = sp::population<sp::models::iaf_psc_exp>;
    sp::network net(0.1, lif("E", n_e, p), lif("I", n_i, p));
    net.set_threads(threads);  // 0: all hardware threads; results do not depend on it
    const auto t0 = std::chrono::steady_clock::now();
    std::uint64_t seed = 1;
    for (const char* post : {"E", "I"}) {
        net.connect("E", post, sp::rules::fixed_indegree{c_e}, {.weight = {J}, .delay = {1.5}}, seed++);
        net.connect("I", post, sp::rules::fixed_indegree{c_i}, {.weight = {-g * J}, .delay = {1.5}, .receptor = "in"}, seed++);
        net.add(sp::poisson_input{.target = post, .n_sources = static_cast<double>(c_e), .rate = eta * nu_threshold,
                                  .weight = J, .seed = seed++});
    }
    auto& se = net.record_spikes("E");
    auto& si = net.record_spikes("I");
    const double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto t1 = std::chrono::steady_clock::now();
    net.run(duration);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();

    const auto t_s = se.times(net.dt() / 1000.0);
    bw::io::save_spikes_npy(out, se.senders(), t_s);
    const double T = duration / 1000.0;
    const std::vector<std::int32_t> who(se.senders().begin(), se.senders().end());
    const auto mem = net.memory();
    std::printf("Brunel network: %zu neurons (%zu E, %zu I), %zu synapses, %.2f bytes/synapse, built in %.2f s\n", n, n_e, n_i,
                mem.synapses, mem.bytes_per_synapse(), build);
    std::printf("  %.0f ms simulated in %.2f s on %zu thread(s)\n", duration, wall, net.threads());
    std::printf("  rate: excitatory %.2f Hz, inhibitory %.2f Hz (external drive %.1f Hz per source)\n",
                static_cast<double>(se.size()) / static_cast<double>(n_e) / T,
                static_cast<double>(si.size()) / static_cast<double>(n_i) / T, eta * nu_threshold);
    std::printf("  excitatory mean CV of ISI %.2f, Fano factor of the population count (10 ms bins) %.2f\n",
                bw::analysis::mean_cv_isi(who, t_s, n_e), T >= 0.01 ? bw::analysis::fano_factor(t_s, 0.0, T, 0.01) : 0.0);
    std::printf("  excitatory spikes written to %s (spike_i.npy, spike_t.npy)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_brunel: %s\n", e.what());
    return 1;
}
