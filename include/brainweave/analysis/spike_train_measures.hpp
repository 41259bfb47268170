#pragma once
// Measures of spike trains (each a sorted vector of spike times, observed on [t_start, t_end]):
//
//  - isi_distance, spike_distance, spike_sync: Kreuz et al.'s ISI-distance (2007), SPIKE-distance
//    (2013) and SPIKE-synchronization (2015) with PySpike 0.7's definitions and edge corrections
//    (the first and last interspike intervals extended to the edges, auxiliary spikes for the
//    SPIKE-distance, coincidence windows of half the smallest neighbouring interval). For several
//    trains: the mean of the pairwise distances, and for SPIKE-sync the ratio of all coincidences to
//    all spikes; the matrices hold the pairwise values with zeros on the diagonal, as PySpike 0.7.
//    A train without spikes is taken as having spikes at both edges.
//  - van_rossum_distance: sqrt(S_aa + S_bb - 2 S_ab), S_xy = sum_ij exp(-|x_i - y_j| / tau), i.e.
//    sqrt(2/tau integral (f_a - f_b)^2) for exponentially filtered trains (Elephant's normalisation).
//  - binned_counts, correlation_coefficients, covariances: counts in bins [k w, (k+1) w) from
//    t_start; Pearson correlation and covariance (normalised by n_bins - 1) of the counts, as
//    numpy.corrcoef and numpy.cov.
//  - cv_isi (standard deviation / mean of the intervals), cv2 (Holt et al. 1996: mean of
//    2 |I_{k+1} - I_k| / (I_{k+1} + I_k)), lv (Shinomoto et al. 2003: 3/(n-1) sum ((I_k - I_{k+1}) /
//    (I_k + I_{k+1}))^2), rates (spikes / duration). Trains too short for a measure give NaN.
#include <brainweave/core/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace brainweave::analysis {

using spike_train = std::vector<double>;

/// Spike trains of `n` senders from (sender, time) pairs, each sorted.
inline std::vector<spike_train> trains_from_pairs(std::span<const std::int32_t> senders, std::span<const double> times, std::size_t n) {
    if (senders.size() != times.size()) throw config_error("trains_from_pairs: senders and times differ in length");
    std::vector<spike_train> t(n);
    for (std::size_t k = 0; k < senders.size(); ++k) {
        if (senders[k] < 0 || static_cast<std::size_t>(senders[k]) >= n)
            throw config_error("trains_from_pairs: sender " + std::to_string(senders[k]) + " outside [0, " + std::to_string(n) + ")");
        if (!std::isfinite(times[k])) throw config_error("trains_from_pairs: spike times must be finite");
        t[static_cast<std::size_t>(senders[k])].push_back(times[k]);
    }
    for (auto& s : t) std::sort(s.begin(), s.end());
    return t;
}

namespace detail {
inline spike_train with_edges_if_empty(const spike_train& s, double t0, double t1) {
    return s.empty() ? spike_train{t0, t1} : s;
}
inline void check_window(const spike_train& a, const spike_train& b, double t0, double t1, const char* who) {
    if (!(t1 > t0)) throw config_error(std::string(who) + ": t_end must be after t_start");
    for (const auto* s : {&a, &b})
        if (!s->empty() && (s->front() < t0 || s->back() > t1))
            throw config_error(std::string(who) + ": spikes must lie in [t_start, t_end]");
}
// |t - s_k| minimised over s_k, k >= from, and the auxiliary edges lo, hi (PySpike's get_min_dist).
inline double min_distance(double t, const spike_train& s, std::ptrdiff_t from, double lo, double hi) {
    double d = std::abs(t - lo);
    for (auto k = static_cast<std::size_t>(std::max<std::ptrdiff_t>(from, 0)); k < s.size(); ++k) {
        const double e = std::abs(t - s[k]);
        if (e > d) return d;
        d = e;
    }
    return std::min(d, std::abs(hi - t));
}
}  // namespace detail

