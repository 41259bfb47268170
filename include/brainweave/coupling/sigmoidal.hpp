#pragma once
// Sigmoidal couplings (TVB `coupling.Sigmoidal`, `HyperbolicTangent`, `SigmoidalJansenRit`,
// `PreSigmoidal`).
//
//   Sigmoidal (post-summation):   c = cmin + (cmax - cmin) / (1 + exp(-a ((gx - midpoint) / sigma)))
//   HyperbolicTangent (pre):      c = sum_j w_ij a (1 + tanh((b x_j - midpoint) / sigma))
//   SigmoidalJansenRit (pre):     c = a sum_j w_ij [cmin + (cmax - cmin) / (1 + exp(r (midpoint - (y1_j - y2_j))))]
//                                 (one coupling term from the two coupling variables y1, y2)
//   PreSigmoidal:                 A(x) = H (Q + tanh(G (P x - theta)))
//       static threshold:   c_k = sum_j w_ij A(x_jk) for every coupling variable k
//       dynamic threshold:  theta is the second coupling variable; c_0 = sum_j w_ij A(x_j0; x_j1),
//                           c_1 = A(x_i0; x_i1), the node's own output (TVB takes the diagonal of the
//                           delayed matrix, i.e. the self-delay, which is zero in TVB connectomes;
//                           here the node's current state is used). TVB's `globalT` is not provided.
#include <brainweave/concepts/coupling.hpp>
#include <brainweave/coupling/linear.hpp>

#include <boost/hana/adapt_struct.hpp>

#include <cmath>

namespace brainweave::coupling {

template <class S = double>
struct basic_sigmoidal {
    static constexpr std::string_view name = "Sigmoidal";
    static constexpr bool vectorizable = true;
    S cmin = -1.0, cmax = 1.0, midpoint = 0.0, a = 1.0, sigma = 230.0;
    BRAINWEAVE_PER_VARIABLE_COUPLING
    template <std::size_t NC, class T>
    void pre(const T*, const T* xj, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = xj[k];
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        using std::exp;
        for (std::size_t k = 0; k < NC; ++k)
            out[k] = cmin + ((cmax - cmin) / (1.0 + exp(-a * ((gx[k] - midpoint) / sigma))));
    }
};

struct hyperbolic_tangent {
    static constexpr std::string_view name = "HyperbolicTangent";
    static constexpr bool vectorizable = true;
    double a = 1.0, b = 1.0, midpoint = 0.0, sigma = 1.0;
    BRAINWEAVE_PER_VARIABLE_COUPLING
    template <std::size_t NC, class T>
    void pre(const T*, const T* xj, T* out) const noexcept {
        using std::tanh;
        for (std::size_t k = 0; k < NC; ++k) out[k] = a * (1.0 + tanh((b * xj[k] - midpoint) / sigma));
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = gx[k];
    }
};

template <class S = double>
struct basic_sigmoidal_jansen_rit {
    static constexpr std::string_view name = "SigmoidalJansenRit";
    static constexpr bool vectorizable = true;
    S cmin = 0.0, cmax = 2.0 * 0.0025, midpoint = 6.0, r = 0.56, a = 1.0;
    static constexpr std::size_t n_pre(std::size_t) { return 1; }
    static constexpr std::size_t n_out(std::size_t) { return 1; }
    static constexpr bool valid_for(std::size_t n_cvar) { return n_cvar >= 2; }
    static constexpr std::string_view requirement = "two coupling variables (JansenRit's y1 and y2)";
    template <std::size_t NC, class T>
    void pre(const T*, const T* xj, T* out) const noexcept {
        using std::exp;
        if constexpr (NC >= 2) out[0] = cmin + (cmax - cmin) / (1.0 + exp(r * (midpoint - (xj[0] - xj[1]))));
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        out[0] = a * gx[0];
    }
};

template <bool Dynamic>
struct basic_pre_sigmoidal {
    static constexpr std::string_view name = "PreSigmoidal";
    static constexpr bool vectorizable = true;
    static constexpr bool dynamic = Dynamic;
    static constexpr bool reads_target = Dynamic;  // post: the target's own threshold
    double H = 0.5, Q = 1.0, G = 60.0, P = 1.0, theta = 0.5;
    static constexpr std::size_t n_pre(std::size_t n_cvar) { return Dynamic ? 1 : n_cvar; }
    static constexpr std::size_t n_out(std::size_t n_cvar) { return Dynamic ? 2 : n_cvar; }
    static constexpr bool valid_for(std::size_t n_cvar) { return !Dynamic || n_cvar >= 2; }
    static constexpr std::string_view requirement = "two coupling variables (x and the threshold theta)";

    template <class T>
    T activation(T x, T threshold) const noexcept {
        using std::tanh;
        return H * (Q + tanh(G * (P * x - threshold)));
    }
    template <std::size_t NC, class T>
    void pre(const T*, const T* xj, T* out) const noexcept {
        if constexpr (Dynamic) {
            if constexpr (NC >= 2) out[0] = activation(xj[0], xj[1]);
        } else {
            for (std::size_t k = 0; k < NC; ++k) out[k] = activation(xj[k], T(theta));
        }
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T* xi, T* out) const noexcept {
        if constexpr (Dynamic) {
            out[0] = gx[0];
            if constexpr (NC >= 2) out[1] = activation(xi[0], xi[1]);
        } else {
            for (std::size_t k = 0; k < NC; ++k) out[k] = gx[k];
        }
    }
};
using sigmoidal = basic_sigmoidal<>;
using sigmoidal_jansen_rit = basic_sigmoidal_jansen_rit<>;
using pre_sigmoidal = basic_pre_sigmoidal<true>;  // TVB's default: dynamic threshold
using pre_sigmoidal_static = basic_pre_sigmoidal<false>;

}  // namespace brainweave::coupling
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::basic_sigmoidal<double>, cmin, cmax, midpoint, a, sigma);
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::hyperbolic_tangent, a, b, midpoint, sigma);
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::basic_sigmoidal_jansen_rit<double>, cmin, cmax, midpoint, r, a);
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::pre_sigmoidal, H, Q, G, P, theta);
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::pre_sigmoidal_static, H, Q, G, P, theta);
