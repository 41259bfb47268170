#pragma once
// What monitors see of a simulation (monitor_context) and what they produce (monitor_output).
#include <brainweave/core/error.hpp>
#include <brainweave/io/npy.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace brainweave {

/// Facts about the simulation handed to monitors before the first step.
struct monitor_context {
    double dt = 0.0;
    std::size_t n_nodes = 0, n_state = 0, n_modes = 0, n_coupling = 0;
    std::vector<std::string> state_variables;
    std::vector<bool> hemispheres;  ///< from the connectivity (may be empty)
    std::vector<bool> cortical;     ///< from the connectivity (may be empty)
    std::vector<std::size_t> region_mapping;  ///< surface simulations: the region of every vertex
};

/// Samples of one monitor: time stamps (ms) and data of shape (n_samples, n_var, n_space, n_modes)
/// in C order, TVB's layout.
struct monitor_output {
    std::vector<double> time;
    std::vector<double> data;
    std::size_t n_var = 0, n_space = 0, n_modes = 0;
    std::vector<std::string> variables;

    std::size_t n_samples() const noexcept { return time.size(); }
    std::size_t sample_size() const noexcept { return n_var * n_space * n_modes; }
    std::vector<std::size_t> shape() const { return {n_samples(), n_var, n_space, n_modes}; }
    /// Value of sample t, variable v, node (or sensor, area) s, mode m.
    double operator()(std::size_t t, std::size_t v, std::size_t s, std::size_t m = 0) const noexcept {
        return data[((t * n_var + v) * n_space + s) * n_modes + m];
    }
    void clear() {
        time.clear();
        data.clear();
    }
    /// Room for `samples` more samples (a simulator calls its monitors' reserve_steps before a run,
    /// so that long runs do not copy their outputs as they grow).
    /// Grows geometrically, so that many short runs (co-simulation windows) stay linear.
    void reserve(std::size_t samples) {
        auto grow = [](std::vector<double>& v, std::size_t more) {
            if (v.size() + more > v.capacity()) v.reserve(std::max(v.size() + more, 2 * v.capacity()));
        };
        grow(time, samples);
        grow(data, samples * sample_size());
    }
    /// The samples of the given nodes (sensors, areas) only, in that order.
    monitor_output select_space(const std::vector<std::size_t>& nodes) const {
        monitor_output r = *this;
        r.n_space = nodes.size();
        r.data.clear();
        r.data.reserve(n_samples() * n_var * nodes.size() * n_modes);
        for (std::size_t t = 0; t < n_samples(); ++t)
            for (std::size_t v = 0; v < n_var; ++v)
                for (std::size_t s : nodes) {
                    if (s >= n_space)
                        throw config_error("monitor output: node " + std::to_string(s) + " of " + std::to_string(n_space));
                    for (std::size_t m = 0; m < n_modes; ++m) r.data.push_back((*this)(t, v, s, m));
                }
        return r;
    }
    /// Records of a serial archive (checkpoints, results sent between MPI ranks).
    template <class Archive>
    void serialize(Archive& ar) {
        ar("n_var", n_var);
        ar("n_space", n_space);
        ar("n_modes", n_modes);
        ar("variables", variables);
        ar("time", time);
        ar("data", data);
        if constexpr (Archive::loading)
            if (data.size() != time.size() * sample_size() || variables.size() != n_var)
                throw io_error(ar.source() + ": a monitor output holds " + std::to_string(data.size()) + " values for " +
                               std::to_string(time.size()) + " samples of " + std::to_string(sample_size()) + " values");
    }
    /// Writes `<prefix>_time.npy` and `<prefix>_data.npy` into folder `dir`.
    void save_npy(const std::filesystem::path& dir, const std::string& prefix) const {
        io::save_npy(dir / (prefix + "_time.npy"), {n_samples()}, time.data());
        io::save_npy(dir / (prefix + "_data.npy"), shape(), data.data());
    }
};

/// Every monitor hands out the output its recorder holds (monitors keep a detail::recorder rec_).
/// clear_output() drops the samples taken so far (after a writer has streamed them to a file).
/// serialize() saves or restores what the monitor has recorded (a checkpoint): its recorder and,
/// if it has one, its run-time state st_ (which then has a serialize member of its own).
#define BRAINWEAVE_MONITOR_OUTPUT                                                                        \
    const monitor_output& output() const noexcept { return rec_.out; }                                   \
    void clear_output() noexcept { rec_.out.clear(); }                                                    \
    void reserve_steps(std::int64_t steps) { rec_.out.reserve(static_cast<std::size_t>(steps / rec_.istep + 1)); } \
    template <class Archive>                                                                              \
    void serialize(Archive& ar) {                                                                         \
        ::brainweave::monitors::detail::serialize_monitor(ar, *this);                                     \
    }

namespace monitors {
inline constexpr double default_period = 0.9765625;  ///< ms: TVB's default sampling period, 1024 Hz
}

