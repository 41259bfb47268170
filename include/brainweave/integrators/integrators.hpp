#pragma once
// Fixed-step integrators with TVB's semantics (TVB `integrators`): Euler, Heun and 4th-order
// Runge-Kutta; Euler (Euler-Maruyama) and Heun with a noise process are the stochastic forms.
//
// For one node with state X, derivative f (coupling held fixed over the step), noise increment dW:
//
//   Euler:  X' = X + dt f(X) + dW
//   Heun:   X~ = X + dt f(X) + dW
//           X' = X + (f(X) + f(X~)) dt / 2 + dW                 (the same dW in both stages)
//   RK4:    k1 = f(X), k2 = f(X + dt/2 k1), k3 = f(X + dt/2 k2), k4 = f(X + dt k3)
//           X' = X + dt/6 (k1 + 2 k2 + 2 k3 + k4)
//
// A stimulus s (stimuli/region_stimulus.hpp; nullptr when there is none) enters as in TVB's
// schemes: Euler X' = X + dt (f + s) (+ dW); Heun adds dt s to the predictor and to the corrected
// state; RK4 adds dt s to the final sum only.
// Boundaries (model's state_variable_boundaries) clamp every intermediate and final state.
// The operations are ordered as in TVB so that results agree to round-off.
#include <brainweave/concepts/integrator.hpp>
#include <brainweave/concepts/model.hpp>
#include <brainweave/noise/noise.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace brainweave::integrators {

namespace detail {
inline void clamp(double& v, double lo, double hi) noexcept {
    if (v < lo) v = lo;
    if (v > hi) v = hi;
}
inline void clamp(float& v, double lo, double hi) noexcept {
    if (v < lo) v = static_cast<float>(lo);
    if (v > hi) v = static_cast<float>(hi);
}
/// SIMD batches: lane-wise min/max, found by argument-dependent lookup.
template <class T>
void clamp(T& v, double lo, double hi) noexcept {
    v = min(max(v, T(lo)), T(hi));
}
}  // namespace detail

/// Clamps x to the model's boundaries.
template <class M, class T>
inline void apply_boundaries(T* x) noexcept {
    constexpr std::size_t nm = M::n_modes;
    for (const auto& b : M::state_variable_boundaries)
        for (std::size_t m = 0; m < nm; ++m) detail::clamp(x[b.variable * nm + m], b.lo, b.hi);
}

/// The values of one node (or, with a SIMD value type, of one node in every lane).
template <class M, class T>
using node_array = std::array<T, model_traits<M>::node_size>;

// What an integrator advances: a System S of value type T provides
//   s.deriv(x, dx)   the derivatives of all its values (coupling held fixed)
//   s.bound(x)       the model's boundaries applied to all its values
//   s.each(f)        f(i) for the index i of every value it owns (into x, dW, stim, scratch)
//   s.scratch(k)     work array k (0 <= k < 5) with room for every index
// The integrators below are written once on this interface: node_system is one node (the region
// simulator, every value in registers); a surface simulation's field is every vertex at once,
// because its local coupling reads the neighbours' stage values (surface/simulator.hpp).

/// One node of model M with parameters d and coupling terms c.
template <class M, class D, class T>
struct node_system {
    static constexpr std::size_t n = model_traits<M>::node_size;
    const D& d;
    const T* c;
    std::array<std::array<T, n>, 5> work{};

    void deriv(const T* x, T* dx) noexcept { M::dfun(d, x, c, dx); }
    static void bound(T* x) noexcept { apply_boundaries<M, T>(x); }
    template <class F>
    static void each(F&& f) noexcept {
        for (std::size_t i = 0; i < n; ++i) f(i);
    }
    T* scratch(std::size_t k) noexcept { return work[k].data(); }
};

template <class Noise = noise::none>
struct euler {
    static constexpr std::string_view name = Noise::enabled ? "EulerStochastic" : "EulerDeterministic";
    using noise_type = Noise;
    double dt = 0.1;
    Noise noise{};

