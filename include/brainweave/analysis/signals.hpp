#pragma once
// Analysis of continuous signals (LFP, CSD, EEG, rates): the helpers hybridLFPy users rely on.
// Signals are matrices with one row per channel (or unit) and one column per sample.
//  - power_spectrum, cross_spectrum, coherence: Welch's method as scipy.signal.welch / csd /
//    coherence with their defaults (Hann window, 50 % overlap, constant detrend per segment,
//    one-sided density in units^2/Hz, segments averaged: the averaging is the smoothing).
//  - unit_statistics: mean, variance, coefficient of variation and Fano factor per row (e.g. spike
//    counts per bin: Fano = variance / mean).
//  - normalize: zero mean, unit variance per row. moving_average: centred boxcar, zero-padded at
//    the ends (numpy.convolve(x, ones(n) / n, "same")). decimate: zero-phase FIR low-pass
//    (Hamming-windowed sinc of 20 q + 1 taps, cut-off at the new Nyquist frequency) then every
//    q-th sample, as scipy.signal.decimate(x, q, ftype="fir").
// Checked against scipy 1.10 in tests/test_lfp.cpp.
#include <brainweave/core/error.hpp>

#include <Eigen/Core>
#include <unsupported/Eigen/FFT>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

namespace brainweave::analysis {

struct welch_options {
    std::size_t segment = 256;        ///< samples per segment (nperseg)
    std::size_t overlap = SIZE_MAX;   ///< samples shared by consecutive segments; default segment / 2
    bool detrend = true;              ///< subtract each segment's mean
};

/// One-sided spectra: frequencies (Hz) and values (rows x frequencies).
template <class T>
struct spectra {
    std::vector<double> frequency;
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> values;
};

namespace detail {
struct welch_plan {
    std::size_t n, step, segments;
    std::vector<double> window;
    double scale;  // 1 / (fs sum w^2)
};

inline welch_plan plan_welch(std::size_t samples, double fs, welch_options o, const char* who) {
    if (!(fs > 0)) throw config_error(std::string(who) + ": the sampling rate must be positive (Hz)");
    welch_plan p;
    p.n = std::min(o.segment, samples);
    if (p.n < 2) throw config_error(std::string(who) + ": need at least 2 samples per segment");
    const std::size_t overlap = o.overlap == SIZE_MAX ? p.n / 2 : o.overlap;
    if (overlap >= p.n) throw config_error(std::string(who) + ": overlap must be smaller than the segment");
    p.step = p.n - overlap;
    p.segments = (samples - p.n) / p.step + 1;
    p.window.resize(p.n);
    double s2 = 0;
    for (std::size_t k = 0; k < p.n; ++k) {  // periodic Hann, as scipy.signal.get_window("hann", n)
        p.window[k] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(p.n));
        s2 += p.window[k] * p.window[k];
    }
    p.scale = 1.0 / (fs * s2);
    return p;
}

// Windowed FFTs of every segment of row r.
template <class Row>
std::vector<std::vector<std::complex<double>>> segment_ffts(const Row& x, const welch_plan& p, bool detrend) {
    Eigen::FFT<double> fft;
    std::vector<std::vector<std::complex<double>>> out(p.segments);
    std::vector<double> seg(p.n);
    for (std::size_t s = 0; s < p.segments; ++s) {
        double mean = 0;
        for (std::size_t k = 0; k < p.n; ++k) mean += x(static_cast<Eigen::Index>(s * p.step + k));
        mean = detrend ? mean / static_cast<double>(p.n) : 0.0;
        for (std::size_t k = 0; k < p.n; ++k) seg[k] = (x(static_cast<Eigen::Index>(s * p.step + k)) - mean) * p.window[k];
        fft.fwd(out[s], seg);
    }
    return out;
}

inline std::vector<double> frequencies(std::size_t n, double fs) {
    std::vector<double> f(n / 2 + 1);
    for (std::size_t k = 0; k < f.size(); ++k) f[k] = static_cast<double>(k) * fs / static_cast<double>(n);
    return f;
}

// Averages conj(X) Y over segments, one-sided density scaling.
inline std::vector<std::complex<double>> average_cross(const std::vector<std::vector<std::complex<double>>>& X,
                                                       const std::vector<std::vector<std::complex<double>>>& Y, const welch_plan& p) {
    const std::size_t nf = p.n / 2 + 1;
    std::vector<std::complex<double>> acc(nf, 0.0);
    for (std::size_t s = 0; s < X.size(); ++s)
        for (std::size_t k = 0; k < nf; ++k) acc[k] += std::conj(X[s][k]) * Y[s][k];
    for (std::size_t k = 0; k < nf; ++k) {
        acc[k] *= p.scale / static_cast<double>(X.size());
        if (k != 0 && !(p.n % 2 == 0 && k == nf - 1)) acc[k] *= 2.0;  // one-sided: fold negative frequencies
    }
    return acc;
}
}  // namespace detail

/// Power spectral density per row (units^2 / Hz), Welch's method.
inline spectra<double> power_spectrum(const Eigen::MatrixXd& x, double fs_hz, welch_options o = {}) {
    const auto p = detail::plan_welch(static_cast<std::size_t>(x.cols()), fs_hz, o, "power_spectrum");
    spectra<double> s;
    s.frequency = detail::frequencies(p.n, fs_hz);
    s.values.resize(x.rows(), static_cast<Eigen::Index>(s.frequency.size()));
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const auto X = detail::segment_ffts(x.row(r), p, o.detrend);
        const auto a = detail::average_cross(X, X, p);
        for (std::size_t k = 0; k < a.size(); ++k) s.values(r, static_cast<Eigen::Index>(k)) = a[k].real();
    }
    return s;
}

