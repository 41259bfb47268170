#pragma once
// Leaky integrate-and-fire neurons with current-based synapses: iaf_psc_exp and iaf_psc_alpha
// (NEST's names, parameters and defaults).
//
//   C_m dV_m/dt = -(C_m/tau_m) (V_m - E_L) + I_syn_ex + I_syn_in + I_e + I_stim
//   exponential kernels: dI_syn/dt = -I_syn/tau_syn; a spike of weight w (pA): I_syn += w
//   alpha kernels:       I_syn(t) = w (t/tau_syn) e^{1 - t/tau_syn} (peak w at t = tau_syn)
//   spike when V_m > V_th; then V_m = V_reset and V_m is held for t_ref (the currents go on).
//
// Integration is exact (the equations are linear): V_m(t+h) = E_L + (V_m - E_L) e^{-h/tau_m}
// + sum over kernel variables of their exact response (membrane_response) + (I_e + I_stim) tau_m/C_m
// (1 - e^{-h/tau_m}), with I_stim held constant over the step, as NEST does (Rotter & Diesmann
// 1999). Defaults (NEST): E_L -70 mV, C_m 250 pF, tau_m 10 ms, t_ref 2 ms, V_th -55 mV,
// V_reset -70 mV, tau_syn_ex = tau_syn_in = 2 ms (0.5 ms for iaf_psc_alpha), I_e 0 pA.
//
// A model of Brian 2's form `dv/dt = (E_L - v + R I)/tau_m` is this model with C_m = tau_m / R; a
// model whose synaptic variables are voltages (`dv/dt = (ge + gi - (v - E_L))/tau_m`, Brian's
// CUBA example) is this model with C_m = tau_m (R = 1).
#include <brainweave/spiking/neuron_model.hpp>

#include <boost/hana/adapt_struct.hpp>

namespace brainweave::spiking::models {

struct iaf_psc_parameters {
    double E_L = -70.0;       ///< resting potential (mV)
    double C_m = 250.0;       ///< membrane capacitance (pF)
    double tau_m = 10.0;      ///< membrane time constant (ms)
    double t_ref = 2.0;       ///< refractory period (ms)
    double V_th = -55.0;      ///< spike threshold (mV)
    double V_reset = -70.0;   ///< reset potential (mV)
    double tau_syn_ex = 2.0;  ///< excitatory synaptic time constant (ms)
    double tau_syn_in = 2.0;  ///< inhibitory synaptic time constant (ms)
    double I_e = 0.0;         ///< constant input current (pA)
};

template <class Kernel>
struct iaf_psc : ex_in_synapses<Kernel, 1> {
    using base = ex_in_synapses<Kernel, 1>;
    static constexpr std::size_t nk = Kernel::n_vars;
    static constexpr std::string_view name = nk == 1 ? "iaf_psc_exp" : "iaf_psc_alpha";
    using parameters = iaf_psc_parameters;
    using state = std::array<double, 1 + 2 * nk>;
    static constexpr auto state_names =
        base::state_names_with({"V_m"}, {"I_syn_ex", "I_syn_in"}, {"dI_syn_ex", "dI_syn_in"});

    struct propagator {
        double E_L, V_th, V_reset, I_e, P22, P20;
        std::array<double, nk> P_ex, P_in;
        typename base::synapses syn;
    };

    static propagator prepare(const parameters& p, double dt) {
        for (auto [n, v] : {std::pair{"C_m", p.C_m}, {"tau_m", p.tau_m}, {"tau_syn_ex", p.tau_syn_ex},
                            {"tau_syn_in", p.tau_syn_in}})
            detail::require_positive(name, n, v);
        detail::require_nonnegative(name, "t_ref", p.t_ref);
        for (auto [n, v] : {std::pair{"E_L", p.E_L}, {"V_th", p.V_th}, {"V_reset", p.V_reset}, {"I_e", p.I_e}})
            detail::require_finite(name, n, v);
        detail::require_below(name, "V_reset", p.V_reset, "V_th", p.V_th);
        propagator q{};
        q.E_L = p.E_L;
        q.V_th = p.V_th;
        q.V_reset = p.V_reset;
        q.I_e = p.I_e;
        q.P22 = std::exp(-dt / p.tau_m);
        q.P20 = membrane_response::constant(dt, p.tau_m, p.C_m);
        q.P_ex = Kernel::membrane_coefficients(dt, p.tau_m, p.tau_syn_ex, p.C_m);
        q.P_in = Kernel::membrane_coefficients(dt, p.tau_m, p.tau_syn_in, p.C_m);
        q.syn = base::prepare_synapses(dt, p.tau_syn_ex, p.tau_syn_in);
        return q;
    }
    /// NEST's defaults (iaf_psc_alpha differs from iaf_psc_exp only in its 0.5 ms synaptic time constants).
    static parameters defaults() noexcept {
        parameters p;
        if constexpr (nk == 2) p.tau_syn_ex = p.tau_syn_in = 0.5;
        return p;
    }
    static state initial_state(const parameters& p) noexcept {
        state s{};
        s[0] = p.E_L;
        return s;
    }
    static void update(const propagator& q, state& s, bool active, double I) noexcept {
        double v = q.E_L + (s[0] - q.E_L) * q.P22;
        for (std::size_t k = 0; k < nk; ++k) v += q.P_ex[k] * s[1 + k] + q.P_in[k] * s[1 + nk + k];
        v += (q.I_e + I) * q.P20;
        s[0] = active ? v : s[0];
        base::advance_synapses(q.syn, s);
    }
    static bool spiking(const propagator& q, const state& s) noexcept { return s[0] > q.V_th; }
    static void reset(const propagator& q, state& s) noexcept { s[0] = q.V_reset; }
    using base::receptor_scale;
    static double refractory_period(const parameters& p) noexcept { return p.t_ref; }
};

using iaf_psc_exp = iaf_psc<exponential_kernel>;
using iaf_psc_alpha = iaf_psc<alpha_kernel>;


}  // namespace brainweave::spiking::models

BOOST_HANA_ADAPT_STRUCT(brainweave::spiking::models::iaf_psc_parameters, E_L, C_m, tau_m, t_ref, V_th, V_reset,
                        tau_syn_ex, tau_syn_in, I_e);