    template <class M, class D, class T>
    void step(const D& d, T* x, const T* c, const T* dW, const T* stim = nullptr) const noexcept {
        node_system<M, D, T> s{d, c};
        advance(s, x, dW, stim);
    }

    template <class S, class T>
    void advance(S& s, T* x, const T* dW, const T* stim) const noexcept {
        T* k = s.scratch(0);
        s.deriv(x, k);
        s.each([&](std::size_t i) {
            if (stim) k[i] = k[i] + stim[i];  // TVB: X + dt (dX + stimulus)
            if constexpr (Noise::enabled)
                x[i] = x[i] + k[i] * dt + dW[i];
            else
                x[i] = x[i] + dt * k[i];
        });
        s.bound(x);
    }
};

template <class Noise = noise::none>
struct heun {
    static constexpr std::string_view name = Noise::enabled ? "HeunStochastic" : "HeunDeterministic";
    using noise_type = Noise;
    double dt = 0.1;
    Noise noise{};

    template <class M, class D, class T>
    void step(const D& d, T* x, const T* c, const T* dW, const T* stim = nullptr) const noexcept {
        node_system<M, D, T> s{d, c};
        advance(s, x, dW, stim);
    }

    template <class S, class T>
    void advance(S& s, T* x, const T* dW, const T* stim) const noexcept {
        T *k1 = s.scratch(0), *k2 = s.scratch(1), *inter = s.scratch(2);
        s.deriv(x, k1);
        s.each([&](std::size_t i) {
            if constexpr (Noise::enabled)
                inter[i] = x[i] + dt * k1[i] + dW[i];
            else
                inter[i] = x[i] + dt * k1[i];
            if (stim) inter[i] = inter[i] + dt * stim[i];
        });
        s.bound(inter);
        s.deriv(inter, k2);
        s.each([&](std::size_t i) {
            const T dx = (k1[i] + k2[i]) * dt / 2.0;
            if constexpr (Noise::enabled)
                x[i] = x[i] + dx + dW[i];
            else
                x[i] = x[i] + dx;
            if (stim) x[i] = x[i] + dt * stim[i];
        });
        s.bound(x);
    }
};

template <class Noise = noise::none>
struct rk4 {
    static_assert(!Noise::enabled, "brainweave: 4th-order Runge-Kutta is deterministic; use heun<noise> for SDEs");
    static constexpr std::string_view name = "RungeKutta4thOrderDeterministic";
    using noise_type = Noise;
    double dt = 0.1;
    Noise noise{};

    template <class M, class D, class T>
    void step(const D& d, T* x, const T* c, const T* dW, const T* stim = nullptr) const noexcept {
        node_system<M, D, T> s{d, c};
        advance(s, x, dW, stim);
    }

    template <class S, class T>
    void advance(S& s, T* x, const T*, const T* stim) const noexcept {
        const double dt2 = dt / 2.0, dt6 = dt / 6.0;  // TVB's order of operations
        T *k1 = s.scratch(0), *k2 = s.scratch(1), *k3 = s.scratch(2), *k4 = s.scratch(3), *inter = s.scratch(4);
        s.deriv(x, k1);
        s.each([&](std::size_t i) { inter[i] = x[i] + dt2 * k1[i]; });
        s.bound(inter);
        s.deriv(inter, k2);
        s.each([&](std::size_t i) { inter[i] = x[i] + dt2 * k2[i]; });
        s.bound(inter);
        s.deriv(inter, k3);
        s.each([&](std::size_t i) { inter[i] = x[i] + dt * k3[i]; });
        s.bound(inter);
        s.deriv(inter, k4);
        s.each([&](std::size_t i) {
            x[i] = x[i] + dt6 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            if (stim) x[i] = x[i] + dt * stim[i];
        });
        s.bound(x);
    }
};

}  // namespace brainweave::integrators
