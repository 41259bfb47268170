#pragma once
// WilsonCowan (TVB `models.wilson_cowan.WilsonCowan`), Wilson & Cowan 1972, Biophys. J. 12:1,
// eqns 11-12, in TVB's formulation:
//
//   x_e = alpha_e (c_ee E - c_ei I + P - theta_e + c_0 [+ lc_0 + lc_1])
//   x_i = alpha_i (c_ie E - c_ii I + Q - theta_i [+ lc_0 + lc_1])
// (on a surface, TVB's local coupling lc_0 = L @ E, lc_1 = L @ I enters both populations)
//   S_k(x) = c_k / (1 + exp(-a_k (x - b_k)))      [minus S_k(0) if shift_sigmoid]
//   tau_e dE/dt = -E + (k_e - r_e E) S_e(x_e)
//   tau_i dI/dt = -I + (k_i - r_i I) S_i(x_i)
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
struct wilson_cowan_parameters {
    double c_ee = 12.0, c_ei = 4.0, c_ie = 13.0, c_ii = 11.0, tau_e = 10.0, tau_i = 10.0, a_e = 1.2, b_e = 2.8,
           c_e = 1.0, theta_e = 0.0, a_i = 1.0, b_i = 4.0, theta_i = 0.0, c_i = 1.0, r_e = 1.0, r_i = 1.0, k_e = 1.0,
           k_i = 1.0, P = 0.0, Q = 0.0, alpha_e = 1.0, alpha_i = 1.0;
    bool shift_sigmoid = true;
};
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::wilson_cowan_parameters, c_ee, c_ei, c_ie, c_ii, tau_e, tau_i, a_e, b_e,
                        c_e, theta_e, a_i, b_i, theta_i, c_i, r_e, r_i, k_e, k_i, P, Q, alpha_e, alpha_i,
                        shift_sigmoid);

namespace brainweave::models {
struct wilson_cowan {
    static constexpr sv name = "WilsonCowan";
    static constexpr bool vectorizable = true;
    using parameters = wilson_cowan_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"E", "I"};
    static constexpr std::array<std::size_t, 2> cvar{0, 1};
    static constexpr std::array<std::size_t, 2> lcvar{0, 1};
    static constexpr std::array<interval, 2> state_variable_range{{{0.0, 1.0}, {0.0, 1.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx, const T* lc = nullptr) noexcept {
        using std::exp;
        T in_e = p.c_ee * y[0] - p.c_ei * y[1] + p.P - p.theta_e + c[0];
        T in_i = p.c_ie * y[0] - p.c_ii * y[1] + p.Q - p.theta_i;
        if (lc) {
            in_e = in_e + lc[0] + lc[1];
            in_i = in_i + lc[0] + lc[1];
        }
        const T x_e = p.alpha_e * in_e;
        const T x_i = p.alpha_i * in_i;
        T s_e, s_i;
        if (p.shift_sigmoid) {
            s_e = p.c_e * (1.0 / (1.0 + exp(-p.a_e * (x_e - p.b_e))) - 1.0 / (1.0 + std::exp(-p.a_e * -p.b_e)));
            s_i = p.c_i * (1.0 / (1.0 + exp(-p.a_i * (x_i - p.b_i))) - 1.0 / (1.0 + std::exp(-p.a_i * -p.b_i)));
        } else {
            s_e = p.c_e / (1.0 + exp(-p.a_e * (x_e - p.b_e)));
            s_i = p.c_i / (1.0 + exp(-p.a_i * (x_i - p.b_i)));
        }
        dx[0] = (-y[0] + (p.k_e - p.r_e * y[0]) * s_e) / p.tau_e;
        dx[1] = (-y[1] + (p.k_i - p.r_i * y[1]) * s_i) / p.tau_i;
    }
};
}  // namespace brainweave::models
