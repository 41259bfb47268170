#pragma once
// TVB's Bold monitor: the BOLD signal as the convolution of neural activity with a haemodynamic
// response function (equations/hrf.hpp), sampled every `period` ms (one TR).
//
//   1. every step, the variables of interest are averaged over 4 ms (interim_istep = rint(4 / dt)
//      steps; the first, partial window includes zeros, as TemporalAverage);
//   2. each 4 ms average is stored in a ring of S = ceil(hrf_length / 4 ms) slots (zeros until
//      filled): the average completed at step n goes to slot (n / interim_istep mod S) - 1;
//   3. at step n with n % istep == 0 (istep = rint(period / dt)), the ring is weighted with the
//      kernel h sampled at t_k = k (hrf_length / 1000 s) / S, reversed and rotated as TVB does,
//      and the kernel's bold() applied: BOLD = k_1 V_0 (sum - 1) for FirstOrderVolterra.
//      Time stamp n dt.
// TVB's rotation gives the newest 4 ms average the weight h(t_{S-1}) and the one before it h(0);
// the averages before those get h(t_{S-2}), h(t_{S-3}), ... from the oldest on. This is kept as is
// for parity (reference case rww_bold).
#include <brainweave/equations/hrf.hpp>
#include <brainweave/monitors/output.hpp>

#include <cmath>
#include <string_view>
#include <variant>
#include <vector>

namespace brainweave::monitors {

namespace detail {
/// The Bold monitor's run-time state (kept apart so that the monitor stays an aggregate).
struct bold_state {
    std::int64_t interim_istep = 1;
    std::size_t slots = 1;
    window_sum interim;  ///< the current 4 ms window
    std::vector<double> kernel, ring;

    template <class Archive>
    void serialize(Archive& ar) {
        ar("interim", interim);
        ar.sized("ring", ring, ring.size());
    }
};
}  // namespace detail

struct bold {
    static constexpr std::string_view name = "Bold";
    static constexpr bool uses_coupling = false;
    static constexpr double interim_period = 4.0;  ///< ms (TVB's 2^-2 samples per ms)
    double period = 2000.0;                        ///< ms: the repetition time TR
    double hrf_length = 20000.0;                   ///< ms: how much history the kernel weighs
    equations::hrf_kernel hrf_kernel = equations::first_order_volterra{};
    std::vector<std::size_t> variables_of_interest{};
    detail::recorder rec_{};
    detail::bold_state st_{};

    void configure(const monitor_context& ctx) {
        detail::configure_recorder(rec_, ctx, variables_of_interest, name, period);
        if (!(hrf_length > 0.0) || !std::isfinite(hrf_length))
            throw config_error("Bold monitor: hrf_length must be > 0 ms, got " + std::to_string(hrf_length));
        st_.interim_istep = detail::period_in_steps(interim_period, ctx.dt, "Bold (4 ms interim average of the)");
        st_.slots = static_cast<std::size_t>(std::ceil(hrf_length / interim_period));
        const double t_max = hrf_length / 1000.0, dt_kernel = t_max / static_cast<double>(st_.slots);
        std::vector<double> t(st_.slots);
        for (std::size_t k = 0; k < st_.slots; ++k) t[k] = static_cast<double>(k) * dt_kernel;
        st_.kernel = std::visit([&](const auto& h) { return h.sample(t); }, hrf_kernel);
        const std::size_t n = rec_.out.sample_size();
        st_.interim.reset(n);
        st_.ring.assign(st_.slots * n, 0.0);
    }

    void record(std::int64_t step, const double* state, const double*) {
        st_.interim.add(rec_.ctx, rec_.voi, state);
        const std::size_t n = rec_.out.sample_size();
        if (step % st_.interim_istep == 0) {
            const auto written = static_cast<std::size_t>(step / st_.interim_istep) % st_.slots;
            double* dst = st_.ring.data() + ((written + st_.slots - 1) % st_.slots) * n;
            st_.interim.take_mean(st_.interim_istep, dst);
        }
        if (step % rec_.istep != 0) return;
        // Weight of ring slot i: the reversed kernel rotated by (step / interim_istep mod S) - 1.
        const auto shift = (static_cast<std::size_t>(step / st_.interim_istep) % st_.slots + st_.slots - 1) % st_.slots;
        const std::size_t at = rec_.out.data.size();
        rec_.out.time.push_back(static_cast<double>(step) * rec_.ctx.dt);
        rec_.out.data.resize(at + n, 0.0);
        double* out = rec_.out.data.data() + at;
        for (std::size_t i = 0; i < st_.slots; ++i) {
            const double w = st_.kernel[st_.slots - 1 - (i + st_.slots - shift) % st_.slots];
            const double* x = st_.ring.data() + i * n;
            for (std::size_t k = 0; k < n; ++k) out[k] += w * x[k];
        }
        std::visit([&](const auto& h) { for (std::size_t k = 0; k < n; ++k) out[k] = h.bold(out[k]); }, hrf_kernel);
    }
    BRAINWEAVE_MONITOR_OUTPUT

    /// The kernel as sampled (seconds k * hrf_length / 1000 / S, k = 0..S-1); after configure().
    const std::vector<double>& kernel() const noexcept { return st_.kernel; }

};

}  // namespace brainweave::monitors
