#pragma once
// Generic2dOscillator (TVB `models.oscillator.Generic2dOscillator`).
//
//   dV/dt = d tau (alpha W - f V^3 + e V^2 + g V + gamma I + gamma c_0 + lc_0)
//   dW/dt = d (a + b V + c V^2 - beta W) / tau
//
// FitzHugh 1961; Nagumo et al. 1962; Stefanescu & Jirsa 2008; Sanz-Leon et al. 2015 (TVB).
// Coupling enters V through c_0 (cvar V); on a surface, local coupling through lc_0 = L @ V (lcvar V). Defaults: TVB's (excitable configuration).
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_generic_2d_oscillator_parameters {
    S tau = 1.0, I = 0.0, a = -2.0, b = -10.0, c = 0.0, d = 0.02, e = 3.0, f = 1.0, g = 0.0,
           alpha = 1.0, beta = 1.0, gamma = 1.0;
};
using generic_2d_oscillator_parameters = basic_generic_2d_oscillator_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_generic_2d_oscillator_parameters<double>, tau, I, a, b, c, d, e, f, g, alpha,
                        beta, gamma);

namespace brainweave::models {
struct generic_2d_oscillator {
    static constexpr sv name = "Generic2dOscillator";
    static constexpr bool vectorizable = true;
    using parameters = generic_2d_oscillator_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"V", "W"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<std::size_t, 1> lcvar{0};
    static constexpr std::array<interval, 2> state_variable_range{{{-2.0, 4.0}, {-6.0, 6.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* x, const T* c, T* dx, const T* lc = nullptr) noexcept {
        const T V = x[0], W = x[1];
        const T V2 = V * V;
        T drive = p.alpha * W - p.f * V2 * V + p.e * V2 + p.g * V + p.gamma * p.I + p.gamma * c[0];
        if (lc) drive = drive + lc[0];
        dx[0] = p.d * p.tau * drive;
        dx[1] = p.d * (p.a + p.b * V + p.c * V2 - p.beta * W) / p.tau;
    }
};
}  // namespace brainweave::models
