#pragma once
// Izhikevich (2003) simple model, as NEST's `izhikevich`:
//
//   dV_m/dt = 0.04 V_m^2 + 5 V_m + 140 - U_m + I_e + I_stim
//   dU_m/dt = a (b V_m - U_m)
//   spike when V_m >= V_th (30 mV); then V_m = c, U_m += d.
//
// Units are fixed by the equation's constants: mV and ms, currents in mV/ms. Synaptic input is a
// voltage jump (receptor "V_m": a spike of weight w adds w mV to V_m). Numerics: forward Euler with
// both variables advanced from the old values (NEST's `consistent_integration`). No refractory
// period. Defaults (NEST): a 0.02, b 0.2, c -65 mV, d 8, I_e 0, V_th 30 mV; initial V_m -65 mV,
// U_m = b V_m.
//
// Difference from NEST: input spikes are added after the update and threshold of their step
// (brainweave's schedule, spiking/network.hpp); NEST adds them inside the update.
#include <brainweave/spiking/neuron_model.hpp>

#include <boost/hana/adapt_struct.hpp>

namespace brainweave::spiking::models {

struct izhikevich_parameters {
    double a = 0.02;
    double b = 0.2;
    double c = -65.0;   ///< reset potential (mV)
    double d = 8.0;     ///< reset increment of U_m
    double I_e = 0.0;   ///< constant input (mV/ms)
    double V_th = 30.0; ///< spike cut-off (mV)
};

struct izhikevich {
    static constexpr std::string_view name = "izhikevich";
    using parameters = izhikevich_parameters;
    using state = std::array<double, 2>;
    static constexpr std::array<std::string_view, 2> state_names{"V_m", "U_m"};
    static constexpr std::array<std::string_view, 1> receptor_names{"V_m"};
    static constexpr std::array<std::size_t, 1> receptor_variable{0};
    struct propagator {
        parameters p;
        double h;
    };
    static parameters defaults() noexcept { return {}; }
    static propagator prepare(const parameters& p, double dt) {
        for (auto [n, v] : {std::pair{"a", p.a}, {"b", p.b}, {"c", p.c}, {"d", p.d}, {"I_e", p.I_e}, {"V_th", p.V_th}})
            detail::require_finite(name, n, v);
        detail::require_below(name, "c", p.c, "V_th", p.V_th);
        return {p, dt};
    }
    static state initial_state(const parameters& p) noexcept { return {-65.0, p.b * -65.0}; }
    static void update(const propagator& q, state& s, bool, double I) noexcept {
        const double v = s[0], u = s[1];
        s[0] = v + q.h * (0.04 * v * v + 5.0 * v + 140.0 - u + q.p.I_e + I);
        s[1] = u + q.h * q.p.a * (q.p.b * v - u);
    }
    static bool spiking(const propagator& q, const state& s) noexcept { return s[0] >= q.p.V_th; }
    static void reset(const propagator& q, state& s) noexcept {
        s[0] = q.p.c;
        s[1] += q.p.d;
    }
    static double receptor_scale(const propagator&, std::size_t) noexcept { return 1.0; }
    static double refractory_period(const parameters&) noexcept { return 0.0; }
};

}  // namespace brainweave::spiking::models

BOOST_HANA_ADAPT_STRUCT(brainweave::spiking::models::izhikevich_parameters, a, b, c, d, I_e, V_th);
