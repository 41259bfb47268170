#pragma once
// JansenRit (TVB `models.jansen_rit.JansenRit`), Jansen & Rit 1995, Biol. Cybern. 73:357.
//
//   dy0 = y3,  dy1 = y4,  dy2 = y5
//   dy3 = A a S(y1 - y2) - 2 a y3 - a^2 y0
//   dy4 = A a (mu + a_2 J S(a_1 J y0) + c_0) - 2 a y4 - a^2 y1
//   dy5 = B b (a_4 J S(a_3 J y0)) - 2 b y5 - b^2 y2
//   S(v) = 2 nu_max / (1 + exp(r (v0 - v)))
//
// Coupling variables y1, y2 (use with SigmoidalJansenRit, which feeds S(y1_j - y2_j) to c_0).
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_jansen_rit_parameters {
    S A = 3.25, B = 22.0, a = 0.1, b = 0.05, v0 = 5.52, nu_max = 0.0025, r = 0.56, J = 135.0, a_1 = 1.0,
           a_2 = 0.8, a_3 = 0.25, a_4 = 0.25, p_min = 0.12, p_max = 0.32, mu = 0.22;
};
using jansen_rit_parameters = basic_jansen_rit_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_jansen_rit_parameters<double>, A, B, a, b, v0, nu_max, r, J, a_1, a_2, a_3, a_4,
                        p_min, p_max, mu);

namespace brainweave::models {
struct jansen_rit {
    static constexpr sv name = "JansenRit";
    static constexpr bool vectorizable = true;
    using parameters = jansen_rit_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 6> state_variables{"y0", "y1", "y2", "y3", "y4", "y5"};
    static constexpr std::array<std::size_t, 2> cvar{1, 2};
    static constexpr std::array<interval, 6> state_variable_range{
        {{-1.0, 1.0}, {-500.0, 500.0}, {-50.0, 50.0}, {-6.0, 6.0}, {-20.0, 20.0}, {-500.0, 500.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        using std::exp;
        const T s12 = 2.0 * p.nu_max / (1.0 + exp(p.r * (p.v0 - (y[1] - y[2]))));
        const T s01 = 2.0 * p.nu_max / (1.0 + exp(p.r * (p.v0 - (p.a_1 * p.J * y[0]))));
        const T s03 = 2.0 * p.nu_max / (1.0 + exp(p.r * (p.v0 - (p.a_3 * p.J * y[0]))));
        dx[0] = y[3];
        dx[1] = y[4];
        dx[2] = y[5];
        dx[3] = p.A * p.a * s12 - 2.0 * p.a * y[3] - p.a * p.a * y[0];
        dx[4] = p.A * p.a * (p.mu + p.a_2 * p.J * s01 + c[0]) - 2.0 * p.a * y[4] - p.a * p.a * y[1];
        dx[5] = p.B * p.b * (p.a_4 * p.J * s03) - 2.0 * p.b * y[5] - p.b * p.b * y[2];
    }
};
}  // namespace brainweave::models