namespace monitors::detail {

/// Sampling period in steps, rint(period / dt) as TVB; periods shorter than dt are errors.
inline std::int64_t period_in_steps(double period, double dt, std::string_view monitor) {
    if (!(period > 0.0) || !std::isfinite(period))
        throw config_error(std::string(monitor) + " monitor: period must be > 0 ms, got " + std::to_string(period));
    const auto istep = static_cast<std::int64_t>(std::nearbyint(period / dt));
    if (istep < 1)
        throw config_error(std::string(monitor) + " monitor: period " + std::to_string(period) +
                           " ms is shorter than the integration step dt = " + std::to_string(dt) + " ms");
    return istep;
}

/// Resolves variables of interest (empty = every state variable) against the model.
inline std::vector<std::size_t> resolve_voi(std::vector<std::size_t> v, const monitor_context& ctx, std::string_view monitor) {
    if (v.empty())
        for (std::size_t k = 0; k < ctx.n_state; ++k) v.push_back(k);
    for (auto k : v)
        if (k >= ctx.n_state)
            throw config_error(std::string(monitor) + " monitor: variable of interest " + std::to_string(k) +
                               " does not exist (the model has " + std::to_string(ctx.n_state) + ")");
    return v;
}

/// The run-time state every monitor keeps (kept apart from the monitors' public settings so that
/// monitors stay aggregates: `temporal_average{.period = 1.0}`).
struct recorder {
    monitor_context ctx;
    std::vector<std::size_t> voi;
    std::int64_t istep = 1;
    monitor_output out;

    /// The samples so far; on restoring, the configuration (period, sample layout) must match.
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("period in steps", istep);
        ar.same("values per sample", out.sample_size());
        ar("output", out);
    }
};

/// A monitor's checkpoint records (see BRAINWEAVE_MONITOR_OUTPUT).
template <class Archive, class M>
void serialize_monitor(Archive& ar, M& m) {
    ar.same("monitor", std::string(M::name));
    ar("recorder", m.rec_);
    if constexpr (requires { m.st_; }) ar("state", m.st_);
}

/// Calls f(dst value, state value) for the selected variables of a [var][mode][node] state, with
/// dst laid out as one [voi][node][mode] sample.
template <class F>
void for_each_in_sample(const monitor_context& ctx, const std::vector<std::size_t>& voi, const double* state,
                        double* dst, F f) noexcept {
    const std::size_t nm = ctx.n_modes, n = ctx.n_nodes;
    for (auto v : voi) {
        if (nm == 1) {  // the common case, contiguous on both sides
            const double* src = state + v * n;
            for (std::size_t i = 0; i < n; ++i) f(dst[i], src[i]);
            dst += n;
            continue;
        }
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t m = 0; m < nm; ++m) f(*dst++, state[(v * nm + m) * n + i]);
    }
}

/// Writes the selected variables of a state as one sample to dst.
inline void copy_sample(const monitor_context& ctx, const std::vector<std::size_t>& voi, const double* state,
                        double* dst) noexcept {
    for_each_in_sample(ctx, voi, state, dst, [](double& d, double x) { d = x; });
}

/// Adds the selected variables of a state to dst (one sample).
inline void add_sample(const monitor_context& ctx, const std::vector<std::size_t>& voi, const double* state,
                       double* dst) noexcept {
    for_each_in_sample(ctx, voi, state, dst, [](double& d, double x) { d += x; });
}

/// Sum of the selected variables over the steps of a window, restarted when its mean is taken
/// (TemporalAverage's samples, Bold's 4 ms averages). Adding in time order from zero matches TVB's
/// mean over a zero-initialised stock: the unfilled slots of a first, partial window add nothing,
/// and the sum is still divided by the full window length.
struct window_sum {
    std::vector<double> sum;

    template <class Archive>
    void serialize(Archive& ar) {
        ar.sized("sum", sum, sum.size());
    }

    void reset(std::size_t sample_size) { sum.assign(sample_size, 0.0); }
    void add(const monitor_context& ctx, const std::vector<std::size_t>& voi, const double* state) noexcept {
        add_sample(ctx, voi, state, sum.data());
    }
    /// Writes sum_k / steps to dst[k] for every value, then restarts the sum.
    void take_mean(std::int64_t steps, double* dst) noexcept {
        const auto d = static_cast<double>(steps);
        for (std::size_t k = 0; k < sum.size(); ++k) dst[k] = sum[k] / d;
        std::fill(sum.begin(), sum.end(), 0.0);
    }
    /// Appends the mean to out.
    void append_mean(std::int64_t steps, std::vector<double>& out) {
        const std::size_t at = out.size();
        out.resize(at + sum.size());
        take_mean(steps, out.data() + at);
    }
};

/// Appends the selected variables of a state as one sample to out.
inline void append_sample(const monitor_context& ctx, const std::vector<std::size_t>& voi, const double* state,
                          std::vector<double>& out) {
    const std::size_t at = out.size();
    out.resize(at + voi.size() * ctx.n_nodes * ctx.n_modes);
    copy_sample(ctx, voi, state, out.data() + at);
}

inline void init_output(monitor_output& out, const monitor_context& ctx, const std::vector<std::size_t>& voi,
                        std::size_t n_space) {
    out.clear();
    out.n_var = voi.size();
    out.n_space = n_space;
    out.n_modes = ctx.n_modes;
    out.variables.clear();
    for (auto v : voi) out.variables.push_back(ctx.state_variables[v]);
}

/// Sets up a monitor of state variables: context, resolved variables of interest, sampling period
/// in steps (none: every step; a period must be > 0 and at least dt) and an empty output over the nodes.
inline void configure_recorder(recorder& rec, const monitor_context& ctx, const std::vector<std::size_t>& requested,
                               std::string_view name, std::optional<double> period) {
    rec.ctx = ctx;
    rec.voi = resolve_voi(requested, ctx, name);
    rec.istep = period ? period_in_steps(*period, ctx.dt, name) : 1;
    init_output(rec.out, ctx, rec.voi, ctx.n_nodes);
}

}  // namespace monitors::detail
}  // namespace brainweave