/// ISI-distance of two trains on [t0, t1] (time average of |nu1 - nu2| / max(nu1, nu2)).
inline double isi_distance(const spike_train& a_in, const spike_train& b_in, double t0, double t1) {
    detail::check_window(a_in, b_in, t0, t1, "isi_distance");
    const auto a = detail::with_edges_if_empty(a_in, t0, t1), b = detail::with_edges_if_empty(b_in, t0, t1);
    const auto N1 = static_cast<std::ptrdiff_t>(a.size()), N2 = static_cast<std::ptrdiff_t>(b.size());
    auto first_isi = [&](const spike_train& s, std::ptrdiff_t N, std::ptrdiff_t& index) {
        if (s[0] > t0) {
            index = -1;
            return N > 1 ? std::max(s[0] - t0, s[1] - s[0]) : s[0] - t0;
        }
        index = 0;
        return N > 1 ? s[1] - s[0] : t1 - s[0];
    };
    std::ptrdiff_t i1 = 0, i2 = 0;
    double nu1 = first_isi(a, N1, i1), nu2 = first_isi(b, N2, i2);
    auto next_isi = [&](const spike_train& s, std::ptrdiff_t N, std::ptrdiff_t i, double nu) {
        if (i < N - 1) return s[static_cast<std::size_t>(i + 1)] - s[static_cast<std::size_t>(i)];
        return N > 1 ? std::max(t1 - s[static_cast<std::size_t>(i)], nu) : t1 - s[static_cast<std::size_t>(i)];
    };
    double value = 0, last = t0, cur_t = t0;
    double cur = std::abs(nu1 - nu2) / std::max(nu1, nu2);
    while (i1 + i2 < N1 + N2 - 2) {
        if (i1 < N1 - 1 && (i2 == N2 - 1 || a[static_cast<std::size_t>(i1 + 1)] < b[static_cast<std::size_t>(i2 + 1)])) {
            ++i1;
            cur_t = a[static_cast<std::size_t>(i1)];
            nu1 = next_isi(a, N1, i1, nu1);
        } else if (i2 < N2 - 1 && (i1 == N1 - 1 || a[static_cast<std::size_t>(i1 + 1)] > b[static_cast<std::size_t>(i2 + 1)])) {
            ++i2;
            cur_t = b[static_cast<std::size_t>(i2)];
            nu2 = next_isi(b, N2, i2, nu2);
        } else {
            ++i1;
            ++i2;
            cur_t = a[static_cast<std::size_t>(i1)];
            nu1 = next_isi(a, N1, i1, nu1);
            nu2 = next_isi(b, N2, i2, nu2);
        }
        value += cur * (cur_t - last);
        cur = std::abs(nu1 - nu2) / std::max(nu1, nu2);
        last = cur_t;
    }
    value += cur * (t1 - last);
    return value / (t1 - t0);
}

