#pragma once
// Conductance-based leaky integrate-and-fire neurons: iaf_cond_exp and iaf_cond_alpha (NEST's
// names, parameters and defaults).
//
//   C_m dV_m/dt = -g_L (V_m - E_L) - g_ex (V_m - E_ex) - g_in (V_m - E_in) + I_e + I_stim
//   exponential conductances: dg/dt = -g/tau_syn, a spike of weight w (nS) adds w;
//   alpha conductances:       g(t) = w (t/tau_syn) e^{1 - t/tau_syn} per spike.
//   spike when V_m > V_th; then V_m = V_reset, held for t_ref.
//
// Numerics: the conductances are propagated exactly; V_m, which they multiply, is integrated by
// the fixed-step `Scheme` (schemes::rk4 by default, schemes::euler available) with the conductances
// evaluated exactly at the scheme's stage times. NEST integrates the same equations with an
// adaptive Runge-Kutta-Fehlberg 4(5) method; at dt = 0.1 ms the fixed RK4 step agrees with it to
// well below a microvolt for NEST's default time constants.
// Defaults (NEST): V_th -55 mV, V_reset -60 mV, t_ref 2 ms, g_L 16.6 nS, C_m 250 pF, E_ex 0 mV,
// E_in -85 mV, E_L -70 mV, tau_syn_ex 0.2 ms, tau_syn_in 2 ms, I_e 0 pA.
#include <brainweave/spiking/neuron_model.hpp>

#include <boost/hana/adapt_struct.hpp>

namespace brainweave::spiking::models {

struct iaf_cond_parameters {
    double V_th = -55.0;      ///< mV
    double V_reset = -60.0;   ///< mV
    double t_ref = 2.0;       ///< ms
    double g_L = 16.6;        ///< leak conductance (nS)
    double C_m = 250.0;       ///< pF
    double E_ex = 0.0;        ///< excitatory reversal potential (mV)
    double E_in = -85.0;      ///< inhibitory reversal potential (mV)
    double E_L = -70.0;       ///< leak reversal potential (mV)
    double tau_syn_ex = 0.2;  ///< ms
    double tau_syn_in = 2.0;  ///< ms
    double I_e = 0.0;         ///< pA
};

template <class Kernel, class Scheme = schemes::rk4>
struct iaf_cond : ex_in_synapses<Kernel, 1> {
    using base = ex_in_synapses<Kernel, 1>;
    static constexpr std::size_t nk = Kernel::n_vars;
    static constexpr std::string_view name = nk == 1 ? "iaf_cond_exp" : "iaf_cond_alpha";
    using parameters = iaf_cond_parameters;
    using state = std::array<double, 1 + 2 * nk>;
    static constexpr auto state_names = base::state_names_with({"V_m"}, {"g_ex", "g_in"}, {"dg_ex", "dg_in"});

    struct propagator {
        parameters p;
        double h;
        typename base::synapses syn;
    };

    static parameters defaults() noexcept { return {}; }
    static propagator prepare(const parameters& p, double dt) {
        for (auto [n, v] : {std::pair{"C_m", p.C_m}, {"g_L", p.g_L}, {"tau_syn_ex", p.tau_syn_ex}, {"tau_syn_in", p.tau_syn_in}})
            detail::require_positive(name, n, v);
        detail::require_nonnegative(name, "t_ref", p.t_ref);
        for (auto [n, v] : {std::pair{"E_L", p.E_L}, {"E_ex", p.E_ex}, {"E_in", p.E_in}, {"V_th", p.V_th},
                            {"V_reset", p.V_reset}, {"I_e", p.I_e}})
            detail::require_finite(name, n, v);
        detail::require_below(name, "V_reset", p.V_reset, "V_th", p.V_th);
        return {p, dt, base::prepare_synapses(dt, p.tau_syn_ex, p.tau_syn_in)};
    }
    static state initial_state(const parameters& p) noexcept {
        state s{};
        s[0] = p.E_L;
        return s;
    }
    static void update(const propagator& q, state& s, bool active, double I) noexcept {
        if (active) {
            const auto& p = q.p;
            std::array<double, 1> y{s[0]};
            Scheme::step(y, q.h, [&](int stage, const std::array<double, 1>& v) {
                const auto [g_ex, g_in] = base::synapses_at(stage, q.syn, s);
                return std::array<double, 1>{
                    (-p.g_L * (v[0] - p.E_L) - g_ex * (v[0] - p.E_ex) - g_in * (v[0] - p.E_in) + p.I_e + I) / p.C_m};
            });
            s[0] = y[0];
        }
        base::advance_synapses(q.syn, s);
    }
    static bool spiking(const propagator& q, const state& s) noexcept { return s[0] > q.p.V_th; }
    static void reset(const propagator& q, state& s) noexcept { s[0] = q.p.V_reset; }
    using base::receptor_scale;
    static double refractory_period(const parameters& p) noexcept { return p.t_ref; }
};

template <class Scheme = schemes::rk4>
using iaf_cond_exp = iaf_cond<exponential_kernel, Scheme>;
template <class Scheme = schemes::rk4>
using iaf_cond_alpha = iaf_cond<alpha_kernel, Scheme>;

}  // namespace brainweave::spiking::models

BOOST_HANA_ADAPT_STRUCT(brainweave::spiking::models::iaf_cond_parameters, V_th, V_reset, t_ref, g_L, C_m, E_ex, E_in,
                        E_L, tau_syn_ex, tau_syn_in, I_e);
