#pragma once
// Firing rates of spike trains (sorted spike times; rates in spikes per time unit, Hz for seconds):
//  - time_histogram: spikes of all given trains in bins [t0 + k w, t0 + (k+1) w) as counts, mean
//    counts per train, or rate (mean count / w), as Elephant's time_histogram (output "counts",
//    "mean", "rate").
//  - instantaneous_rate: the train convolved with a kernel of unit area, sampled every `step` from
//    t0 (sample k at t0 + k step). Kernels are given by their standard deviation sigma, as in
//    Elephant: gaussian; rectangular (width 2 sqrt(3) sigma); triangular (half-width sqrt(6) sigma);
//    exponential (causal, time constant sigma), shifted by its median (sigma ln 2) when centred, so
//    that the rate does not lag (Elephant's center_kernel = True).
//  - gaussian_window / flat_window / smooth: a rate sampled on a grid, smoothed by a discrete
//    window of unit sum centred on each sample (the edges lose what falls outside, like a 'same'
//    convolution); used by co-simulation transformers and figures alike.
//  - optimal_bandwidth: the Gaussian kernel's sigma minimising Shimazaki & Shinomoto's (2010)
//    estimate of the mean integrated squared error of the rate, C(w) = sum_ij k_{sqrt2 w}(t_i - t_j)
//    - 2 sum_{i != j} k_w(t_i - t_j), over a logarithmic grid refined by golden-section search.
#include <brainweave/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>
#include <string>
#include <vector>

namespace brainweave::analysis {

enum class histogram_output { counts, mean, rate };

/// Bins of all trains together (see the header comment); trains must lie in [t0, t1].
inline std::vector<double> time_histogram(const std::vector<std::vector<double>>& trains, double t0, double t1, double w,
                                          histogram_output output = histogram_output::counts) {
    if (!(w > 0) || !(t1 > t0)) throw config_error("time_histogram: needs a positive bin width and t1 > t0");
    const auto n = static_cast<std::size_t>(std::llround((t1 - t0) / w));
    if (n < 1 || std::abs(static_cast<double>(n) * w - (t1 - t0)) > 1e-9 * (t1 - t0))
        throw config_error("time_histogram: the bin width must divide [t0, t1]");
    std::vector<double> h(n, 0.0);
    for (const auto& tr : trains)
        for (double t : tr) {
            if (t < t0 || t > t1) continue;
            auto k = std::min(static_cast<std::size_t>(std::floor((t - t0) / w)), n - 1);
            while (k > 0 && t < t0 + static_cast<double>(k) * w) --k;
            while (k + 1 < n && t >= t0 + static_cast<double>(k + 1) * w) ++k;
            h[k] += 1;
        }
    if (output != histogram_output::counts) {
        if (trains.empty()) throw config_error("time_histogram: no trains to average");
        const double scale = 1.0 / static_cast<double>(trains.size()) / (output == histogram_output::rate ? w : 1.0);
        for (double& v : h) v *= scale;
    }
    return h;
}

enum class kernel_shape { gaussian, rectangular, triangular, exponential };

/// A smoothing kernel of unit area, given by its standard deviation.
struct rate_kernel {
    kernel_shape shape = kernel_shape::gaussian;
    double sigma = 0.0;
    bool centred = true;  ///< shift an asymmetric kernel by its median

