#pragma once
// Summary statistics of spike trains given as (sender, time) pairs, the form recorders produce.
//
// - mean_rate: spikes per neuron per time unit over [t_start, t_stop) (Hz when times are in s).
// - mean_cv_isi: the coefficient of variation (standard deviation / mean, population standard
//   deviation) of each neuron's inter-spike intervals, averaged over the neurons with at least
//   `min_intervals` intervals (2 by default).
// - fano_factor: variance / mean of the population spike count in consecutive bins of width `bin`
//   covering [t_start, t_stop) (population variance; bins that do not fit whole are dropped).
#include <brainweave/core/error.hpp>

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace brainweave::analysis {

inline double mean_rate(std::span<const double> times, std::size_t n_neurons, double t_start, double t_stop) {
    if (n_neurons == 0 || !(t_stop > t_start)) throw config_error("mean_rate: needs neurons and t_stop > t_start");
    std::size_t n = 0;
    for (double t : times) n += (t >= t_start && t < t_stop);
    return static_cast<double>(n) / (static_cast<double>(n_neurons) * (t_stop - t_start));
}

inline double mean_cv_isi(std::span<const std::int32_t> senders, std::span<const double> times, std::size_t n_neurons,
                          std::size_t min_intervals = 2) {
    if (senders.size() != times.size()) throw config_error("mean_cv_isi: senders and times differ in length");
    std::vector<std::vector<double>> trains(n_neurons);
    for (std::size_t k = 0; k < senders.size(); ++k) {
        if (senders[k] < 0 || static_cast<std::size_t>(senders[k]) >= n_neurons)
            throw config_error("mean_cv_isi: sender " + std::to_string(senders[k]) + " outside [0, " +
                               std::to_string(n_neurons) + ")");
        trains[static_cast<std::size_t>(senders[k])].push_back(times[k]);
    }
    double sum = 0;
    std::size_t counted = 0;
    for (auto& t : trains) {
        if (t.size() < min_intervals + 1) continue;
        double m = 0, v = 0;
        const double n = static_cast<double>(t.size() - 1);
        for (std::size_t k = 1; k < t.size(); ++k) m += t[k] - t[k - 1];
        m /= n;
        for (std::size_t k = 1; k < t.size(); ++k) v += (t[k] - t[k - 1] - m) * (t[k] - t[k - 1] - m);
        v /= n;
        if (m > 0) {
            sum += std::sqrt(v) / m;
            ++counted;
        }
    }
    return counted ? sum / static_cast<double>(counted) : 0.0;
}

inline double fano_factor(std::span<const double> times, double t_start, double t_stop, double bin) {
    if (!(bin > 0) || !(t_stop - t_start >= bin)) throw config_error("fano_factor: needs bin > 0 and at least one bin");
    const auto n_bins = static_cast<std::size_t>(std::floor((t_stop - t_start) / bin + 1e-9));
    std::vector<double> counts(n_bins, 0.0);
    for (double t : times) {
        const double b = std::floor((t - t_start) / bin + 1e-9);
        if (b >= 0 && b < static_cast<double>(n_bins)) counts[static_cast<std::size_t>(b)] += 1;
    }
    double m = 0, v = 0;
    for (double c : counts) m += c;
    m /= static_cast<double>(n_bins);
    for (double c : counts) v += (c - m) * (c - m);
    v /= static_cast<double>(n_bins);
    return m > 0 ? v / m : 0.0;
}

}  // namespace brainweave::analysis