/// SPIKE-distance of two trains on [t0, t1] (time average of the piecewise-linear profile).
inline double spike_distance(const spike_train& a_in, const spike_train& b_in, double t0, double t1) {
    detail::check_window(a_in, b_in, t0, t1, "spike_distance");
    const auto ta = detail::with_edges_if_empty(a_in, t0, t1), tb = detail::with_edges_if_empty(b_in, t0, t1);
    // The state of one train around the current time: previous and following spike (tp, tf), their
    // distances to the other train (dtp, dtf), the current interval and the weighted distance s.
    struct side {
        const spike_train& t;
        std::ptrdiff_t N, i = 0;
        double aux_lo = 0, aux_hi = 0, tp = 0, tf = 0, dtp = 0, dtf = 0, isi = 0, s = 0;
        double at(std::ptrdiff_t k) const { return t[static_cast<std::size_t>(k)]; }
        double last_isi(double t_end) const { return N > 1 ? std::max(t_end - at(N - 1), at(N - 1) - at(N - 2)) : t_end - at(N - 1); }
    };
    side A{ta, static_cast<std::ptrdiff_t>(ta.size())}, B{tb, static_cast<std::ptrdiff_t>(tb.size())};
    for (side* x : {&A, &B}) {  // auxiliary spikes one interval beyond the edges (or the edges)
        x->aux_lo = x->N > 1 ? std::min(t0, 2 * x->at(0) - x->at(1)) : t0;
        x->aux_hi = x->N > 1 ? std::max(t1, 2 * x->at(x->N - 1) - x->at(x->N - 2)) : t1;
        x->tp = x->at(0) == t0 ? t0 : x->aux_lo;
    }
    auto dist = [](const side& x, const side& y) {
        const double mean = 0.5 * (x.isi + y.isi);
        return 0.5 * (x.s * y.isi + y.s * x.isi) / (mean * mean);
    };
    auto start = [&](side& x, const side& y) {
        if (x.at(0) > t0) {
            x.tf = x.at(0);
            x.dtf = detail::min_distance(x.tf, y.t, 0, y.aux_lo, y.aux_hi);
            x.isi = x.N > 1 ? std::max(x.tf - t0, x.at(1) - x.at(0)) : x.tf - t0;
            x.dtp = x.dtf;
            x.i = -1;
        } else {
            x.tf = x.N > 1 ? x.at(1) : t1;
            x.dtf = detail::min_distance(x.tf, y.t, 0, y.aux_lo, y.aux_hi);
            x.dtp = detail::min_distance(x.tp, y.t, 0, y.aux_lo, y.aux_hi);
            x.isi = x.tf - x.at(0);
            x.i = 0;
        }
        x.s = x.dtp;
    };
    start(A, B);
    start(B, A);
    double y_start = dist(A, B), value = 0, t_last = t0, t_cur = t0;
    // Train x has the next spike: close the interval at it, then open the next one.
    auto advance = [&](side& x, side& y) {
        ++x.i;
        x.s = x.dtf * (x.tf - x.tp) / x.isi;
        x.dtp = x.dtf;
        x.tp = x.tf;
        x.tf = x.i < x.N - 1 ? x.at(x.i + 1) : x.aux_hi;
        t_cur = x.tp;
        y.s = (y.dtp * (y.tf - x.tp) + y.dtf * (x.tp - y.tp)) / y.isi;
        value += 0.5 * (y_start + dist(x, y)) * (t_cur - t_last);
        if (x.i < x.N - 1) {
            x.dtf = detail::min_distance(x.tf, y.t, y.i, y.aux_lo, y.aux_hi);
            x.isi = x.tf - x.tp;
        } else {
            x.dtf = x.dtp;
            x.isi = x.last_isi(t1);
        }
        x.s = x.dtp;
        y_start = dist(x, y);
    };
    auto coincide = [&](side& x, const side& y) {  // after both trains moved to a common spike
        if (x.i < x.N - 1) {
            x.tf = x.at(x.i + 1);
            x.dtf = detail::min_distance(x.tf, y.t, y.i, y.aux_lo, y.aux_hi);
            x.isi = x.tf - x.tp;
        } else {
            x.tf = x.aux_hi;
            x.dtf = x.dtp;
            x.isi = x.last_isi(t1);
        }
    };
    while (A.i + B.i < A.N + B.N - 2) {
        if (A.i < A.N - 1 && (A.tf < B.tf || B.i == B.N - 1)) {
            advance(A, B);
        } else if (B.i < B.N - 1 && (A.tf > B.tf || A.i == A.N - 1)) {
            advance(B, A);
        } else {  // simultaneous spikes: one event, the profile is zero there
            ++A.i;
            ++B.i;
            A.tp = A.tf;
            B.tp = B.tf;
            A.dtp = B.dtp = 0.0;
            t_cur = A.tf;
            value += 0.5 * y_start * (t_cur - t_last);
            y_start = 0.0;
            coincide(A, B);
            coincide(B, A);
        }
        t_last = t_cur;
    }
    A.s = A.dtf;
    B.s = B.dtf;
    value += 0.5 * (y_start + dist(A, B)) * (t1 - t_last);
    return value / (t1 - t0);
}

/// SPIKE-synchronization counts of two trains: (coincidences, spikes). `max_tau` > 0 caps the
/// coincidence window at max_tau.
inline std::pair<double, double> spike_sync_counts(const spike_train& a, const spike_train& b, double t0, double t1, double max_tau = 0) {
    detail::check_window(a, b, t0, t1, "spike_sync");
    double true_max = t1 - t0;
    if (max_tau > 0) true_max = std::min(true_max, 2 * max_tau);
    const auto N1 = static_cast<std::ptrdiff_t>(a.size()), N2 = static_cast<std::ptrdiff_t>(b.size());
    auto at = [](const spike_train& s, std::ptrdiff_t k) { return s[static_cast<std::size_t>(k)]; };
    // Half the smallest interval around spikes i of a and j of b (intervals beyond the ends: true_max).
    auto tau = [&](std::ptrdiff_t i, std::ptrdiff_t j) {
        const double f1 = (i < N1 - 1 && i > -1 ? at(a, i + 1) - at(a, i) : true_max) / 2;
        const double f2 = (j < N2 - 1 && j > -1 ? at(b, j + 1) - at(b, j) : true_max) / 2;
        const double p1 = (i > 0 ? at(a, i) - at(a, i - 1) : true_max) / 2;
        const double p2 = (j > 0 ? at(b, j) - at(b, j - 1) : true_max) / 2;
        return std::min(std::min(p1, f1), std::min(f2, p2));
    };
    std::ptrdiff_t i = -1, j = -1;
    double coinc = 0, mp = 0;
    while (i + j < N1 + N2 - 2) {
        if (i < N1 - 1 && (j == N2 - 1 || at(a, i + 1) < at(b, j + 1))) {
            ++i;
            mp += 1;
            if (j > -1 && at(a, i) - at(b, j) < tau(i, j)) coinc += 2;
        } else if (j < N2 - 1 && (i == N1 - 1 || at(a, i + 1) > at(b, j + 1))) {
            ++j;
            mp += 1;
            if (i > -1 && at(b, j) - at(a, i) < tau(i, j)) coinc += 2;
        } else {
            ++i;
            ++j;
            mp += 2;
            coinc += 2;
        }
    }
    return {coinc, mp};
}