/// Cross spectral density of each row of x with the same row of y (conj(X) Y, as scipy.signal.csd).
inline spectra<std::complex<double>> cross_spectrum(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, double fs_hz, welch_options o = {}) {
    if (x.rows() != y.rows() || x.cols() != y.cols()) throw config_error("cross_spectrum: x and y must have the same shape");
    const auto p = detail::plan_welch(static_cast<std::size_t>(x.cols()), fs_hz, o, "cross_spectrum");
    spectra<std::complex<double>> s;
    s.frequency = detail::frequencies(p.n, fs_hz);
    s.values.resize(x.rows(), static_cast<Eigen::Index>(s.frequency.size()));
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const auto a = detail::average_cross(detail::segment_ffts(x.row(r), p, o.detrend), detail::segment_ffts(y.row(r), p, o.detrend), p);
        for (std::size_t k = 0; k < a.size(); ++k) s.values(r, static_cast<Eigen::Index>(k)) = a[k];
    }
    return s;
}

/// Magnitude-squared coherence |Pxy|^2 / (Pxx Pyy) of each row of x with the same row of y.
inline spectra<double> coherence(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, double fs_hz, welch_options o = {}) {
    const auto pxy = cross_spectrum(x, y, fs_hz, o);
    const auto pxx = power_spectrum(x, fs_hz, o), pyy = power_spectrum(y, fs_hz, o);
    spectra<double> s;
    s.frequency = pxy.frequency;
    s.values = pxy.values.cwiseAbs2().array() / (pxx.values.array() * pyy.values.array());
    return s;
}

/// Per-row mean, variance (population), coefficient of variation (std / mean) and Fano factor
/// (variance / mean).
struct unit_statistics {
    Eigen::VectorXd mean, variance, cv, fano;
};

inline unit_statistics statistics_per_unit(const Eigen::MatrixXd& x) {
    if (x.cols() == 0) throw config_error("statistics_per_unit: no samples");
    unit_statistics s;
    s.mean = x.rowwise().mean();
    s.variance = (x.colwise() - s.mean).array().square().rowwise().mean();
    s.cv = s.variance.array().sqrt() / s.mean.array();
    s.fano = s.variance.array() / s.mean.array();
    return s;
}

/// Zero mean and unit variance per row (rows without variance become zeros).
inline Eigen::MatrixXd normalize(const Eigen::MatrixXd& x) {
    Eigen::MatrixXd y = x.colwise() - x.rowwise().mean();
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
        const double sd = std::sqrt(y.row(r).squaredNorm() / static_cast<double>(y.cols()));
        if (sd > 0) y.row(r) /= sd;
        else y.row(r).setZero();
    }
    return y;
}

/// Centred moving average over n samples, zero-padded at the ends (numpy.convolve(x, ones(n)/n, "same")).
inline Eigen::MatrixXd moving_average(const Eigen::MatrixXd& x, std::size_t n) {
    if (n == 0) throw config_error("moving_average: the window needs at least one sample");
    const auto N = x.cols(), w = static_cast<Eigen::Index>(n);
    // numpy's "same" keeps output k aligned with full-convolution index k + (n - 1) / 2.
    const Eigen::Index shift = (w - 1) / 2;
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(x.rows(), N);
    for (Eigen::Index k = 0; k < N; ++k) {
        const Eigen::Index full = k + shift, lo = std::max<Eigen::Index>(0, full - w + 1), hi = std::min<Eigen::Index>(N - 1, full);
        if (hi >= lo) y.col(k) = x.middleCols(lo, hi - lo + 1).rowwise().sum() / static_cast<double>(n);
    }
    return y;
}

/// Low-pass filters (zero phase) and keeps every q-th sample (scipy.signal.decimate(x, q, ftype="fir")).
inline Eigen::MatrixXd decimate(const Eigen::MatrixXd& x, std::size_t q) {
    if (q == 0) throw config_error("decimate: the factor must be at least 1");
    if (q == 1) return x;
    const std::size_t taps = 20 * q + 1, half = taps / 2;
    // firwin(taps, 1/q, window="hamming"), scaled to unit gain at zero frequency.
    std::vector<double> h(taps);
    double sum = 0;
    const double c = 1.0 / static_cast<double>(q);
    for (std::size_t m = 0; m < taps; ++m) {
        const double t = static_cast<double>(m) - static_cast<double>(half);
        const double sinc = t == 0 ? 1.0 : std::sin(std::numbers::pi * c * t) / (std::numbers::pi * c * t);
        const double hamming = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * static_cast<double>(m) / static_cast<double>(taps - 1));
        h[m] = c * sinc * hamming;
        sum += h[m];
    }
    for (double& v : h) v /= sum;
    const auto N = x.cols(), M = (N + static_cast<Eigen::Index>(q) - 1) / static_cast<Eigen::Index>(q);
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(x.rows(), M);
    for (Eigen::Index k = 0; k < M; ++k) {
        const Eigen::Index centre = k * static_cast<Eigen::Index>(q);
        for (std::size_t m = 0; m < taps; ++m) {
            const Eigen::Index i = centre + static_cast<Eigen::Index>(half) - static_cast<Eigen::Index>(m);
            if (i >= 0 && i < N) y.col(k) += h[m] * x.col(i);
        }
    }
    return y;
}

}  // namespace brainweave::analysis
