#pragma once
// A neural field with a second-order spatial term: the damped wave equation of Jirsa & Haken (1996)
// and Robinson et al. (1997) for the field phi of axonal activity on a cortical surface,
//
//   (d^2/dt^2 + 2 gamma d/dt + gamma^2 (1 - r^2 Laplacian)) phi = gamma^2 S(a phi + c_0 + I)
//   S(u) = q_max / (1 + exp(-(u - theta) / sigma))
//
// written as two first-order equations with psi = dphi/dt:
//
//   dphi/dt = psi
//   dpsi/dt = gamma^2 (r^2 lc_0 - phi + S(a phi + c_0 + I)) - 2 gamma psi
//
// gamma (1/ms): damping rate (gamma = v / r for axonal velocity v); r (mm): the range of the axons;
// a: how strongly the field drives its own firing (0 makes the equation linear in phi). On a
// surface, lc_0 = L @ phi with L the Laplace-Beltrami operator (surface/laplace_beltrami.hpp, local
// coupling strength 1); long-range coupling c_0 enters the firing rate. Without local coupling (a
// region simulation) it is a damped oscillator per node. With a = 0 on a sphere of radius R, a
// spherical harmonic of degree l decays as exp(-gamma t) (cos W t + gamma / W sin W t),
// W = gamma r sqrt(l (l + 1)) / R (tests/test_surface_simulator.cpp).
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_damped_wave_field_parameters {
    S gamma = 0.1, r = 20.0, a = 0.0, q_max = 1.0, theta = 0.0, sigma = 1.0, I = 0.0;
};
using damped_wave_field_parameters = basic_damped_wave_field_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_damped_wave_field_parameters<double>, gamma, r, a, q_max, theta, sigma, I);

namespace brainweave::models {
struct damped_wave_field {
    static constexpr sv name = "DampedWaveField";
    static constexpr bool vectorizable = true;
    using parameters = damped_wave_field_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"phi", "psi"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<std::size_t, 1> lcvar{0};
    static constexpr std::array<interval, 2> state_variable_range{{{0.0, 1.0}, {-0.1, 0.1}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* x, const T* c, T* dx, const T* lc = nullptr) noexcept {
        using std::exp;
        const T phi = x[0], psi = x[1];
        const T rate = p.q_max / (1.0 + exp(-(p.a * phi + c[0] + p.I - p.theta) / p.sigma));
        T drive = rate - phi;
        if (lc) drive = drive + p.r * p.r * lc[0];
        dx[0] = psi;
        dx[1] = p.gamma * p.gamma * drive - 2.0 * p.gamma * psi;
    }
};
}  // namespace brainweave::models