    void validate() const {
        if (!(sigma > 0) || !std::isfinite(sigma)) throw config_error("rate_kernel: sigma must be positive");
    }
    /// The kernel's value at lag s (time after the spike).
    double operator()(double s) const {
        switch (shape) {
            case kernel_shape::gaussian:
                return std::exp(-0.5 * s * s / (sigma * sigma)) / (std::sqrt(2 * std::numbers::pi) * sigma);
            case kernel_shape::rectangular: {
                const double half = std::sqrt(3.0) * sigma;
                return std::abs(s) < half ? 1.0 / (2 * half) : 0.0;
            }
            case kernel_shape::triangular: {
                const double half = std::sqrt(6.0) * sigma;
                return std::abs(s) < half ? (1.0 - std::abs(s) / half) / half : 0.0;
            }
            case kernel_shape::exponential: {
                const double u = centred ? s + sigma * std::numbers::ln2 : s;
                return u >= 0 ? std::exp(-u / sigma) / sigma : 0.0;
            }
        }
        return 0.0;
    }
    /// Lags beyond which the kernel is negligible (below 1e-12 of its peak) or zero.
    std::pair<double, double> support() const {
        switch (shape) {
            case kernel_shape::gaussian: return {-7.5 * sigma, 7.5 * sigma};
            case kernel_shape::rectangular: return {-std::sqrt(3.0) * sigma, std::sqrt(3.0) * sigma};
            case kernel_shape::triangular: return {-std::sqrt(6.0) * sigma, std::sqrt(6.0) * sigma};
            case kernel_shape::exponential: {
                const double shift = centred ? sigma * std::numbers::ln2 : 0.0;
                return {-shift, 28 * sigma - shift};
            }
        }
        return {0.0, 0.0};
    }
};

/// A Gaussian of standard deviation `sigma` sampled every `step` (same unit), truncated at 4 sigma,
/// normalised to unit sum; 2 ceil(4 sigma / step) + 1 samples, the centre in the middle.
inline std::vector<double> gaussian_window(double step, double sigma) {
    if (!(sigma > 0) || !(step > 0)) throw config_error("gaussian_window: sigma and the step must be > 0");
    const auto half = static_cast<std::ptrdiff_t>(std::ceil(4.0 * sigma / step));
    std::vector<double> w(static_cast<std::size_t>(2 * half + 1));
    double sum = 0.0;
    for (std::ptrdiff_t j = -half; j <= half; ++j) {
        const double t = static_cast<double>(j) * step / sigma;
        sum += w[static_cast<std::size_t>(j + half)] = std::exp(-0.5 * t * t);
    }
    for (auto& x : w) x /= sum;
    return w;
}

/// A flat window `width` long (2 floor(width / step / 2) + 1 samples), normalised to unit sum.
inline std::vector<double> flat_window(double step, double width) {
    if (!(width > 0) || !(step > 0)) throw config_error("flat_window: the width and the step must be > 0");
    const auto half = static_cast<std::size_t>(std::floor(width / step / 2));
    return std::vector<double>(2 * half + 1, 1.0 / static_cast<double>(2 * half + 1));
}

/// x smoothed by a centred window of odd length: out[s + j] += x[s] w[j + half].
inline std::vector<double> smooth(std::span<const double> x, std::span<const double> w) {
    if (w.size() % 2 != 1) throw config_error("smooth: the window needs an odd number of samples");
    const auto half = static_cast<std::ptrdiff_t>(w.size() / 2), n = static_cast<std::ptrdiff_t>(x.size());
    std::vector<double> out(x.size(), 0.0);
    for (std::ptrdiff_t s = 0; s < n; ++s) {
        const double c = x[static_cast<std::size_t>(s)];
        if (c == 0.0) continue;
        for (std::ptrdiff_t j = std::max(-half, -s); j <= std::min(half, n - 1 - s); ++j)
            out[static_cast<std::size_t>(s + j)] += c * w[static_cast<std::size_t>(j + half)];
    }
    return out;
}

/// The rate of one train sampled at t0 + k step, k = 0 .. floor((t1 - t0) / step).
inline std::vector<double> instantaneous_rate(const std::vector<double>& train, double t0, double t1, double step, const rate_kernel& k) {
    k.validate();
    if (!(step > 0) || !(t1 > t0)) throw config_error("instantaneous_rate: needs a positive step and t1 > t0");
    const auto n = static_cast<std::size_t>(std::floor((t1 - t0) / step + 1e-9)) + 1;
    std::vector<double> r(n, 0.0);
    const auto [lo, hi] = k.support();
    for (double s : train) {
        // samples t with lo <= t - s <= hi
        const auto first = static_cast<std::ptrdiff_t>(std::ceil((s + lo - t0) / step));
        const auto last = static_cast<std::ptrdiff_t>(std::floor((s + hi - t0) / step));
        for (std::ptrdiff_t i = std::max<std::ptrdiff_t>(first, 0); i <= std::min<std::ptrdiff_t>(last, static_cast<std::ptrdiff_t>(n) - 1); ++i)
            r[static_cast<std::size_t>(i)] += k(t0 + static_cast<double>(i) * step - s);
    }
    return r;
}

/// Shimazaki & Shinomoto's cost of a Gaussian kernel of standard deviation w (up to a constant).
inline double bandwidth_cost(const std::vector<double>& spikes, double w) {
    const double w2 = std::sqrt(2.0) * w;
    auto g = [](double d, double s) { return std::exp(-0.5 * d * d / (s * s)) / (std::sqrt(2 * std::numbers::pi) * s); };
    double c = static_cast<double>(spikes.size()) * g(0.0, w2);
    for (std::size_t i = 0; i < spikes.size(); ++i)
        for (std::size_t j = i + 1; j < spikes.size(); ++j) {
            const double d = spikes[j] - spikes[i];
            if (d > 10 * w2) break;  // sorted: the rest are farther (terms below 1e-21)
            c += 2 * g(d, w2) - 4 * g(d, w);
        }
    return c;
}

/// The optimal Gaussian bandwidth (standard deviation) of a train's rate (at least 2 spikes).
inline double optimal_bandwidth(std::vector<double> spikes) {
    if (spikes.size() < 2) throw config_error("optimal_bandwidth: needs at least two spikes");
    std::sort(spikes.begin(), spikes.end());
    double min_isi = spikes.back() - spikes.front();
    for (std::size_t k = 1; k < spikes.size(); ++k)
        if (spikes[k] > spikes[k - 1]) min_isi = std::min(min_isi, spikes[k] - spikes[k - 1]);
    const double span = spikes.back() - spikes.front();
    if (!(span > 0)) throw config_error("optimal_bandwidth: the spikes must not all coincide");
    // Coarse logarithmic grid from twice the smallest interval to the span, then golden section.
    const double lo = std::min(2 * min_isi, span / 2), hi = span;
    const int grid = 50;
    double best_w = lo, best_c = bandwidth_cost(spikes, lo);
    std::size_t best_k = 0;
    std::vector<double> ws(grid);
    for (int k = 0; k < grid; ++k) {
        ws[static_cast<std::size_t>(k)] = lo * std::pow(hi / lo, static_cast<double>(k) / (grid - 1));
        const double c = bandwidth_cost(spikes, ws[static_cast<std::size_t>(k)]);
        if (c < best_c) best_c = c, best_w = ws[static_cast<std::size_t>(k)], best_k = static_cast<std::size_t>(k);
    }
    double a = ws[best_k > 0 ? best_k - 1 : 0], b = ws[std::min<std::size_t>(best_k + 1, grid - 1)];
    const double phi = (std::sqrt(5.0) - 1) / 2;
    double x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = bandwidth_cost(spikes, x1), f2 = bandwidth_cost(spikes, x2);
    for (int it = 0; it < 60 && b - a > 1e-9 * best_w; ++it) {
        if (f1 < f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - phi * (b - a);
            f1 = bandwidth_cost(spikes, x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + phi * (b - a);
            f2 = bandwidth_cost(spikes, x2);
        }
    }
    const double w = 0.5 * (a + b);
    return bandwidth_cost(spikes, w) <= best_c ? w : best_w;
}

}  // namespace brainweave::analysis
