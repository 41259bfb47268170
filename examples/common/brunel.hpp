#pragma once
// Brunel's (2000) sparsely connected network of excitatory and inhibitory integrate-and-fire
// neurons, as NEST's brunel examples: N_E = 4 N_I, each neuron receives C_E = 10 % of N_E
// excitatory and C_I = C_E / 4 inhibitory inputs (fixed in-degree), relative inhibition g = 5,
// external Poisson drive at eta = 2 times the threshold rate, delay 1.5 ms. Neurons are
// iaf_psc_exp with 0.5 ms synapses (J chosen for a 0.1 mV PSP peak). Used by the brunel and
// hybrid_brunel examples.
#include <brainweave/spiking.hpp>

#include <cmath>
#include <cstdint>

namespace examples {

struct brunel_parameters {
    std::size_t n_e, n_i, c_e, c_i;
    brainweave::spiking::models::iaf_psc_parameters neuron;
    double J;            ///< excitatory synaptic current (pA)
    double g = 5.0, eta = 2.0, delay_ms = 1.5;
    double nu_threshold;  ///< Hz
};

inline brunel_parameters brunel(std::size_t n) {
    namespace sp = brainweave::spiking;
    brunel_parameters b{};
    b.n_e = n * 4 / 5;
    b.n_i = n - b.n_e;
    b.c_e = b.n_e / 10;
    b.c_i = b.c_e / 4;
    b.neuron = sp::models::iaf_psc_parameters{.E_L = 0.0, .C_m = 250.0, .tau_m = 20.0, .t_ref = 2.0, .V_th = 20.0, .V_reset = 10.0,
                                              .tau_syn_ex = 0.5, .tau_syn_in = 0.5, .I_e = 0.0};
    // PSP of a current J: J/C tau_m tau_s/(tau_m - tau_s) (e^{-t/tau_m} - e^{-t/tau_s}); peak 0.1 mV.
    const double tm = b.neuron.tau_m, ts = b.neuron.tau_syn_ex, t_peak = tm * ts / (tm - ts) * std::log(tm / ts);
    b.J = 0.1 * b.neuron.C_m / (tm * ts / (tm - ts) * (std::exp(-t_peak / tm) - std::exp(-t_peak / ts)));
    b.g = 5.0;
    b.eta = 2.0;
    b.delay_ms = 1.5;
    b.nu_threshold = b.neuron.V_th / (0.1 * static_cast<double>(b.c_e) * tm) * 1000.0;
    return b;
}

/// Connects populations "E" and "I" of `net` (dt in ms) and adds the external drive.
template <class Network>
void connect_brunel(Network& net, const brunel_parameters& b, std::uint64_t seed = 1) {
    namespace sp = brainweave::spiking;
    for (const char* post : {"E", "I"}) {
        net.connect("E", post, sp::rules::fixed_indegree{b.c_e}, {.weight = {b.J}, .delay = {b.delay_ms}}, seed++);
        net.connect("I", post, sp::rules::fixed_indegree{b.c_i}, {.weight = {-b.g * b.J}, .delay = {b.delay_ms}, .receptor = "in"}, seed++);
        net.add(sp::poisson_input{.target = post, .n_sources = static_cast<double>(b.c_e), .rate = b.eta * b.nu_threshold,
                                  .weight = b.J, .seed = seed++});
    }
}

}  // namespace examples
