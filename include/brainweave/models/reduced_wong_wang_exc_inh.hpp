#pragma once
// ReducedWongWangExcInh (TVB `models.wong_wang_exc_inh.ReducedWongWangExcInh`),
// Deco et al. 2014, J. Neurosci. 34:7886.
//
//   x_e = a_e (w_p J_N S_e - J_i S_i + W_e I_o + G J_N c_0 + I_ext) - b_e
//   x_i = a_i (J_N S_e - S_i + W_i I_o + lamda G J_N c_0) - b_i
//   H_k = x_k / (1 - exp(-d_k x_k))
//   dS_e/dt = -S_e / tau_e + (1 - S_e) H_e gamma_e
//   dS_i/dt = -S_i / tau_i + H_i gamma_i               S_e, S_i clamped to [0, 1]
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_reduced_wong_wang_exc_inh_parameters {
    S a_e = 310.0, b_e = 125.0, d_e = 0.16, gamma_e = 0.641 / 1000.0, tau_e = 100.0, w_p = 1.4, J_N = 0.15,
           W_e = 1.0, a_i = 615.0, b_i = 177.0, d_i = 0.087, gamma_i = 1.0 / 1000.0, tau_i = 10.0, J_i = 1.0,
           W_i = 0.7, I_o = 0.382, I_ext = 0.0, G = 2.0, lamda = 0.0;
};
using reduced_wong_wang_exc_inh_parameters = basic_reduced_wong_wang_exc_inh_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_reduced_wong_wang_exc_inh_parameters<double>, a_e, b_e, d_e, gamma_e, tau_e, w_p,
                        J_N, W_e, a_i, b_i, d_i, gamma_i, tau_i, J_i, W_i, I_o, I_ext, G, lamda);

namespace brainweave::models {
struct reduced_wong_wang_exc_inh {
    static constexpr sv name = "ReducedWongWangExcInh";
    static constexpr bool vectorizable = true;
    using parameters = reduced_wong_wang_exc_inh_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"S_e", "S_i"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<interval, 2> state_variable_range{{{0.0, 1.0}, {0.0, 1.0}}};
    static constexpr std::array<boundary, 2> state_variable_boundaries{{{0, 0.0, 1.0}, {1, 0.0, 1.0}}};

    template <class P, class T>
    static void dfun(const P& p, const T* S, const T* c, T* dx) noexcept {
        using std::exp;
        const T coupling = p.G * p.J_N * c[0];
        const T jn_se = p.J_N * S[0];
        T x_e = p.w_p * jn_se - p.J_i * S[1] + p.W_e * p.I_o + coupling + p.I_ext;
        x_e = p.a_e * x_e - p.b_e;
        const T h_e = x_e / (1.0 - exp(-p.d_e * x_e));
        dx[0] = -(S[0] / p.tau_e) + (1.0 - S[0]) * h_e * p.gamma_e;
        T x_i = jn_se - S[1] + p.W_i * p.I_o + p.lamda * coupling;
        x_i = p.a_i * x_i - p.b_i;
        const T h_i = x_i / (1.0 - exp(-p.d_i * x_i));
        dx[1] = -(S[1] / p.tau_i) + h_i * p.gamma_i;
    }
};
}  // namespace brainweave::models
