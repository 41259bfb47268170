#pragma once
// ReducedSetFitzHughNagumo (TVB `models.stefanescu_jirsa.ReducedSetFitzHughNagumo`),
// Stefanescu & Jirsa 2008, PLoS Comput. Biol. 4:e1000219 (their "StefanescuJirsa2D").
// For each mode i (three modes, see reduced_set.hpp):
//
//   dxi_i/dt    = tau (xi_i - e_i xi_i^3 / 3 - eta_i) + K11 (sum_k A_ki xi_k - xi_i)
//                 - K12 (sum_k B_ki alpha_k - xi_i) + tau (IE_i + c_0)
//   deta_i/dt   = (xi_i - b eta_i + m_i) / tau
//   dalpha_i/dt = tau (alpha_i - f_i alpha_i^3 / 3 - beta_i) + K21 (sum_k C_ki xi_k - alpha_i)
//                 + tau (II_i + c_0)
//   dbeta_i/dt  = (alpha_i - b beta_i + n_i) / tau
//
// c_0 is the long-range coupling of xi summed over the modes.
#include <brainweave/models/model_support.hpp>
#include <brainweave/models/reduced_set.hpp>

namespace brainweave::models {
struct reduced_set_fitzhugh_nagumo_parameters {
    double tau = 3.0, a = 0.45, b = 0.9, K11 = 0.5, K12 = 0.15, K21 = 0.15, sigma = 0.35, mu = 0.0;
};
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::reduced_set_fitzhugh_nagumo_parameters, tau, a, b, K11, K12, K21, sigma,
                        mu);

namespace brainweave::models {
struct reduced_set_fitzhugh_nagumo {
    static constexpr sv name = "ReducedSetFitzHughNagumo";
    using parameters = reduced_set_fitzhugh_nagumo_parameters;
    static constexpr std::size_t n_modes = reduced_set::n_modes;
    static constexpr std::array<sv, 4> state_variables{"xi", "eta", "alpha", "beta"};
    static constexpr std::array<std::size_t, 2> cvar{0, 2};
    static constexpr std::array<interval, 4> state_variable_range{{{-4.0, 4.0}, {-3.0, 3.0}, {-4.0, 4.0}, {-3.0, 3.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    struct node_data : parameters {
        reduced_set::coupling_matrices M;
        reduced_set::vec3 e_i, f_i, IE_i, II_i, m_i, n_i;
    };
    static node_data derive(const parameters& p) {
        node_data d{p, {}, {}, {}, {}, {}, {}, {}};
        const auto v = reduced_set::integrate_modes(p.mu, p.sigma);
        const auto& u = v;  // both populations share the distribution in this model
        d.M = reduced_set::make_coupling_matrices(v, u);
        for (std::size_t i = 0; i < n_modes; ++i) {
            d.e_i[i] = v.v3[i];
            d.f_i[i] = u.v3[i];
            d.IE_i[i] = v.z_v[i];
            d.II_i[i] = u.z_v[i];
            d.m_i[i] = p.a * v.v[i];
            d.n_i[i] = p.a * u.v[i];
        }
        return d;
    }

    template <class D, class T>
    static void dfun(const D& d, const T* y, const T* c, T* dx) noexcept {
        constexpr std::size_t m = n_modes;
        const T* xi = y;
        const T* eta = y + m;
        const T* alpha = y + 2 * m;
        const T* beta = y + 3 * m;
        const T c_0 = c[0] + c[1] + c[2];
        const auto xa = reduced_set::dot(xi, d.M.A);
        const auto ab = reduced_set::dot(alpha, d.M.B);
        const auto xc = reduced_set::dot(xi, d.M.C);
        for (std::size_t i = 0; i < m; ++i) {
            dx[i] = d.tau * (xi[i] - d.e_i[i] * (xi[i] * xi[i] * xi[i]) / 3.0 - eta[i]) + d.K11 * (xa[i] - xi[i]) -
                    d.K12 * (ab[i] - xi[i]) + d.tau * (d.IE_i[i] + c_0);
            dx[m + i] = (xi[i] - d.b * eta[i] + d.m_i[i]) / d.tau;
            dx[2 * m + i] = d.tau * (alpha[i] - d.f_i[i] * (alpha[i] * alpha[i] * alpha[i]) / 3.0 - beta[i]) +
                            d.K21 * (xc[i] - alpha[i]) + d.tau * (d.II_i[i] + c_0);
            dx[3 * m + i] = (alpha[i] - d.b * beta[i] + d.n_i[i]) / d.tau;
        }
    }
};
}  // namespace brainweave::models
