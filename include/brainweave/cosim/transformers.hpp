#pragma once
// Transformers: how one scale's signal becomes the other's in a co-simulation (tvb-multiscale's
// "transformers"). Three kinds:
//
// Rates to spikes (spiking/input_trains.hpp, used through a poisson_input whose rate the
// co-simulation sets every region step):
//   trains::independent           an inhomogeneous Poisson train per target neuron
//   trains::single_interaction    Kuhn et al. 2003 SIP: shared train at c r + own trains at (1-c) r
//   trains::multiple_interaction  Kuhn et al. 2003 MIP: mother train at r / c, thinned with prob. c
// (or a current instead of spikes: cosim::current_in sets a population's drive.)
//
// Spikes to rates (from per-step spike counts, spiking::spike_counter):
//   bin_counts(counts, bin)                   spike counts per bin of `bin` steps
//   binned_rate(counts, n, bin_seconds)       counts per bin -> rate per neuron (Hz)
//   kernel_rate(counts, n, dt, kernel)        rate per neuron and step (Hz) smoothed by a kernel:
//                                             gaussian_kernel{sigma} (symmetric, as brian2tools'
//                                             plot_rate and Elephant's instantaneous_rate), or
//                                             exponential_kernel{tau} (causal, the online filter)
// A co-simulation bins online: the rate of a population in one region step (network_side).
//
// Signal transformers (the Transformer concept, composable with chain<...>), applied once per
// region step of dt ms:
//   linear{scale, offset}      y = scale x + offset
//   clamp{lo, hi}              y = min(max(x, lo), hi) (e.g. a rate that must not be negative)
//   exponential_filter{tau}    y_n = a y_{n-1} + (1 - a) x_n, a = exp(-dt/tau): the exponential
//                              kernel of unit area, causal
//   rww_gating{...}            the reduced Wong-Wang synaptic gating driven by a rate R_in (Hz):
//                                dR/dt = -(R - R_in)/tau_r                   (tau_r = 0: R = R_in)
//                                dS/dt = -S/tau_s + (1 - S) gamma R          (saturating, S_e)
//                                dS/dt = -S/tau_s + gamma R                  (saturating = false, S_i)
//                              integrated exactly for R_in held over the step (R first, then S
//                              with the new R), so any dt is stable; the output is S.
#include <brainweave/analysis/rates.hpp>
#include <brainweave/concepts/transformer.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/core/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace brainweave::cosim {

// --- signal transformers ----------------------------------------------------------------------

struct linear {
    static constexpr std::string_view name = "linear";
    double scale = 1.0, offset = 0.0;
    double operator()(double x, double) const noexcept { return scale * x + offset; }
};

struct clamp {
    static constexpr std::string_view name = "clamp";
    double lo = 0.0, hi = HUGE_VAL;
    double operator()(double x, double) const noexcept { return std::min(std::max(x, lo), hi); }
};

struct exponential_filter {
    static constexpr std::string_view name = "exponential_filter";
    double tau = 10.0;  ///< ms
    double y = 0.0;     ///< state: the last output
    double operator()(double x, double dt) {
        if (!(tau > 0)) throw config_error("exponential_filter: tau must be > 0 ms, got " + std::to_string(tau));
        const double a = std::exp(-dt / tau);
        y = a * y + (1.0 - a) * x;
        return y;
    }
    template <class Archive>
    void serialize(Archive& ar) {
        ar("y", y);
    }
};

struct rww_gating {
    static constexpr std::string_view name = "rww_gating";
    double tau_s = 100.0;           ///< ms (TVB's tau_e; tau_i = 10 for S_i)
    double gamma = 0.641 / 1000.0;  ///< per ms and Hz (TVB's gamma_e; gamma_i = 1/1000)
    double tau_r = 0.0;             ///< ms; 0: the rate enters as it is
    bool saturating = true;         ///< the (1 - S) factor (S_e: true, S_i: false)
    double S = 0.0, R = 0.0;        ///< state
    double operator()(double rate_in, double dt) {
        if (!(tau_s > 0) || !(tau_r >= 0) || !(gamma >= 0))
            throw config_error("rww_gating: expected tau_s > 0, tau_r >= 0 and gamma >= 0");
        R = tau_r > 0 ? rate_in + (R - rate_in) * std::exp(-dt / tau_r) : rate_in;
        const double k = 1.0 / tau_s + (saturating ? gamma * R : 0.0);  // decay rate of S
        const double s_inf = gamma * R / k;
        S = s_inf + (S - s_inf) * std::exp(-k * dt);
        return S;
    }
    template <class Archive>
    void serialize(Archive& ar) {
        ar("S", S);
        ar("R", R);
    }
};

