#pragma once
// ReducedSetHindmarshRose (TVB `models.stefanescu_jirsa.ReducedSetHindmarshRose`),
// Stefanescu & Jirsa 2008, PLoS Comput. Biol. 4:e1000219 (their "StefanescuJirsa3D"), with the
// corrected d_i, p_i of TVB (Dutta & Banerjee). For each mode i:
//
//   dxi_i/dt    = eta_i - a_i xi_i^3 + b_i xi_i^2 - tau_i + K11 (sum_k A_ki xi_k - xi_i)
//                 - K12 (sum_k B_ki alpha_k - xi_i) + IE_i + c_0
//   deta_i/dt   = c_i - d_i xi_i^2 - eta_i
//   dtau_i/dt   = r s xi_i - r tau_i - m_i
//   dalpha_i/dt = beta_i - e_i alpha_i^3 + f_i alpha_i^2 - gamma_i + K21 (sum_k C_ki xi_k - alpha_i)
//                 + II_i + c_0
//   dbeta_i/dt  = h_i - p_i alpha_i^2 - beta_i
//   dgamma_i/dt = r s alpha_i - r gamma_i - n_i
#include <brainweave/models/model_support.hpp>
#include <brainweave/models/reduced_set.hpp>

namespace brainweave::models {
struct reduced_set_hindmarsh_rose_parameters {
    double r = 0.006, a = 1.0, b = 3.0, c = 1.0, d = 5.0, s = 4.0, xo = -1.6, K11 = 0.5, K12 = 0.1, K21 = 0.15,
           sigma = 0.3, mu = 3.3;
};
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::reduced_set_hindmarsh_rose_parameters, r, a, b, c, d, s, xo, K11, K12, K21,
                        sigma, mu);

namespace brainweave::models {
struct reduced_set_hindmarsh_rose {
    static constexpr sv name = "ReducedSetHindmarshRose";
    using parameters = reduced_set_hindmarsh_rose_parameters;
    static constexpr std::size_t n_modes = reduced_set::n_modes;
    static constexpr std::array<sv, 6> state_variables{"xi", "eta", "tau", "alpha", "beta", "gamma"};
    static constexpr std::array<std::size_t, 2> cvar{0, 3};
    static constexpr std::array<interval, 6> state_variable_range{
        {{-4.0, 4.0}, {-25.0, 20.0}, {2.0, 10.0}, {-4.0, 4.0}, {-20.0, 20.0}, {2.0, 10.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    struct node_data : parameters {
        reduced_set::coupling_matrices M;
        reduced_set::vec3 a_i, b_i, c_i, d_i, e_i, f_i, h_i, p_i, IE_i, II_i, m_i, n_i;
    };
    static node_data derive(const parameters& p) {
        node_data d{};
        static_cast<parameters&>(d) = p;
        const auto v = reduced_set::integrate_modes(p.mu, p.sigma);
        const auto& u = v;
        d.M = reduced_set::make_coupling_matrices(v, u);
        for (std::size_t i = 0; i < n_modes; ++i) {
            d.a_i[i] = p.a * v.v3[i];
            d.e_i[i] = p.a * u.v3[i];
            d.b_i[i] = p.b * v.v2[i];
            d.f_i[i] = p.b * u.v2[i];
            d.c_i[i] = p.c * v.v[i];
            d.h_i[i] = p.c * u.v[i];
            d.IE_i[i] = v.z_v[i];
            d.II_i[i] = u.z_v[i];
            d.d_i[i] = p.d * v.v2[i];
            d.p_i[i] = p.d * u.v2[i];
            d.m_i[i] = p.r * p.s * p.xo * v.v[i];
            d.n_i[i] = p.r * p.s * p.xo * u.v[i];
        }
        return d;
    }

    template <class D, class T>
    static void dfun(const D& d, const T* y, const T* c, T* dx) noexcept {
        constexpr std::size_t m = n_modes;
        const T *xi = y, *eta = y + m, *tau = y + 2 * m, *alpha = y + 3 * m, *beta = y + 4 * m, *gamma = y + 5 * m;
        const T c_0 = c[0] + c[1] + c[2];
        const auto xa = reduced_set::dot(xi, d.M.A);
        const auto ab = reduced_set::dot(alpha, d.M.B);
        const auto xc = reduced_set::dot(xi, d.M.C);
        for (std::size_t i = 0; i < m; ++i) {
            const T xi2 = xi[i] * xi[i], al2 = alpha[i] * alpha[i];
            dx[i] = eta[i] - d.a_i[i] * (xi2 * xi[i]) + d.b_i[i] * xi2 - tau[i] + d.K11 * (xa[i] - xi[i]) -
                    d.K12 * (ab[i] - xi[i]) + d.IE_i[i] + c_0;
            dx[m + i] = d.c_i[i] - d.d_i[i] * xi2 - eta[i];
            dx[2 * m + i] = d.r * d.s * xi[i] - d.r * tau[i] - d.m_i[i];
            dx[3 * m + i] = beta[i] - d.e_i[i] * (al2 * alpha[i]) + d.f_i[i] * al2 - gamma[i] +
                            d.K21 * (xc[i] - alpha[i]) + d.II_i[i] + c_0;
            dx[4 * m + i] = d.h_i[i] - d.p_i[i] * al2 - beta[i];
            dx[5 * m + i] = d.r * d.s * alpha[i] - d.r * gamma[i] - d.n_i[i];
        }
    }
};
}  // namespace brainweave::models
