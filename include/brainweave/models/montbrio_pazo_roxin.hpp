#pragma once
// MontbrioPazoRoxin (TVB `models.infinite_theta.MontbrioPazoRoxin`): Ott-Antonsen reduction of
// all-to-all coupled quadratic integrate-and-fire neurons, Montbrio, Pazo & Roxin 2015,
// Phys. Rev. X 5:021028.
//
//   dr/dt = (Delta / (pi tau) + 2 V r) / tau
//   dV/dt = (V^2 - pi^2 tau^2 r^2 + eta + J tau r + I + cr c_0 + cv c_1) / tau      r >= 0
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_montbrio_pazo_roxin_parameters {
    S tau = 1.0, I = 0.0, Delta = 1.0, J = 15.0, eta = -5.0, Gamma = 0.0, cr = 1.0, cv = 0.0;
};
using montbrio_pazo_roxin_parameters = basic_montbrio_pazo_roxin_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_montbrio_pazo_roxin_parameters<double>, tau, I, Delta, J, eta, Gamma, cr, cv);

namespace brainweave::models {
struct montbrio_pazo_roxin {
    static constexpr sv name = "MontbrioPazoRoxin";
    static constexpr bool vectorizable = true;
    using parameters = montbrio_pazo_roxin_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"r", "V"};
    static constexpr std::array<std::size_t, 2> cvar{0, 1};
    static constexpr std::array<interval, 2> state_variable_range{{{0.0, 2.0}, {-2.0, 1.5}}};
    static constexpr std::array<boundary, 1> state_variable_boundaries{{{0, 0.0, unbounded}}};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        constexpr double pi = std::numbers::pi;
        const T r = y[0], V = y[1];
        dx[0] = 1.0 / p.tau * (p.Delta / (pi * p.tau) + 2.0 * V * r);
        dx[1] = 1.0 / p.tau *
                (V * V - (pi * pi) * (p.tau * p.tau) * (r * r) + p.eta + p.J * p.tau * r + p.I + p.cr * c[0] +
                 p.cv * c[1]);
    }
};
}  // namespace brainweave::models
