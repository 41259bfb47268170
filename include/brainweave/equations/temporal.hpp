#pragma once
// Temporal equations of TVB's stimuli (TVB `equations`, TemporalApplicableEquation), functions of
// time t in ms:
//
// | equation           | f(t)                                                        | defaults (TVB)                  |
// |--------------------|-------------------------------------------------------------|---------------------------------|
// | linear             | a t + b                                                     | a 1, b 0                        |
// | gaussian           | amp exp(-(t - midpoint)^2 / (2 sigma^2)) + offset           | amp 1, sigma 1, midpoint 0, offset 0 |
// | sinusoid           | amp sin(2 pi frequency t)                                   | amp 1, frequency 0.01 (per ms)  |
// | pulse_train        | amp if t > onset and (t - onset) mod T < tau, else 0        | T 42, tau 13, amp 1, onset 30   |
// | double_exponential | (amp_1 e^(-t/tau_1) sin(2 pi f_1 t) - amp_2 e^(-t/tau_2) sin(2 pi f_2 t)) a / peak | TVB's HRF DoubleExponential parameters |
//
// double_exponential is scaled so that its largest value over t >= 0 is a: TVB divides by the
// largest value over the run's time grid, which is the same once the run covers the first peak;
// here the peak is located on a 1e-3-ms grid over the first 20 tau (computed once per copy, on
// first use).
#include <brainweave/core/error.hpp>
#include <brainweave/equations/hrf.hpp>

#include <boost/hana/adapt_struct.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <string_view>
#include <variant>

namespace brainweave::equations {

struct linear {
    static constexpr std::string_view name = "Linear";
    double a = 1.0, b = 0.0;
    double operator()(double t) const noexcept { return a * t + b; }
};

struct gaussian {
    static constexpr std::string_view name = "Gaussian";
    double amp = 1.0, sigma = 1.0, midpoint = 0.0, offset = 0.0;
    double operator()(double t) const noexcept {
        return amp * std::exp(-((t - midpoint) * (t - midpoint) / (2.0 * sigma * sigma))) + offset;
    }
};

struct sinusoid {
    static constexpr std::string_view name = "Sinusoid";
    double amp = 1.0, frequency = 0.01;
    double operator()(double t) const noexcept { return amp * std::sin(2.0 * std::numbers::pi * frequency * t); }
};

struct pulse_train {
    static constexpr std::string_view name = "PulseTrain";
    double T = 42.0, tau = 13.0, amp = 1.0, onset = 30.0;
    double operator()(double t) const noexcept {
        return (t > onset && std::fmod(t - onset, T) < tau) ? amp : 0.0;
    }
};

struct double_exponential_pulse {
    static constexpr std::string_view name = "DoubleExponential";
    double tau_1 = 7.22, f_1 = 0.03, amp_1 = 0.1, tau_2 = 7.4, f_2 = 0.12, amp_2 = 0.1, a = 0.1;
    double raw(double t) const noexcept { return detail::double_exponential_shape(*this, t); }
    /// Largest value over t >= 0 (see the header comment).
    double peak() const {
        double mx = 0.0;
        const double end = 20.0 * std::max(tau_1, tau_2);
        for (double t = 0.0; t <= end; t += 1e-3) mx = std::max(mx, raw(t));
        if (!(mx > 0.0))
            throw config_error("DoubleExponential stimulus: the equation is never positive, cannot scale it to a maximum of a");
        return mx;
    }
    double operator()(double t) const {
        if (scale_ == 0.0) scale_ = a / peak();  // once per copy; a copy is used by one simulation
        return raw(t) * scale_;
    }
    mutable double scale_ = 0.0;  ///< a / peak(), computed on first use
};

/// Any temporal equation, chosen at run time.
using temporal_equation = std::variant<linear, gaussian, sinusoid, pulse_train, double_exponential_pulse>;

}  // namespace brainweave::equations

BOOST_HANA_ADAPT_STRUCT(brainweave::equations::linear, a, b);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::gaussian, amp, sigma, midpoint, offset);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::sinusoid, amp, frequency);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::pulse_train, T, tau, amp, onset);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::double_exponential_pulse, tau_1, f_1, amp_1, tau_2, f_2, amp_2, a);
