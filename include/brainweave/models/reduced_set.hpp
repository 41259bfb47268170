#pragma once
// The mode decomposition shared by the reduced-set models of Stefanescu & Jirsa 2008
// (PLoS Comput. Biol. 4:e1000219), as TVB's `ReducedSetBase` computes it.
//
// A population whose excitability is normally distributed, N(mu, sigma), is sampled at n = 1500
// quantiles z_k = F^-1(k / (n + 1)) and split into three modes of equal size (indicator functions,
// normalised so that int V_i^2 dz = 1). The models' coefficients are integrals over these modes.
#include <brainweave/core/special_functions.hpp>

#include <array>
#include <cmath>
#include <vector>

namespace brainweave::models::reduced_set {

inline constexpr std::size_t n_modes = 3;
inline constexpr std::size_t n_samples = 1500;

using vec3 = std::array<double, n_modes>;
using mat3 = std::array<vec3, n_modes>;  // [i][k]

/// Integrals of the three modes over the sampled distribution N(mu, sigma).
struct mode_integrals {
    vec3 v;      ///< int V_i dz
    vec3 g_v;    ///< int g(z) V_i dz, g the normal density
    vec3 v2;     ///< int V_i^3 dz  (TVB: trapz(conj(V) V^2))
    vec3 v3;     ///< int V_i^4 dz  (TVB: trapz(conj(V) V^3))
    vec3 z_v;    ///< int z V_i dz
};

inline mode_integrals integrate_modes(double mu, double sigma) {
    const double step = 1.0 / static_cast<double>(n_samples + 2 - 1);
    std::vector<double> z(n_samples), g(n_samples), y(n_samples);
    for (std::size_t k = 0; k < n_samples; ++k) {
        const double q = step + static_cast<double>(k) * step;  // numpy.arange(step, 1, step)
        z[k] = math::normal_quantile(q) * sigma + mu;
        g[k] = math::normal_pdf(z[k], mu, sigma);
    }
    const std::size_t per_mode = n_samples / n_modes;
    mode_integrals out{};
    for (std::size_t i = 0; i < n_modes; ++i) {
        auto mode = [&](std::size_t k) { return (k >= i * per_mode && k < (i + 1) * per_mode) ? 1.0 : 0.0; };
        for (std::size_t k = 0; k < n_samples; ++k) y[k] = mode(k) * mode(k);
        const double norm = std::sqrt(math::trapezoid(y, z));
        auto integral = [&](auto f) {
            for (std::size_t k = 0; k < n_samples; ++k) y[k] = f(mode(k) / norm, k);
            return math::trapezoid(y, z);
        };
        out.v[i] = integral([](double v, std::size_t) { return v; });
        out.g_v[i] = integral([&](double v, std::size_t k) { return g[k] * v; });
        out.v2[i] = integral([](double v, std::size_t) { return v * (v * v); });
        out.v3[i] = integral([](double v, std::size_t) { return v * (v * v * v); });
        out.z_v[i] = integral([&](double v, std::size_t k) { return z[k] * v; });
    }
    return out;
}

/// out[i] = sum_k x[k] m[k][i]  (numpy.dot(x, m) for one node)
template <class T>
inline std::array<T, n_modes> dot(const T* x, const mat3& m) noexcept {
    std::array<T, n_modes> out;
    for (std::size_t i = 0; i < n_modes; ++i) {
        T s = x[0] * m[0][i];
        for (std::size_t k = 1; k < n_modes; ++k) s = s + x[k] * m[k][i];
        out[i] = s;
    }
    return out;
}

/// The coupling matrices A_ik, B_ik, C_ik of the reduced sets, from the integrals of the
/// excitatory (V) and inhibitory (U) modes.
struct coupling_matrices {
    mat3 A, B, C;
};
inline coupling_matrices make_coupling_matrices(const mode_integrals& v, const mode_integrals& u) {
    coupling_matrices m{};
    for (std::size_t i = 0; i < n_modes; ++i)
        for (std::size_t k = 0; k < n_modes; ++k) {
            m.A[i][k] = v.v[k] * v.g_v[i];
            m.B[i][k] = v.v[i] * u.g_v[k];
            m.C[i][k] = u.v[k] * v.g_v[i];
        }
    return m;
}

}  // namespace brainweave::models::reduced_set
