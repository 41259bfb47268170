#pragma once
// Adaptive exponential integrate-and-fire neurons (Brette & Gerstner 2005) with conductance-based
// synapses: aeif_cond_exp and aeif_cond_alpha (NEST's names, parameters and defaults).
//
//   C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th)/Delta_T) - g_ex (V - E_ex)
//               - g_in (V - E_in) - w + I_e + I_stim
//   tau_w dw/dt = a (V - E_L) - w
//   spike when V > V_peak; then V = V_reset, w += b; V is held at V_reset for t_ref.
//
// Numerics: conductances exact; (V, w) by the fixed-step `Scheme` (schemes::rk4 by default;
// schemes::euler is Brian 2's `euler`, used to replay Brian's AdEx case). As in NEST, V is capped at
// V_peak in the right-hand side, so that a Runge-Kutta stage that overshoots V_peak during the
// upswing cannot blow up V or w (with the cap only in the exponential, a stage at V ~ 1e9 mV drove
// w to ~1e6 pA and silenced the neuron). NEST uses an adaptive
// RKF45 step; use a small dt (NEST's examples use 0.1 ms, Brian's AdEx example 0.01 ms) since
// the upswing before a spike is fast.
// Defaults (NEST): C_m 281 pF, g_L 30 nS, E_L -70.6 mV, V_th -50.4 mV, Delta_T 2 mV, tau_w 144 ms,
// a 4 nS, b 80.5 pA, V_peak 0 mV, V_reset -60 mV, t_ref 0 ms, E_ex 0 mV, E_in -85 mV,
// tau_syn_ex 0.2 ms, tau_syn_in 2 ms, I_e 0 pA.
#include <brainweave/spiking/neuron_model.hpp>

#include <algorithm>

#include <boost/hana/adapt_struct.hpp>

namespace brainweave::spiking::models {

struct aeif_cond_parameters {
    double C_m = 281.0;       ///< pF
    double g_L = 30.0;        ///< nS
    double E_L = -70.6;       ///< mV
    double V_th = -50.4;      ///< spike initiation threshold of the exponential term (mV)
    double Delta_T = 2.0;     ///< slope factor (mV)
    double tau_w = 144.0;     ///< adaptation time constant (ms)
    double a = 4.0;           ///< subthreshold adaptation (nS)
    double b = 80.5;          ///< spike-triggered adaptation (pA)
    double V_peak = 0.0;      ///< spike detection threshold (mV)
    double V_reset = -60.0;   ///< mV
    double t_ref = 0.0;       ///< ms
    double E_ex = 0.0;        ///< mV
    double E_in = -85.0;      ///< mV
    double tau_syn_ex = 0.2;  ///< ms
    double tau_syn_in = 2.0;  ///< ms
    double I_e = 0.0;         ///< pA
};

template <class Kernel, class Scheme = schemes::rk4>
struct aeif_cond : ex_in_synapses<Kernel, 2> {
    using base = ex_in_synapses<Kernel, 2>;
    static constexpr std::size_t nk = Kernel::n_vars;
    static constexpr std::string_view name = nk == 1 ? "aeif_cond_exp" : "aeif_cond_alpha";
    using parameters = aeif_cond_parameters;
    using state = std::array<double, 2 + 2 * nk>;
    static constexpr auto state_names = base::state_names_with({"V_m", "w"}, {"g_ex", "g_in"}, {"dg_ex", "dg_in"});

    struct propagator {
        parameters p;
        double h;
        typename base::synapses syn;
    };

    static parameters defaults() noexcept { return {}; }
    static propagator prepare(const parameters& p, double dt) {
        for (auto [n, v] : {std::pair{"C_m", p.C_m}, {"g_L", p.g_L}, {"Delta_T", p.Delta_T}, {"tau_w", p.tau_w},
                            {"tau_syn_ex", p.tau_syn_ex}, {"tau_syn_in", p.tau_syn_in}})
            detail::require_positive(name, n, v);
        detail::require_nonnegative(name, "t_ref", p.t_ref);
        for (auto [n, v] : {std::pair{"E_L", p.E_L}, {"V_th", p.V_th}, {"a", p.a}, {"b", p.b}, {"V_peak", p.V_peak},
                            {"V_reset", p.V_reset}, {"E_ex", p.E_ex}, {"E_in", p.E_in}, {"I_e", p.I_e}})
            detail::require_finite(name, n, v);
        detail::require_below(name, "V_reset", p.V_reset, "V_peak", p.V_peak);
        detail::require_below(name, "V_th", p.V_th, "V_peak", p.V_peak);
        return {p, dt, base::prepare_synapses(dt, p.tau_syn_ex, p.tau_syn_in)};
    }
    static state initial_state(const parameters& p) noexcept {
        state s{};
        s[0] = p.E_L;
        return s;
    }
    static void update(const propagator& q, state& s, bool active, double I) noexcept {
        const auto& p = q.p;
        std::array<double, 2> y{s[0], s[1]};
        Scheme::step(y, q.h, [&](int stage, const std::array<double, 2>& v) {
            const auto [g_ex, g_in] = base::synapses_at(stage, q.syn, s);
            const double V = std::min(v[0], p.V_peak);  // every term, as NEST: stages past V_peak stay bounded
            const double spike_current = p.g_L * p.Delta_T * std::exp((V - p.V_th) / p.Delta_T);
            const double dV = (-p.g_L * (V - p.E_L) + spike_current - g_ex * (V - p.E_ex) - g_in * (V - p.E_in) - v[1] +
                               p.I_e + I) / p.C_m;
            return std::array<double, 2>{active ? dV : 0.0, (p.a * (V - p.E_L) - v[1]) / p.tau_w};
        });
        s[0] = y[0];
        s[1] = y[1];
        base::advance_synapses(q.syn, s);
    }
    static bool spiking(const propagator& q, const state& s) noexcept { return s[0] > q.p.V_peak; }
    static void reset(const propagator& q, state& s) noexcept {
        s[0] = q.p.V_reset;
        s[1] += q.p.b;
    }
    using base::receptor_scale;
    static double refractory_period(const parameters& p) noexcept { return p.t_ref; }
};

template <class Scheme = schemes::rk4>
using aeif_cond_exp = aeif_cond<exponential_kernel, Scheme>;
template <class Scheme = schemes::rk4>
using aeif_cond_alpha = aeif_cond<alpha_kernel, Scheme>;

}  // namespace brainweave::spiking::models

BOOST_HANA_ADAPT_STRUCT(brainweave::spiking::models::aeif_cond_parameters, C_m, g_L, E_L, V_th, Delta_T, tau_w, a, b,
                        V_peak, V_reset, t_ref, E_ex, E_in, tau_syn_ex, tau_syn_in, I_e);
