#pragma once
// Haemodynamic response functions (HRF kernels) of TVB's Bold monitor (TVB `equations`), as
// functions of time in seconds. Each kernel's `sample(t)` evaluates it on a grid of times, as
// TVB does before convolving; `bold(dot)` turns the convolution into the BOLD signal.
//
// | kernel                 | h(t), t in s                                                        | defaults                       |
// |------------------------|---------------------------------------------------------------------|--------------------------------|
// | first_order_volterra   | 1/3 exp(-t / (2 tau_s)) sin(w t) / w,  w = sqrt(1/tau_f - 1/(4 tau_s^2)) | tau_s 0.8, tau_f 0.4, k_1 5.6, V_0 0.02 |
// |                        | BOLD = k_1 V_0 (h * x - 1)   (Friston et al. 2000)                  |                                |
// | gamma                  | (t/tau)^(n-1) exp(-t/tau) / (tau (n-1)!), scaled to max a           | tau 1.08, n 3, a 0.1 (Boynton 1996) |
// | double_exponential     | amp_1 e^(-t/tau_1) sin(2 pi f_1 t) - amp_2 e^(-t/tau_2) sin(2 pi f_2 t), scaled to max a | tau_1 7.22, f_1 0.03, amp_1 0.1, tau_2 7.4, f_2 0.12, amp_2 0.1, a 0.1 (Polonsky 2000) |
// | mixture_of_gammas      | (l t)^(a_1-1) e^(-l t) / G(a_1) - c (l t)^(a_2-1) e^(-l t) / G(a_2) | a_1 6, a_2 13, l 1, c 0.4 (Glover 1999) |
//
// "Scaled to max a" divides by the largest sampled value and multiplies by a, as TVB does, so
// those two kernels depend on the sampling grid's extent.
#include <brainweave/core/error.hpp>

#include <boost/hana/adapt_struct.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace brainweave::equations {

namespace detail {
/// amp_1 e^(-t/tau_1) sin(2 pi f_1 t) - amp_2 e^(-t/tau_2) sin(2 pi f_2 t): TVB's DoubleExponential,
/// used as an HRF kernel here and as a stimulus in temporal.hpp.
template <class P>
double double_exponential_shape(const P& p, double t) noexcept {
    constexpr double pi = std::numbers::pi;
    return p.amp_1 * std::exp(-t / p.tau_1) * std::sin(2. * pi * p.f_1 * t) -
           p.amp_2 * std::exp(-t / p.tau_2) * std::sin(2. * pi * p.f_2 * t);
}

inline void scale_to_max(std::vector<double>& h, double a, std::string_view kernel) {
    const double mx = h.empty() ? 0.0 : *std::max_element(h.begin(), h.end());
    if (!(mx > 0.0) || !std::isfinite(mx))
        throw config_error(std::string(kernel) + " HRF kernel: its largest sampled value is " + std::to_string(mx) +
                           ", cannot scale it to a maximum of a");
    for (double& v : h) v = v / mx * a;
}
}  // namespace detail

struct first_order_volterra {
    static constexpr std::string_view name = "FirstOrderVolterra";
    double tau_s = 0.8, tau_f = 0.4, k_1 = 5.6, V_0 = 0.02;

    std::vector<double> sample(std::span<const double> t) const {
        const double w2 = 1. / tau_f - 1. / (4. * tau_s * tau_s);
        if (!(w2 > 0.0))
            throw config_error("FirstOrderVolterra HRF kernel: needs 1/tau_f > 1/(4 tau_s^2) (an oscillating kernel), got "
                               "tau_s = " + std::to_string(tau_s) + ", tau_f = " + std::to_string(tau_f));
        const double w = std::sqrt(w2);
        std::vector<double> h(t.size());
        for (std::size_t k = 0; k < t.size(); ++k) h[k] = 1 / 3. * std::exp(-0.5 * (t[k] / tau_s)) * std::sin(w * t[k]) / w;
        return h;
    }
    double bold(double convolved) const noexcept { return (convolved - 1.0) * (k_1 * V_0); }
};

struct gamma {
    static constexpr std::string_view name = "Gamma";
    double tau = 1.08, n = 3.0, a = 0.1;

    std::vector<double> sample(std::span<const double> t) const {
        double factorial = 1.0;  // (int(n) - 1)!, as TVB
        for (int i = 1; i < static_cast<int>(n); ++i) factorial *= i;
        std::vector<double> h(t.size());
        for (std::size_t k = 0; k < t.size(); ++k)
            h[k] = std::pow(t[k] / tau, n - 1) * std::exp(-(t[k] / tau)) / (tau * factorial);
        detail::scale_to_max(h, a, name);
        return h;
    }
    double bold(double convolved) const noexcept { return convolved; }
};

struct double_exponential {
    static constexpr std::string_view name = "DoubleExponential";
    double tau_1 = 7.22, f_1 = 0.03, amp_1 = 0.1, tau_2 = 7.4, f_2 = 0.12, amp_2 = 0.1, a = 0.1;

    std::vector<double> sample(std::span<const double> t) const {
        std::vector<double> h(t.size());
        for (std::size_t k = 0; k < t.size(); ++k) h[k] = detail::double_exponential_shape(*this, t[k]);
        detail::scale_to_max(h, a, name);
        return h;
    }
    double bold(double convolved) const noexcept { return convolved; }
};

struct mixture_of_gammas {
    static constexpr std::string_view name = "MixtureOfGammas";
    double a_1 = 6.0, a_2 = 13.0, l = 1.0, c = 0.4;

    std::vector<double> sample(std::span<const double> t) const {
        const double g1 = std::tgamma(a_1), g2 = std::tgamma(a_2);
        std::vector<double> h(t.size());
        for (std::size_t k = 0; k < t.size(); ++k)
            h[k] = std::pow(l * t[k], a_1 - 1) * std::exp(-l * t[k]) / g1 -
                   c * std::pow(l * t[k], a_2 - 1) * std::exp(-l * t[k]) / g2;
        return h;
    }
    double bold(double convolved) const noexcept { return convolved; }
};

/// Any of TVB's HRF kernels, chosen at run time.
using hrf_kernel = std::variant<first_order_volterra, gamma, double_exponential, mixture_of_gammas>;

}  // namespace brainweave::equations

BOOST_HANA_ADAPT_STRUCT(brainweave::equations::first_order_volterra, tau_s, tau_f, k_1, V_0);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::gamma, tau, n, a);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::double_exponential, tau_1, f_1, amp_1, tau_2, f_2, amp_2, a);
BOOST_HANA_ADAPT_STRUCT(brainweave::equations::mixture_of_gammas, a_1, a_2, l, c);
