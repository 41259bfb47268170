#pragma once
// Projection monitors (TVB's EEG, MEG and iEEG): sensor signals as a lead field applied to the
// region activity, averaged over the monitor's period.
//
// Every step, x (the variables of interest summed over modes, nodes x voi) is added to a window
// sum X; at step n with n % p == 0, p = int(period / dt) (TVB truncates here, unlike the other
// monitors): sample = G X / p (+ observation noise), X = 0, time stamp (n - p/2) dt, with G the
// gain (sensors x nodes; forward/lead_field.hpp computes TVB's analytic ones, or load one).
// TVB adds G x at every step; applying G once per sample is the same sum (to round-off) at
// 1/p of the cost.
// EEG then subtracts a reference: `reference = "average"` the mean over sensors, or a sensor's
// label (needs `sensor_labels`) that sensor's signal; empty = reference-free, as TVB.
// Output shape (voi, sensors, 1). Observation noise: TVB adds sqrt(dt) N(0, 1) per sample by
// default (its Additive obsnoise with nsig unused); here it is off unless obs_noise_std > 0, drawn
// from a seeded counter-based generator (reproducible, independent of the run's noise).
#include <brainweave/monitors/output.hpp>
#include <brainweave/noise/sources.hpp>

#include <Eigen/Core>

#include <algorithm>

#include <string>
#include <string_view>
#include <vector>

namespace brainweave::monitors {

namespace detail {
struct projection_state {
    std::int64_t p = 1;
    std::vector<double> ref;  ///< EEG reference weights per sensor (empty = none)
    Eigen::MatrixXd x;        ///< (nodes, voi): sum over the current window
    std::int64_t samples = 0;

    template <class Archive>
    void serialize(Archive& ar) {
        std::vector<double> sum(x.data(), x.data() + x.size());
        ar.sized("window sum", sum, sum.size());
        if constexpr (Archive::loading) std::copy(sum.begin(), sum.end(), x.data());
        ar("samples", samples);
    }
};

inline void configure_projection(recorder& rec, projection_state& st, const monitor_context& ctx,
                                 const std::vector<std::size_t>& voi, std::string_view name, double period,
                                 const Eigen::MatrixXd& gain, double obs_noise_std) {
    configure_recorder(rec, ctx, voi, name, period);
    if (!(period > 0.0) || static_cast<std::int64_t>(period / ctx.dt) < 1)
        throw config_error(std::string(name) + " monitor: period " + std::to_string(period) +
                           " ms is shorter than the integration step dt = " + std::to_string(ctx.dt) + " ms");
    st.p = static_cast<std::int64_t>(period / ctx.dt);
    if (gain.rows() == 0 || static_cast<std::size_t>(gain.cols()) != ctx.n_nodes)
        throw config_error(std::string(name) + " monitor: the gain matrix is " + std::to_string(gain.rows()) + " x " +
                           std::to_string(gain.cols()) + ", expected sensors x " + std::to_string(ctx.n_nodes) +
                           " nodes (see forward::region_gain)");
    if (!gain.allFinite()) throw config_error(std::string(name) + " monitor: the gain matrix contains NaN or Inf");
    if (!(obs_noise_std >= 0.0))
        throw config_error(std::string(name) + " monitor: obs_noise_std must be >= 0, got " + std::to_string(obs_noise_std));
    const auto nv = static_cast<Eigen::Index>(rec.voi.size());
    st.x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(ctx.n_nodes), nv);
    st.samples = 0;
    init_output(rec.out, ctx, rec.voi, static_cast<std::size_t>(gain.rows()));
    rec.out.n_modes = 1;  // summed over modes
}

inline void record_projection(recorder& rec, projection_state& st, std::int64_t step, const double* state,
                              const Eigen::MatrixXd& gain, double obs_noise_std, std::uint64_t seed) {
    const std::size_t nm = rec.ctx.n_modes, n = rec.ctx.n_nodes;
    for (std::size_t v = 0; v < rec.voi.size(); ++v)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t m = 0; m < nm; ++m)
                st.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(v)) += state[(rec.voi[v] * nm + m) * n + i];
    if (step % st.p != 0) return;
    rec.out.time.push_back((static_cast<double>(step) - static_cast<double>(st.p) / 2.0) * rec.ctx.dt);
    Eigen::MatrixXd sample = gain * st.x / static_cast<double>(st.p);
    st.x.setZero();
    if (obs_noise_std > 0.0) {
        std::vector<double> z(static_cast<std::size_t>(sample.size()));
        noise::philox_normal(seed).fill(st.samples, 0, z.data(), z.size());
        for (Eigen::Index k = 0; k < sample.size(); ++k) sample.data()[k] += obs_noise_std * z[static_cast<std::size_t>(k)];
    }
    ++st.samples;
    if (!st.ref.empty())
        for (Eigen::Index v = 0; v < sample.cols(); ++v) {
            double r = 0.0;
            for (Eigen::Index s = 0; s < sample.rows(); ++s) r += st.ref[static_cast<std::size_t>(s)] * sample(s, v);
            sample.col(v).array() -= r;
        }
    for (Eigen::Index v = 0; v < sample.cols(); ++v)
        for (Eigen::Index s = 0; s < sample.rows(); ++s) rec.out.data.push_back(sample(s, v));
}
}  // namespace detail