/// A transformer's checkpoint records, if it has state (a serialize member); stateless ones
/// (linear, clamp) have none.
template <class Archive, class T>
void serialize_transformer(Archive& ar, const std::string& name, T& t) {
    if constexpr (serial::serializable_member<T, Archive>) ar(name, t);
}

/// Transformers applied in order: chain<A, B>{a, b}(x, dt) = b(a(x, dt), dt). chain<> is the identity.
template <Transformer... Ts>
struct chain {
    static constexpr std::string_view name = "chain";
    std::tuple<Ts...> stages;
    chain() = default;
    explicit chain(Ts... ts)
        requires(sizeof...(Ts) > 0)
        : stages(std::move(ts)...) {}
    double operator()(double x, double dt) {
        std::apply([&](auto&... t) { ((x = t(x, dt)), ...); }, stages);
        return x;
    }
    template <class Archive>
    void serialize(Archive& ar) {
        std::size_t k = 0;
        std::apply([&](auto&... t) { (serialize_transformer(ar, "stage " + std::to_string(k++), t), ...); }, stages);
    }
};

// --- spikes to rates (offline, or per window) ---------------------------------------------------

/// Sums per-step counts into bins of `bin` steps (a last partial bin is kept).
inline std::vector<double> bin_counts(std::span<const std::uint32_t> counts, std::size_t bin) {
    if (bin == 0) throw config_error("bin_counts: the bin must be at least one step");
    std::vector<double> out((counts.size() + bin - 1) / bin, 0.0);
    for (std::size_t s = 0; s < counts.size(); ++s) out[s / bin] += counts[s];
    return out;
}

/// Counts of `n_neurons` neurons per bin of `bin_seconds` -> mean rate per neuron (Hz).
inline std::vector<double> binned_rate(std::span<const double> counts, std::size_t n_neurons, double bin_seconds) {
    if (n_neurons == 0 || !(bin_seconds > 0))
        throw config_error("binned_rate: expected at least one neuron and a bin > 0 s");
    std::vector<double> out(counts.size());
    const double norm = 1.0 / (static_cast<double>(n_neurons) * bin_seconds);
    for (std::size_t k = 0; k < counts.size(); ++k) out[k] = counts[k] * norm;
    return out;
}

struct gaussian_kernel {
    double sigma = 5.0;  ///< ms; truncated at 4 sigma, normalised to unit area on the grid
};
struct exponential_kernel {
    double tau = 5.0;  ///< ms; causal
};
using rate_kernel = std::variant<gaussian_kernel, exponential_kernel>;

/// The rate per neuron (Hz) at every step, from per-step counts of `n_neurons` neurons, smoothed
/// by `kernel`; dt in ms. The kernel's weights sum to one, so the mean rate is preserved (except
/// near the ends for the Gaussian, which is not renormalised there, like a 'same' convolution).
inline std::vector<double> kernel_rate(std::span<const std::uint32_t> counts, std::size_t n_neurons, double dt,
                                       const rate_kernel& kernel) {
    if (n_neurons == 0 || !(dt > 0)) throw config_error("kernel_rate: expected at least one neuron and dt > 0 ms");
    const double to_hz = 1000.0 / (static_cast<double>(n_neurons) * dt);  // counts per step -> Hz per neuron
    std::vector<double> out(counts.size(), 0.0);
    if (const auto* g = std::get_if<gaussian_kernel>(&kernel)) {
        if (!(g->sigma > 0)) throw config_error("kernel_rate: gaussian sigma must be > 0 ms");
        std::vector<double> hz(counts.size());
        for (std::size_t s = 0; s < counts.size(); ++s) hz[s] = counts[s] * to_hz;
        out = analysis::smooth(hz, analysis::gaussian_window(dt, g->sigma));
    } else {
        exponential_filter f{std::get<exponential_kernel>(kernel).tau};
        for (std::size_t s = 0; s < counts.size(); ++s) out[s] = f(counts[s] * to_hz, dt);
    }
    return out;
}

}  // namespace brainweave::cosim
