#pragma once
// What a point-neuron model must provide, and the building blocks the models share: synaptic
// kernels (exponential and alpha) with exact propagators, and the fixed-step schemes used for the
// membrane equations that are not linear.
//
// A neuron model is a stateless policy type. The population (spiking/population.hpp) stores the
// state of all its neurons in structure-of-arrays layout and calls the model once per neuron per
// step with a local copy of that neuron's state:
//
//   M::name                        "iaf_psc_exp", NEST's name where NEST has the model
//   M::parameters                  Hana-reflectable struct of doubles (units in the model's header)
//   M::state                       std::array<double, n>
//   M::state_names                 std::array<std::string_view, n>
//   M::receptor_names              the synaptic input ports ("ex", "in", or "V_m" for delta input)
//   M::receptor_variable[r]        which state variable a spike on receptor r adds its weight to
//   M::propagator                  everything one step needs, precomputed from (parameters, dt)
//   M::defaults()                  -> parameters (NEST's defaults)
//   M::prepare(p, dt)              -> propagator; validates p (config_error naming the parameter)
//   M::initial_state(p)            -> state (resting state)
//   M::update(q, s, active, I)     advances s by one step; `active` is false while refractory
//                                  (the membrane potential is then held, other variables evolve);
//                                  I is the current injected by devices during the step
//   M::spiking(q, s)               the threshold condition after the update
//   M::reset(q, s)                 the reset after a spike
//   M::receptor_scale(q, r)        factor applied to a weight arriving on receptor r
//   M::refractory_period(p)        in time units (rounded to steps by the population)
//
// Units follow NEST (ms, mV, pA, pF, nS) and the defaults are NEST's. Every equation is
// dimensionally homogeneous, so any coherent unit system works as well; the Brian 2 replay runs in
// SI units (s, V, A, F, S) without conversion.
#include <brainweave/core/error.hpp>
#include <brainweave/core/parameters.hpp>

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <numbers>
#include <string>
#include <string_view>