inline double spike_sync(const spike_train& a, const spike_train& b, double t0, double t1, double max_tau = 0) {
    const auto [c, m] = spike_sync_counts(a, b, t0, t1, max_tau);
    return m == 0 ? 1.0 : c / m;
}

namespace detail {
template <class F>
Eigen::MatrixXd pairwise(const std::vector<spike_train>& s, F&& f) {
    const auto n = static_cast<Eigen::Index>(s.size());
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = i + 1; j < n; ++j) m(i, j) = m(j, i) = f(s[static_cast<std::size_t>(i)], s[static_cast<std::size_t>(j)]);
    return m;
}
inline double mean_upper(const Eigen::MatrixXd& m) {
    double sum = 0;
    std::size_t n = 0;
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = i + 1; j < m.cols(); ++j, ++n) sum += m(i, j);
    if (n == 0) throw config_error("multivariate spike train distances need at least two trains");
    return sum / static_cast<double>(n);
}
}  // namespace detail

inline Eigen::MatrixXd isi_distance_matrix(const std::vector<spike_train>& s, double t0, double t1) {
    return detail::pairwise(s, [&](const spike_train& a, const spike_train& b) { return isi_distance(a, b, t0, t1); });
}
inline Eigen::MatrixXd spike_distance_matrix(const std::vector<spike_train>& s, double t0, double t1) {
    return detail::pairwise(s, [&](const spike_train& a, const spike_train& b) { return spike_distance(a, b, t0, t1); });
}
inline Eigen::MatrixXd spike_sync_matrix(const std::vector<spike_train>& s, double t0, double t1, double max_tau = 0) {
    return detail::pairwise(s, [&](const spike_train& a, const spike_train& b) { return spike_sync(a, b, t0, t1, max_tau); });
}
/// Multivariate ISI-distance: the mean over all pairs.
inline double isi_distance(const std::vector<spike_train>& s, double t0, double t1) { return detail::mean_upper(isi_distance_matrix(s, t0, t1)); }
/// Multivariate SPIKE-distance: the mean over all pairs.
inline double spike_distance(const std::vector<spike_train>& s, double t0, double t1) {
    return detail::mean_upper(spike_distance_matrix(s, t0, t1));
}
/// Multivariate SPIKE-synchronization: all pairs' coincidences over all pairs' spikes.
inline double spike_sync(const std::vector<spike_train>& s, double t0, double t1, double max_tau = 0) {
    if (s.size() < 2) throw config_error("multivariate SPIKE-synchronization needs at least two trains");
    double c = 0, m = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        for (std::size_t j = i + 1; j < s.size(); ++j) {
            const auto [ci, mi] = spike_sync_counts(s[i], s[j], t0, t1, max_tau);
            c += ci;
            m += mi;
        }
    return m == 0 ? 1.0 : c / m;
}

/// Van Rossum distance with time constant tau (same unit as the spike times).
inline double van_rossum_distance(const spike_train& a, const spike_train& b, double tau) {
    if (!(tau > 0)) throw config_error("van_rossum_distance: tau must be positive");
    auto S = [&](const spike_train& x, const spike_train& y) {
        double s = 0;
        for (double u : x)
            for (double v : y) s += std::exp(-std::abs(u - v) / tau);
        return s;
    };
    return std::sqrt(std::max(0.0, S(a, a) + S(b, b) - 2 * S(a, b)));
}

