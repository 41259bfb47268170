#pragma once
// ReducedWongWang (TVB `models.wong_wang.ReducedWongWang`), Deco et al. 2013, J. Neurosci.
// 33:11239, p. 11242; Wong & Wang 2006.
//
//   x = w J_N S + I_o + J_N c_0   [+ J_N lc_0 on a surface, lc_0 = L @ S, as TVB]
//   H(x) = (a x - b) / (1 - exp(-d (a x - b)))
//   dS/dt = -S / tau_s + (1 - S) H(x) gamma          S clamped to [0, 1]
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_reduced_wong_wang_parameters {
    S a = 0.27, b = 0.108, d = 154.0, gamma = 0.641, tau_s = 100.0, w = 0.6, J_N = 0.2609, I_o = 0.33,
           sigma_noise = 1e-9;
};
using reduced_wong_wang_parameters = basic_reduced_wong_wang_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_reduced_wong_wang_parameters<double>, a, b, d, gamma, tau_s, w, J_N, I_o,
                        sigma_noise);

namespace brainweave::models {
struct reduced_wong_wang {
    static constexpr sv name = "ReducedWongWang";
    static constexpr bool vectorizable = true;
    using parameters = reduced_wong_wang_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 1> state_variables{"S"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<std::size_t, 1> lcvar{0};  ///< on a surface: lc_0 = L @ S, as c_0
    static constexpr std::array<interval, 1> state_variable_range{{{0.0, 1.0}}};
    static constexpr std::array<boundary, 1> state_variable_boundaries{{{0, 0.0, 1.0}}};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx, const T* lc = nullptr) noexcept {
        using std::exp;
        const T S = y[0];
        T input = p.w * p.J_N * S + p.I_o + p.J_N * c[0];
        if (lc) input = input + p.J_N * lc[0];
        const T x = p.a * input - p.b;
        const T h = x / (1.0 - exp(-p.d * x));
        dx[0] = -(S / p.tau_s) + (1.0 - S) * h * p.gamma;
    }
};
}  // namespace brainweave::models