namespace brainweave::spiking {

template <class M>
concept neuron_model = requires(const typename M::parameters& p, const typename M::propagator& q,
                                typename M::state& s, double x) {
    { M::name } -> std::convertible_to<std::string_view>;
    requires reflectable<typename M::parameters>;
    { M::defaults() } -> std::same_as<typename M::parameters>;
    { M::prepare(p, x) } -> std::same_as<typename M::propagator>;
    { M::initial_state(p) } -> std::same_as<typename M::state>;
    M::update(q, s, true, x);
    { M::spiking(q, s) } -> std::convertible_to<bool>;
    M::reset(q, s);
    { M::receptor_scale(q, std::size_t{}) } -> std::convertible_to<double>;
    { M::refractory_period(p) } -> std::convertible_to<double>;
    M::state_names.size();
    M::receptor_names.size();
    M::receptor_variable.size();
    requires std::tuple_size_v<typename M::state> == M::state_names.size();
    requires M::receptor_names.size() == M::receptor_variable.size();
};

namespace detail {
/// Throws config_error unless value > 0 (finite).
inline void require_positive(std::string_view model, std::string_view name, double value) {
    if (!(value > 0.0) || !std::isfinite(value))
        throw config_error(std::string(model) + " parameter '" + std::string(name) + "' must be > 0, got " +
                           std::to_string(value));
}
inline void require_finite(std::string_view model, std::string_view name, double value) {
    if (!std::isfinite(value))
        throw config_error(std::string(model) + " parameter '" + std::string(name) + "' must be finite, got " +
                           std::to_string(value));
}
inline void require_nonnegative(std::string_view model, std::string_view name, double value) {
    if (!(value >= 0.0) || !std::isfinite(value))
        throw config_error(std::string(model) + " parameter '" + std::string(name) + "' must be >= 0, got " +
                           std::to_string(value));
}
inline void require_below(std::string_view model, std::string_view lo_name, double lo, std::string_view hi_name, double hi) {
    if (!(lo < hi))
        throw config_error(std::string(model) + ": '" + std::string(lo_name) + "' (" + std::to_string(lo) +
                           ") must be below '" + std::string(hi_name) + "' (" + std::to_string(hi) + ")");
}

/// (x e^x - e^x + 1) / x^2, accurate near x = 0 (the limit is 1/2).
inline double alpha_response_factor(double x) noexcept {
    if (std::abs(x) < 1e-4) return 0.5 + x * (1.0 / 3.0 + x * (1.0 / 8.0 + x / 30.0));
    return (x * std::exp(x) - std::expm1(x)) / (x * x);
}
}  // namespace detail

/// Exact response of a leaky membrane (time constant tau_m, capacitance C) over a step h to
/// synaptic currents: the coefficients that multiply each kernel variable at the start of the step
/// in V(t+h). With a = 1/tau_m - 1/tau_s:
///   current I(s) = I0 e^{-s/tau_s}            contributes I0 * e^{-h/tau_m} expm1(a h)/a / C
///   alpha dI0:  I(s) = s dI0 e^{-s/tau_s}     contributes dI0 * e^{-h/tau_m} h^2 f(a h) / C
/// with f(x) = (x e^x - e^x + 1)/x^2. Both are well conditioned when tau_s approaches tau_m.
struct membrane_response {
    static double exponential(double h, double tau_m, double tau_s, double C) noexcept {
        const double a = 1.0 / tau_m - 1.0 / tau_s;
        const double integral = a == 0.0 ? h : std::expm1(a * h) / a;  // expm1 keeps small a accurate
        return std::exp(-h / tau_m) * integral / C;
    }
    static double alpha(double h, double tau_m, double tau_s, double C) noexcept {
        const double a = 1.0 / tau_m - 1.0 / tau_s;
        return std::exp(-h / tau_m) * h * h * detail::alpha_response_factor(a * h) / C;
    }
    /// A constant current I over the step contributes I * tau_m/C * (1 - e^{-h/tau_m}).
    static double constant(double h, double tau_m, double C) noexcept { return -tau_m / C * std::expm1(-h / tau_m); }
};

/// Synaptic kernels: the variables a receptor keeps, their exact propagation, and how a spike
/// enters them. `value` is the synaptic current or conductance the membrane sees.
///
/// exponential_kernel: one variable x; dx/dt = -x/tau; a spike of weight w adds w to x
/// (the PSC/PSG jumps to w and decays).
struct exponential_kernel {
    static constexpr std::size_t n_vars = 1;
    struct propagator {
        double decay = 0, half_decay = 0;
    };
    static propagator prepare(double h, double tau) noexcept { return {std::exp(-h / tau), std::exp(-0.5 * h / tau)}; }
    static double scale(double) noexcept { return 1.0; }
    static double value(const double* x) noexcept { return x[0]; }
    /// The value half-way through the step and at its end, without changing x.
    static double value_half(const propagator& q, const double* x) noexcept { return x[0] * q.half_decay; }
    static double value_end(const propagator& q, const double* x) noexcept { return x[0] * q.decay; }
    static void advance(const propagator& q, double* x) noexcept { x[0] *= q.decay; }
    /// Coefficients of the kernel variables in the exact V(t+h) of a leaky membrane.
    static std::array<double, 1> membrane_coefficients(double h, double tau_m, double tau, double C) noexcept {
        return {membrane_response::exponential(h, tau_m, tau, C)};
    }
};

/// alpha_kernel: two variables (dx, x); d(dx)/dt = -dx/tau, dx/dt = dx - x/tau; a spike of weight w
/// adds w e/tau to dx, so that x(t) = w (t/tau) e^{1 - t/tau} peaks at w after tau (NEST's
/// normalisation for iaf_psc_alpha and iaf_cond_alpha).
struct alpha_kernel {
    static constexpr std::size_t n_vars = 2;
    struct propagator {
        double h = 0, decay = 0, half_decay = 0;
    };
    static propagator prepare(double h, double tau) noexcept {
        return {h, std::exp(-h / tau), std::exp(-0.5 * h / tau)};
    }
    static double scale(double tau) noexcept { return std::numbers::e / tau; }
    static double value(const double* x) noexcept { return x[1]; }
    static double value_half(const propagator& q, const double* x) noexcept {
        return (x[1] + 0.5 * q.h * x[0]) * q.half_decay;
    }
    static double value_end(const propagator& q, const double* x) noexcept { return (x[1] + q.h * x[0]) * q.decay; }
    static void advance(const propagator& q, double* x) noexcept {
        x[1] = (x[1] + q.h * x[0]) * q.decay;
        x[0] *= q.decay;
    }
    static std::array<double, 2> membrane_coefficients(double h, double tau_m, double tau, double C) noexcept {
        return {membrane_response::alpha(h, tau_m, tau, C), membrane_response::exponential(h, tau_m, tau, C)};
    }
};

/// Fixed-step schemes for the membrane variables of the non-linear models (conductance-based and
/// adaptive neurons). The synaptic kernels are propagated exactly; the scheme evaluates them at its
/// stage times. `f(stage, y)` returns dy/dt at stage 0 (start), 1 (middle) or 2 (end of the step).
namespace schemes {
/// Forward (explicit) Euler: y' = y + h f(0, y). Brian 2's `euler` method.
struct euler {
    static constexpr std::string_view name = "euler";
    template <class Y, class F>
    static void step(Y& y, double h, F&& f) noexcept {
        const Y k = f(0, y);
        for (std::size_t i = 0; i < y.size(); ++i) y[i] += h * k[i];
    }
};
/// Classical fourth-order Runge-Kutta.
struct rk4 {
    static constexpr std::string_view name = "rk4";
    template <class Y, class F>
    static void step(Y& y, double h, F&& f) noexcept {
        const Y k1 = f(0, y);
        Y t;
        for (std::size_t i = 0; i < y.size(); ++i) t[i] = y[i] + 0.5 * h * k1[i];
        const Y k2 = f(1, t);
        for (std::size_t i = 0; i < y.size(); ++i) t[i] = y[i] + 0.5 * h * k2[i];
        const Y k3 = f(1, t);
        for (std::size_t i = 0; i < y.size(); ++i) t[i] = y[i] + h * k3[i];
        const Y k4 = f(2, t);
        for (std::size_t i = 0; i < y.size(); ++i) y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    }
};
}  // namespace schemes

/// The excitatory and inhibitory synaptic ports of NEST's models: receptors "ex" and "in", each a
/// Kernel whose variables sit in the state from index First (ex) and First + Kernel::n_vars (in).
/// Models derive from it for their receptor members and keep a `synapses` in their propagator.
template <class Kernel, std::size_t First>
struct ex_in_synapses {
    static constexpr std::size_t nk = Kernel::n_vars;
    static constexpr std::array<std::string_view, 2> receptor_names{"ex", "in"};
    static constexpr std::array<std::size_t, 2> receptor_variable{First, First + nk};

