#pragma once
// SupHopf (TVB `models.oscillator.SupHopf`): normal form of a supercritical Hopf bifurcation
// (Kuznetsov 2013; Deco et al. 2017, Sci. Rep. 7:3095).
//
//   dx/dt = (a - x^2 - y^2) x - omega y + c_0
//   dy/dt = (a - x^2 - y^2) y + omega x + c_1
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_sup_hopf_parameters {
    S a = -0.5, omega = 1.0;
};
using sup_hopf_parameters = basic_sup_hopf_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_sup_hopf_parameters<double>, a, omega);

namespace brainweave::models {
struct sup_hopf {
    static constexpr sv name = "SupHopf";
    static constexpr bool vectorizable = true;
    using parameters = sup_hopf_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"x", "y"};
    static constexpr std::array<std::size_t, 2> cvar{0, 1};
    static constexpr std::array<interval, 2> state_variable_range{{{-5.0, 5.0}, {-5.0, 5.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        const T r = p.a - y[0] * y[0] - y[1] * y[1];
        dx[0] = r * y[0] - p.omega * y[1] + c[0];
        dx[1] = r * y[1] + p.omega * y[0] + c[1];
    }
};
}  // namespace brainweave::models