namespace detail {
struct eeg_name { static constexpr std::string_view value = "EEG"; };
struct meg_name { static constexpr std::string_view value = "MEG"; };
struct ieeg_name { static constexpr std::string_view value = "iEEG"; };
}  // namespace detail

/// A projection monitor; use the aliases eeg, meg and ieeg (TVB's class names).
template <class Name>
struct basic_projection {
    static constexpr std::string_view name = Name::value;
    static constexpr bool uses_coupling = false;
    double period = default_period;
    Eigen::MatrixXd gain{};                    ///< sensors x nodes (forward::region_gain, or loaded)
    std::string reference{};                   ///< EEG only: "", "average" or a sensor label
    std::vector<std::string> sensor_labels{};  ///< one per gain row; needed for a label reference
    double obs_noise_std = 0.0;
    std::uint64_t obs_noise_seed = 0;
    std::vector<std::size_t> variables_of_interest{};
    detail::recorder rec_{};
    detail::projection_state st_{};

    void configure(const monitor_context& ctx) {
        detail::configure_projection(rec_, st_, ctx, variables_of_interest, name, period, gain, obs_noise_std);
        st_.ref.clear();
        if (reference.empty()) return;
        if (name != "EEG") throw config_error(std::string(name) + " monitor: only EEG takes a reference");
        const auto ns = static_cast<std::size_t>(gain.rows());
        if (reference == "average" || reference == "Average") {
            st_.ref.assign(ns, 1.0 / static_cast<double>(ns));
            return;
        }
        if (sensor_labels.size() != ns)
            throw config_error("EEG monitor: reference '" + reference + "' needs sensor_labels (one per gain row, " +
                               std::to_string(ns) + ")");
        const auto k = static_cast<std::size_t>(std::find(sensor_labels.begin(), sensor_labels.end(), reference) -
                                                sensor_labels.begin());
        if (k == ns) throw config_error("EEG monitor: reference '" + reference + "' is not a sensor label");
        st_.ref.assign(ns, 0.0);
        st_.ref[k] = 1.0;
    }
    void record(std::int64_t step, const double* state, const double*) {
        detail::record_projection(rec_, st_, step, state, gain, obs_noise_std, obs_noise_seed);
    }
    BRAINWEAVE_MONITOR_OUTPUT
};

using eeg = basic_projection<detail::eeg_name>;   ///< electroencephalography
using meg = basic_projection<detail::meg_name>;   ///< magnetoencephalography
using ieeg = basic_projection<detail::ieeg_name>; ///< intracranial (stereo-) EEG

}  // namespace brainweave::monitors