    struct synapses {
        typename Kernel::propagator ex, in;
        double scale_ex, scale_in;
    };
    static synapses prepare_synapses(double dt, double tau_ex, double tau_in) noexcept {
        return {Kernel::prepare(dt, tau_ex), Kernel::prepare(dt, tau_in), Kernel::scale(tau_ex), Kernel::scale(tau_in)};
    }
    /// Propagates both kernels exactly over one step.
    template <class S>
    static void advance_synapses(const synapses& q, S& s) noexcept {
        Kernel::advance(q.ex, &s[First]);
        Kernel::advance(q.in, &s[First + nk]);
    }
    /// The excitatory and inhibitory values at a stage (0 start, 1 middle, 2 end) of the step.
    template <class S>
    static std::array<double, 2> synapses_at(int stage, const synapses& q, const S& s) noexcept {
        auto at = [&](const typename Kernel::propagator& k, const double* x) {
            return stage == 0 ? Kernel::value(x) : stage == 1 ? Kernel::value_half(k, x) : Kernel::value_end(k, x);
        };
        return {at(q.ex, &s[First]), at(q.in, &s[First + nk])};
    }
    /// Factor on weights arriving at receptor r, for a model whose propagator holds `syn`.
    template <class Propagator>
    static double receptor_scale(const Propagator& q, std::size_t r) noexcept {
        return r == 0 ? q.syn.scale_ex : q.syn.scale_in;
    }
    /// The model's state names: its First own variables, then each kernel's variables in the
    /// order they are stored (`slope` names the alpha kernel's derivative, `value` the quantity).
    static constexpr auto state_names_with(std::array<std::string_view, First> own, std::array<std::string_view, 2> value,
                                           std::array<std::string_view, 2> slope) {
        std::array<std::string_view, First + 2 * nk> n{};
        for (std::size_t k = 0; k < First; ++k) n[k] = own[k];
        for (std::size_t r = 0; r < 2; ++r) {
            if constexpr (nk == 2) n[First + 2 * r] = slope[r];
            n[First + nk * r + nk - 1] = value[r];
        }
        return n;
    }
};


}  // namespace brainweave::spiking
