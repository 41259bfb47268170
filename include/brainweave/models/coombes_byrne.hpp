#pragma once
// CoombesByrne (TVB `models.infinite_theta.CoombesByrne`): next-generation neural mass with
// synaptic conductance dynamics, Coombes & Byrne 2019, in Nonlinear Dynamics in Computational
// Neuroscience, pp. 1-16. As implemented in TVB 2.11:
//
//   dr/dt = Delta / pi + 2 V r - g r
//   dV/dt = V^2 - pi^2 r^2 + eta + (v_syn - V) g + c_0
//   dg/dt = alpha q
//   dq/dt = alpha (k pi r - g - 2 q)                                            r >= 0
//
// (The paper's dr/dt has g r^2 where TVB writes g r; TVB's form is kept for parity.)
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_coombes_byrne_parameters {
    S Delta = 0.5, alpha = 0.95, v_syn = -10.0, k = 1.0, eta = 20.0;
};
using coombes_byrne_parameters = basic_coombes_byrne_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_coombes_byrne_parameters<double>, Delta, alpha, v_syn, k, eta);

namespace brainweave::models {
struct coombes_byrne {
    static constexpr sv name = "CoombesByrne";
    static constexpr bool vectorizable = true;
    using parameters = coombes_byrne_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 4> state_variables{"r", "V", "g", "q"};
    static constexpr std::array<std::size_t, 4> cvar{0, 1, 2, 3};
    static constexpr std::array<interval, 4> state_variable_range{{{0.0, 6.0}, {-10.0, 10.0}, {1.0, 2.0}, {-0.5, 0.7}}};
    static constexpr std::array<boundary, 1> state_variable_boundaries{{{0, 0.0, unbounded}}};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        constexpr double pi = std::numbers::pi;
        const T r = y[0], V = y[1], g = y[2], q = y[3];
        dx[0] = p.Delta / pi + 2.0 * V * r - g * r;
        dx[1] = V * V - (pi * pi) * (r * r) + p.eta + (p.v_syn - V) * g + c[0];
        dx[2] = p.alpha * q;
        dx[3] = p.alpha * (p.k * pi * r - g - 2.0 * q);
    }
};
}  // namespace brainweave::models