/// Spike counts per train in bins [t0 + k w, t0 + (k+1) w) (trains x bins; the last bin includes t1).
inline Eigen::MatrixXd binned_counts(const std::vector<spike_train>& s, double t0, double t1, double w) {
    if (!(w > 0) || !(t1 > t0)) throw config_error("binned_counts: needs a positive bin width and t1 > t0");
    const auto n_bins = static_cast<Eigen::Index>(std::llround((t1 - t0) / w));
    if (n_bins < 1 || std::abs(static_cast<double>(n_bins) * w - (t1 - t0)) > 1e-9 * (t1 - t0))
        throw config_error("binned_counts: the bin width must divide the observation window");
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(s.size()), n_bins);
    for (std::size_t i = 0; i < s.size(); ++i)
        for (double t : s[i]) {
            if (t < t0 || t > t1) continue;
            // numpy's edges are t0 + k w: a spike on an edge belongs to the bin it starts
            auto k = std::min(static_cast<Eigen::Index>(std::floor((t - t0) / w)), n_bins - 1);
            while (k > 0 && t < t0 + static_cast<double>(k) * w) --k;
            while (k + 1 < n_bins && t >= t0 + static_cast<double>(k + 1) * w) ++k;
            c(static_cast<Eigen::Index>(i), k) += 1;
        }
    return c;
}

/// Covariance of the rows (normalised by n - 1), as numpy.cov.
inline Eigen::MatrixXd covariances(const Eigen::MatrixXd& x) {
    if (x.cols() < 2) throw config_error("covariances: need at least two samples");
    const Eigen::MatrixXd c = x.colwise() - x.rowwise().mean();
    return c * c.transpose() / static_cast<double>(x.cols() - 1);
}

/// Pearson correlation coefficients of the rows, as numpy.corrcoef.
inline Eigen::MatrixXd correlation_coefficients(const Eigen::MatrixXd& x) {
    const Eigen::MatrixXd c = covariances(x);
    const Eigen::VectorXd d = c.diagonal().array().sqrt();
    Eigen::MatrixXd r = c.array() / (d * d.transpose()).array();
    return r.cwiseMax(-1.0).cwiseMin(1.0);
}

inline std::vector<double> rates(const std::vector<spike_train>& s, double duration) {
    if (!(duration > 0)) throw config_error("rates: the duration must be positive");
    std::vector<double> r;
    for (const auto& t : s) r.push_back(static_cast<double>(t.size()) / duration);
    return r;
}

namespace detail {
// f(intervals) for every train with at least two intervals, NaN for the others.
template <class F>
std::vector<double> per_train_intervals(const std::vector<spike_train>& s, F&& f) {
    std::vector<double> out;
    for (const auto& t : s) {
        std::vector<double> I;
        for (std::size_t k = 1; k < t.size(); ++k) I.push_back(t[k] - t[k - 1]);
        out.push_back(I.size() < 2 ? std::numeric_limits<double>::quiet_NaN() : f(I));
    }
    return out;
}
}  // namespace detail

inline std::vector<double> cv_isi(const std::vector<spike_train>& s) {
    return detail::per_train_intervals(s, [](const std::vector<double>& I) {
        double m = 0, v = 0;
        for (double x : I) m += x;
        m /= static_cast<double>(I.size());
        for (double x : I) v += (x - m) * (x - m);
        return std::sqrt(v / static_cast<double>(I.size())) / m;
    });
}

inline std::vector<double> cv2(const std::vector<spike_train>& s) {
    return detail::per_train_intervals(s, [](const std::vector<double>& I) {
        double sum = 0;
        for (std::size_t k = 1; k < I.size(); ++k) sum += 2 * std::abs(I[k] - I[k - 1]) / (I[k] + I[k - 1]);
        return sum / static_cast<double>(I.size() - 1);
    });
}

inline std::vector<double> lv(const std::vector<spike_train>& s) {
    return detail::per_train_intervals(s, [](const std::vector<double>& I) {
        double sum = 0;
        for (std::size_t k = 1; k < I.size(); ++k) {
            const double q = (I[k - 1] - I[k]) / (I[k - 1] + I[k]);
            sum += q * q;
        }
        return 3.0 * sum / static_cast<double>(I.size() - 1);
    });
}

}  // namespace brainweave::analysis
