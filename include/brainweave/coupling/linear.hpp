#pragma once
// Linear, Scaling and Difference couplings (TVB `coupling.Linear`, `Scaling`, `Difference`).
//
//   Linear:     c = a * sum_j w_ij x_j + b
//   Scaling:    c = a * sum_j w_ij x_j
//   Difference: c = a * sum_j w_ij (x_j - x_i)
//
// Each is a template over the scalar type of its parameters (basic_linear<double> = linear), so that
// a parameter sweep can hold one coupling strength per SIMD lane (see core/simd.hpp).
#include <brainweave/concepts/coupling.hpp>

#include <boost/hana/adapt_struct.hpp>

namespace brainweave::coupling {

// These couplings act on every coupling variable separately: n_pre = n_out = n_cvar.
#define BRAINWEAVE_PER_VARIABLE_COUPLING                                               \
    static constexpr std::size_t n_pre(std::size_t n_cvar) { return n_cvar; }         \
    static constexpr std::size_t n_out(std::size_t n_cvar) { return n_cvar; }

template <class S = double>
struct basic_linear {
    BRAINWEAVE_PER_VARIABLE_COUPLING
    static constexpr bool vectorizable = true;
    static constexpr std::string_view name = "Linear";
    S a = 0.00390625, b = 0.0;
    template <std::size_t NC, class T>
    void pre(const T*, const T* xj, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = xj[k];
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = a * gx[k] + b;
    }
};

template <class S = double>
struct basic_scaling {
    BRAINWEAVE_PER_VARIABLE_COUPLING
    static constexpr bool vectorizable = true;
    static constexpr std::string_view name = "Scaling";
    S a = 0.00390625;
    template <std::size_t NC, class T>
    void pre(const T*, const T* xj, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = xj[k];
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = a * gx[k];
    }
};

template <class S = double>
struct basic_difference {
    BRAINWEAVE_PER_VARIABLE_COUPLING
    static constexpr bool vectorizable = true;
    static constexpr bool reads_target = true;
    static constexpr std::string_view name = "Difference";
    S a = 0.1;
    template <std::size_t NC, class T>
    void pre(const T* xi, const T* xj, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = xj[k] - xi[k];
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        for (std::size_t k = 0; k < NC; ++k) out[k] = a * gx[k];
    }
};

using linear = basic_linear<>;
using scaling = basic_scaling<>;
using difference = basic_difference<>;

}  // namespace brainweave::coupling
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::basic_linear<double>, a, b);
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::basic_scaling<double>, a);
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::basic_difference<double>, a);
